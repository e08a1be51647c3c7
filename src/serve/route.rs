//! From a request target to what to answer, as a pure function: the base
//! path, directory URLs, the reload endpoints and path safety.
//!
//! Safety does not rest on this check alone: the site is a map of keys in
//! memory, so no URL can reach the file system. We still refuse every
//! suspicious path outright (`..`, `.`, encoded `/` or `\`, NUL, empty
//! segments) so that a traversal attempt gets a plain 404 (Zola PR #2258).

/// The reserved folder, under the base path, of the reload endpoints.
pub const RESERVED: &str = "__cxbook";

/// What a request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A file of the site that exists, by key (`retail/checkout/index.html`).
    File(String),
    /// A redirect to this path (the query string kept).
    Redirect(String),
    /// The Server-Sent Events stream of reload and error events.
    Events,
    /// The live-reload script.
    ReloadScript,
    /// The server's state as JSON (generation, error), for scripts and tests.
    Status,
    /// Nothing here: outside the base path, unsafe, or not in the site.
    NotFound,
}

/// Routes `target` (the raw request target, `/cx/map?x=1`) for a site under
/// `base` (starts and ends with `/`). `exists` says whether the site has a
/// key.
pub fn route(base: &str, target: &str, exists: impl Fn(&str) -> bool) -> Route {
    let (path, query) = split_query(target);
    let base_bare = base.trim_end_matches('/');
    if (path == base_bare && !base_bare.is_empty()) || (path == "/" && base != "/") {
        return Route::Redirect(format!("{base}{query}"));
    }
    let Some(rest) = path.strip_prefix(base) else {
        return Route::NotFound;
    };
    let Some(segments) = decode_segments(rest) else {
        return Route::NotFound;
    };
    if let [dir, name] = segments.as_slice()
        && dir == RESERVED
    {
        return match name.as_str() {
            "events" => Route::Events,
            "reload.js" => Route::ReloadScript,
            "status" => Route::Status,
            _ => Route::NotFound,
        };
    }
    let key = segments.join("/");
    let is_dir_url = rest.is_empty() || rest.ends_with('/');
    if is_dir_url {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if exists(&index) {
            Route::File(index)
        } else {
            Route::NotFound
        };
    }
    if exists(&key) {
        Route::File(key)
    } else if exists(&format!("{key}/index.html")) {
        Route::Redirect(format!("{base}{rest}/{query}"))
    } else {
        Route::NotFound
    }
}

