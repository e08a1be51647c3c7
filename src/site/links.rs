//! Where each page lands and how pages link to each other.
//!
//! Every internal link is relative (mdBook's `path_to_root`): a page at
//! `retail/checkout/index.html` reaches the root through `../../`, and links
//! name `index.html` explicitly so that the site works from `file://` and
//! under any sub-path. `base-url` appears only in the sitemap and the
//! canonical link.

use std::collections::{BTreeMap, HashSet};

/// The output file of a folder-like page: `""` gives `index.html`,
/// `retail/checkout` gives `retail/checkout/index.html`.
pub fn index_of(dir: &str) -> String {
    if dir.is_empty() {
        "index.html".to_string()
    } else {
        format!("{dir}/index.html")
    }
}

/// From the folder of `file` (an output path) back to the root:
/// `index.html` -> `""`, `a/b/index.html` -> `"../../"`.
pub fn root_of(file: &str) -> String {
    "../".repeat(file.matches('/').count())
}

/// A URL-safe form of an output path: ASCII characters that mean something
/// in a URL (space, `#`, `?`, `%`…) are percent-encoded; letters of other
/// scripts stay as they are (valid in HTML5 and readable in the source).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/') || !c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The href from a page to an output file: `root` + the encoded path.
pub fn href(root: &str, file: &str) -> String {
    format!("{root}{}", encode(file))
}

/// The path part of a base URL (`https://x.org/cx/` -> `/cx/`), for the 404
/// page, which must not load anything from another host.
pub fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        },
        None => base_url.to_string(),
    }
}

/// A full URL path for the sitemap and canonical links: base-url + the
/// folder of `file` (`retail/checkout/index.html` -> `/cx/retail/checkout/`).
pub fn absolute(base_url: &str, file: &str) -> String {
    let dir = file.strip_suffix("index.html").unwrap_or(file);
    format!("{base_url}{}", encode(dir))
}

/// A folder name for a tag: lower case, letters and digits of any script
/// kept, anything else folded into `-`.
pub fn slug(text: &str) -> String {
    let mut out = crate::text::slug(text);
    if out.is_empty() {
        out.push_str("tag");
    }
    out
}

/// A unique slug for every tag, in sorted order so the result never changes
/// from run to run (`Mobile` and `mobile` get `mobile` and `mobile-2`).
pub fn tag_slugs<'a>(tags: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let mut used = HashSet::new();
    let mut out = BTreeMap::new();
    let mut sorted: Vec<&str> = tags.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    for tag in sorted {
        let base = slug(tag);
        let mut s = base.clone();
        let mut n = 2;
        while !used.insert(s.clone()) {
            s = format!("{base}-{n}");
            n += 1;
        }
        out.insert(tag, s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_follows_depth() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("a/index.html"), "../");
        assert_eq!(root_of("a/b/index.html"), "../../");
    }

    #[test]
    fn encoding_keeps_cjk_and_escapes_specials() {
        assert_eq!(
            encode("零售/結帳 流程#1/index.html"),
            "零售/結帳%20流程%231/index.html"
        );
    }

    #[test]
    fn base_path_drops_the_host() {
        assert_eq!(base_path("https://intranet.example/cx/"), "/cx/");
        assert_eq!(base_path("/cx/"), "/cx/");
        assert_eq!(base_path("https://intranet.example"), "/");
    }

    #[test]
    fn tag_slugs_are_unique_and_stable() {
        let s = tag_slugs(["mobile", "Mobile", "網購", "a b"]);
        assert_eq!(s["Mobile"], "mobile");
        assert_eq!(s["mobile"], "mobile-2");
        assert_eq!(s["網購"], "網購");
        assert_eq!(s["a b"], "a-b");
    }
}
