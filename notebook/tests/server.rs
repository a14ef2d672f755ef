//! The notebook server, for real, on an ephemeral port: every refusal, every
//! limit, and runs that go well, badly, and at the same time.

use std::sync::LazyLock;
use std::time::Duration;

use futures_util::StreamExt;
use notebook::runner;
use notebook::serve::{self, Limits, Server};
use notebook::workspace::Workspace;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// One runtime and one server for the whole file; tests take turns
/// so that one test's runs never take another's run slots.
static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap());
static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let workspace = Workspace::here();
    let mut options = serve::Options::new(&workspace);
    options.book_dir = tempfile::tempdir().unwrap().keep();
    options.watch = false;
    options.limits = Limits {
        concurrent_runs: 2,
        run: runner::Limits {
            max_timeout: Duration::from_secs(3),
            output_bytes: 64 * 1024,
            processes: 16,
            memory_bytes: 256 << 20,
        },
        ..Limits::default()
    };
    RUNTIME.block_on(async {
        let server = serve::start(workspace, options).await.expect("the server starts");
        assert_eq!(server.prepared().await, serve::Prepared::Ready, "the chapter crates were not prepared");
        server
    })
});

fn on_server<F: Future<Output = ()>>(test: impl FnOnce(&'static Server) -> F) {
    let server: &'static Server = &SERVER;
    let _turn = support::guard::take_turns();
    RUNTIME.block_on(test(server));
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Any cell of the book: edited code builds against its crate.
fn some_cell() -> String {
    Workspace::here().catalog().unwrap().iter().next().expect("the book has cells").id.to_string()
}

fn run_request(server: &Server, body: Value) -> reqwest::RequestBuilder {
    client()
        .post(format!("{}/api/run", server.base()))
        .header("Authorization", format!("token {}", server.token))
        .json(&body)
}

/// Runs code and collects every event.
async fn run(server: &Server, code: &str) -> Vec<Value> {
    run_times(server, code, 1).await
}

async fn run_times(server: &Server, code: &str, times: u32) -> Vec<Value> {
    let response =
        run_request(server, json!({"cell": some_cell(), "code": code, "times": times})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
    let text = response.text().await.unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn events<'a>(all: &'a [Value], kind: &str) -> Vec<&'a Value> {
    all.iter().filter(|e| e["event"] == kind).collect()
}

fn text_of(all: &[Value], kind: &str) -> String {
    events(all, kind).iter().map(|e| e["text"].as_str().unwrap_or("")).collect()
}

fn done(all: &[Value]) -> &Value {
    let last = all.last().expect("some events");
    assert_eq!(last["event"], "done", "the stream ends with done: {all:?}");
    last
}

// ---- who may ask ---------------------------------------------------------

#[test]
fn requests_without_the_token_are_refused() {
    on_server(|server| async move {
        let response = client().get(format!("{}/api/cells", server.base())).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.text().await.unwrap().contains("no token"));
        let response = client()
            .get(format!("{}/api/cells", server.base()))
            .header("Authorization", "token 0000")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.text().await.unwrap().contains("wrong token"));
        let response = client().get(format!("{}/?token=nope", server.base())).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    });
}

#[test]
fn the_printed_address_sets_a_strict_cookie_that_then_authorises() {
    on_server(|server| async move {
        let response = client().get(server.url()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/");
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let pair = cookie.split(';').next().unwrap().to_string();
        let page = client().get(format!("{}/", server.base())).header("Cookie", &pair).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("Many Things at Once"));
        let cells: Value = client()
            .get(format!("{}/api/cells", server.base()))
            .header("Cookie", &pair)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let first = &cells.as_array().unwrap()[0];
        assert!(first["id"].as_str().unwrap().contains('/'));
        assert!(first["code"].as_str().unwrap().contains("fn main"));
    });
}

#[test]
fn a_foreign_host_is_refused_even_with_the_token() {
    on_server(|server| async move {
        let port = server.addr.port();
        for host in [
            format!("evil.example:{port}"),
            format!("127.0.0.1.evil.example:{port}"),
            "127.0.0.1".into(),
            format!("localhost:{}", port + 1),
        ] {
            let response = client()
                .get(format!("{}/api/cells", server.base()))
                .header("Host", &host)
                .header("Authorization", format!("token {}", server.token))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "Host {host}");
        }
        let response = client()
            .get(format!("{}/api/cells", server.base()))
            .header("Host", format!("localhost:{port}"))
            .header("Authorization", format!("token {}", server.token))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "localhost is this server too");
    });
}