/// Splits off `?query` (kept with its `?`) and drops any `#fragment`.
fn split_query(target: &str) -> (&str, &str) {
    let target = target.split('#').next().unwrap_or("");
    match target.find('?') {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

/// The decoded segments of `rest` (the path after the base), or `None` when
/// any segment is unsafe. A trailing `/` gives no empty last segment.
fn decode_segments(rest: &str) -> Option<Vec<String>> {
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    if trimmed.is_empty() {
        return Some(Vec::new());
    }
    trimmed.split('/').map(decode_segment).collect()
}

fn decode_segment(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    let unsafe_char = |c: char| matches!(c, '/' | '\\' | '\0') || c.is_control();
    let ok = !decoded.is_empty()
        && decoded != "."
        && decoded != ".."
        && !decoded.chars().any(unsafe_char)
        // `C:` and friends: a drive-absolute path on Windows.
        && !decoded.contains(':');
    ok.then_some(decoded)
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a site file, by extension; text types say UTF-8.
pub fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The path from the folder of the URL `path` back to the base, as `../`
/// repeated (empty at the base itself). `None` when `path` is not under
/// `base`.
pub fn path_to_base(base: &str, target: &str) -> Option<String> {
    let (path, _) = split_query(target);
    let rest = path.strip_prefix(base)?;
    Some("../".repeat(rest.matches('/').count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(key: &str) -> bool {
        matches!(
            key,
            "index.html"
                | "404.html"
                | "style.css"
                | "retail/checkout/index.html"
                | "retail/checkout/swimlane.svg"
                | "caf\u{e9}/index.html"
        )
    }

    fn file(k: &str) -> Route {
        Route::File(k.to_string())
    }

    fn redirect(k: &str) -> Route {
        Route::Redirect(k.to_string())
    }

    #[test]
    fn routes_under_the_root() {
        let table = [
            ("/", file("index.html")),
            ("/index.html", file("index.html")),
            ("/?q=1", file("index.html")),
            ("/style.css", file("style.css")),
            ("/retail/checkout/", file("retail/checkout/index.html")),
            ("/retail/checkout", redirect("/retail/checkout/")),
            (
                "/retail/checkout?x=1#top",
                redirect("/retail/checkout/?x=1"),
            ),
            (
                "/retail/checkout/swimlane.svg",
                file("retail/checkout/swimlane.svg"),
            ),
            ("/caf%C3%A9/", file("caf\u{e9}/index.html")),
            ("/retail/", Route::NotFound),
            ("/nope", Route::NotFound),
            ("/__cxbook/events", Route::Events),
            ("/__cxbook/reload.js", Route::ReloadScript),
            ("/__cxbook/status", Route::Status),
            ("/__cxbook/other", Route::NotFound),
        ];
        for (target, want) in table {
            assert_eq!(route("/", target, site), want, "{target}");
        }
    }

    #[test]
    fn routes_under_a_base_path() {
        let table = [
            ("/", redirect("/cx/")),
            ("/cx", redirect("/cx/")),
            ("/cx?a=b", redirect("/cx/?a=b")),
            ("/cx/", file("index.html")),
            ("/cx/retail/checkout", redirect("/cx/retail/checkout/")),
            ("/cx/retail/checkout/", file("retail/checkout/index.html")),
            ("/index.html", Route::NotFound),
            ("/cxx/index.html", Route::NotFound),
            ("/other/", Route::NotFound),
            ("/cx/__cxbook/events", Route::Events),
            ("/__cxbook/events", Route::NotFound),
        ];
        for (target, want) in table {
            assert_eq!(route("/cx/", target, site), want, "{target}");
        }
    }

    #[test]
    fn refuses_every_way_out_of_the_site() {
        let attacks = [
            "/../etc/passwd",
            "/cx/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/retail/..%2f..%2fetc/passwd",
            "/retail%2fcheckout/index.html",
            "/retail%2Fcheckout/index.html",
            "/retail%5ccheckout/index.html",
            "/retail\\checkout\\index.html",
            "/..\\..\\etc\\passwd",
            "//etc/passwd",
            "/retail//checkout/index.html",
            "/./index.html",
            "/%00index.html",
            "/index.html%00",
            "/C:/Windows/win.ini",
            "/C%3A/Windows/win.ini",
            "/%ZZ",
            "/%",
            "/%C3",
            "/etc/passwd",
            "http://evil/index.html",
            "*",
        ];
        for base in ["/", "/cx/"] {
            for attack in attacks {
                let target = if base == "/" {
                    attack.to_string()
                } else {
                    format!("/cx{attack}")
                };
                assert_eq!(route(base, &target, site), Route::NotFound, "{target}");
            }
        }
    }

    #[test]
    fn content_types_say_utf_8_for_text() {
        let table = [
            ("a/index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("maps.json", "application/json; charset=utf-8"),
            ("a/swimlane.svg", "image/svg+xml"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("IMG.PNG", "image/png"),
            ("LICENSE", "application/octet-stream"),
        ];
        for (key, want) in table {
            assert_eq!(content_type(key), want, "{key}");
        }
    }

    #[test]
    fn path_to_base_counts_folders() {
        assert_eq!(path_to_base("/cx/", "/cx/").as_deref(), Some(""));
        assert_eq!(path_to_base("/cx/", "/cx/a.html").as_deref(), Some(""));
        assert_eq!(path_to_base("/cx/", "/cx/a/b/").as_deref(), Some("../../"));
        assert_eq!(path_to_base("/cx/", "/cx/a/b?x=/y").as_deref(), Some("../"));
        assert_eq!(path_to_base("/cx/", "/other"), None);
    }
}
