//! Cross-map reports: every pain and opportunity grouped by owner and
//! ranked by emotion (the pain-point report), and every opportunity with
//! its owner, priority, status and due date (the backlog).

use super::Ctx;
use super::links::{href, index_of};
use super::views::num;
use crate::i18n::word;
use crate::model::{Level, Opportunity, Pain, Status, Touchpoint};
use crate::templates::context::{BacklogRow, Link, OwnerGroup};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A row of the pain-point report, pointing into the handbook.
struct Row<'m> {
    /// Place in the map's own scale, 0 (lowest) to 1.
    level: Option<f64>,
    rank: u8,
    order: usize,
    map: usize,
    tp: &'m Touchpoint,
    what: What<'m>,
}

enum What<'m> {
    Pain(&'m Pain),
    Opportunity(&'m Opportunity),
}

/// One owner's rows of the pain-point report, sorted, to be written by
/// [`Ctx::write_pain_rows`].
pub struct PainRows<'m> {
    rows: Vec<Row<'m>>,
    links: std::sync::Arc<RowLinks>,
}

/// Per map: the page's link from the report, and its own scale when it is
/// not the site's.
struct RowLinks {
    hrefs: Vec<String>,
    scales: Vec<Option<String>>,
}

/// Lowest emotion first; touchpoints without one last.
fn by_emotion(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn level_rank(l: Option<Level>) -> u8 {
    match l {
        Some(Level::High) => 0,
        Some(Level::Medium) => 1,
        Some(Level::Low) => 2,
        None => 3,
    }
}

impl Ctx<'_> {
    /// The pain-point report's groups, owners in alphabetical order with
    /// "no owner" last; returns (groups, pains, opportunities).
    ///
    /// Rows point into the handbook rather than copying its text, and each
    /// group's rows are written as HTML right after sorting: a handbook of
    /// 10,000 maps has about 400,000 rows.
    pub fn pain_groups<'s>(
        &'s self,
        root: &str,
    ) -> (Vec<OwnerGroup>, Vec<PainRows<'s>>, usize, usize) {
        let maps = &self.hb().maps;
        let site_scale = self.project.config.scale();
        let links = RowLinks {
            hrefs: maps.iter().map(|m| href(root, &index_of(&m.id))).collect(),
            scales: maps
                .iter()
                .map(|m| {
                    (m.scale.min != site_scale.min || m.scale.max != site_scale.max)
                        .then(|| format!("{}…{}", num(m.scale.min), num(m.scale.max)))
                })
                .collect(),
        };
        let mut groups: BTreeMap<Option<&str>, Vec<Row<'_>>> = BTreeMap::new();
        let (mut pains, mut opps) = (0, 0);
        for (mi, m) in maps.iter().enumerate() {
            for t in m.touchpoints() {
                // Maps may use different scales: rank by the place in the
                // map's own scale (0 = its lowest point, 1 = its highest).
                let level = t
                    .emotion
                    .map(|e| (e - m.scale.min) / (m.scale.max - m.scale.min));
                for p in &t.pains {
                    pains += 1;
                    groups.entry(t.owner.as_deref()).or_default().push(Row {
                        level,
                        rank: level_rank(p.severity),
                        order: pains + opps,
                        map: mi,
                        tp: t,
                        what: What::Pain(p),
                    });
                }
                for o in &t.opportunities {
                    opps += 1;
                    groups.entry(o.owner.as_deref()).or_default().push(Row {
                        level,
                        rank: level_rank(o.priority),
                        order: pains + opps,
                        map: mi,
                        tp: t,
                        what: What::Opportunity(o),
                    });
                }
            }
        }
        // BTreeMap puts `None` first; the unowned group goes last.
        let mut keyed: Vec<_> = groups.into_iter().collect();
        let unowned_first = keyed.first().is_some_and(|(k, _)| k.is_none());
        keyed.rotate_left(usize::from(unowned_first));
        let links = std::sync::Arc::new(links);
        let mut out = Vec::with_capacity(keyed.len());
        let mut all_rows = Vec::with_capacity(keyed.len());
        for (i, (owner, mut rows)) in keyed.into_iter().enumerate() {
            rows.sort_by(|a, b| {
                by_emotion(a.level, b.level)
                    .then(a.rank.cmp(&b.rank))
                    .then(a.order.cmp(&b.order))
            });
            out.push(OwnerGroup {
                owner: owner.map_or_else(|| self.labels.no_owner.to_string(), str::to_string),
                id: format!("owner-{}", i + 1),
                count: rows.len(),
                rows_html: String::new(),
            });
            all_rows.push(PainRows {
                rows,
                links: links.clone(),
            });
        }
        (out, all_rows, pains, opps)
    }

    /// Writes one owner's rows of the pain-point report as `<tr>` elements,
    /// a few hundred at a time: the rows of 10,000 maps are never all in
    /// memory as HTML.
    pub fn write_pain_rows(
        &self,
        rows: &PainRows<'_>,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut buf = String::with_capacity(1 << 17);
        for chunk in rows.rows.chunks(256) {
            buf.clear();
            for r in chunk {
                self.report_row_html(&mut buf, r, &rows.links);
            }
            w.write_all(buf.as_bytes())?;
        }
        Ok(())
    }

    /// One row of the pain-point report, as the default theme showed it.
    fn report_row_html(&self, out: &mut String, r: &Row<'_>, links: &RowLinks) {
        let l = self.labels;
        let lang = self.lang;
        let m = &self.hb().maps[r.map];
        let (what, what_label, kind, level_word, status) = match r.what {
            What::Pain(p) => (
                "pain",
                l.pain,
                p.kind.map(|k| k.as_str()),
                p.severity.map(|k| k.as_str()),
                None,
            ),
            What::Opportunity(o) => (
                "opportunity",
                l.opportunity,
                None,
                o.priority.map(|k| k.as_str()),
                o.status.map(|k| k.as_str()),
            ),
        };
        out.push_str("<tr class=\"row-");
        out.push_str(what);
        out.push('"');
        if let Some(level) = r.level {
            out.push_str(&format!(" data-level=\"{level:.3}\""));
        }
        out.push_str("><td class=\"num\">");
        match r.tp.emotion {
            Some(e) => {
                esc(out, &num(e));
                if let Some(scale) = &links.scales[r.map] {
                    out.push_str(" <span class=\"meta\">(");
                    esc(out, scale);
                    out.push_str(")</span>");
                }
            }
            None => esc(out, l.none),
        }
        out.push_str("</td><td><span class=\"badge badge-");
        out.push_str(what);
        out.push_str("\">");
        esc(out, what_label);
        out.push_str("</span>");
        if let Some(k) = kind {
            out.push(' ');
            esc(out, &word(lang, k));
        }
        out.push_str("</td><td>");
        esc(
            out,
            match r.what {
                What::Pain(p) => &p.text,
                What::Opportunity(o) => &o.text,
            },
        );
        out.push_str("</td><td>");
        if let Some(s) = level_word {
            esc(out, &word(lang, s));
        }
        if let Some(s) = status {
            // A separator only after a priority: never a row starting "·".
            if level_word.is_some() {
                out.push_str(" · ");
            }
            esc(out, &word(lang, s));
        }
        out.push_str("</td><td><a href=\"");
        esc(out, &links.hrefs[r.map]);
        out.push_str("#tp-");
        esc(out, &r.tp.anchor);
        out.push_str("\">");
        esc(out, &m.title);
        out.push_str(" › ");
        esc(out, &r.tp.name);
        out.push_str("</a></td></tr>\n");
    }

    /// One row of the backlog, as the default theme showed it.
    pub fn backlog_row_html(&self, out: &mut String, r: &BacklogRow) {
        let l = self.labels;
        out.push_str(if r.overdue {
            "<tr class=\"is-overdue\"><td>"
        } else {
            "<tr><td>"
        });
        esc(out, &r.text);
        out.push_str("</td><td>");
        esc(out, r.owner.as_deref().unwrap_or(l.none));
        out.push_str("</td><td>");
        for (key, label) in [(&r.priority, &r.priority_label)] {
            if let Some(k) = key {
                out.push_str("<span class=\"badge badge-");
                esc(out, k);
                out.push_str("\">");
                esc(out, label.as_deref().unwrap_or(k));
                out.push_str("</span>");
            }
        }
        out.push_str("</td><td>");
        if let Some(k) = &r.status {
            out.push_str("<span class=\"badge badge-");
            esc(out, k);
            out.push_str("\">");
            esc(out, r.status_label.as_deref().unwrap_or(k));
            out.push_str("</span>");
        }
        out.push_str("</td><td>");
        if let Some(d) = &r.due {
            out.push_str("<time datetime=\"");
            esc(out, d);
            out.push_str("\">");
            esc(out, d);
            out.push_str("</time>");
        }
        if r.overdue {
            out.push_str(" <span class=\"flag flag-warn\">");
            esc(out, l.overdue);
            out.push_str("</span>");
        }
        out.push_str("</td><td><a href=\"");
        esc(out, &r.touchpoint.href);
        out.push_str("\">");
        esc(out, &r.map.title);
        out.push_str(" › ");
        esc(out, &r.touchpoint.title);
        out.push_str("</a></td></tr>\n");
    }

    /// The backlog: open overdue items first, then by due date (undated
    /// last), priority and map order. Returns (rows, overdue count).
    pub fn backlog_rows(&self, root: &str) -> (Vec<BacklogRow>, usize) {
        let lang = self.lang;
        let today = self.project.today;
        let mut rows = Vec::new();
        for m in &self.hb().maps {
            let map = Link {
                title: m.title.clone(),
                href: href(root, &index_of(&m.id)),
            };
            for t in m.touchpoints() {
                for o in &t.opportunities {
                    let closed = o.status.is_some_and(|s| !Status::is_open(s));
                    rows.push((
                        (
                            !o.is_overdue(today),
                            closed,
                            o.due.is_none(),
                            o.due,
                            level_rank(o.priority),
                            rows.len(),
                        ),
                        BacklogRow {
                            text: o.text.clone(),
                            owner: o.owner.clone(),
                            priority: o.priority.map(|p| p.as_str().to_string()),
                            priority_label: o.priority.map(|p| word(lang, p.as_str())),
                            status: o.status.map(|s| s.as_str().to_string()),
                            status_label: o.status.map(|s| word(lang, s.as_str())),
                            due: o.due.map(|d| d.to_string()),
                            overdue: o.is_overdue(today),
                            map: map.clone(),
                            touchpoint: Link {
                                title: t.name.clone(),
                                href: format!("{}#tp-{}", map.href, t.anchor),
                            },
                        },
                    ));
                }
            }
        }
        rows.sort_by_key(|r| r.0);
        let overdue = rows.iter().filter(|r| r.1.overdue).count();
        (rows.into_iter().map(|r| r.1).collect(), overdue)
    }
}

