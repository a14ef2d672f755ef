//! A timeline of work: which lane (usually a thread) ran which piece of work,
//! from when to when, drawn as horizontal bars.
//!
//! ```
//! use support::timeline::Timeline;
//! let timeline = Timeline::new();
//! let sum = timeline.record("main", "add", || 2 + 2);
//! assert_eq!(sum, 4);
//! assert!(timeline.to_svg("one span").contains("<svg"));
//! ```

use std::sync::Mutex;
use std::time::{Duration, Instant};

use plotters::prelude::*;

use crate::figure::{Description, number};
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One piece of work on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The row it is drawn in: a thread, a task, a worker.
    pub lane: String,
    /// What the work was.
    pub label: String,
    /// When it started, measured from the timeline's creation.
    pub start: Duration,
    /// When it ended, measured from the timeline's creation.
    pub end: Duration,
}

/// Records spans from any number of threads; shared by reference (or `Arc`).
#[derive(Debug)]
pub struct Timeline {
    origin: Instant,
    spans: Mutex<Vec<Span>>,
}

impl Default for Timeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Timeline {
    /// An empty timeline whose clock starts now.
    pub fn new() -> Self {
        Timeline {
            origin: Instant::now(),
            spans: Mutex::new(Vec::new()),
        }
    }

    /// Time since the timeline was created.
    pub fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    /// Runs `work` and records it as a span in `lane`.
    pub fn record<T>(
        &self,
        lane: impl Into<String>,
        label: impl Into<String>,
        work: impl FnOnce() -> T,
    ) -> T {
        let start = self.now();
        let value = work();
        let end = self.now();
        self.add(lane, label, start, end);
        value
    }

    /// Runs `work` and records it in a lane named after the current thread
    /// (its name, or its id when it has none).
    pub fn record_here<T>(
        &self,
        label: impl Into<String>,
        work: impl FnOnce() -> T,
    ) -> T {
        self.record(current_thread_lane(), label, work)
    }

    /// Records a span measured elsewhere (offsets from the timeline's start).
    ///
    /// A span with no label and no length only places its lane: lanes are
    /// drawn in the order they first appear, so a program can fix that
    /// order up front. It is not drawn, described or traced as work.
    pub fn add(
        &self,
        lane: impl Into<String>,
        label: impl Into<String>,
        start: Duration,
        end: Duration,
    ) {
        let span = Span {
            lane: lane.into(),
            label: label.into(),
            start,
            end: end.max(start),
        };
        // A panic while holding this lock can only come from `Vec::push`
        // running out of memory; the spans are still valid, so keep going.
        self.spans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(span);
    }

    /// The spans recorded so far, ordered by start time.
    pub fn spans(&self) -> Vec<Span> {
        let mut spans = self
            .spans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        spans.sort_by_key(|s| (s.start, s.end));
        spans
    }

    /// The lanes in the order they first appear.
    pub fn lanes(&self) -> Vec<String> {
        let mut lanes: Vec<String> = Vec::new();
        for span in self.spans() {
            if !lanes.contains(&span.lane) {
                lanes.push(span.lane);
            }
        }
        lanes
    }

    /// Draws the timeline as an SVG picture, described in words for those
    /// who cannot see it (see [`crate::figure::describe`]).
    pub fn to_svg(&self, title: &str) -> String {
        let (lanes, spans) = (self.lanes(), self.spans());
        crate::figure::describe(
            &draw(title, &lanes, &spans),
            &words(title, &lanes, &spans),
        )
    }

    /// The timeline as a trace in Chrome's trace-event format (the JSON
    /// Perfetto and `chrome://tracing` open): one process named `title`,
    /// one thread per lane in the picture's order, one complete event
    /// (`"ph": "X"`) per span, times in microseconds from the start.
    pub fn to_trace_json(&self, title: &str) -> String {
        let (lanes, spans) = (self.lanes(), self.spans());
        let mut events = vec![format!(
            r#"{{"name":"process_name","ph":"M","pid":1,"tid":0,"args":{{"name":{}}}}}"#,
            json_string(title)
        )];
        for (tid, lane) in lanes.iter().enumerate() {
            events.push(format!(
                r#"{{"name":"thread_name","ph":"M","pid":1,"tid":{tid},"args":{{"name":{}}}}}"#,
                json_string(lane)
            ));
            // Perfetto orders threads by this, so lanes keep the picture's order.
            events.push(format!(
                r#"{{"name":"thread_sort_index","ph":"M","pid":1,"tid":{tid},"args":{{"sort_index":{tid}}}}}"#
            ));
        }
        for span in spans.iter().filter(|s| !is_lane_marker(s)) {
            let tid = lanes.iter().position(|l| *l == span.lane).unwrap_or(0);
            let label = if span.label.is_empty() {
                &span.lane
            } else {
                &span.label
            };
            events.push(format!(
                r#"{{"name":{},"ph":"X","pid":1,"tid":{tid},"ts":{:.3},"dur":{:.3}}}"#,
                json_string(label),
                span.start.as_secs_f64() * 1e6,
                (span.end - span.start).as_secs_f64() * 1e6,
            ));
        }
        format!(
            "{{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n{}\n]}}\n",
            events.join(",\n")
        )
    }

