//! Text as a terminal shows it (rustc's coloured messages, or a program's
//! output with ANSI colours) as HTML for a page: the `ansi-to-html` crate,
//! with its colours named `--nb-red`, `--nb-bright-blue` and so on, so that
//! the theme's CSS (`theme/notebook.css`) picks colours that read well on
//! each of mdBook's light and dark themes. The static pages' stored outputs
//! and the served page's compiler messages go through the same function.

/// `text`, escaped for HTML, with its colours and bold as `<span>`s and
/// `<b>`. Text the crate cannot read (a broken escape sequence) is shown
/// escaped, without colours.
pub fn to_html(text: &str) -> String {
    ansi_to_html::Converter::new()
        .four_bit_var_prefix(Some("nb-".to_owned()))
        .convert(text)
        .unwrap_or_else(|_| html_escape::encode_text(text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn colours_become_the_themes_variables_and_text_is_escaped() {
        let html = to_html("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: <T> & more");
        assert!(html.contains("var(--nb-red,"), "{html}");
        assert!(html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;T&gt; &amp; more"), "{html}");
        assert!(!html.contains('\u{1b}'), "{html}");
    }
}