/// Appends `s` escaped for HTML text and double-quoted attributes, as the
/// templates escape.
pub(crate) fn esc(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Renders a page whose big parts are HTML already written in Rust: each
/// part goes to the template as a short marker and is spliced into the
/// output afterwards, so that a report of a large handbook (hundreds of
/// megabytes for 10,000 maps) is not copied through the template engine.
pub struct Spliced<'a> {
    parts: Vec<Part<'a>>,
}

/// Writes one spliced part.
pub type Part<'a> = Box<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + 'a>;

impl<'a> Spliced<'a> {
    pub fn new() -> Spliced<'a> {
        Spliced { parts: Vec::new() }
    }

    /// Keeps `html` and returns the marker to put in its place.
    pub fn hold(&mut self, html: String) -> String {
        self.hold_with(Box::new(move |w| w.write_all(html.as_bytes())))
    }

    /// Keeps a part that is written only when the page is, and returns the
    /// marker to put in its place.
    pub fn hold_with(&mut self, part: Part<'a>) -> String {
        self.parts.push(part);
        format!("<!--cxbook-part-{}-->", self.parts.len() - 1)
    }

    /// Puts every part back in place of its marker.
    pub fn splice(self, rendered: &str) -> String {
        let mut out = Vec::with_capacity(rendered.len());
        // Writing into a Vec cannot fail, and only whole strings go in.
        let _ = self.write_to(rendered, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes `rendered` with every part in place of its marker, without
    /// putting the page together in memory.
    pub fn write_to(&self, rendered: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut rest = rendered;
        for (i, part) in self.parts.iter().enumerate() {
            let marker = format!("<!--cxbook-part-{i}-->");
            if let Some(at) = rest.find(&marker) {
                w.write_all(&rest.as_bytes()[..at])?;
                part(w)?;
                rest = &rest[at + marker.len()..];
            }
        }
        w.write_all(rest.as_bytes())
    }
}

impl Default for Spliced<'_> {
    fn default() -> Self {
        Spliced::new()
    }
}
