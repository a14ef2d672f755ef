//! The book read by assistive technology: axe-core (vendored in
//! `vendor/axe-core/`) checks chapter pages of the served book, in the light
//! theme and in a dark one, and a page whose cell has just run live (its
//! editor, toolbar, output and comparison in place). Any violation fails,
//! named with its rule, impact and the elements it found.
//!
//! Run as part of the browser test (one server, one browser).

use fantoccini::Client;
use serde_json::{Value, json};

use notebook::serve::Server;

use crate::browser::{click, wait_for, wait_for_text};

const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// Pages with cells, measurement tables and charts, and a knowledge check.
/// Pages with every kind of figure: cells and charts, the interleaving
/// players, a stepper and concept diagrams.
const PAGES: [&str; 6] = [
    "foundations/index.html",
    "c10k/index.html",
    "blocking-io/index.html",
    "shared-state/index.html",
    "deadlock/index.html",
    "event-loop/index.html",
];
const THEMES: [&str; 2] = ["light", "navy"];

pub(crate) async fn accessibility_session(client: &Client, server: &Server) -> Result<(), String> {
    let mut found = Vec::new();
    for theme in THEMES {
        for page in PAGES {
            open(client, server, page, theme).await?;
            found.extend(violations(client).await?.into_iter().map(|v| format!("{page} ({theme}): {v}")));
        }
    }
    // A served cell after a live run, with its comparison open.
    open(client, server, "foundations/index.html", "light").await?;
    let cell = "#cell-foundations-task_graph";
    click(client, &format!("{cell} .nb-reset")).await.ok();
    click(client, &format!("{cell} .nb-run")).await?;
    wait_for_text(client, &format!("{cell} .nb-status"), "done").await?;
    click(client, &format!("{cell} .nb-compare")).await?;
    wait_for(client, &format!("{cell} .nb-comparison")).await?;
    found.extend(violations(client).await?.into_iter().map(|v| format!("a cell after a run: {v}")));
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("axe-core found {} violation(s):\n{}", found.len(), found.join("\n")))
    }
}

async fn open(client: &Client, server: &Server, page: &str, theme: &str) -> Result<(), String> {
    client.goto(&format!("{}/{page}", server.base())).await.map_err(|e| e.to_string())?;
    client
        .execute("localStorage.setItem('mdbook-theme', arguments[0]); return true;", vec![json!(theme)])
        .await
        .map_err(|e| e.to_string())?;
    client.refresh().await.map_err(|e| e.to_string())?;
    // Served, the cells turn live; wait for the editors.
    if page != "blocking-io/index.html" || theme == "light" {
        wait_for(client, ".nb-cell .cm-content").await?;
    }
    Ok(())
}

/// axe's violations on the current page, one line each.
async fn violations(client: &Client) -> Result<Vec<String>, String> {
    client.execute(AXE, vec![]).await.map_err(|e| format!("injecting axe-core: {e}"))?;
    let result = client
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then(function (r) {
                    done(r.violations.map(function (v) {
                        return [v.id, v.impact, v.nodes.map(function (n) { return n.target.join(' '); })];
                    }));
                })
                .catch(function (e) { done('axe failed: ' + e); });",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let Value::Array(list) = result else {
        return Err(format!("axe-core did not run: {result}"));
    };
    Ok(list
        .iter()
        .map(|v| format!("{} ({}) on {}", v[0].as_str().unwrap_or("?"), v[1].as_str().unwrap_or("?"), v[2]))
        .collect())
}

/// Figures are drawn black on white; on a dark theme they must not glare.
/// A screenshot of one figure in each theme, its pixels read back by the
/// browser: mostly light in the light theme, mostly dark in the dark ones,
/// and in every theme with enough contrasting pixels (text, axes, bars) to
/// be more than a blank box.
pub(crate) async fn figures_session(client: &Client, server: &Server) -> Result<(), String> {
    let mut found = Vec::new();
    for theme in ["light", "navy", "coal", "ayu"] {
        open(client, server, "foundations/index.html", theme).await?;
        let figure = wait_for(client, ".nb-figure svg").await?;
        let png = figure.screenshot().await.map_err(|e| format!("a screenshot of a figure: {e}"))?;
        let (mean, contrasting) = luminance(client, &png).await?;
        let dark = theme != "light";
        let fits = if dark { mean < 0.3 } else { mean > 0.7 };
        if !fits || contrasting < 0.01 {
            found.push(format!(
                "{theme}: a figure's mean luminance is {mean:.2} (want {}), and {:.1}% of its pixels stand out \
                 from its background (want 1% or more)",
                if dark { "under 0.3" } else { "over 0.7" },
                contrasting * 100.0
            ));
        }
    }
    if found.is_empty() { Ok(()) } else { Err(format!("figures do not suit the theme:\n{}", found.join("\n"))) }
}

/// A PNG's mean relative luminance (0 black, 1 white), and the share of its
/// pixels that differ from that mean by more than 0.3, decoded by the
/// browser.
async fn luminance(client: &Client, png: &[u8]) -> Result<(f64, f64), String> {
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let result = client
        .execute_async(
            "var done = arguments[arguments.length - 1];
             var img = new Image();
             img.onload = function () {
                 var canvas = document.createElement('canvas');
                 canvas.width = img.width; canvas.height = img.height;
                 var ctx = canvas.getContext('2d');
                 ctx.drawImage(img, 0, 0);
                 var px = ctx.getImageData(0, 0, img.width, img.height).data;
                 var lums = [];
                 for (var i = 0; i < px.length; i += 4) {
                     lums.push((0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2]) / 255);
                 }
                 var mean = lums.reduce(function (a, b) { return a + b; }, 0) / lums.length;
                 var apart = lums.filter(function (l) { return Math.abs(l - mean) > 0.3; }).length;
                 done([mean, apart / lums.length]);
             };
             img.onerror = function () { done('the screenshot did not decode'); };
             img.src = 'data:image/png;base64,' + arguments[0];",
            vec![json!(data)],
        )
        .await
        .map_err(|e| e.to_string())?;
    match (result[0].as_f64(), result[1].as_f64()) {
        (Some(mean), Some(apart)) => Ok((mean, apart)),
        _ => Err(format!("reading a screenshot's pixels: {result}")),
    }
}
