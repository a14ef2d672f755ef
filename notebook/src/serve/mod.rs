//! `cargo book serve`: the notebook server.
//!
//! It builds the book and serves it on 127.0.0.1 at once; meanwhile it
//! prepares the chapter crates so that edited cells compile in a fraction
//! of a second (see [`crate::compile`]), saying how far it is on the
//! terminal, to open pages ([`Prepared`]) and to runs, which wait for it.
//! Its API:
//!
//! | route | what |
//! | --- | --- |
//! | `GET /api/cells` | every cell: `[{"id", "chapter", "code", "timeout", "live_args", "full_command"}]` |
//! | `POST /api/run` | `{"cell", "code", "times"?}`: build and run, streaming NDJSON events ([`run`]) |
//! | `GET /api/events` | server-sent events: `reload` when the book was rebuilt; `prepared` with [`Prepared`] as JSON, at once and at each change |
//! | `GET /api/editor/*` | the cell editor, `theme/editor/` (CodeMirror, bundled) |
//! | anything else | the built book's files |
//!
//! Every request passes the [`guard`] (host, origin, token) first. Edited
//! cells are compiled by [`build`], which keeps each cell's incremental
//! state. It rebuilds the book when a source file changes ([`watch`]).

pub mod build;
pub mod guard;
pub mod run;
pub mod watch;

use std::net::SocketAddr;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::{RwLock, Semaphore, broadcast};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tower_http::services::ServeDir;

use crate::cells::Catalog;
use crate::compile::{Compiler, Progress};
use crate::runner;
use crate::workspace::Workspace;

/// The server's limits: on requests, and on each run (a live run's,
/// [`runner::Limits::LIVE`], unless a test lowers them).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest source a run may send.
    pub source_bytes: usize,
    /// Largest request body.
    pub body_bytes: usize,
    /// Runs going at once (a "Run x20" counts once).
    pub concurrent_runs: usize,
    /// The most times one request may run its program.
    pub max_times: u32,
    /// The limits of each run.
    pub run: runner::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            source_bytes: 64 * 1024,
            body_bytes: 256 * 1024,
            concurrent_runs: 4,
            max_times: 50,
            run: runner::Limits::LIVE,
        }
    }
}

/// How to start a server.
#[derive(Debug, Clone)]
pub struct Options {
    /// 0 picks a free port.
    pub port: u16,
    /// Where the served book is built.
    pub book_dir: PathBuf,
    /// Rebuild and reload when sources change.
    pub watch: bool,
    pub limits: Limits,
    /// Tests: the chapter crates are prepared only once this is notified,
    /// so that what a page and a run see meanwhile can be checked.
    pub prepare_after: Option<Arc<tokio::sync::Notify>>,
}

impl Options {
    pub fn new(workspace: &Workspace) -> Options {
        Options {
            port: 0,
            book_dir: workspace.root.join("target/notebook/book"),
            watch: true,
            limits: Limits::default(),
            prepare_after: None,
        }
    }
}

/// What every request handler shares.
pub struct ServerState {
    pub workspace: Workspace,
    pub token: String,
    pub allowed_hosts: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub limits: Limits,
    pub catalog: RwLock<Catalog>,
    /// How to compile edited cells, once the chapter crates are prepared.
    pub compiler: RwLock<Option<Compiler>>,
    /// How far their preparation is.
    pub prepared: tokio::sync::watch::Sender<Prepared>,
    pub run_slots: Arc<Semaphore>,
    pub run_counter: AtomicU64,
    /// Builds of one cell take turns ([`build`]).
    pub builds: build::Builds,
    /// A folder of this server's own, removed when it stops.
    pub scratch_root: PathBuf,
    _scratch: tempfile::TempDir,
    pub book_dir: PathBuf,
    pub reloads: broadcast::Sender<u64>,
}

/// Where the preparation of the chapter crates is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Prepared {
    /// Building: `ready` of `total` chapter crates can compile cells.
    Working { ready: usize, total: usize },
    /// Every cell can be built.
    Ready,
    /// cargo failed; the terminal shows why.
    Failed { why: String },
}

/// A cheap handle on the shared state.
#[derive(Clone)]
pub struct AppState(Arc<ServerState>);

impl Deref for AppState {
    type Target = ServerState;
    fn deref(&self) -> &ServerState {
        &self.0
    }
}

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub token: String,
    pub state: AppState,
    task: tokio::task::JoinHandle<()>,
    _watcher: Option<watch::Watcher>,
}

