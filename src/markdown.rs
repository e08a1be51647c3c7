//! Markdown bodies to HTML: pulldown-cmark options in one place.
//!
//! - CommonMark plus tables, footnotes, strikethrough and task lists.
//! - Every heading gets an `id` (its text as a slug, unique in the body)
//!   unless it has one (`## Title {#id}`).
//! - Raw HTML is shown as text unless `[markdown] unsafe-html` is on, as in
//!   Hugo; when on, the output is sanitised with ammonia.
//! - Relative links are rewritten for where the page lands in the site:
//!   `other.md` becomes `other/index.html`, and [`Options::prefix`] is put
//!   before every relative URL because a page `a/b.md` is written to
//!   `a/b/index.html`, one folder deeper than its source.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmOptions, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// How to render one body.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Pass raw HTML through (sanitised) instead of escaping it.
    pub unsafe_html: bool,
    /// Put before relative link and image URLs (`"../"` for a page written
    /// one folder below its source file).
    pub prefix: &'a str,
}

/// A heading of the body, for a table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The HTML of a body and its headings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
}

fn cm_options() -> CmOptions {
    CmOptions::ENABLE_TABLES
        | CmOptions::ENABLE_FOOTNOTES
        | CmOptions::ENABLE_STRIKETHROUGH
        | CmOptions::ENABLE_TASKLISTS
        | CmOptions::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown` to HTML.
pub fn render(markdown: &str, opts: Options<'_>) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, cm_options())
        .map(|ev| rewrite_event(ev, opts))
        .collect();
    let headings = assign_heading_ids(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if opts.unsafe_html {
        html = sanitiser().clean(&html).to_string();
    }
    Rendered { html, headings }
}

/// Plain text of a body (for search and descriptions), whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new_ext(markdown, cm_options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"]);
    b
}

fn rewrite_event<'a>(ev: Event<'a>, opts: Options<'_>) -> Event<'a> {
    match ev {
        Event::Html(s) | Event::InlineHtml(s) if !opts.unsafe_html => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: rewrite_url(dest_url, opts.prefix),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: rewrite_url(dest_url, opts.prefix),
            title,
            id,
        }),
        other => other,
    }
}

/// Rewrites one link target (see the module docs). Script URLs become `#`.
pub fn rewrite_url<'a>(url: CowStr<'a>, prefix: &str) -> CowStr<'a> {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
        return CowStr::Borrowed("#");
    }
    let is_relative = !url.is_empty()
        && !url.starts_with(['#', '/', '?'])
        && !has_scheme(&url)
        && !url.starts_with("//");
    if !is_relative {
        return url;
    }
    let (path, frag) = match url.find(['#', '?']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (&url[..], ""),
    };
    let path = if let Some(stem) = path.strip_suffix(".md") {
        if stem == "_index" {
            "index.html".to_string()
        } else if let Some(dir) = stem.strip_suffix("/_index") {
            format!("{dir}/index.html")
        } else {
            format!("{stem}/index.html")
        }
    } else {
        path.to_string()
    };
    CowStr::from(format!("{prefix}{path}{frag}"))
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Gives every heading an id and returns the headings in order.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut used: HashSet<String> = HashSet::new();
    // Ids written by the author are taken first, so generated ones avoid them.
    for ev in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = ev {
            used.insert(id.to_string());
        }
    }
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = heading_level(*level);
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                let given = id.as_ref().map(|s| s.to_string());
                let chosen = given.unwrap_or_else(|| unique(slug(&text), &mut used));
                *id = Some(CowStr::from(chosen.clone()));
                headings.push(Heading {
                    level,
                    id: chosen,
                    text: text.trim().to_string(),
                });
            }
            i = j;
        }
        i += 1;
    }
    headings
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn unique(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// A heading's text as an id: lower case, letters and digits of any script
/// kept, everything else folded into single `-`. Never starts with `tp-`,
/// which belongs to touchpoint anchors.
pub fn slug(text: &str) -> String {
    let mut out = crate::text::slug(text);
    if out.is_empty() {
        out.push_str("section");
    }
    if out.starts_with("tp-") {
        out.insert_str(0, "h-");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, Options::default()).html
    }

    #[test]
    fn extensions_are_on() {
        let h = html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nnote[^1]\n\n[^1]: foot\n",
        );
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<del>x</del>"), "{h}");
        assert!(h.contains("type=\"checkbox\""), "{h}");
        assert!(h.contains("footnote"), "{h}");
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let h = html("<script>alert(1)</script>\n\nhi <b>there</b>\n");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(h.contains("&lt;b&gt;"), "{h}");
    }

    #[test]
    fn raw_html_is_sanitised_when_allowed() {
        let r = render(
            "<b>bold</b> <script>alert(1)</script>\n\n## Title\n",
            Options {
                unsafe_html: true,
                prefix: "",
            },
        );
        assert!(r.html.contains("<b>bold</b>"), "{}", r.html);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(r.html.contains("id=\"title\""), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids_in_any_script() {
        let r = render(
            "# Findings\n\n## Findings\n\n## 結帳流程\n",
            Options::default(),
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["findings", "findings-1", "結帳流程"]);
        assert!(r.html.contains("<h2 id=\"結帳流程\">"), "{}", r.html);
    }

    #[test]
    fn relative_links_follow_the_page() {
        let r = render(
            "[a](other.md) [b](sub/_index.md#x) [c](img/p.png) [d](https://x.org) [e](#top) [f](javascript:alert(1))",
            Options {
                unsafe_html: false,
                prefix: "../",
            },
        );
        assert!(
            r.html.contains("href=\"../other/index.html\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"../sub/index.html#x\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"../img/p.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org\""), "{}", r.html);
        assert!(r.html.contains("href=\"#top\""), "{}", r.html);
        assert!(!r.html.contains("javascript"), "{}", r.html);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("# T\n\nSome *text* `x`\n"), "T Some text x");
    }
}
