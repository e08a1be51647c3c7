//! The folder tree of the handbook, for navigation and section pages.
//!
//! Each folder under `content/` that holds maps or pages is a section with a
//! page of its own. A page's navigation shows only the branch that leads to
//! it (each level's entries, the folders on the way open), and a level with
//! many entries shows a window around the current one plus a link to the
//! whole section, so a page's size does not grow with the handbook.

use super::links::{href, index_of};
use crate::model::{Handbook, Page};
use crate::templates::context::NavEntry;
use std::collections::HashMap;

/// A map or a plain page, by index into the handbook's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    Map(usize),
    Page(usize),
}

#[derive(Clone, Debug)]
pub struct Section<'a> {
    /// `""` for the root, else `retail/onboarding`.
    pub dir: String,
    pub title: String,
    pub weight: Option<i64>,
    /// `_index.md` of the folder.
    pub intro: Option<&'a Page>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub struct Tree<'a> {
    /// `sections[0]` is the root.
    pub sections: Vec<Section<'a>>,
    /// Items in navigation order (for previous / next).
    pub order: Vec<Item>,
    pub position: HashMap<Item, usize>,
    /// The section each item is in.
    pub section_of: HashMap<Item, usize>,
}

/// Past this many entries, a level of the navigation shows a window.
const LONG_LEVEL: usize = 40;
/// Entries shown on each side of the current one in a long level.
const WINDOW: usize = 8;

fn parent_dir(id: &str) -> &str {
    id.rfind('/').map_or("", |i| &id[..i])
}

