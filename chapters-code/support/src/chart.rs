//! A line chart of measurements: one or more named series of (x, y) points,
//! drawn as SVG to show under a cell's output.
//!
//! ```
//! use support::chart::{Chart, Series};
//! let svg = Chart::new("Memory", "threads", "MiB")
//!     .series(Series::new("resident", vec![(0.0, 1.0), (100.0, 3.0)]))
//!     .to_svg();
//! assert!(svg.contains("resident"));
//! ```

use plotters::prelude::*;

use crate::figure::{Description, number};

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Shown in the legend.
    pub name: String,
    /// The points, in the order they are joined.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A named series of points.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Series {
        Series {
            name: name.into(),
            points,
        }
    }
}

/// A chart: a title, axis descriptions, and series.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    title: String,
    x_desc: String,
    y_desc: String,
    series: Vec<Series>,
}

impl Chart {
    /// An empty chart.
    pub fn new(
        title: impl Into<String>,
        x_desc: impl Into<String>,
        y_desc: impl Into<String>,
    ) -> Chart {
        Chart {
            title: title.into(),
            x_desc: x_desc.into(),
            y_desc: y_desc.into(),
            series: Vec::new(),
        }
    }

    /// Adds a line.
    pub fn series(mut self, series: Series) -> Chart {
        self.series.push(series);
        self
    }

    /// The chart in words: per series, how many points, the range of each
    /// axis, and the first and last values.
    fn words(&self) -> Description {
        let mut description = String::new();
        for series in &self.series {
            let (Some(first), Some(last)) =
                (series.points.first(), series.points.last())
            else {
                description.push_str(&format!("{}: no points. ", series.name));
                continue;
            };
            let low =
                series.points.iter().map(|p| p.1).fold(f64::MAX, f64::min);
            let high =
                series.points.iter().map(|p| p.1).fold(f64::MIN, f64::max);
            description.push_str(&format!(
                "{name}: {n} points; at {x} = {x0}, {y} = {y0}; at {x} = {x1}, \
                 {y} = {y1}; lowest {low}, highest {high}. ",
                name = series.name,
                n = series.points.len(),
                x = self.x_desc,
                y = self.y_desc,
                x0 = number(first.0),
                y0 = number(first.1),
                x1 = number(last.0),
                y1 = number(last.1),
                low = number(low),
                high = number(high),
            ));
        }
        Description {
            title: self.title.clone(),
            description: description.trim_end().to_string(),
            how_to_read: format!(
                "Along the bottom: {}; up the side: {}. Each line is one \
                 series, named in the legend, with a dot at every measured \
                 point.",
                self.x_desc, self.y_desc
            ),
        }
    }

    /// Draws the chart as an SVG picture, described in words for those who
    /// cannot see it (see [`crate::figure::describe`]).
    pub fn to_svg(&self) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (760, 420))
                .into_drawing_area();
            // Errors can only come from formatting into a String, which
            // cannot fail; drawing is best effort either way.
            let _ = self.draw(&root);
            let _ = root.present();
        }
        crate::figure::describe(&svg, &self.words())
    }

    /// Draws the chart and shows it under the cell's output
    /// (see [`crate::figure::show_svg`]).
    pub fn show(&self, name: &str) -> std::io::Result<()> {
        crate::figure::show_svg(name, &self.to_svg()).map(|_| ())
    }

    fn draw(
        &self,
        root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let points = || self.series.iter().flat_map(|s| s.points.iter());
        let x_max = points().map(|p| p.0).fold(1e-9, f64::max);
        let y_max = points().map(|p| p.1).fold(1e-9, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 18))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..x_max, 0f64..y_max)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| {
                if y_max > 10.0 {
                    format!("{y:.0}")
                } else {
                    format!("{y:.1}")
                }
            })
            .draw()?;
        for (n, series) in self.series.iter().enumerate() {
            let color = Palette99::pick(n).to_rgba();
            chart
                .draw_series(LineSeries::new(
                    series.points.iter().copied(),
                    color.stroke_width(2),
                ))?
                .label(series.name.clone())
                .legend(move |(x, y)| {
                    PathElement::new(
                        [(x, y), (x + 18, y)],
                        color.stroke_width(2),
                    )
                });
            chart.draw_series(
                series
                    .points
                    .iter()
                    .map(|&p| Circle::new(p, 3, color.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picture_names_its_title_axes_and_series() {
        let svg = Chart::new("Cost", "threads", "MiB")
            .series(Series::new("virtual", vec![(0.0, 10.0), (10.0, 90.0)]))
            .series(Series::new("resident", vec![(0.0, 1.0), (10.0, 2.0)]))
            .to_svg();
        for text in ["Cost", "threads", "MiB", "virtual", "resident"] {
            assert!(svg.contains(text), "{text} missing");
        }
        let words = Description::of(&svg).expect("the picture is described");
        assert_eq!(
            words.description,
            "virtual: 2 points; at threads = 0, MiB = 10; at threads = 10, \
             MiB = 90; lowest 10, highest 90. resident: 2 points; at threads \
             = 0, MiB = 1; at threads = 10, MiB = 2; lowest 1, highest 2."
        );
        assert!(words.how_to_read.contains("up the side: MiB"));
    }

    #[test]
    fn an_empty_chart_still_draws() {
        assert!(Chart::new("nothing", "x", "y").to_svg().contains("<svg"));
    }
}
