//! Helpers for the `serve` tests: plain HTTP over `TcpStream` (so that no
//! client library normalises the paths we send) and an event-stream reader.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `book.toml` of the test handbooks: the site under `/cx/`.
pub const BOOK: &str = "[book]\ntitle = \"Serve test\"\n\n[build]\nbase-url = \"/cx/\"\n";

/// A valid map; `emotion` lands on line 7, column 18.
pub fn map(title: &str, emotion: &str) -> String {
    format!(
        "---\ntitle: {title}\nstages:\n  - name: Awareness\n    touchpoints:\n      - name: Instagram ad\n        emotion: {emotion}\n  - name: Purchase\n    touchpoints:\n      - name: Checkout\n        emotion: -1\n---\n\nFindings.\n"
    )
}

/// A handbook with one map, `content/retail/checkout.md` (returned).
pub fn handbook() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), BOOK).unwrap();
    std::fs::create_dir_all(dir.path().join("content/retail")).unwrap();
    let file = dir.path().join("content/retail/checkout.md");
    std::fs::write(&file, map("Checkout journey", "1")).unwrap();
    (dir, file)
}

const SERVE_WAIT: Duration = Duration::from_secs(20);

/// A running `cxbook serve`; killed when dropped.
pub struct Serve {
    pub child: Child,
    pub url: String,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    pub stdout: Receiver<String>,
}

impl Serve {
    pub fn start(root: &Path, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cxbook"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run cxbook");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (err_pipe, sink) = (child.stderr.take().unwrap(), stderr.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let (tx, stdout) = channel();
        let out_pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let first = stdout.recv_timeout(SERVE_WAIT).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("no URL printed; stderr:\n{}", stderr.lock().unwrap())
        });
        let url = first
            .strip_prefix("Serving on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_string();
        let host = url.trim_start_matches("http://").split('/').next().unwrap();
        Serve {
            addr: host.parse().unwrap(),
            url,
            child,
            stderr,
            stdout,
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A whole HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET target` with `Connection: close`.
pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

pub fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let raw = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    send_raw(addr, raw.as_bytes())
}

/// Sends bytes as they are and reads the response until the server closes.
pub fn send_raw(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(raw).expect("send");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read the response");
    parse(&bytes)
}

/// Splits the header block from the body and undoes chunked transfer
/// encoding on the bytes, before decoding the body: a chunk may end in the
/// middle of a character.
fn parse(bytes: &[u8]) -> Reply {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&bytes[..split]);
    let body = &bytes[split + 4..];
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Reply {
        status: status.parse().unwrap(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn dechunk(mut s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = s.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&s[..eol]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let rest = &s[eol + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        s = rest.get(n + 2..).unwrap_or_default();
    }
    out
}

/// An open event stream.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Connects to `path` (`/cx/__cxbook/events`) and reads past the headers.
    pub fn open(addr: SocketAddr, path: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        let req =
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
        stream.write_all(req.as_bytes()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut content_type = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-type") {
                content_type = line.clone();
            }
            if line == "\r\n" {
                break;
            }
        }
        assert!(content_type.contains("text/event-stream"), "{content_type}");
        Events { reader }
    }

    /// The next `data:` payload as JSON, or `None` after `timeout`.
    pub fn next(&mut self, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(_) => return None,
            }
            if let Some(data) = line.strip_prefix("data: ") {
                return Some(serde_json::from_str(data.trim_end()).expect("JSON data"));
            }
        }
    }

    /// Waits for an event with a generation above `after`.
    pub fn next_after(&mut self, after: u64, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let e = self.next(left)?;
            if e["generation"].as_u64().unwrap() > after {
                return Some(e);
            }
        }
    }
}

/// Calls `f` until it returns `Some`, for up to `timeout`.
pub fn eventually<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Writes a file the way vim does by default (`backupcopy=no` where the
/// folder allows it): probe with `4913`, move the old file to `name~`,
/// write a new file, drop the backup.
pub fn save_like_vim(path: &Path, text: &str) {
    let dir = path.parent().unwrap();
    let probe = dir.join("4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = path.with_file_name(format!("{}~", path.file_name().unwrap().to_string_lossy()));
    std::fs::rename(path, &backup).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
}

/// Writes a file the way JetBrains IDEs do ("safe write"): a temporary
/// copy, the old file renamed away, the copy renamed in, the old removed.
pub fn save_like_jetbrains(path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let tmp = path.with_file_name(format!("{name}___jb_tmp___"));
    let old = path.with_file_name(format!("{name}___jb_old___"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(path, &old).unwrap();
    std::fs::rename(&tmp, path).unwrap();
    std::fs::remove_file(&old).unwrap();
}

/// Pulls `data-cxbook-generation="N"` out of an HTML page.
pub fn page_generation(html: &str) -> Option<u64> {
    let start = html.find("data-cxbook-generation=\"")? + "data-cxbook-generation=\"".len();
    let end = html[start..].find('"')? + start;
    html[start..end].parse().ok()
}