    /// Draws the timeline and shows it under the cell's output (see
    /// [`crate::figure::show_svg`]), with the same run as a trace a reader
    /// can open in a trace viewer ([`crate::figure::show_trace`]).
    pub fn show(&self, name: &str, title: &str) -> std::io::Result<()> {
        crate::figure::show_svg(name, &self.to_svg(title))?;
        crate::figure::show_trace(name, &self.to_trace_json(title)).map(|_| ())
    }
}

fn current_thread_lane() -> String {
    let thread = std::thread::current();
    match thread.name() {
        Some(name) => name.to_string(),
        None => format!("{:?}", thread.id()),
    }
}

/// A span that only places its lane (see [`Timeline::add`]).
fn is_lane_marker(span: &Span) -> bool {
    span.label.is_empty() && span.start == span.end
}

/// `text` as a JSON string, quotes included.
fn json_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How many spans of a lane the description lists before it summarises.
const LISTED_SPANS: usize = 6;

/// The timeline in words: each lane, top to bottom, with how long it was
/// busy and its first spans, each with its label, start and end.
fn words(title: &str, lanes: &[String], spans: &[Span]) -> Description {
    let ms = |d: Duration| number(d.as_secs_f64() * 1e3);
    let end = spans.iter().map(|s| s.end).max().unwrap_or_default();
    let mut description = format!(
        "{} lane{} over {} ms.",
        lanes.len(),
        if lanes.len() == 1 { "" } else { "s" },
        ms(end)
    );
    for lane in lanes {
        let own: Vec<&Span> = spans
            .iter()
            .filter(|s| s.lane == *lane && !is_lane_marker(s))
            .collect();
        let busy: Duration = own.iter().map(|s| s.end - s.start).sum();
        let listed: Vec<String> = own
            .iter()
            .take(LISTED_SPANS)
            .map(|s| {
                let label = if s.label.is_empty() { "work" } else { &s.label };
                format!("{label} from {} to {} ms", ms(s.start), ms(s.end))
            })
            .collect();
        let more = own.len().saturating_sub(LISTED_SPANS);
        description.push_str(&format!(
            " Lane {lane}: busy {} ms in {} span{}: {}{}.",
            ms(busy),
            own.len(),
            if own.len() == 1 { "" } else { "s" },
            listed.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            },
        ));
    }
    // Bars are coloured by label, and unlabelled ones by lane
    // (`colour_of`): say which this picture does.
    let colours = if spans.iter().all(|s| s.label.is_empty()) {
        "Each lane has a colour of its own"
    } else {
        "Bars with the same label share a colour"
    };
    Description {
        title: title.to_string(),
        description,
        how_to_read: format!(
            "Each row is one lane, named on the left (a thread, a task or a \
             worker); each bar is one piece of work, drawn from when it \
             started to when it ended, in milliseconds since the run began \
             along the bottom. {colours}; an empty stretch of a row is time \
             that lane did no recorded work."
        ),
    }
}

/// Height of one lane in pixels, and the room kept for title and axes.
const LANE_PX: u32 = 44;
const CHROME_PX: u32 = 90;
const WIDTH_PX: u32 = 760;

fn draw(title: &str, lanes: &[String], spans: &[Span]) -> String {
    let mut svg = String::new();
    let height = CHROME_PX + LANE_PX * lanes.len().max(1) as u32;
    let end_ms = spans
        .iter()
        .map(|s| s.end.as_secs_f64() * 1e3)
        .fold(1.0, f64::max)
        * 1.05;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, height))
            .into_drawing_area();
        // Errors from the SVG backend can only be formatting errors into a
        // String, which cannot fail; drawing is best effort either way.
        let _ = draw_into(&root, title, lanes, spans, end_ms);
        let _ = root.present();
    }
    svg
}

fn draw_into(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    lanes: &[String],
    spans: &[Span],
    end_ms: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let rows = lanes.len().max(1) as f64;
    let longest_lane =
        lanes.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(16 + 7 * longest_lane.min(24))
        .build_cartesian_2d(0f64..end_ms, 0f64..rows)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|ms| format!("{ms:.0}"))
        .x_desc("milliseconds since start")
        .draw()?;
    // Lanes read top to bottom in the order they first appear; row 0 of the
    // chart is at the bottom.
    let row_of = |lane: usize| rows - 1.0 - lane as f64;
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    for (lane, name) in lanes.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, row_of(lane) + 0.5));
        let font = ("sans-serif", 13).into_font().color(&BLACK).pos(right);
        root.draw(&Text::new(name.clone(), (x - 8, y), font))?;
    }
    for span in spans.iter().filter(|s| !is_lane_marker(s)) {
        let lane = lanes.iter().position(|l| *l == span.lane).unwrap_or(0);
        let row = row_of(lane);
        let (x0, x1) =
            (span.start.as_secs_f64() * 1e3, span.end.as_secs_f64() * 1e3);
        // A span too short to see (a send into a channel with room) is
        // still drawn, as a sliver two pixels or so wide: every span
        // recorded is a bar a reader can count.
        let x1 = x1.max(x0 + end_ms / 300.0);
        let color = Palette99::pick(colour_of(span, lanes, spans)).mix(0.85);
        let bar = Rectangle::new(
            [(x0, row + 0.12), (x1, row + 0.88)],
            color.filled(),
        );
        chart.draw_series(std::iter::once(bar))?;
        let font = ("sans-serif", 13).into_font().color(&BLACK).pos(left);
        let label = Text::new(span.label.clone(), (x0, row + 0.5), font);
        chart.draw_series(std::iter::once(label))?;
    }
    Ok(())
}