impl Server {
    /// The address to open, with the token, the way Jupyter prints it.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.addr, self.token)
    }

    /// The base address, without the token.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the chapter crates are prepared (or failed to be).
    pub async fn prepared(&self) -> Prepared {
        let mut seen = self.state.prepared.subscribe();
        let done = seen.wait_for(|p| !matches!(p, Prepared::Working { .. })).await;
        done.map(|p| p.clone()).unwrap_or(Prepared::Failed { why: "the server stopped".into() })
    }

    /// Serves until the task ends (it does not, unless aborted).
    pub async fn wait(mut self) -> Result<()> {
        (&mut self.task).await.context("the server stopped")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Builds the book, binds 127.0.0.1 and serves; prepares the chapter crates
/// in the background ([`prepare`]).
pub async fn start(workspace: Workspace, options: Options) -> Result<Server> {
    let root = workspace.root.clone();
    let book_dir = options.book_dir.clone();
    eprintln!("building the book...");
    tokio::task::spawn_blocking(move || crate::book::build_into(&root, &book_dir)).await??;
    let catalog = workspace.catalog()?;

    // Loopback only, always.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .with_context(|| format!("binding 127.0.0.1:{}", options.port))?;
    let addr = listener.local_addr()?;
    let port = addr.port();
    let scratch_parent = workspace.root.join("target/notebook/scratch");
    std::fs::create_dir_all(&scratch_parent).with_context(|| format!("creating {}", scratch_parent.display()))?;
    let scratch = tempfile::Builder::new().prefix("server-").tempdir_in(&scratch_parent)?;
    let (reloads, _) = broadcast::channel(16);
    let state = AppState(Arc::new(ServerState {
        token: guard::new_token(),
        allowed_hosts: vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")],
        allowed_origins: vec![format!("http://127.0.0.1:{port}"), format!("http://localhost:{port}")],
        run_slots: Arc::new(Semaphore::new(options.limits.concurrent_runs)),
        limits: options.limits.clone(),
        catalog: RwLock::new(catalog),
        compiler: RwLock::new(None),
        prepared: tokio::sync::watch::Sender::new(Prepared::Working { ready: 0, total: 0 }),
        run_counter: AtomicU64::new(0),
        builds: build::Builds::default(),
        scratch_root: scratch.path().to_path_buf(),
        _scratch: scratch,
        book_dir: options.book_dir.clone(),
        reloads,
        workspace,
    }));
    let app = router(state.clone());
    let watcher = if options.watch { Some(watch::start(state.clone())?) } else { None };
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("error: the server stopped: {err}");
        }
    });
    let preparing = state.clone();
    let gate = options.prepare_after.clone();
    tokio::spawn(async move {
        if let Some(gate) = gate {
            gate.notified().await;
        }
        prepare(&preparing).await;
    });
    Ok(Server { addr, token: state.token.clone(), state, task, _watcher: watcher })
}

/// Prepares the chapter crates (`cargo build --release` of their examples)
/// so that edited cells compile fast, saying how far it is on the terminal
/// and in [`ServerState::prepared`]; runs wait for it. Again after a crate's
/// code changed ([`watch`]).
pub async fn prepare(state: &AppState) {
    state.prepared.send_replace(Prepared::Working { ready: 0, total: 0 });
    eprintln!("preparing the chapter crates so that cells compile fast (cargo build --release)...");
    let workspace = state.workspace.clone();
    let progress = state.prepared.clone();
    let prepared = tokio::task::spawn_blocking(move || {
        Compiler::prepare_with(&workspace, |Progress { ready, total }| {
            if ready > 0 {
                eprintln!("preparing cells: {ready} of {total} chapter crates ready");
            }
            progress.send_replace(Prepared::Working { ready, total });
        })
    })
    .await;
    match prepared {
        Ok(Ok(compiler)) => {
            *state.compiler.write().await = Some(compiler);
            state.prepared.send_replace(Prepared::Ready);
            eprintln!("the chapter crates are prepared");
        }
        Ok(Err(err)) => {
            eprintln!("error: preparing the chapter crates failed: {err:#}");
            state.prepared.send_replace(Prepared::Failed { why: format!("{err:#}") });
        }
        Err(err) => {
            state.prepared.send_replace(Prepared::Failed { why: format!("the preparation stopped: {err}") });
        }
    }
}

/// The routes, behind the guard.
pub fn router(state: AppState) -> Router {
    let book = ServeDir::new(&state.book_dir).append_index_html_on_directories(true);
    // The cell editor (CodeMirror, bundled in the repository) is loaded only
    // by served pages: the static book never needs it.
    let editor = ServeDir::new(state.workspace.root.join("theme/editor"));
    Router::new()
        .nest_service("/api/editor", editor)
        .route("/api/cells", get(run::cells))
        .route("/api/run", post(run::run))
        .route("/api/events", get(events))
        .fallback_service(book)
        .layer(DefaultBodyLimit::max(state.limits.body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
        .with_state(state)
}

/// `GET /api/events`: `prepared` (at once, and at each change of
/// [`Prepared`]), and `reload` each time the book was rebuilt.
async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let prepared = WatchStream::new(state.prepared.subscribe()).map(|prepared| {
        Ok(Event::default().event("prepared").data(serde_json::to_string(&prepared).unwrap_or_default()))
    });
    let reloads = BroadcastStream::new(state.reloads.subscribe())
        .filter_map(|generation| generation.ok())
        .map(|generation| Ok(Event::default().event("reload").data(generation.to_string())));
    Sse::new(prepared.merge(reloads)).keep_alive(KeepAlive::default())
}