#[test]
fn a_foreign_origin_is_refused_even_with_the_token() {
    on_server(|server| async move {
        let code = "fn main() {}";
        for origin in ["http://evil.example", "null", &format!("http://127.0.0.1:{}", server.addr.port() + 1)] {
            let response = run_request(server, json!({"cell": some_cell(), "code": code}))
                .header("Origin", origin)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "Origin {origin}");
        }
        let response = run_request(server, json!({"cell": some_cell(), "code": code}))
            .header("Origin", server.base())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "its own origin may ask");
        response.text().await.unwrap();
    });
}

#[test]
fn malformed_run_requests_are_refused_with_a_reason() {
    on_server(|server| async move {
        let auth = format!("token {}", server.token);
        let url = format!("{}/api/run", server.base());
        let form = client()
            .post(&url)
            .header("Authorization", &auth)
            .header("Content-Type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let bad = client()
            .post(&url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let unknown =
            run_request(server, json!({"cell": "../../etc/passwd", "code": "fn main(){}"})).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        assert!(unknown.text().await.unwrap().contains("no cell"));
        let big = run_request(server, json!({"cell": some_cell(), "code": "/".repeat(100_000)})).send().await.unwrap();
        assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let huge =
            run_request(server, json!({"cell": some_cell(), "code": "/".repeat(1_000_000)})).send().await.unwrap();
        assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let many = run_request(server, json!({"cell": some_cell(), "code": "fn main(){}", "times": 1000}))
            .send()
            .await
            .unwrap();
        assert_eq!(many.status(), StatusCode::BAD_REQUEST);
    });
}

#[test]
fn only_the_built_book_is_served() {
    on_server(|server| async move {
        for path in ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/..%2fCargo.toml", "/%2e%2e/%2e%2e/etc/passwd"] {
            let response = client()
                .get(format!("{}{path}", server.base()))
                .header("Authorization", format!("token {}", server.token))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            assert!(status.is_client_error(), "{path}: {status}");
            assert!(!body.contains("[workspace]") && !body.contains("root:"), "{path} leaked a file");
        }
    });
}

// ---- runs ----------------------------------------------------------------

#[test]
fn a_run_streams_its_output_and_exit() {
    on_server(|server| async move {
        let all = run(server, "fn main() { println!(\"out\"); eprintln!(\"err\"); }").await;
        assert_eq!(text_of(&all, "stdout"), "out\n");
        assert_eq!(text_of(&all, "stderr"), "err\n");
        let exit = events(&all, "exit")[0];
        assert_eq!(exit["code"], 0);
        assert_eq!(exit["killed"], Value::Null);
        assert_eq!(done(&all)["status"], "ok");
    });
}

#[test]
fn a_compile_error_comes_back_as_the_compiler_printed_it_and_as_markers() {
    on_server(|server| async move {
        let all = run(server, "fn main() { let x: u32 = \"no\"; }").await;
        let build = text_of(&all, "build");
        assert!(build.contains("E0308"), "{build}");
        assert!(build.contains("\u{1b}["), "with the compiler's colours: {build}");
        // And as HTML for the page, the colours named for the theme's CSS.
        let html: String = events(&all, "build").iter().map(|e| e["html"].as_str().unwrap_or("")).collect();
        assert!(html.contains("error[E0308]") && html.contains("var(--nb-"), "{html}");
        assert!(!html.contains('\u{1b}'), "{html}");
        assert!(!build.contains("target/notebook"), "the server's own paths are not shown: {build}");
        // The editor's markers: where rustc points, and what it says.
        let markers = &events(&all, "diagnostics")[0]["markers"];
        let mismatch = markers.as_array().unwrap().iter().find(|m| m["level"] == "error").expect("an error marker");
        assert_eq!((mismatch["line_start"].as_u64(), mismatch["column_start"].as_u64()), (Some(1), Some(26)));
        assert!(mismatch["message"].as_str().unwrap().starts_with("mismatched types"), "{mismatch}");
        assert_eq!(done(&all)["status"], "compile-error");
        assert!(events(&all, "exit").is_empty());
    });
}

#[test]
fn panics_and_crashes_are_reported_as_such() {
    on_server(|server| async move {
        let all = run(server, "fn main() { panic!(\"on purpose\"); }").await;
        assert!(text_of(&all, "stderr").contains("on purpose"));
        assert_eq!(events(&all, "exit")[0]["code"], 101);
        assert_eq!(done(&all)["status"], "failed");
        let all = run(server, "fn main() { std::process::abort(); }").await;
        assert_eq!(events(&all, "exit")[0]["signal"], 6, "{all:?}");
        assert_eq!(done(&all)["status"], "failed");
    });
}

#[test]
fn an_endless_loop_is_killed_at_the_time_limit() {
    on_server(|server| async move {
        let all = run(server, "fn main() { println!(\"spinning\"); loop { std::hint::spin_loop(); } }").await;
        assert_eq!(text_of(&all, "stdout"), "spinning\n");
        assert_eq!(events(&all, "exit")[0]["killed"], "timeout");
        assert!(text_of(&all, "notice").contains("time limit"));
    });
}

#[test]
fn endless_output_is_cut_and_killed() {
    on_server(|server| async move {
        let all = run(server, "fn main() { loop { println!(\"yes\"); } }").await;
        let out = text_of(&all, "stdout");
        assert_eq!(out.len(), 64 * 1024);
        assert_eq!(events(&all, "exit")[0]["killed"], "output-limit");
        assert!(text_of(&all, "notice").contains("output limit"));
    });
}

#[cfg(target_os = "linux")]
#[test]
fn a_runaway_allocation_is_killed_at_the_memory_limit() {
    on_server(|server| async move {
        // Every megabyte is written, so it is resident, not just reserved.
        let code = "fn main() { let mut held = Vec::new(); loop { held.push(vec![1u8; 1 << 20]); } }";
        let all = run(server, code).await;
        assert_eq!(events(&all, "exit")[0]["killed"], "memory-limit", "{all:?}");
        assert!(text_of(&all, "notice").contains("memory limit"));
    });
}

#[cfg(target_os = "linux")]
#[test]
fn many_threads_are_not_mistaken_for_memory() {
    on_server(|server| async move {
        // 500 threads reserve 1 GiB of stacks, four times the memory limit,
        // and touch little of it: an address-space cap would refuse them.
        let code = "fn main() { let b = std::sync::Arc::new(std::sync::Barrier::new(501)); \
                    let hs: Vec<_> = (0..500).map(|_| { let b = b.clone(); std::thread::spawn(move || { b.wait(); }) }).collect(); \
                    b.wait(); for h in hs { h.join().unwrap(); } println!(\"500 threads\"); }";
        let all = run(server, code).await;
        assert_eq!(text_of(&all, "stdout"), "500 threads\n", "{all:?}");
        assert_eq!(done(&all)["status"], "ok");
    });
}

#[cfg(target_os = "linux")]
#[test]
fn a_fork_bomb_is_killed_with_its_whole_group() {
    on_server(|server| async move {
        let code = "fn main() { let mut kids = Vec::new(); \
                    loop { if let Ok(c) = std::process::Command::new(\"sleep\").arg(\"60\").spawn() { kids.push(c); } } }";
        let all = run(server, code).await;
        assert_eq!(events(&all, "exit")[0]["killed"], "process-limit", "{all:?}");
    });
}

#[test]
fn several_runs_at_once_keep_their_own_outputs() {
    on_server(|server| async move {
        let runs = (0..2).map(|i| {
            let code = format!("fn main() {{ for _ in 0..200 {{ println!(\"run {i}\"); }} }}");
            async move { run(server, &code).await }
        });
        let results = futures_util::future::join_all(runs).await;
        for (i, all) in results.iter().enumerate() {
            assert_eq!(text_of(all, "stdout"), format!("run {i}\n").repeat(200));
            assert_eq!(done(all)["status"], "ok");
        }
    });
}

#[test]
fn runs_beyond_the_limit_get_a_clear_429() {
    on_server(|server| async move {
        let sleeper = json!({"cell": some_cell(), "code": "fn main() { println!(\"up\"); std::thread::sleep(std::time::Duration::from_secs(60)); }"});
        let mut busy = Vec::new();
        for _ in 0..2 {
            let response = run_request(server, sleeper.clone()).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            busy.push(response);
        }
        let third = run_request(server, sleeper.clone()).send().await.unwrap();
        assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(third.text().await.unwrap().contains("runs are already going"));
        drop(busy);
    });
}

#[test]
fn closing_the_request_kills_the_program() {
    on_server(|server| async move {
        let code = "fn main() { println!(\"pid {}\", std::process::id()); loop { std::thread::sleep(std::time::Duration::from_millis(10)); } }";
        let response = run_request(server, json!({"cell": some_cell(), "code": code})).send().await.unwrap();
        let mut stream = response.bytes_stream();
        let mut seen = String::new();
        let pid = loop {
            let chunk = stream.next().await.expect("events come").unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if let Some(at) = seen.find("pid ") {
                let digits: String = seen[at + 4..].chars().take_while(char::is_ascii_digit).collect();
                if seen[at + 4 + digits.len()..].starts_with("\\n") {
                    break digits.parse::<i32>().unwrap();
                }
            }
        };
        drop(stream); // the Stop button: the request is closed
        let gone = async {
            while nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(30), gone).await.expect("the program is killed after the stop");
    });
}

#[test]
fn run_times_gives_one_exit_per_run() {
    on_server(|server| async move {
        let all = run_times(server, "fn main() { println!(\"hi\"); }", 5).await;
        let mut runs: Vec<u64> = events(&all, "exit").iter().map(|e| e["run"].as_u64().unwrap()).collect();
        runs.sort();
        assert_eq!(runs, [0, 1, 2, 3, 4]);
        assert_eq!(text_of(&all, "stdout"), "hi\n".repeat(5));
    });
}

#[test]
fn each_run_comes_back_as_an_outcome_masked_by_the_cells_rules() {
    // Run ×N draws the reader's runs beside the book's distribution: each
    // run's output is masked by the cell's `vary` rules, as the capture
    // masks the book's, and the masked values come along.
    on_server(|server| async move {
        let code = "fn main() { println!(\"  run 1: final count 1,234,567, lost   765,433\"); }";
        let response = run_request(server, json!({"cell": "shared-state/lost_update", "code": code, "times": 2}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        let all: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let compared = events(&all, "compare");
        assert_eq!(compared.len(), 2, "{all:?}");
        for event in compared {
            assert_eq!(event["outcome"], "  run 1: final count⟨count⟩, lost⟨count⟩\n");
            assert_eq!(event["values"], json!([["count", " 1,234,567"], ["count", "   765,433"]]));
        }
    });
}

#[test]
fn runs_never_touch_the_readers_files() {
    fn snapshot() -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let root = Workspace::here().root;
        let mut files = Vec::new();
        for dir in ["chapters-code", "src"] {
            for entry in walk(&root.join(dir)) {
                files.push((entry.clone(), std::fs::read(&entry).unwrap()));
            }
        }
        files.sort();
        files
    }
    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
        }
        out
    }
    let before = snapshot();
    on_server(|server| async move {
        run(server, "fn main() { println!(\"edited\"); }").await;
        run(server, "fn main() { not rust").await;
        run(server, "fn main() { loop {} }").await;
    });
    assert!(before == snapshot(), "a run changed the reader's files");
}