/// Spans with the same label share a colour (the same task looks the same
/// wherever it ran); unlabelled spans take their lane's colour.
fn colour_of(span: &Span, lanes: &[String], spans: &[Span]) -> usize {
    if span.label.is_empty() {
        return lanes.iter().position(|l| *l == span.lane).unwrap_or(0);
    }
    let mut labels: Vec<&str> = Vec::new();
    for s in spans {
        if !s.label.is_empty() && !labels.contains(&s.label.as_str()) {
            labels.push(&s.label);
        }
    }
    labels.iter().position(|l| *l == span.label).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_from_threads_land_in_their_lanes() {
        let timeline = Timeline::new();
        std::thread::scope(|s| {
            for name in ["a", "b"] {
                let timeline = &timeline;
                std::thread::Builder::new()
                    .name(name.into())
                    .spawn_scoped(s, move || {
                        timeline.record_here(format!("work {name}"), || ())
                    })
                    .unwrap();
            }
        });
        let spans = timeline.spans();
        assert_eq!(spans.len(), 2);
        for span in &spans {
            assert_eq!(span.label, format!("work {}", span.lane));
            assert!(span.start <= span.end);
        }
    }

    #[test]
    fn a_lane_marker_orders_lanes_and_is_not_work() {
        let timeline = Timeline::new();
        timeline.add("second", "", Duration::ZERO, Duration::ZERO);
        timeline.add("first", "a", Duration::ZERO, Duration::from_millis(2));
        timeline.add(
            "second",
            "b",
            Duration::from_millis(1),
            Duration::from_millis(3),
        );
        assert_eq!(timeline.lanes(), ["second", "first"]);
        let svg = timeline.to_svg("markers");
        let words = Description::of(&svg).unwrap();
        assert!(
            words
                .description
                .contains("Lane second: busy 2 ms in 1 span: b"),
            "{}",
            words.description
        );
        let trace = timeline.to_trace_json("markers");
        assert_eq!(trace.matches(r#""ph":"X""#).count(), 2, "{trace}");
    }

    #[test]
    fn the_trace_has_a_thread_per_lane_and_an_event_per_span() {
        let timeline = Timeline::new();
        timeline.add(
            "main",
            "say \"hi\"",
            Duration::from_micros(0),
            Duration::from_micros(1500),
        );
        timeline.add(
            "worker",
            "",
            Duration::from_micros(500),
            Duration::from_micros(900),
        );
        let json = timeline.to_trace_json("two lanes");
        assert!(json.starts_with(r#"{"displayTimeUnit":"ms","traceEvents":["#));
        for event in [
            r#"{"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"two lanes"}}"#,
            r#"{"name":"thread_name","ph":"M","pid":1,"tid":0,"args":{"name":"main"}}"#,
            r#"{"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"worker"}}"#,
            r#"{"name":"say \"hi\"","ph":"X","pid":1,"tid":0,"ts":0.000,"dur":1500.000}"#,
            r#"{"name":"worker","ph":"X","pid":1,"tid":1,"ts":500.000,"dur":400.000}"#,
        ] {
            assert!(json.contains(event), "{event} missing from\n{json}");
        }
    }

    #[test]
    fn the_picture_names_every_lane_and_span() {
        let timeline = Timeline::new();
        timeline.add(
            "main",
            "first",
            Duration::from_millis(0),
            Duration::from_millis(10),
        );
        timeline.add(
            "worker",
            "second",
            Duration::from_millis(5),
            Duration::from_millis(30),
        );
        let svg = timeline.to_svg("two lanes");
        for text in ["two lanes", "main", "worker", "first", "second"] {
            assert!(svg.contains(text), "{text} missing from the picture");
        }
        assert!(
            svg.matches("<rect").count() >= 2,
            "two spans, two bars at least"
        );
        let words = Description::of(&svg).expect("the picture is described");
        assert_eq!(words.title, "two lanes");
        assert_eq!(
            words.description,
            "2 lanes over 30 ms. Lane main: busy 10 ms in 1 span: first from \
             0 to 10 ms. Lane worker: busy 25 ms in 1 span: second from 5 \
             to 30 ms."
        );
    }
}
