//! The HTTP side: binding a port, a fixed pool of request threads over
//! `tiny_http`, and answering each request from the current [`Snapshot`].
//!
//! `tiny_http` reads each connection on its own thread and queues whole
//! requests; our workers answer them. An event stream is handed to the
//! [`Hub`](super::state::Hub) at once, so open pages never hold a worker
//! and cannot starve ordinary requests.

use super::reload;
use super::route::{self, Route};
use super::state::{Snapshot, State};
use crate::error::{Error, Result};
use std::io::{Cursor, Write};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// How many ports after a busy one to try.
pub const PORT_TRIES: u16 = 10;

/// Binds `bind:port`; when the port is busy, tries the next ones and says
/// so on stderr. Port 0 picks a free port.
pub fn bind(bind: &str, port: u16) -> Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut busy = Vec::new();
    for p in port..=last {
        let addrs = (bind, p).to_socket_addrs().map_err(|e| {
            Error::Usage(format!(
                "cannot bind `{bind}`: {e} (use an address such as 127.0.0.1)"
            ))
        })?;
        for addr in addrs {
            match TcpListener::bind(addr) {
                Ok(listener) => {
                    if let Some(first) = busy.first() {
                        eprintln!("port {first} is in use; serving on port {p} instead");
                    }
                    return Ok(listener);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => busy.push(p),
                Err(e) => return Err(Error::Usage(format!("cannot listen on {addr}: {e}"))),
            }
        }
    }
    Err(Error::Usage(format!(
        "port {port} is in use, and so are the next {PORT_TRIES}: stop the other server or \
         pass --port N (0 picks a free port)"
    )))
}

/// The request threads.
pub struct HttpServer {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl HttpServer {
    /// Starts `workers` request threads and a heartbeat for event streams.
    pub fn start(listener: TcpListener, state: Arc<State>, workers: usize) -> Result<Self> {
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot read the bound address: {e}")))?;
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| Error::Usage(format!("cannot start the HTTP server: {e}")))?;
        let server = Arc::new(server);
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        for i in 0..workers.max(1) {
            let (server, state, stop) = (server.clone(), state.clone(), stop.clone());
            threads.push(spawn(&format!("cxbook-http-{i}"), move || {
                work(&server, &state, &stop)
            })?);
        }
        let (state_hb, stop_hb) = (state, stop.clone());
        threads.push(spawn("cxbook-heartbeat", move || {
            heartbeat(&state_hb, &stop_hb)
        })?);
        Ok(HttpServer {
            server,
            addr,
            stop,
            threads,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops taking requests and waits for the request threads.
    pub fn shutdown(self) {
        self.stop.store(true, Ordering::SeqCst);
        for _ in 0..self.threads.len() {
            self.server.unblock();
        }
        for t in self.threads {
            let _ = t.join();
        }
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map_err(|e| Error::Usage(format!("cannot start a thread: {e}")))
}

fn work(server: &tiny_http::Server, state: &State, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(250)) {
            // A bug in answering one request must not cost a worker.
            Ok(Some(request)) => {
                let _ = std::panic::catch_unwind(AssertUnwindSafe(|| answer(request, state)));
            }
            Ok(None) => {}
            Err(_) => break,
        }
    }
}

fn heartbeat(state: &State, stop: &AtomicBool) {
    let mut ticks = 0u32;
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(250));
        ticks += 1;
        if ticks.is_multiple_of(60) && !state.hub.is_empty() {
            state.hub.broadcast(reload::HEARTBEAT);
        }
    }
    state.hub.clear();
}

type Body = Response<Cursor<Vec<u8>>>;

/// Answers one request. Errors writing the answer mean the client has gone.
fn answer(request: Request, state: &State) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = Response::from_string("only GET and HEAD\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(r);
        return;
    }
    let snap = state.snapshot();
    let target = request.url().to_string();
    // With no good build yet, every safe path under the base is "a page"
    // and gets the error page; unsafe ones still get a plain 404.
    let route = match &snap.site {
        Some(site) => route::route(&snap.base, &target, |k| site.contains(k)),
        None => route::route(&snap.base, &target, |_| true),
    };
    let response = match route {
        Route::Events => return open_stream(request, state),
        Route::ReloadScript => text(reload::SCRIPT, "text/javascript; charset=utf-8", 200),
        Route::Worker => text(reload::WORKER, "text/javascript; charset=utf-8", 200),
        Route::Status => text(
            &reload::state_json(&snap),
            "application/json; charset=utf-8",
            200,
        ),
        Route::Redirect(to) => Response::from_data(Vec::new())
            .with_status_code(302)
            .with_header(header("Location", &to)),
        Route::File(_) if snap.site.is_none() => error_page(&snap, &target),
        Route::File(key) => file(&snap, &key, &target, 200),
        Route::NotFound => not_found(&snap, &target),
    };
    let _ = request.respond(response.with_header(header("Cache-Control", "no-store")));
}

/// Hands the connection to the hub, which writes every later event to it.
fn open_stream(request: Request, state: &State) {
    let mut writer = request.into_writer();
    if writer.write_all(reload::stream_head()).is_err() {
        return;
    }
    state.hub.add(writer, || reload::event(&state.snapshot()));
}

fn file(snap: &Snapshot, key: &str, target: &str, status: u16) -> Body {
    let bytes = match snap.site.as_ref().map(|s| s.get(key)) {
        Some(Ok(Some(bytes))) => bytes,
        Some(Ok(None)) | None => Vec::new(),
        // Rare: templates are tried on the home page before a site is
        // swapped in; a page that still fails says why.
        Some(Err(e)) => return render_error(&e, key),
    };
    let content_type = route::content_type(key);
    let body = if content_type.starts_with("text/html") {
        let to_base = route::path_to_base(&snap.base, target);
        // A page outside the base (a 404) reaches the script by absolute path.
        let to_base = to_base.unwrap_or_else(|| snap.base.clone());
        reload::inject(&bytes, &reload::snippet(snap, &to_base))
    } else {
        bytes
    };
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// A page that failed to render: 500, with the error.
fn render_error(err: &Error, key: &str) -> Body {
    eprintln!("cannot render {key}: {err}");
    text(
        &format!("cannot render {key}: {err}\n"),
        "text/plain; charset=utf-8",
        500,
    )
}

fn not_found(snap: &Snapshot, target: &str) -> Body {
    let has_page = snap.site.as_ref().is_some_and(|s| s.contains("404.html"));
    if has_page {
        file(snap, "404.html", target, 404)
    } else {
        text("404 Not Found\n", "text/plain; charset=utf-8", 404)
    }
}

fn error_page(snap: &Snapshot, target: &str) -> Body {
    let to_base = route::path_to_base(&snap.base, target).unwrap_or_else(|| snap.base.clone());
    text(
        &reload::error_page(snap, &to_base),
        "text/html; charset=utf-8",
        500,
    )
}

fn text(body: &str, content_type: &str, status: u16) -> Body {
    Response::from_string(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
}

/// A header from our own name and a value made ASCII (a redirect to a
/// non-ASCII path is percent-encoded), so that building it cannot fail.
fn header(name: &str, value: &str) -> Header {
    let mut ascii = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_graphic() || b == b' ' {
            ascii.push(char::from(b));
        } else {
            ascii.push_str(&format!("%{b:02X}"));
        }
    }
    Header::from_bytes(name.as_bytes(), ascii.as_bytes())
        .or_else(|()| Header::from_bytes(&b"X-Cxbook"[..], &b"invalid-header"[..]))
        .unwrap_or_else(|()| unreachable!("ASCII names and values always make a header"))
}
