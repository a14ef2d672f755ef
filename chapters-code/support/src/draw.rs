//! The pieces the hand-laid drawings share (the sequence diagram, the ring
//! of a diagram drawn from a run), made with the `svg` crate.

use svg::node::element::{Marker, Path, Text};

/// A filled arrowhead, for `marker-end="url(#<id>)"` on a line or path.
pub(crate) fn arrowhead(id: &str) -> Marker {
    Marker::new()
        .set("id", id)
        .set("markerWidth", 8)
        .set("markerHeight", 8)
        .set("refX", 8)
        .set("refY", 4)
        .set("orient", "auto")
        .add(
            Path::new()
                .set("d", "M0,0 L8,4 L0,8 z")
                .set("fill", "black"),
        )
}

/// A label drawn over a white outline, so that it stays readable where
/// it crosses another line.
pub(crate) fn halo(text: Text) -> Text {
    text.set("stroke", "white")
        .set("stroke-width", 4)
        .set("paint-order", "stroke")
}
