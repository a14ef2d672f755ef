//! What `{{#measurements crate/bench}}` becomes: per group a bar chart,
//! drawn when the book is built, and a table of medians; then a caption.

use super::{Bench, Measurement, Median, command};

/// A time for people: ns, µs, ms or s.
pub fn human(ns: f64) -> String {
    match ns {
        n if n < 1e3 => format!("{n:.1} ns"),
        n if n < 1e6 => format!("{:.2} µs", n / 1e3),
        n if n < 1e9 => format!("{:.2} ms", n / 1e6),
        n => format!("{:.2} s", n / 1e9),
    }
}

/// The HTML a directive expands to: per group, a table of medians relative
/// to the group's fastest, and bars drawn to scale; then the caption.
pub fn render(bench: &Bench, m: &Measurement) -> String {
    let mut groups: Vec<&str> = Vec::new();
    for f in &m.results {
        if !groups.contains(&f.group.as_str()) {
            groups.push(&f.group);
        }
    }
    let mut out = format!("<div class=\"nb-measurements\" data-bench=\"{bench}\">\n");
    for group in groups {
        let rows: Vec<&Median> = m.results.iter().filter(|f| f.group == group).collect();
        let fastest = rows.iter().map(|f| f.median_ns).fold(f64::INFINITY, f64::min);
        let slowest = rows.iter().map(|f| f.median_ns).fold(0.0, f64::max);
        out.push_str(&chart(group, &rows));
        out.push_str(&format!(
            "<table class=\"nb-bench\"><caption>{}</caption><thead><tr><th>what</th><th>median</th><th>95% interval</th><th>vs fastest</th><th><span class=\"nb-visually-hidden\">the median as a bar</span></th></tr></thead><tbody>",
            html_escape::encode_text(group)
        ));
        for f in rows {
            let width = if slowest > 0.0 { (f.median_ns / slowest * 100.0).max(1.0) } else { 0.0 };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{} – {}</td><td>{:.2}×</td><td class=\"nb-bar-cell\"><span class=\"nb-bar\" style=\"width:{width:.0}%\"></span></td></tr>",
                html_escape::encode_text(&f.function),
                human(f.median_ns),
                human(f.low_ns),
                human(f.high_ns),
                f.median_ns / fastest,
            ));
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str(&format!(
        "<p class=\"nb-caption\">Measured with {} on {}, {}. Measure it yourself: <code>{}</code></p>\n</div>\n",
        html_escape::encode_text(m.method.as_deref().unwrap_or("criterion")),
        html_escape::encode_text(&m.machine.describe()),
        html_escape::encode_text(&m.date),
        html_escape::encode_text(&command(bench)),
    ));
    out
}

/// A horizontal bar chart of one group's medians, as inline SVG: drawn
/// when the book is built, from the stored medians.
fn chart(group: &str, rows: &[&Median]) -> String {
    use plotters::prelude::*;
    let slowest = rows.iter().map(|f| f.median_ns).fold(0.0, f64::max);
    if rows.is_empty() || slowest <= 0.0 {
        return String::new();
    }
    // Times on the axis in one unit, the one that suits the slowest.
    let (unit, scale) = match slowest {
        n if n < 1e3 => ("ns", 1.0),
        n if n < 1e6 => ("µs", 1e3),
        n if n < 1e9 => ("ms", 1e6),
        _ => ("s", 1e9),
    };
    let height = 80 + 34 * rows.len() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            // Drawn bottom-up: reversed, so that the chart reads in the
            // table's order, top to bottom.
            let n = rows.len();
            let names: Vec<String> = rows.iter().rev().map(|f| f.function.clone()).collect();
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .x_label_area_size(48)
                .y_label_area_size(200)
                .build_cartesian_2d(0.0..slowest / scale * 1.15, (0..n).into_segmented())?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .x_desc(format!("median time ({unit}); shorter is faster"))
                .label_style(("sans-serif", 15))
                .axis_desc_style(("sans-serif", 15))
                .y_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                    _ => String::new(),
                })
                .draw()?;
            chart.draw_series(rows.iter().enumerate().map(|(i, f)| {
                let top = SegmentValue::Exact(n - 1 - i);
                let bottom = SegmentValue::Exact(n - i);
                let mut bar = Rectangle::new([(0.0, top), (f.median_ns / scale, bottom)], BLUE.mix(0.55).filled());
                bar.set_margin(6, 6, 0, 0);
                bar
            }))?;
            root.present()?;
            Ok(())
        })();
        // Writing into a String cannot fail; a drawing error leaves the
        // table, which follows, to carry the medians.
        let _ = drawn;
    }
    let bars: Vec<String> = rows.iter().map(|f| format!("{}: {}", f.function, human(f.median_ns))).collect();
    let words = support::figure::Description {
        title: group.to_string(),
        description: format!("Median time, bar by bar: {}.", bars.join("; ")),
        how_to_read: format!(
            "One bar per version, named on the left, in the table's order; its length is the median time in {unit} \
             along the bottom, so a shorter bar is faster. The table below gives each median with its 95% interval."
        ),
    };
    let svg = support::figure::describe(&svg, &words);
    format!(
        "<figure class=\"nb-figure nb-bench-chart\">{}{}</figure>\n",
        crate::preprocess::inline_svg(&svg),
        crate::preprocess::figcaption(&words),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;

    #[test]
    fn times_read_in_their_unit() {
        assert_eq!(human(12.34), "12.3 ns");
        assert_eq!(human(2_500.0), "2.50 µs");
        assert_eq!(human(3_000_000.0), "3.00 ms");
    }

    #[test]
    fn the_table_compares_with_the_fastest() {
        let m = Measurement {
            date: "2026-11-23".into(),
            machine: Machine {
                cores: 2,
                os: "linux".into(),
                os_version: "6".into(),
                arch: "x86_64".into(),
                cpu: "cpu".into(),
                rustc: String::new(),
            },
            method: None,
            results: vec![
                Median { group: "g".into(), function: "fast".into(), median_ns: 10.0, low_ns: 9.0, high_ns: 11.0 },
                Median { group: "g".into(), function: "slow".into(), median_ns: 30.0, low_ns: 29.0, high_ns: 31.0 },
            ],
        };
        let html = render(&Bench { krate: "c".into(), name: "b".into() }, &m);
        assert!(html.contains("<td>slow</td><td>30.0 ns</td><td>29.0 ns – 31.0 ns</td><td>3.00×</td>"), "{html}");
        assert!(html.contains("cargo book measure --bench c/b"));
        assert!(html.contains("<svg") && html.contains("median time (ns)"), "{html}");
        assert!(html.contains("2026-11-23"));
        assert!(html.contains("role=\"img\""), "{html}");
        assert!(html.contains("<title>g</title>"), "{html}");
        assert!(html.contains("<desc>Median time, bar by bar: fast: 10.0 ns; slow: 30.0 ns.</desc>"), "{html}");
        assert!(html.contains("<figcaption><strong>g.</strong> One bar per version"), "{html}");
        assert!(html.contains("Measured with criterion on 2 cores"), "{html}");
        let own = Measurement { method: Some("rounds & more".into()), ..m };
        let html = render(&Bench { krate: "c".into(), name: "b".into() }, &own);
        assert!(html.contains("Measured with rounds &amp; more on 2 cores"), "{html}");
    }
}
