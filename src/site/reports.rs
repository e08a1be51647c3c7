//! Cross-map reports: every pain and opportunity grouped by owner and
//! ranked by emotion (the pain-point report), and every opportunity with
//! its owner, priority, status and due date (the backlog).

use super::Ctx;
use super::links::{href, index_of};
use super::views::num;
use crate::i18n::word;
use crate::model::{Level, Status};
use crate::templates::context::{BacklogRow, Link, OwnerGroup, ReportRow};
use std::cmp::Ordering;
use std::collections::BTreeMap;

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
    pub fn pain_groups(&self, root: &str) -> (Vec<OwnerGroup>, usize, usize) {
        struct Row {
            emotion: Option<f64>,
            rank: u8,
            order: usize,
            row: ReportRow,
        }
        let lang = self.lang;
        let site_scale = self.project.config.scale();
        let mut groups: BTreeMap<Option<&str>, Vec<Row>> = BTreeMap::new();
        let (mut pains, mut opps) = (0, 0);
        let mut order = 0;
        for m in &self.hb().maps {
            let map = Link {
                title: m.title.clone(),
                href: href(root, &index_of(&m.id)),
            };
            for t in m.touchpoints() {
                // Maps may use different scales: rank by the place in the
                // map's own scale (0 = its lowest point, 1 = its highest).
                let level = t
                    .emotion
                    .map(|e| (e - m.scale.min) / (m.scale.max - m.scale.min));
                let tp = Link {
                    title: t.name.clone(),
                    href: format!("{}#tp-{}", map.href, t.anchor),
                };
                for p in &t.pains {
                    pains += 1;
                    order += 1;
                    groups.entry(t.owner.as_deref()).or_default().push(Row {
                        emotion: level,
                        rank: level_rank(p.severity),
                        order,
                        row: ReportRow {
                            what: "pain",
                            what_label: self.labels.pain.to_string(),
                            text: p.text.clone(),
                            emotion: t.emotion.map(num),
                            level: level.map(|l| format!("{l:.3}")),
                            scale: (m.scale.min != site_scale.min || m.scale.max != site_scale.max)
                                .then(|| format!("{}…{}", num(m.scale.min), num(m.scale.max))),
                            kind: p.kind.map(|k| word(lang, k.as_str())),
                            severity: p.severity.map(|k| word(lang, k.as_str())),
                            priority: None,
                            status: None,
                            map: map.clone(),
                            touchpoint: tp.clone(),
                        },
                    });
                }
                for o in &t.opportunities {
                    opps += 1;
                    order += 1;
                    groups.entry(o.owner.as_deref()).or_default().push(Row {
                        emotion: level,
                        rank: level_rank(o.priority),
                        order,
                        row: ReportRow {
                            what: "opportunity",
                            what_label: self.labels.opportunity.to_string(),
                            text: o.text.clone(),
                            emotion: t.emotion.map(num),
                            level: level.map(|l| format!("{l:.3}")),
                            scale: (m.scale.min != site_scale.min || m.scale.max != site_scale.max)
                                .then(|| format!("{}…{}", num(m.scale.min), num(m.scale.max))),
                            kind: None,
                            severity: None,
                            priority: o.priority.map(|k| word(lang, k.as_str())),
                            status: o.status.map(|k| word(lang, k.as_str())),
                            map: map.clone(),
                            touchpoint: tp.clone(),
                        },
                    });
                }
            }
        }
        // BTreeMap puts `None` first; the unowned group goes last.
        let mut keyed: Vec<_> = groups.into_iter().collect();
        let unowned_first = keyed.first().is_some_and(|(k, _)| k.is_none());
        keyed.rotate_left(usize::from(unowned_first));
        let out = keyed
            .into_iter()
            .enumerate()
            .map(|(i, (owner, mut rows))| {
                rows.sort_by(|a, b| {
                    by_emotion(a.emotion, b.emotion)
                        .then(a.rank.cmp(&b.rank))
                        .then(a.order.cmp(&b.order))
                });
                OwnerGroup {
                    owner: owner.map_or_else(|| self.labels.no_owner.to_string(), str::to_string),
                    id: format!("owner-{}", i + 1),
                    rows: rows.into_iter().map(|r| r.row).collect(),
                }
            })
            .collect();
        (out, pains, opps)
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
