//! Pictures of ideas: boxes and arrows, described as data and laid out by
//! Graphviz, so that no one places coordinates by hand.
//!
//! A [`Diagram`] is its nodes, its arrows, the groups that frame some
//! nodes, and its words. A chapter writes its concept diagrams in
//! `src/<chapter>/diagrams.toml`, placed with `{{#diagram name}}`;
//! `cargo book capture` draws each with Graphviz's `dot` from
//! [`Diagram::dot`] and stores the drawing beside it, so that reading or
//! building the book needs no Graphviz. The words it carries (a title, a
//! description written from the nodes and arrows, a how-to-read caption)
//! go into the SVG through [`crate::figure::describe`] ([`Diagram::finish`]).

use serde::{Deserialize, Serialize};

use crate::figure::{self, Description};

/// A diagram: what it shows and how it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagram {
    /// Its name in the page (`{{#diagram name}}`) or in a run's figures.
    pub name: String,
    /// The accessible name, and the caption's first words.
    pub title: String,
    /// How to read it: the rest of the caption.
    pub how_to_read: String,
    /// What it shows, in a sentence or two, before the generated list of
    /// its arrows.
    pub summary: String,
    /// `"down"` (the default) or `"right"`: where the arrows mostly go.
    #[serde(default)]
    pub direction: Option<String>,
    /// Frames around some of the nodes, each with a label.
    #[serde(default)]
    pub groups: Vec<Group>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A labelled frame around the nodes that name it as their `group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label: String,
}

/// A box (or an oval) with a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    /// Its text; `\n` breaks a line.
    pub label: String,
    /// `"box"` (the default), `"oval"`, or `"note"` (a rounded box for a
    /// state or a piece of data).
    #[serde(default)]
    pub shape: Option<String>,
    /// The [`Group`] it sits in, if any.
    #[serde(default)]
    pub group: Option<String>,
}

/// An arrow from one node to another, with an optional label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// The mark a diagram's SVG carries, for the page to tell a diagram (of an
/// idea) from a chart (of data).
pub const MARK: &str = "data-diagram=\"true\"";

impl Diagram {
    /// What is wrong with it, if anything: arrows to nodes that do not
    /// exist, empty words, a shape or direction that does not exist.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (what, text) in [
            ("title", &self.title),
            ("how_to_read", &self.how_to_read),
            ("summary", &self.summary),
        ] {
            if text.trim().is_empty() {
                problems.push(format!("diagram `{}` has no {what}", self.name));
            }
        }
        if self.nodes.is_empty() {
            problems.push(format!("diagram `{}` has no nodes", self.name));
        }
        for node in &self.nodes {
            if let Some(shape) = &node.shape
                && !["box", "oval", "note"].contains(&shape.as_str())
            {
                problems.push(format!("diagram `{}`: node `{}` has shape `{shape}`; use box, oval or note", self.name, node.id));
            }
        }
        if let Some(d) = &self.direction
            && d != "down"
            && d != "right"
        {
            problems.push(format!(
                "diagram `{}`: direction `{d}`; use down or right",
                self.name
            ));
        }
        for node in &self.nodes {
            if let Some(group) = &node.group
                && !self.groups.iter().any(|g| &g.id == group)
            {
                problems.push(format!("diagram `{}`: node `{}` is in group `{group}`, which it does not have", self.name, node.id));
            }
        }
        for edge in &self.edges {
            for end in [&edge.from, &edge.to] {
                if !self.nodes.iter().any(|n| &n.id == end) {
                    problems.push(format!("diagram `{}`: an arrow names node `{end}`, which it does not have", self.name));
                }
            }
        }
        problems
    }

    fn label(&self, id: &str) -> String {
        let node = self.nodes.iter().find(|n| n.id == id);
        node.map_or(id.to_string(), |n| {
            n.label.replace("\\n", " ").replace('\n', " ")
        })
    }

    /// The description for those who cannot see it: the summary, then
    /// every arrow in words.
    pub fn description(&self) -> String {
        let arrows: Vec<String> = self
            .edges
            .iter()
            .map(|e| {
                let (from, to) = (self.label(&e.from), self.label(&e.to));
                match &e.label {
                    Some(l) => format!(
                        "{from} → {to} ({})",
                        l.replace("\\n", " ").replace('\n', " ")
                    ),
                    None => format!("{from} → {to}"),
                }
            })
            .collect();
        match arrows.is_empty() {
            true => self.summary.trim().to_string(),
            false => format!(
                "{} Arrows: {}.",
                self.summary.trim(),
                arrows.join("; ")
            ),
        }
    }

    /// The diagram in Graphviz's DOT language: the book's font, black on
    /// white (the page inverts it for dark themes), grouped nodes framed.
    pub fn dot(&self) -> String {
        let quote = |s: &str| {
            format!(
                "\"{}\"",
                s.replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace("\\\\n", "\\n")
            )
        };
        let mut dot = String::from("digraph G {\n");
        dot.push_str("  bgcolor=\"transparent\";\n  fontname=\"sans-serif\"; fontsize=12;\n");
        dot.push_str("  node [fontname=\"sans-serif\", fontsize=12, margin=\"0.15,0.06\"];\n");
        dot.push_str("  edge [fontname=\"sans-serif\", fontsize=11];\n");
        if self.direction.as_deref() == Some("right") {
            dot.push_str("  rankdir=LR;\n");
        }
        let node_line = |node: &Node| {
            let shape = match node.shape.as_deref() {
                Some("oval") => "shape=ellipse",
                Some("note") => "shape=box, style=rounded",
                _ => "shape=box",
            };
            format!(
                "  {} [label={}, {shape}];\n",
                quote(&node.id),
                quote(&node.label)
            )
        };
        for (i, group) in self.groups.iter().enumerate() {
            dot.push_str(&format!(
                "  subgraph cluster_{i} {{\n  label={}; style=dashed;\n",
                quote(&group.label)
            ));
            for node in self
                .nodes
                .iter()
                .filter(|n| n.group.as_ref() == Some(&group.id))
            {
                dot.push_str(&format!("  {}", node_line(node)));
            }
            dot.push_str("  }\n");
        }
        for node in self.nodes.iter().filter(|n| n.group.is_none()) {
            dot.push_str(&node_line(node));
        }
        for edge in &self.edges {
            let label = edge
                .label
                .as_deref()
                .map(|l| format!(" [label={}]", quote(l)))
                .unwrap_or_default();
            dot.push_str(&format!(
                "  {} -> {}{label};\n",
                quote(&edge.from),
                quote(&edge.to)
            ));
        }
        dot.push_str("}\n");
        dot
    }

    /// Graphviz's SVG of [`Diagram::dot`] made to sit in a page: no XML
    /// prologue or comments, the diagram's words in it (see
    /// [`figure::describe`]) and the [`MARK`] of a diagram.
    pub fn finish(&self, graphviz_svg: &str) -> String {
        let svg = match graphviz_svg.find("<svg") {
            Some(at) => &graphviz_svg[at..],
            None => graphviz_svg,
        };
        let svg: String = svg
            .lines()
            .filter(|l| !l.trim_start().starts_with("<!--"))
            .collect::<Vec<_>>()
            .join("\n");
        let words = Description {
            title: self.title.clone(),
            description: self.description(),
            how_to_read: self.how_to_read.clone(),
        };
        let svg = figure::describe(&svg, &words);
        svg.replacen("<svg", &format!("<svg {MARK}"), 1)
    }
}

/// Shows under the cell's output a diagram whose content a run supplied
/// (the threads and locks of the cycle a deadlock watchdog found), drawn as
/// a ring by [`Diagram::ring_svg`]: a run cannot count on Graphviz being
/// installed.
pub fn show(diagram: &Diagram) -> std::io::Result<std::path::PathBuf> {
    figure::show_svg(&diagram.name, &diagram.ring_svg())
}

impl Diagram {
    /// The diagram as a ring: its nodes around a circle in the order they
    /// are listed, each arrow straight from one to the other. A cycle of
    /// waits, listed in its order, reads round the circle. Drawn here,
    /// with the `svg` crate, for diagrams made by a run; the words and the
    /// [`MARK`] are in it as in [`Diagram::finish`].
    pub fn ring_svg(&self) -> String {
        use svg::Document;
        use svg::node::element::{Definitions, Ellipse, Line, Rectangle, Text};

        let n = self.nodes.len().max(1) as f64;
        let radius = 70.0 + 28.0 * n;
        let (cx, cy) = (radius + 110.0, radius + 40.0);
        let place = |i: usize| {
            // The first node at the top, the rest clockwise.
            let angle = -std::f64::consts::FRAC_PI_2
                + std::f64::consts::TAU * i as f64 / n;
            (cx + radius * angle.cos(), cy + radius * angle.sin())
        };
        fn size(node: &Node) -> (f64, f64, Vec<&str>) {
            let lines: Vec<&str> = node
                .label
                .split("\\n")
                .flat_map(|l| l.split('\n'))
                .collect();
            let widest =
                lines.iter().map(|l| l.chars().count()).max().unwrap_or(1)
                    as f64;
            (widest * 7.2 + 24.0, lines.len() as f64 * 16.0 + 12.0, lines)
        }
        let arrowhead = crate::draw::arrowhead("nb-ring-arrow");
        let (width, height) = (2.0 * cx, 2.0 * cy);
        let mut doc = Document::new()
            .set("viewBox", (0, 0, width, height))
            .set("width", width)
            .set("height", height)
            .set("font-family", "sans-serif")
            .set("font-size", 12)
            .add(Definitions::new().add(arrowhead))
            .add(
                Rectangle::new()
                    .set("width", width)
                    .set("height", height)
                    .set("fill", "white"),
            );
        let index = |id: &str| self.nodes.iter().position(|node| node.id == id);
        for edge in &self.edges {
            let (Some(a), Some(b)) = (index(&edge.from), index(&edge.to))
            else {
                continue;
            };
            let ((x1, y1), (x2, y2)) = (place(a), place(b));
            // From edge to edge of the two boxes, roughly: stop short of
            // the centres by each box's half size along the line.
            let (dx, dy) = (x2 - x1, y2 - y1);
            let length = (dx * dx + dy * dy).sqrt().max(1.0);
            let (ux, uy) = (dx / length, dy / length);
            let inset = |node: &Node| {
                let (w, h, _) = size(node);
                ((w / 2.0) / ux.abs().max(1e-6))
                    .min((h / 2.0) / uy.abs().max(1e-6))
                    + 4.0
            };
            let (from, to) = (inset(&self.nodes[a]), inset(&self.nodes[b]));
            doc = doc.add(
                Line::new()
                    .set("x1", x1 + ux * from)
                    .set("y1", y1 + uy * from)
                    .set("x2", x2 - ux * to)
                    .set("y2", y2 - uy * to)
                    .set("stroke", "black")
                    .set("marker-end", "url(#nb-ring-arrow)"),
            );
            if let Some(label) = &edge.label {
                let text = crate::draw::halo(
                    Text::new(label.replace("\\n", " ").replace('\n', " "))
                        .set("x", (x1 + x2) / 2.0)
                        .set("y", (y1 + y2) / 2.0 + 4.0)
                        .set("text-anchor", "middle"),
                );
                doc = doc.add(text);
            }
        }
        for (i, node) in self.nodes.iter().enumerate() {
            let (x, y) = place(i);
            let (w, h, lines) = size(node);
            doc = match node.shape.as_deref() {
                Some("oval") => doc.add(
                    Ellipse::new()
                        .set("cx", x)
                        .set("cy", y)
                        .set("rx", w / 2.0)
                        .set("ry", h / 2.0)
                        .set("fill", "white")
                        .set("stroke", "black"),
                ),
                shape => doc.add(
                    Rectangle::new()
                        .set("x", x - w / 2.0)
                        .set("y", y - h / 2.0)
                        .set("width", w)
                        .set("height", h)
                        .set("rx", if shape == Some("note") { 8 } else { 0 })
                        .set("fill", "white")
                        .set("stroke", "black"),
                ),
            };
            let top = y - (lines.len() as f64 - 1.0) * 8.0 + 4.0;
            for (k, line) in lines.iter().enumerate() {
                doc = doc.add(
                    Text::new(*line)
                        .set("x", x)
                        .set("y", top + 16.0 * k as f64)
                        .set("text-anchor", "middle"),
                );
            }
        }
        self.finish(&doc.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle() -> Diagram {
        let node = |id: &str, label: &str| Node {
            id: id.into(),
            label: label.into(),
            shape: None,
            group: None,
        };
        let edge = |from: &str, to: &str, label: &str| Edge {
            from: from.into(),
            to: to.into(),
            label: Some(label.into()),
        };
        Diagram {
            name: "cycle".into(),
            title: "A wait-for cycle".into(),
            how_to_read: "Follow the arrows.".into(),
            summary: "Each thread waits for a lock the other holds.".into(),
            direction: None,
            groups: vec![],
            nodes: vec![node("a", "thread A"), node("l", "lock \"L\"")],
            edges: vec![edge("a", "l", "waits for"), edge("l", "a", "held by")],
        }
    }

    #[test]
    fn the_description_lists_every_arrow_in_words() {
        assert_eq!(
            cycle().description(),
            "Each thread waits for a lock the other holds. \
             Arrows: thread A → lock \"L\" (waits for); lock \"L\" → thread A (held by)."
        );
    }

    #[test]
    fn grouped_nodes_are_framed_and_labels_quoted() {
        let mut d = cycle();
        d.groups.push(Group {
            id: "p".into(),
            label: "one process".into(),
        });
        d.nodes[0].group = Some("p".into());
        let dot = d.dot();
        assert!(
            dot.contains("subgraph cluster_0 {\n  label=\"one process\";"),
            "{dot}"
        );
        assert!(
            dot.contains("\"l\" [label=\"lock \\\"L\\\"\", shape=box];"),
            "{dot}"
        );
        assert!(
            dot.contains("\"a\" -> \"l\" [label=\"waits for\"];"),
            "{dot}"
        );
    }

    #[test]
    fn a_drawing_gets_the_words_and_the_mark() {
        let graphviz = "<?xml version=\"1.0\"?>\n<!-- Generated by graphviz -->\n<svg width=\"10pt\">\n<g/>\n</svg>\n";
        let svg = cycle().finish(graphviz);
        assert!(svg.starts_with(&format!("<svg {MARK}")), "{svg}");
        assert!(!svg.contains("<!--") && !svg.contains("<?xml"));
        let words = Description::of(&svg).expect("described");
        assert_eq!(words.title, "A wait-for cycle");
        assert_eq!(words.how_to_read, "Follow the arrows.");
    }

    #[test]
    fn a_ring_draws_every_node_and_arrow_with_the_words() {
        let svg = cycle().ring_svg();
        assert!(svg.starts_with(&format!("<svg {MARK}")), "{svg}");
        assert_eq!(svg.matches("<line").count(), 2);
        assert!(
            svg.contains("\nthread A\n</text>")
                && svg.contains("\nlock \"L\"\n</text>"),
            "{svg}"
        );
        assert_eq!(
            Description::of(&svg).expect("described").title,
            "A wait-for cycle"
        );
    }

    #[test]
    fn arrows_to_missing_nodes_and_empty_words_are_problems() {
        let mut d = cycle();
        d.edges.push(Edge {
            from: "a".into(),
            to: "nowhere".into(),
            label: None,
        });
        d.how_to_read = " ".into();
        d.nodes[0].group = Some("g".into());
        assert_eq!(
            d.problems(),
            [
                "diagram `cycle` has no how_to_read",
                "diagram `cycle`: node `a` is in group `g`, which it does not have",
                "diagram `cycle`: an arrow names node `nowhere`, which it does not have"
            ]
        );
    }
}