// ---- serving before the crates are ready ---------------------------------

/// The book is served as soon as it is built; the chapter crates are
/// prepared after. Here their preparation is held until the test lets it
/// go: meanwhile pages load, the page's event stream says the crates are
/// being prepared, and a run waits, told so, then builds and runs.
#[test]
fn pages_are_served_while_the_crates_are_prepared_and_runs_wait_for_them() {
    let _turn = support::guard::take_turns();
    RUNTIME.block_on(async {
        let workspace = Workspace::here();
        let mut options = serve::Options::new(&workspace);
        options.book_dir = tempfile::tempdir().unwrap().keep();
        options.watch = false;
        let gate = std::sync::Arc::new(tokio::sync::Notify::new());
        options.prepare_after = Some(gate.clone());
        // Starting does not wait for the crates (held back here, so waiting
        // would never end).
        let starting = tokio::time::timeout(Duration::from_secs(120), serve::start(workspace, options));
        let server = starting.await.expect("start waited for the crates").expect("the server starts");
        let auth = format!("token {}", server.token);

        let page = client().get(format!("{}/foundations/index.html", server.base())).header("Authorization", &auth);
        let page = page.send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "the book is not served before the crates are ready");

        // The page's events start with where the preparation is.
        let stream = client().get(format!("{}/api/events", server.base())).header("Authorization", &auth);
        let mut stream = stream.send().await.unwrap().bytes_stream();
        let first = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap().unwrap().unwrap();
        let first = String::from_utf8_lossy(&first);
        assert!(first.contains("event: prepared") && first.contains(r#""state":"working""#), "{first}");

        // A run started now waits, and says why.
        let code = "fn main() { println!(\"waited for the crates\"); }";
        let response = run_request(&server, json!({"cell": some_cell(), "code": code})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.bytes_stream();
        let first = tokio::time::timeout(Duration::from_secs(10), body.next()).await.unwrap().unwrap().unwrap();
        let first: Value = serde_json::from_slice(first.split(|b| *b == b'\n').next().unwrap()).unwrap();
        assert_eq!(first["event"], "preparing", "{first}");

        // Let the preparation go: the run goes on to build and run.
        gate.notify_one();
        let mut rest = Vec::new();
        while let Some(chunk) = body.next().await {
            rest.extend_from_slice(&chunk.unwrap());
        }
        let all: Vec<Value> = String::from_utf8_lossy(&rest)
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(done(&all)["status"], "ok", "{all:?}");
        assert!(text_of(&all, "stdout").contains("waited for the crates"), "{all:?}");
        // Progress only goes forward (a watch may skip steps, never go back).
        let ready: Vec<u64> = events(&all, "preparing").iter().map(|e| e["ready"].as_u64().unwrap()).collect();
        assert!(ready.windows(2).all(|w| w[0] <= w[1]), "{ready:?}");
        assert_eq!(server.prepared().await, serve::Prepared::Ready);
    });
}
