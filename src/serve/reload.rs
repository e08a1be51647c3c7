//! Live reload and the error overlay: the events sent to open pages, the
//! script injected into HTML responses, and the overlay itself.
//!
//! One event type carries the whole state: `{generation, base, error}`. A
//! page knows the generation it was served at; it reloads when a newer one
//! has no error, and shows `error` (overlay HTML, escaped here) otherwise.
//! The same event is sent when a page connects, so a page that loaded just
//! before a swap still reloads, and a page opened while the build is broken
//! shows the overlay.

use super::build::{BuildFailure, Problem};
use super::route::RESERVED;
use super::state::Snapshot;
use serde::Serialize;

/// The client script, served at `<base>__cxbook/reload.js`.
pub const SCRIPT: &str = include_str!("reload.js");

/// The shared worker, served at `<base>__cxbook/worker.js`.
pub const WORKER: &str = include_str!("worker.js");

#[derive(Serialize)]
struct Event<'a> {
    generation: u64,
    base: &'a str,
    error: Option<String>,
}

/// The state as JSON (`/__cxbook/status` and the SSE payload).
pub fn state_json(snap: &Snapshot) -> String {
    let event = Event {
        generation: snap.generation,
        base: &snap.base,
        error: snap.failure.as_deref().map(overlay_html),
    };
    serde_json::to_string(&event).unwrap_or_default()
}

/// One Server-Sent Event with the state.
pub fn event(snap: &Snapshot) -> Vec<u8> {
    format!("data: {}\n\n", state_json(snap)).into_bytes()
}

/// The start of an event stream: headers, then a retry delay.
pub fn stream_head() -> &'static [u8] {
    b"HTTP/1.1 200 OK\r\n\
      Content-Type: text/event-stream; charset=utf-8\r\n\
      Cache-Control: no-store\r\n\
      X-Accel-Buffering: no\r\n\
      \r\n\
      retry: 1000\n\n"
}

/// A comment line that keeps proxies from closing the stream and lets the
/// server notice clients that have gone.
pub const HEARTBEAT: &[u8] = b": ping\n\n";

/// The `<script>` tag (and the overlay, when the build is broken) to add to
/// an HTML page. `to_base` leads from the page's folder to the base path
/// (`../../`), so the script follows any host and path prefix.
pub fn snippet(snap: &Snapshot, to_base: &str) -> String {
    let overlay = snap
        .failure
        .as_deref()
        .map(overlay_html)
        .unwrap_or_default();
    format!(
        "{overlay}<script src=\"{to_base}{RESERVED}/reload.js\" \
         data-cxbook-generation=\"{}\" data-cxbook-base=\"{}\"></script>",
        snap.generation,
        escape(&snap.base)
    )
}

/// Inserts `snippet` before the last `</body>`, or at the end.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = rfind_ascii_ci(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;\
    margin:0;padding:2rem;background:rgba(20,20,24,.94);color:#f4f4f5;\
    font:15px/1.5 system-ui,sans-serif;text-align:left";
const FRAME_STYLE: &str = "margin:.5rem 0 1.5rem;padding:1rem;background:#000;color:#e4e4e7;\
    border-left:4px solid #f87171;overflow:auto;white-space:pre;\
    font:13px/1.45 ui-monospace,Menlo,Consolas,monospace";

/// The overlay: every problem with its location, message, hint and frame.
pub fn overlay_html(failure: &BuildFailure) -> String {
    let n = failure.problems.len();
    let mut out = format!(
        "<div id=\"cxbook-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <p style=\"margin:0 0 1rem;color:#fca5a5;font-weight:600\">cxbook: the build failed \
         ({n} error{}). Save a fix and this page reloads.</p>",
        if n == 1 { "" } else { "s" }
    );
    for p in &failure.problems {
        out.push_str(&problem_html(p));
    }
    out.push_str("</div>");
    out
}

fn problem_html(p: &Problem) -> String {
    let location = p.location();
    let mut out = String::from("<section class=\"cxbook-error\">");
    if !location.is_empty() {
        out.push_str(&format!(
            "<div class=\"cxbook-location\" style=\"font-family:ui-monospace,monospace;\
             color:#93c5fd\">{}</div>",
            escape(&location)
        ));
    }
    out.push_str(&format!(
        "<div class=\"cxbook-message\" style=\"font-weight:600\">{}</div>",
        escape(&p.message)
    ));
    if let Some(h) = &p.hint {
        out.push_str(&format!(
            "<div class=\"cxbook-hint\" style=\"color:#86efac\">help: {}</div>",
            escape(h)
        ));
    }
    out.push_str(&format!(
        "<pre class=\"cxbook-frame\" style=\"{FRAME_STYLE}\">{}</pre></section>",
        escape(&p.frame)
    ));
    out
}

/// The page served when no build has succeeded yet.
pub fn error_page(snap: &Snapshot, to_base: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>cxbook: build failed</title></head><body>{}</body></html>\n",
        snippet(snap, to_base)
    )
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::site::reports::esc(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn broken() -> Snapshot {
        let p = Problem {
            file: "content/<a>.md".into(),
            line: 7,
            column: 9,
            message: "unknown key `<script>alert(1)</script>`".into(),
            hint: Some("did you mean `emotion`?".into()),
            frame: " --> content/a.md:7:9\n7 |   emotoin: <b>\n".into(),
        };
        Snapshot {
            generation: 3,
            base: "/cx/".into(),
            site: None,
            failure: Some(Arc::new(BuildFailure {
                problems: vec![p],
                base_url: None,
            })),
        }
    }

    #[test]
    fn the_overlay_escapes_everything_from_content() {
        let html = overlay_html(broken().failure.as_deref().unwrap());
        assert!(html.contains("content/&lt;a&gt;.md:7:9"), "{html}");
        assert!(
            html.contains("`&lt;script&gt;alert(1)&lt;/script&gt;`"),
            "{html}"
        );
        assert!(html.contains("7 |   emotoin: &lt;b&gt;"), "{html}");
        assert!(html.contains("help: did you mean `emotion`?"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script></script></BODY></html>");
        let out = String::from_utf8(inject(b"<p>no body</p>", "<s>")).unwrap();
        assert_eq!(out, "<p>no body</p><s>");
        assert_eq!(inject(b"", "<s>"), b"<s>");
    }

    #[test]
    fn the_snippet_is_relative_to_the_page() {
        let snap = Snapshot {
            generation: 4,
            base: "/cx/".into(),
            ..Snapshot::default()
        };
        assert_eq!(
            snippet(&snap, "../../"),
            "<script src=\"../../__cxbook/reload.js\" data-cxbook-generation=\"4\" \
             data-cxbook-base=\"/cx/\"></script>"
        );
        assert!(snippet(&broken(), "").starts_with("<div id=\"cxbook-overlay\""));
    }

    #[test]
    fn events_carry_the_whole_state() {
        let e = String::from_utf8(event(&broken())).unwrap();
        assert!(e.starts_with("data: {") && e.ends_with("}\n\n"), "{e}");
        let v: serde_json::Value = serde_json::from_str(&e[6..e.len() - 2]).unwrap();
        assert_eq!(v["generation"], 3);
        assert_eq!(v["base"], "/cx/");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains("content/&lt;a&gt;.md:7:9")
        );
        let ok = Snapshot {
            generation: 5,
            ..Snapshot::default()
        };
        assert!(state_json(&ok).contains("\"error\":null"));
    }
}