impl<'a> Tree<'a> {
    pub fn build(hb: &'a Handbook) -> Tree<'a> {
        let mut tree = Tree {
            sections: vec![Section {
                dir: String::new(),
                title: String::new(),
                weight: None,
                intro: None,
                parent: None,
                children: Vec::new(),
                items: Vec::new(),
            }],
            order: Vec::new(),
            position: HashMap::new(),
            section_of: HashMap::new(),
        };
        let mut by_dir: HashMap<String, usize> = HashMap::from([(String::new(), 0)]);
        for (i, m) in hb.maps.iter().enumerate() {
            let s = tree.section_for(&mut by_dir, parent_dir(&m.id));
            tree.sections[s].items.push(Item::Map(i));
        }
        for (i, p) in hb.pages.iter().enumerate() {
            if p.id == "_index" {
                tree.sections[0].intro = Some(p);
            } else if let Some(dir) = p.id.strip_suffix("/_index") {
                let s = tree.section_for(&mut by_dir, dir);
                tree.sections[s].intro = Some(p);
                tree.sections[s].title = p.title.clone();
                tree.sections[s].weight = p.weight;
            } else {
                let s = tree.section_for(&mut by_dir, parent_dir(&p.id));
                tree.sections[s].items.push(Item::Page(i));
            }
        }
        tree.sort(hb);
        tree.number(0);
        tree
    }

    fn section_for(&mut self, by_dir: &mut HashMap<String, usize>, dir: &str) -> usize {
        if let Some(&i) = by_dir.get(dir) {
            return i;
        }
        let parent = self.section_for(by_dir, parent_dir(dir));
        let i = self.sections.len();
        self.sections.push(Section {
            dir: dir.to_string(),
            title: dir.rsplit('/').next().unwrap_or(dir).to_string(),
            weight: None,
            intro: None,
            parent: Some(parent),
            children: Vec::new(),
            items: Vec::new(),
        });
        self.sections[parent].children.push(i);
        by_dir.insert(dir.to_string(), i);
        i
    }

    fn sort(&mut self, hb: &Handbook) {
        let keys: Vec<(i64, String)> = self
            .sections
            .iter()
            .map(|s| (s.weight.unwrap_or(i64::MAX), s.title.clone()))
            .collect();
        for s in &mut self.sections {
            s.children.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
            s.items.sort_by_cached_key(|it| {
                let (w, t, id) = item_key(hb, *it);
                (w.unwrap_or(i64::MAX), t.to_string(), id.to_string())
            });
        }
    }

    /// Fills `order`, `position` and `section_of`, depth first: a section's
    /// sub-sections, then its own items (the order navigation shows).
    fn number(&mut self, s: usize) {
        for c in self.sections[s].children.clone() {
            self.number(c);
        }
        for it in self.sections[s].items.clone() {
            self.position.insert(it, self.order.len());
            self.section_of.insert(it, s);
            self.order.push(it);
        }
    }

    /// The sections from the root down to `s`, both included.
    pub fn path_to(&self, s: usize) -> Vec<usize> {
        let mut path = vec![s];
        let mut cur = s;
        while let Some(p) = self.sections[cur].parent {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }

    /// The navigation of a page. `open` is the section the page is in (or
    /// is), `current` the item shown, if the page is one; `root` the page's
    /// path to the site root.
    pub fn nav(
        &self,
        hb: &Handbook,
        open: Option<usize>,
        current: Option<Item>,
        current_section: bool,
        root: &str,
    ) -> Vec<NavEntry> {
        let path = open.map(|s| self.path_to(s)).unwrap_or_else(|| vec![0]);
        let mut out = Vec::new();
        let ctx = NavCtx {
            hb,
            path: &path,
            current,
            current_section: if current_section { open } else { None },
            root,
        };
        self.nav_level(&ctx, 0, 0, &mut out);
        out
    }

    fn nav_level(&self, ctx: &NavCtx<'_>, s: usize, depth: usize, out: &mut Vec<NavEntry>) {
        let sec = &self.sections[s];
        let n_children = sec.children.len();
        let total = n_children + sec.items.len();
        let focus = (0..total).find(|&k| {
            if k < n_children {
                ctx.path.contains(&sec.children[k])
            } else {
                Some(sec.items[k - n_children]) == ctx.current
            }
        });
        let (from, to) = if total <= LONG_LEVEL {
            (0, total)
        } else {
            let span = 2 * WINDOW + 1;
            let from = focus.unwrap_or(0).saturating_sub(WINDOW).min(total - span);
            (from, from + span)
        };
        let more = |out: &mut Vec<NavEntry>| {
            out.push(NavEntry {
                title: format!("… ({total})"),
                href: href(ctx.root, &index_of(&sec.dir)),
                depth,
                kind: "more",
                current: false,
                open: false,
            });
        };
        if from > 0 {
            more(out);
        }
        for k in from..to {
            if k < n_children {
                let c = sec.children[k];
                let on_path = ctx.path.contains(&c);
                out.push(NavEntry {
                    title: self.sections[c].title.clone(),
                    href: href(ctx.root, &index_of(&self.sections[c].dir)),
                    depth,
                    kind: "section",
                    current: ctx.current_section == Some(c),
                    open: on_path,
                });
                if on_path {
                    self.nav_level(ctx, c, depth + 1, out);
                }
            } else {
                let it = sec.items[k - n_children];
                let (_, title, id) = item_key(ctx.hb, it);
                out.push(NavEntry {
                    title: title.to_string(),
                    href: href(ctx.root, &index_of(id)),
                    depth,
                    kind: match it {
                        Item::Map(_) => "map",
                        Item::Page(_) => "page",
                    },
                    current: ctx.current == Some(it),
                    open: false,
                });
            }
        }
        if to < total {
            more(out);
        }
    }
}

struct NavCtx<'n> {
    hb: &'n Handbook,
    path: &'n [usize],
    current: Option<Item>,
    current_section: Option<usize>,
    root: &'n str,
}

/// Weight, title and id of an item.
pub fn item_key(hb: &Handbook, it: Item) -> (Option<i64>, &str, &str) {
    match it {
        Item::Map(i) => {
            let m = &hb.maps[i];
            (m.weight, m.title.as_str(), m.id.as_str())
        }
        Item::Page(i) => {
            let p = &hb.pages[i];
            (p.weight, p.title.as_str(), p.id.as_str())
        }
    }
}
