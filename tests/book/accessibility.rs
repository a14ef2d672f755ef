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
const PAGES: [&str; 3] = ["foundations/index.html", "c10k/index.html", "blocking-io/index.html"];
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
