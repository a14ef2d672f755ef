//! Bar charts of a run's numbers, as SVG pictures for the cells.
//!
//! Just enough plotting to draw one bar per measurement, with an optional
//! horizontal line for the value expected.
//! Labels are words, and numbers are drawn only on the axis and above the
//! bars, so that two runs give pictures with the same words.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::figure::Description;

/// What to draw.
#[derive(Debug, Clone, Default)]
pub struct BarChart {
    /// The picture's title.
    pub title: String,
    /// What the vertical axis measures.
    pub y_desc: String,
    /// One bar per entry: its label under the bar, and its height.
    pub bars: Vec<(String, f64)>,
    /// A horizontal line across the chart: its label and its height.
    pub line: Option<(String, f64)>,
    /// Decimals of the numbers on the axis and above the bars.
    pub decimals: usize,
}

/// `n` with a comma between groups of three digits: `2,000,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

const WIDTH_PX: u32 = 760;
const HEIGHT_PX: u32 = 360;

impl BarChart {
    /// The chart in words: every bar's label and height, and the line.
    fn words(&self) -> Description {
        let bars: Vec<String> = self
            .bars
            .iter()
            .map(|(label, value)| format!("{label}: {}", self.number(*value)))
            .collect();
        let mut description =
            format!("{}, bar by bar: {}.", self.y_desc, bars.join("; "));
        let mut how_to_read = format!(
            "One bar per measurement, labelled underneath; its height is \
             {}, and the number above it is that height.",
            self.y_desc
        );
        if let Some((label, value)) = &self.line {
            description
                .push_str(&format!(" Line {label}: {}.", self.number(*value)));
            how_to_read.push_str(&format!(
                " The black line across the chart marks {label}."
            ));
        }
        Description {
            title: self.title.clone(),
            description,
            how_to_read,
        }
    }

    /// Draws the chart as an SVG picture, described in words for those who
    /// cannot see it (see [`crate::figure::describe`]).
    pub fn to_svg(&self) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX))
                .into_drawing_area();
            // The SVG backend writes into a String, which cannot fail; a
            // failed drawing would only leave the picture incomplete.
            let _ = self.draw(&root);
            let _ = root.present();
        }
        crate::figure::describe(&svg, &self.words())
    }

    /// A number as the chart writes it: whole numbers grouped by thousands.
    fn number(&self, v: f64) -> String {
        match self.decimals {
            0 => grouped(v.round().max(0.0) as u64),
            d => format!("{v:.d$}"),
        }
    }

    /// Draws the chart and shows it under the cell's output.
    pub fn show(&self, name: &str) -> std::io::Result<()> {
        crate::figure::show_svg(name, &self.to_svg()).map(|_| ())
    }

    fn draw(
        &self,
        root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let n = self.bars.len().max(1) as f64;
        let top = self
            .bars
            .iter()
            .map(|(_, v)| *v)
            .chain(self.line.iter().map(|(_, v)| *v))
            .fold(f64::MIN_POSITIVE, f64::max)
            * 1.15;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 18))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5f64..n - 0.5, 0f64..top)?;
        let number = |v: &f64| self.number(*v);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&number)
            .y_desc(self.y_desc.as_str())
            .draw()?;
        let under = Pos::new(HPos::Center, VPos::Top);
        let above = Pos::new(HPos::Center, VPos::Bottom);
        for (i, (label, value)) in self.bars.iter().enumerate() {
            let x = i as f64;
            let bar = Rectangle::new(
                [(x - 0.35, 0.0), (x + 0.35, *value)],
                Palette99::pick(i).mix(0.85).filled(),
            );
            chart.draw_series(std::iter::once(bar))?;
            let font = ("sans-serif", 13).into_font().color(&BLACK);
            let (px, py) = chart.backend_coord(&(x, 0.0));
            root.draw(&Text::new(
                label.clone(),
                (px, py + 6),
                font.clone().pos(under),
            ))?;
            let (px, py) = chart.backend_coord(&(x, *value));
            root.draw(&Text::new(
                self.number(*value),
                (px, py - 3),
                font.pos(above),
            ))?;
        }
        if let Some((label, value)) = &self.line {
            let line = [(-0.5, *value), (n - 0.5, *value)];
            chart.draw_series(std::iter::once(PathElement::new(
                line,
                BLACK.stroke_width(2),
            )))?;
            let (px, py) = chart.backend_coord(&(n - 0.5, *value));
            let font = ("sans-serif", 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Bottom));
            root.draw(&Text::new(label.clone(), (px - 4, py - 4), font))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(2_000_000), "2,000,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }

    #[test]
    fn the_picture_has_every_label_and_bar() {
        let chart = BarChart {
            title: "two bars".into(),
            y_desc: "height".into(),
            bars: vec![("left".into(), 3.0), ("right".into(), 5.0)],
            line: Some(("expected".into(), 4.0)),
            decimals: 0,
        };
        let svg = chart.to_svg();
        for word in ["two bars", "height", "left", "right", "expected"] {
            assert!(svg.contains(word), "{word} missing");
        }
        // The background, the plotting area's frame, and two bars.
        assert!(svg.matches("<rect").count() >= 3);
        let words = Description::of(&svg).expect("the picture is described");
        assert_eq!(
            words.description,
            "height, bar by bar: left: 3; right: 5. Line expected: 4."
        );
    }
}
