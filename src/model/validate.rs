//! From YAML trees to the typed model, with every problem reported.
//!
//! Each file is validated on its own ([`file`]): its front matter is parsed
//! into a [`Node`] tree, then walked key by key. Every problem becomes a
//! [`Diagnostic`] at the line and column of the offending value, and the
//! walk goes on, so one run reports all of them. Checks across files
//! (`persona`, `compare`) run afterwards in [`handbook`].

use crate::config::Config;
use crate::content::yaml::{self, Node, Pos, Value};
use crate::content::{self, FileKind, SourceFile};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{
    Date, Evidence, Handbook, Lane, Level, Map, MapState, Metric, Opportunity, Page, Pain,
    PainKind, Persona, Scale, Stage, Status, Touchpoint,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

const MAP_KEYS: &[&str] = &[
    "title", "persona", "state", "compare", "owner", "reviewed", "tags", "weight", "emotion",
    "lanes", "stages", "extra",
];
const STAGE_KEYS: &[&str] = &["name", "description", "touchpoints"];
const TOUCHPOINT_KEYS: &[&str] = &[
    "name",
    "channel",
    "action",
    "thought",
    "emotion",
    "pains",
    "opportunities",
    "owner",
    "moment-of-truth",
    "evidence",
    "metrics",
];
const PAIN_KEYS: &[&str] = &["text", "kind", "severity"];
const OPPORTUNITY_KEYS: &[&str] = &["text", "owner", "priority", "status", "due"];
const METRIC_KEYS: &[&str] = &["value", "target", "previous", "unit"];
const SCALE_KEYS: &[&str] = &["min", "max", "labels"];
const PERSONA_KEYS: &[&str] = &["name", "role", "quote", "goals", "frustrations", "image"];
const PAGE_KEYS: &[&str] = &["title", "weight"];

/// What one file turned into.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Item {
    Map(Arc<Map>),
    Persona(Persona),
    Page(Page),
}

/// Where a map's references to other files were written, so that a broken
/// reference can be reported at its value.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Refs {
    pub persona: Option<(String, Pos)>,
    pub compare: Option<(String, Pos)>,
}

/// A reference from a map to another file (`persona`, `compare`), placed
/// for its diagnostic: the checks across files need no file's text, so
/// `serve` can check them again after a save without keeping 10,000 texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The id as written.
    pub target: String,
    pub line: usize,
    pub column: usize,
    pub width: usize,
    /// The text of `line`, for the code frame.
    pub source_line: String,
}

/// A map's references, placed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    pub persona: Option<Link>,
    pub compare: Option<Link>,
}

/// One file validated on its own: what [`link`] puts together.
#[derive(Clone, Debug)]
pub struct Checked {
    /// `None` when the file is not a map, persona or page at all.
    pub item: Option<Item>,
    pub diags: Vec<Diagnostic>,
    /// The references as the parser saw them.
    pub refs: Refs,
    pub links: Links,
    /// Hash of the file's text ([`hash_bytes`]).
    pub hash: u64,
}

impl Checked {
    /// Whether the file has errors (and so stays out of the handbook).
    pub fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// What validating a file depends on besides the file: the site's scale,
/// `[check]` and today's date.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub scale: Scale,
    pub stale_after: u32,
    pub today: Date,
}

impl Rules {
    pub fn new(config: &Config, today: Date) -> Rules {
        Rules {
            scale: config.scale(),
            stale_after: config.check.stale_after_days,
            today,
        }
    }
}

/// Validates every file and the references between them. Files with
/// errors are left out of the handbook.
pub fn handbook(files: &[SourceFile], config: &Config, today: Date) -> (Handbook, Vec<Diagnostic>) {
    let rules = Rules::new(config, today);
    let results = check_all(files, &rules, |_, _| None);
    link(
        files
            .iter()
            .zip(&results)
            .map(|(f, r)| (f.path.as_path(), f.id.as_str(), f.kind, r)),
    )
}

/// A hash of a file's bytes, to tell whether it changed.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Validates each file on its own, in parallel, on threads with the
/// stack the YAML parser needs. `reuse` may hand back an earlier result
/// for a file whose text has the given hash ([`hash_bytes`]).
pub fn check_all(
    files: &[SourceFile],
    rules: &Rules,
    reuse: impl Fn(&SourceFile, u64) -> Option<Checked> + Sync,
) -> Vec<Checked> {
    with_parse_stack(|| {
        files
            .par_iter()
            .map(|f| {
                let hash = hash_bytes(f.text.as_bytes());
                reuse(f, hash).unwrap_or_else(|| check_one(f, rules, hash))
            })
            .collect()
    })
}

fn check_one(src: &SourceFile, rules: &Rules, hash: u64) -> Checked {
    let mut ctx = Ctx::new(src);
    let item = file_inner(&mut ctx, src, &rules.scale, rules.stale_after, rules.today);
    Checked {
        item,
        links: links(src, &ctx.refs),
        refs: ctx.refs,
        diags: ctx.diags,
        hash,
    }
}

/// Places a map's references in its text.
fn links(src: &SourceFile, refs: &Refs) -> Links {
    // A fresh context, as the references are reported from the start of
    // the file's YAML (`Ctx::new`'s offsets).
    let ctx = Ctx::new(src);
    let place = |(target, pos): &(String, Pos)| {
        let line = pos.line + ctx.line_offset;
        let d = Diagnostic::error("", "").at(
            ctx.path,
            ctx.text,
            line,
            pos.column,
            ctx.width_at(*pos, line),
        );
        Link {
            target: target.clone(),
            line: d.line,
            column: d.column,
            width: d.width,
            source_line: d.source_line,
        }
    };
    Links {
        persona: refs.persona.as_ref().map(place),
        compare: refs.compare.as_ref().map(place),
    }
}

/// Puts validated files together, in path order: checks the references
/// across files, and leaves out files with errors and maps with broken
/// references. Each file comes as its path (relative to the project root),
/// id, kind and result. Cheap: no file is parsed again, and the maps are
/// shared, not copied.
pub fn link<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str, FileKind, &'a Checked)>,
) -> (Handbook, Vec<Diagnostic>) {
    let mut hb = Handbook::default();
    let mut diags = Vec::new();
    let mut map_refs = Vec::new();
    // Files left out of the handbook (with errors, or not a map, persona
    // or page) still exist: a reference to a broken persona is not also
    // "missing".
    let mut left_personas = Vec::new();
    let mut left_others = Vec::new();
    for (path, id, kind, r) in files {
        let failed = r.failed();
        diags.extend(r.diags.iter().cloned());
        if r.links.persona.is_some() || r.links.compare.is_some() {
            map_refs.push((path, id, &r.links));
        }
        match &r.item {
            Some(Item::Map(m)) if !failed => hb.maps.push(m.clone()),
            Some(Item::Persona(p)) if !failed => hb.personas.push(p.clone()),
            Some(Item::Page(p)) if !failed => hb.pages.push(p.clone()),
            _ => match kind {
                FileKind::Persona if !is_index(id) => left_personas.push(persona_id(id)),
                _ => left_others.push(id),
            },
        }
    }
    hb.maps.sort_by(|a, b| a.id.cmp(&b.id));
    hb.personas.sort_by(|a, b| a.id.cmp(&b.id));
    hb.pages.sort_by(|a, b| a.id.cmp(&b.id));
    let known = Known {
        hb: &hb,
        left_personas: Ids::new(left_personas),
        left_others: Ids::new(left_others),
    };
    let mut broken = HashSet::new();
    for (path, id, links) in map_refs {
        let found = check_refs(path, id, links, &known);
        if found.iter().any(Diagnostic::is_error) {
            broken.insert(id);
        }
        diags.extend(found);
    }
    if !broken.is_empty() {
        hb.maps.retain(|m| !broken.contains(m.id.as_str()));
    }
    (hb, diags)
}

/// The ids of every file, for the references across files: the handbook
/// holds most of them (and looks them up by binary search), the files it
/// left out are few.
struct Known<'a> {
    hb: &'a Handbook,
    left_personas: Ids<'a>,
    /// Maps and pages left out.
    left_others: Ids<'a>,
}

impl<'a> Known<'a> {
    fn persona(&self, id: &str) -> bool {
        self.hb.persona(id).is_some() || self.left_personas.contains(id)
    }

    /// Whether a map or a page has this id, even with errors.
    fn map_or_page(&self, id: &str) -> bool {
        self.hb.map(id).is_some() || self.page(id) || self.left_others.contains(id)
    }

    fn page(&self, id: &str) -> bool {
        self.hb
            .pages
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .is_ok()
    }

    fn persona_ids(&self) -> &[&'a str] {
        let hb = self.hb;
        self.left_personas
            .with(|| hb.personas.iter().map(|p| p.id.as_str()).collect())
    }

    fn map_and_page_ids(&self) -> &[&'a str] {
        let hb = self.hb;
        self.left_others.with(|| {
            let maps = hb.maps.iter().map(|m| m.id.as_str());
            maps.chain(hb.pages.iter().map(|p| p.id.as_str())).collect()
        })
    }
}

/// A few ids, sorted to look up; with the handbook's, sorted, once a hint
/// needs them all (sorted, so that a hint chosen among equally close ids is
/// always the same one).
struct Ids<'a> {
    sorted: Vec<&'a str>,
    all: std::cell::OnceCell<Vec<&'a str>>,
}

impl<'a> Ids<'a> {
    fn new(mut ids: Vec<&'a str>) -> Self {
        ids.sort_unstable();
        Ids {
            sorted: ids,
            all: std::cell::OnceCell::new(),
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.sorted.binary_search(&id).is_ok()
    }

    /// These ids and those `more` gives, sorted.
    fn with(&self, more: impl FnOnce() -> Vec<&'a str>) -> &[&'a str] {
        self.all.get_or_init(|| {
            let mut all = more();
            all.extend(&self.sorted);
            all.sort_unstable();
            all
        })
    }
}

/// Validates one file as a map, without cross-references (`cxbook render`).
pub fn single_map(
    src: &SourceFile,
    config: &Config,
    today: Date,
) -> (Option<Map>, Vec<Diagnostic>) {
    let scale = config.scale();
    let (item, mut diags) =
        with_parse_stack(|| file(src, &scale, config.check.stale_after_days, today));
    match item {
        Some(Item::Map(m)) => (Some(Arc::unwrap_or_clone(m)), diags),
        Some(_) => {
            let ctx = Ctx::new(src);
            diags.push(
                Diagnostic::error(
                    "not-a-map",
                    "this file is not a journey map: its front matter has no `stages`",
                )
                .at(&src.path, ctx.text, 1, 1, 3)
                .with_hint("a map needs `title` and `stages` in its front matter"),
            );
            (None, diags)
        }
        None => (None, diags),
    }
}

/// Runs `f` on a thread pool whose threads have the stack the YAML parser
/// needs for hostile input ([`yaml::PARSE_STACK`]).
/// The pool is made once and kept: `serve` loads on every save, and fresh
/// threads would each start with a cold allocator arena.
fn with_parse_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(yaml::PARSE_STACK)
            .thread_name(|i| format!("cxbook-load-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

fn is_index(id: &str) -> bool {
    id == "_index" || id.ends_with("/_index")
}

/// `personas/busy-parent` -> `busy-parent`.
fn persona_id(id: &str) -> &str {
    id.strip_prefix("personas/").unwrap_or(id)
}

/// Validates one file: a map, a persona or a plain page.
pub fn file(
    src: &SourceFile,
    site_scale: &Scale,
    stale_after: u32,
    today: Date,
) -> (Option<Item>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(src);
    let item = file_inner(&mut ctx, src, site_scale, stale_after, today);
    (item, ctx.diags)
}

fn file_inner(
    ctx: &mut Ctx,
    src: &SourceFile,
    site_scale: &Scale,
    stale_after: u32,
    today: Date,
) -> Option<Item> {
    if src.text.trim().is_empty() {
        ctx.diags.push(
            Diagnostic::error("empty-file", "the file is empty")
                .at(&src.path, "", 1, 1, 1)
                .with_hint("a page needs front matter: `---`, then `title: …`, then `---`"),
        );
        return None;
    }
    let split = match content::split(&src.path, &src.text) {
        Ok(Some(s)) => s,
        Ok(None) => {
            ctx.diags.push(
                Diagnostic::error("missing-front-matter", "the file has no front matter")
                    .at(&src.path, &src.text, 1, 1, 1)
                    .with_hint("start the file with a `---` line, then `title: …`, then another `---` line"),
            );
            return None;
        }
        Err(d) => {
            ctx.diags.push(d);
            return None;
        }
    };
    ctx.line_offset = split.front_line;
    // The YAML starts on the line after the opening `---`.
    ctx.front_start = src.text.find('\n').map_or(src.text.len(), |i| i + 1);
    let root = match yaml::parse(split.front) {
        Ok(n) => n,
        Err((msg, pos)) => {
            let text = if msg.starts_with("the front matter was refused") {
                msg.clone()
            } else {
                format!("the front matter is not valid YAML: {msg}")
            };
            let d = Diagnostic::error("yaml-syntax", text).with_hint(yaml_hint(&msg));
            ctx.push(d, pos);
            return None;
        }
    };
    if matches!(root.value, Value::Null) {
        let d = Diagnostic::error("empty-front-matter", "the front matter is empty")
            .with_hint("add at least `title: …`");
        ctx.diags.push(d.at(&src.path, &src.text, 1, 1, 3));
        return None;
    }
    let body = split.body.to_string();
    if src.kind == FileKind::Persona && !is_index(&src.id) {
        return persona(ctx, &root, src, body).map(Item::Persona);
    }
    let has_stages = matches!(&root.value, Value::Map(e) if e.iter().any(|(k, _)| k.value == Value::Str("stages".into())));
    if has_stages {
        let map = map(ctx, &root, src, body, site_scale)?;
        warn_map(ctx, &root, &map, stale_after, today);
        Some(Item::Map(Arc::new(map)))
    } else {
        page(ctx, &root, src, body).map(Item::Page)
    }
}

fn yaml_hint(msg: &str) -> String {
    let m = msg.to_ascii_lowercase();
    if m.contains("nests") {
        "a journey map nests a few levels deep; flatten the structure (at most 64 levels)".into()
    } else if m.contains("expands") {
        "write the values out instead of repeating large blocks with `*alias`".into()
    } else if m.contains("duplicate") {
        "remove one of the two keys".into()
    } else if m.contains("tab") {
        "indent with spaces, not tabs".into()
    } else {
        "check indentation and quoting near this position; text containing `: ` or ` #` needs quotes".into()
    }
}

/// One file's validation state.
struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
    /// Lines before the YAML text in the file (the opening `---`).
    line_offset: usize,
    /// Byte offset of the YAML text in the file.
    front_start: usize,
    diags: Vec<Diagnostic>,
    /// A map's references to other files, checked once all are loaded.
    refs: Refs,
}

impl<'a> Ctx<'a> {
    fn new(src: &'a SourceFile) -> Self {
        Ctx {
            path: &src.path,
            text: &src.text,
            line_offset: 1,
            front_start: 4,
            diags: Vec::new(),
            refs: Refs::default(),
        }
    }

    /// Places `d` at `pos` (a position in the YAML text) and keeps it.
    fn push(&mut self, d: Diagnostic, pos: Pos) {
        let line = pos.line + self.line_offset;
        let width = self.width_at(pos, line);
        self.diags
            .push(d.at(self.path, self.text, line, pos.column, width));
    }

    /// Characters to underline: the value's own text, up to the line's end.
    fn width_at(&self, pos: Pos, line: usize) -> usize {
        let src_line = self.text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let rest: String = src_line
            .chars()
            .skip(pos.column.saturating_sub(1))
            .collect();
        let rest = rest.trim_end();
        if pos.len > 0 {
            let start = self.front_start + pos.offset;
            if let Some(s) = self.text.get(start..start + pos.len) {
                let n = s.lines().next().unwrap_or("").trim_end().chars().count();
                return n.clamp(1, rest.chars().count().max(1));
            }
        }
        rest.chars().count().max(1)
    }

    fn error(
        &mut self,
        pos: Pos,
        code: &'static str,
        msg: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::error(code, msg);
        d.hint = hint;
        self.push(d, pos);
    }

    fn warn(&mut self, pos: Pos, code: &'static str, msg: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::warning(code, msg);
        d.hint = hint;
        self.push(d, pos);
    }

    /// The entries of a mapping, keyed by name; reports a value that is not
    /// a mapping, keys that are not text, unknown keys and duplicates.
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        allowed: &[&'static str],
        what: &str,
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                "wrong-type",
                format!(
                    "{what} must be a mapping of keys to values, found {}",
                    node.value.kind()
                ),
                Some(format!(
                    "write it as `key: value` lines; keys: {}",
                    allowed.join(", ")
                )),
            );
            return None;
        };
        let mut out = Fields {
            entries: BTreeMap::new(),
            pos: node.pos,
        };
        for (k, v) in entries {
            let key = match &k.value {
                Value::Str(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                other => {
                    self.error(
                        k.pos,
                        "wrong-type",
                        format!("a key in {what} must be text, found {}", other.kind()),
                        None,
                    );
                    continue;
                }
            };
            if !allowed.contains(&key.as_str()) {
                let hint = match did_you_mean(&key, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("{what} takes: {}", allowed.join(", ")),
                };
                self.error(
                    k.pos,
                    "unknown-key",
                    format!("unknown key `{key}` in {what}"),
                    Some(hint),
                );
                continue;
            }
            if let Some((first, _)) = out.entries.get(key.as_str()) {
                let first_line = first.line + self.line_offset;
                self.error(
                    k.pos,
                    "duplicate-key",
                    format!("`{key}` is given twice in {what}"),
                    Some(format!("it is first given on line {first_line}; keep one")),
                );
                continue;
            }
            let name = allowed.iter().find(|a| **a == key).copied().unwrap_or("");
            out.entries.insert(name, (k.pos, v));
        }
        Some(out)
    }

    /// Free text: a string, or a number or boolean taken as written.
    fn text(&mut self, f: &Fields, key: &str, what: &str) -> Option<String> {
        let (_, node) = f.get(key)?;
        self.text_of(node, &format!("`{key}` of {what}"))
    }

    fn text_of(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(x) if x.is_finite() => Some(x.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            other => {
                self.error(
                    node.pos,
                    "wrong-type",
                    format!("{what} must be text, found {}", other.kind()),
                    Some("put the text on the same line after the colon, quoted if it contains `: ` or ` #`".into()),
                );
                None
            }
        }
    }

    fn required_text(&mut self, f: &Fields, key: &str, what: &str) -> Option<String> {
        match self.text(f, key, what) {
            Some(s) if !s.trim().is_empty() => Some(s),
            Some(_) => {
                let pos = f.get(key).map_or(f.pos, |(_, n)| n.pos);
                self.error(
                    pos,
                    "empty-value",
                    format!("`{key}` of {what} is empty"),
                    None,
                );
                None
            }
            None => {
                if f.get(key).is_none_or(|(_, n)| n.value == Value::Null) {
                    let pos = f.get(key).map_or(f.pos, |(p, _)| p);
                    self.error(
                        pos,
                        "missing-key",
                        format!("{what} needs `{key}`"),
                        Some(format!("add `{key}: …`")),
                    );
                }
                None
            }
        }
    }

    /// A finite number. Text that looks like a number is refused with a hint.
    fn number_of(&mut self, node: &Node, what: &str) -> Option<f64> {
        match &node.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(x) if x.is_finite() => Some(*x),
            Value::Float(x) => {
                self.error(
                    node.pos,
                    "not-finite",
                    format!(
                        "{what} must be a finite number, found {}",
                        if x.is_nan() {
                            ".nan"
                        } else if *x > 0.0 {
                            ".inf"
                        } else {
                            "-.inf"
                        }
                    ),
                    Some("use an ordinary number such as 1 or -0.5".into()),
                );
                None
            }
            other => {
                let hint = match other {
                    Value::Str(s) if s.trim().parse::<f64>().is_ok() => {
                        Some(format!("remove the quotes: {s}"))
                    }
                    _ => Some("use a number such as 2 or -1.5".into()),
                };
                self.error(
                    node.pos,
                    "wrong-type",
                    format!("{what} must be a number, found {}", other.kind()),
                    hint,
                );
                None
            }
        }
    }

    fn number(&mut self, f: &Fields, key: &str, what: &str) -> Option<f64> {
        let (_, node) = f.get(key)?;
        if node.value == Value::Null {
            return None;
        }
        self.number_of(node, &format!("`{key}` of {what}"))
    }

    fn integer(&mut self, f: &Fields, key: &str, what: &str) -> Option<i64> {
        let (_, node) = f.get(key)?;
        match &node.value {
            Value::Int(i) => Some(*i),
            Value::Null => None,
            other => {
                self.error(
                    node.pos,
                    "wrong-type",
                    format!(
                        "`{key}` of {what} must be a whole number, found {}",
                        match other {
                            Value::Float(x) => x.to_string(),
                            _ => other.kind().to_string(),
                        }
                    ),
                    Some("use a whole number such as 10".into()),
                );
                None
            }
        }
    }

    fn boolean(&mut self, f: &Fields, key: &str, what: &str) -> Option<bool> {
        let (_, node) = f.get(key)?;
        match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                self.error(
                    node.pos,
                    "wrong-type",
                    format!(
                        "`{key}` of {what} must be true or false, found {}",
                        other.kind()
                    ),
                    Some("write `true` or `false`".into()),
                );
                None
            }
        }
    }

    fn date(&mut self, f: &Fields, key: &str, what: &str) -> Option<Date> {
        let (_, node) = f.get(key)?;
        let s = match &node.value {
            Value::Str(s) => s.trim().to_string(),
            Value::Null => return None,
            other => {
                self.error(
                    node.pos,
                    "bad-date",
                    format!(
                        "`{key}` of {what} must be a date YYYY-MM-DD, found {}",
                        other.kind()
                    ),
                    Some("write the date as 2026-05-04".into()),
                );
                return None;
            }
        };
        match Date::parse(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(
                    node.pos,
                    "bad-date",
                    format!("`{key}` of {what}: {e}"),
                    Some("write a real date as YYYY-MM-DD, e.g. 2026-05-04".into()),
                );
                None
            }
        }
    }

    /// One of a fixed set of words, with the allowed words as the hint.
    fn word<T: Copy>(
        &mut self,
        f: &Fields,
        key: &str,
        what: &str,
        allowed: &[(&'static str, T)],
    ) -> Option<T> {
        let (_, node) = f.get(key)?;
        self.word_of(node, &format!("`{key}` of {what}"), allowed)
    }

    fn word_of<T: Copy>(
        &mut self,
        node: &Node,
        what: &str,
        allowed: &[(&'static str, T)],
    ) -> Option<T> {
        let words: Vec<&str> = allowed.iter().map(|(w, _)| *w).collect();
        let s = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Null => return None,
            other => {
                self.error(
                    node.pos,
                    "wrong-type",
                    format!(
                        "{what} must be one of {}, found {}",
                        words.join(", "),
                        other.kind()
                    ),
                    None,
                );
                return None;
            }
        };
        if let Some((_, v)) = allowed.iter().find(|(w, _)| *w == s) {
            return Some(*v);
        }
        let hint = match did_you_mean(&s, words.iter().copied()) {
            Some(w) => format!("did you mean `{w}`? (allowed: {})", words.join(", ")),
            None => format!("use one of: {}", words.join(", ")),
        };
        self.error(
            node.pos,
            "unknown-value",
            format!("{what} is `{s}`, which is not an allowed value"),
            Some(hint),
        );
        None
    }

    /// A list of text items (a single text is taken as a one-item list).
    fn text_list(&mut self, f: &Fields, key: &str, what: &str) -> Vec<String> {
        let Some((_, node)) = f.get(key) else {
            return Vec::new();
        };
        let label = format!("`{key}` of {what}");
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| self.text_of(i, &format!("an item of {label}")))
                .collect(),
            Value::Null => Vec::new(),
            Value::Map(_) => {
                self.error(
                    node.pos,
                    "wrong-type",
                    format!("{label} must be a list of text, found a mapping"),
                    Some(format!("write `{key}: [first, second]`")),
                );
                Vec::new()
            }
            _ => self.text_of(node, &label).into_iter().collect(),
        }
    }
}

/// A mapping's entries by key, with the mapping's own position.
struct Fields<'n> {
    entries: BTreeMap<&'static str, (Pos, &'n Node)>,
    pos: Pos,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<(Pos, &'n Node)> {
        self.entries.get(key).copied()
    }
}

fn map(
    ctx: &mut Ctx,
    root: &Node,
    src: &SourceFile,
    body: String,
    site_scale: &Scale,
) -> Option<Map> {
    let what = "the map";
    let f = ctx.fields(root, MAP_KEYS, what)?;
    let title = ctx.required_text(&f, "title", what);
    let persona = ctx.text(&f, "persona", what);
    ctx.refs.persona = persona.clone().zip(f.get("persona").map(|(_, n)| n.pos));
    let state = ctx
        .word(&f, "state", what, &MapState::ALL)
        .unwrap_or_default();
    let compare = ctx.text(&f, "compare", what);
    ctx.refs.compare = compare.clone().zip(f.get("compare").map(|(_, n)| n.pos));
    let owner = ctx.text(&f, "owner", what);
    let reviewed = ctx.date(&f, "reviewed", what);
    let tags = ctx.text_list(&f, "tags", what);
    let weight = ctx.integer(&f, "weight", what);
    let scale = match f.get("emotion") {
        Some((_, n)) => scale(ctx, n, site_scale),
        None => Some(site_scale.clone()),
    };
    let lanes = f.get("lanes").and_then(|(_, n)| lanes(ctx, n));
    let extra = match f.get("extra") {
        Some((_, n)) if matches!(n.value, Value::Map(_) | Value::Null) => to_json(n),
        Some((_, n)) => {
            ctx.error(
                n.pos,
                "wrong-type",
                format!(
                    "`extra` must be a mapping of your own keys, found {}",
                    n.value.kind()
                ),
                Some("e.g. `extra: { journey-id: J-12, squad: payments }`".into()),
            );
            serde_json::Value::Null
        }
        None => serde_json::Value::Null,
    };
    let stages = match (f.get("stages"), &scale) {
        (Some((_, n)), Some(scale)) => stages(ctx, n, scale),
        (Some((_, n)), None) => stages(
            ctx,
            n,
            &Scale {
                min: f64::MIN,
                max: f64::MAX,
                labels: Vec::new(),
            },
        ),
        (None, _) => None,
    };
    if ctx.diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Map {
        id: src.id.clone(),
        source: src.path.clone(),
        title: title?,
        persona,
        state,
        compare,
        owner,
        reviewed,
        tags,
        weight,
        scale: scale?,
        lanes,
        stages: stages?,
        extra,
        body,
    })
}

fn scale(ctx: &mut Ctx, node: &Node, site: &Scale) -> Option<Scale> {
    let what = "the map's emotion scale";
    let f = ctx.fields(node, SCALE_KEYS, what)?;
    let min = ctx.number(&f, "min", what).unwrap_or(site.min);
    let max = ctx.number(&f, "max", what).unwrap_or(site.max);
    if min >= max {
        let pos = f.get("min").map_or(node.pos, |(_, n)| n.pos);
        ctx.error(
            pos,
            "bad-scale",
            format!("the emotion scale's min ({min}) must be below its max ({max})"),
            Some("e.g. `emotion: { min: 1, max: 5 }`".into()),
        );
        return None;
    }
    let mut labels = Vec::new();
    if let Some((_, n)) = f.get("labels") {
        if let Value::Map(entries) = &n.value {
            for (k, v) in entries {
                let key = match &k.value {
                    Value::Int(i) => Some(*i as f64),
                    Value::Float(x) if x.is_finite() => Some(*x),
                    Value::Str(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                };
                match key {
                    Some(x) if x >= min && x <= max => {
                        if let Some(t) = ctx.text_of(v, "a label of the emotion scale") {
                            labels.push((x, t));
                        }
                    }
                    _ => ctx.error(k.pos, "bad-scale", format!("a label of the emotion scale must be keyed by a number from {min} to {max}"), None),
                }
            }
            labels.sort_by(|a, b| a.0.total_cmp(&b.0));
        } else {
            ctx.error(n.pos, "wrong-type", "`labels` of the emotion scale must be a mapping such as `{ 1: Angry, 5: Delighted }`", None);
        }
    } else if min == site.min && max == site.max {
        labels = site.labels.clone();
    }
    Some(Scale { min, max, labels })
}

fn lanes(ctx: &mut Ctx, node: &Node) -> Option<Vec<Lane>> {
    let Value::Seq(items) = &node.value else {
        ctx.error(
            node.pos,
            "wrong-type",
            format!("`lanes` must be a list, found {}", node.value.kind()),
            Some("e.g. `lanes: [actions, touchpoints, emotions, pains]`".into()),
        );
        return None;
    };
    let allowed: Vec<(&'static str, Lane)> = Lane::ALL.iter().map(|l| (l.as_str(), *l)).collect();
    let mut out = Vec::new();
    for item in items {
        if let Some(l) = ctx.word_of(item, "a lane", &allowed) {
            if out.contains(&l) {
                ctx.error(
                    item.pos,
                    "duplicate-lane",
                    format!("the lane `{}` is listed twice", l.as_str()),
                    None,
                );
            } else {
                out.push(l);
            }
        }
    }
    if items.is_empty() {
        ctx.error(
            node.pos,
            "empty-value",
            "`lanes` is empty: no swimlane row would be drawn",
            Some("list at least one lane, or remove `lanes` for the default".into()),
        );
    }
    Some(out)
}

fn stages(ctx: &mut Ctx, node: &Node, scale: &Scale) -> Option<Vec<Stage>> {
    let Value::Seq(items) = &node.value else {
        ctx.error(
            node.pos,
            "wrong-type",
            format!(
                "`stages` must be a list of stages, found {}",
                node.value.kind()
            ),
            Some("write each stage as `  - name: …` under `stages:`".into()),
        );
        return None;
    };
    if items.is_empty() {
        ctx.error(
            node.pos,
            "no-stages",
            "the map has no stages: it needs at least one",
            Some("add `- name: …` with its touchpoints under `stages:`".into()),
        );
        return None;
    }
    let mut anchors = HashSet::new();
    let out: Vec<Option<Stage>> = items
        .iter()
        .map(|s| stage(ctx, s, scale, &mut anchors))
        .collect();
    out.into_iter().collect()
}

fn stage(
    ctx: &mut Ctx,
    node: &Node,
    scale: &Scale,
    anchors: &mut HashSet<String>,
) -> Option<Stage> {
    let what = "a stage";
    let f = ctx.fields(node, STAGE_KEYS, what)?;
    let name = ctx.required_text(&f, "name", what);
    let label = name
        .as_deref()
        .map_or_else(|| what.to_string(), |n| format!("stage `{n}`"));
    let description = ctx.text(&f, "description", &label);
    let touchpoints = match f.get("touchpoints") {
        Some((_, n)) => match &n.value {
            Value::Seq(items) if !items.is_empty() => {
                let tps: Vec<Option<Touchpoint>> = items
                    .iter()
                    .map(|t| touchpoint(ctx, t, scale, anchors))
                    .collect();
                tps.into_iter().collect()
            }
            Value::Seq(_) | Value::Null => {
                ctx.error(
                    n.pos,
                    "no-touchpoints",
                    format!("{label} has no touchpoints: it needs at least one"),
                    Some("add `- name: …` under `touchpoints:`".into()),
                );
                None
            }
            other => {
                ctx.error(
                    n.pos,
                    "wrong-type",
                    format!(
                        "`touchpoints` of {label} must be a list, found {}",
                        other.kind()
                    ),
                    None,
                );
                None
            }
        },
        None => {
            ctx.error(
                f.pos,
                "missing-key",
                format!("{label} needs `touchpoints`"),
                Some("add `touchpoints:` with at least one `- name: …`".into()),
            );
            None
        }
    };
    Some(Stage {
        name: name?,
        description,
        touchpoints: touchpoints?,
    })
}

fn touchpoint(
    ctx: &mut Ctx,
    node: &Node,
    scale: &Scale,
    anchors: &mut HashSet<String>,
) -> Option<Touchpoint> {
    let what = "a touchpoint";
    let f = ctx.fields(node, TOUCHPOINT_KEYS, what)?;
    let name = ctx.required_text(&f, "name", what);
    let label = name
        .as_deref()
        .map_or_else(|| what.to_string(), |n| format!("touchpoint `{n}`"));
    let channel = ctx.text(&f, "channel", &label);
    let action = ctx.text(&f, "action", &label);
    let thought = ctx.text(&f, "thought", &label);
    let owner = ctx.text(&f, "owner", &label);
    let emotion = emotion(ctx, &f, scale, &label);
    let pains = f
        .get("pains")
        .map(|(_, n)| list(ctx, n, "pains", &label, pain))
        .unwrap_or_default();
    let opportunities = f
        .get("opportunities")
        .map(|(_, n)| list(ctx, n, "opportunities", &label, opportunity))
        .unwrap_or_default()
        .into_iter()
        .map(|mut o| {
            if o.owner.is_none() {
                o.owner.clone_from(&owner);
            }
            o
        })
        .collect();
    let moment_of_truth = ctx.boolean(&f, "moment-of-truth", &label).unwrap_or(false);
    let evidence = ctx.word(&f, "evidence", &label, &Evidence::ALL);
    let metrics = f
        .get("metrics")
        .map(|(_, n)| metrics(ctx, n, &label))
        .unwrap_or_default();
    let name = name?;
    let anchor = unique_anchor(&name, anchors);
    Some(Touchpoint {
        name,
        channel,
        action,
        thought,
        emotion,
        pains,
        opportunities,
        owner,
        moment_of_truth,
        evidence,
        metrics,
        anchor,
        line: node.pos.line + ctx.line_offset,
    })
}

fn emotion(ctx: &mut Ctx, f: &Fields, scale: &Scale, label: &str) -> Option<f64> {
    let (_, node) = f.get("emotion")?;
    if node.value == Value::Null {
        return None;
    }
    let v = ctx.number_of(node, &format!("`emotion` of {label}"))?;
    if !scale.contains(v) {
        ctx.error(
            node.pos,
            "emotion-out-of-scale",
            format!("`emotion` of {label} is {v}, outside the scale {}..{}", fmt_num(scale.min), fmt_num(scale.max)),
            Some(format!(
                "use a number from {} to {}, or change the scale with `emotion: {{ min, max }}` in the map or [emotion] in book.toml",
                fmt_num(scale.min),
                fmt_num(scale.max)
            )),
        );
        return None;
    }
    Some(v)
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// One item or a list of items, each validated by `item`.
fn list<T>(
    ctx: &mut Ctx,
    node: &Node,
    key: &str,
    label: &str,
    item: fn(&mut Ctx, &Node, &str) -> Option<T>,
) -> Vec<T> {
    let what = format!("{key} of {label}");
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|i| item(ctx, i, &what)).collect(),
        Value::Null => Vec::new(),
        _ => item(ctx, node, &what).into_iter().collect(),
    }
}

fn pain(ctx: &mut Ctx, node: &Node, what: &str) -> Option<Pain> {
    if let Value::Map(_) = node.value {
        let what = format!("a pain in {what}");
        let f = ctx.fields(node, PAIN_KEYS, &what)?;
        let text = ctx.required_text(&f, "text", &what);
        let kind = ctx.word(&f, "kind", &what, &PainKind::ALL);
        let severity = ctx.word(&f, "severity", &what, &Level::ALL);
        return Some(Pain {
            text: text?,
            kind,
            severity,
        });
    }
    let text = ctx.text_of(node, &format!("a pain in {what}"))?;
    Some(Pain {
        text,
        kind: None,
        severity: None,
    })
}

fn opportunity(ctx: &mut Ctx, node: &Node, what: &str) -> Option<Opportunity> {
    if let Value::Map(_) = node.value {
        let what = format!("an opportunity in {what}");
        let f = ctx.fields(node, OPPORTUNITY_KEYS, &what)?;
        let text = ctx.required_text(&f, "text", &what);
        let owner = ctx.text(&f, "owner", &what);
        let priority = ctx.word(&f, "priority", &what, &Level::ALL);
        let status = ctx.word(&f, "status", &what, &Status::ALL);
        let due = ctx.date(&f, "due", &what);
        return Some(Opportunity {
            text: text?,
            owner,
            priority,
            status,
            due,
        });
    }
    let text = ctx.text_of(node, &format!("an opportunity in {what}"))?;
    Some(Opportunity {
        text,
        owner: None,
        priority: None,
        status: None,
        due: None,
    })
}

fn metrics(ctx: &mut Ctx, node: &Node, label: &str) -> Vec<Metric> {
    let Value::Map(entries) = &node.value else {
        if node.value != Value::Null {
            ctx.error(
                node.pos,
                "wrong-type",
                format!(
                    "`metrics` of {label} must be a mapping of names to numbers, found {}",
                    node.value.kind()
                ),
                Some("e.g. `metrics: { CSAT: 4.1, NPS: 32 }`".into()),
            );
        }
        return Vec::new();
    };
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    let mut out = Vec::new();
    for (k, v) in entries {
        let Some(name) = ctx.text_of(k, &format!("a metric name in {label}")) else {
            continue;
        };
        if let Some(first) = seen.get(&name) {
            let line = first.line + ctx.line_offset;
            ctx.error(
                k.pos,
                "duplicate-key",
                format!("the metric `{name}` is given twice in {label}"),
                Some(format!("it is first given on line {line}; keep one")),
            );
            continue;
        }
        seen.insert(name.clone(), k.pos);
        let what = format!("metric `{name}` of {label}");
        match &v.value {
            Value::Map(_) => {
                let Some(f) = ctx.fields(v, METRIC_KEYS, &what) else {
                    continue;
                };
                let value = match f.get("value") {
                    Some(_) => ctx.number(&f, "value", &what),
                    None => {
                        ctx.error(
                            v.pos,
                            "missing-key",
                            format!("{what} needs `value`"),
                            Some("e.g. `{ value: 41, target: 70, unit: \"%\" }`".into()),
                        );
                        None
                    }
                };
                let target = ctx.number(&f, "target", &what);
                let previous = ctx.number(&f, "previous", &what);
                let unit = ctx.text(&f, "unit", &what);
                if let Some(value) = value {
                    out.push(Metric {
                        name,
                        value,
                        target,
                        previous,
                        unit,
                    });
                }
            }
            _ => {
                if let Some(value) = ctx.number_of(v, &what) {
                    out.push(Metric {
                        name,
                        value,
                        target: None,
                        previous: None,
                        unit: None,
                    });
                }
            }
        }
    }
    out
}

fn persona(ctx: &mut Ctx, root: &Node, src: &SourceFile, body: String) -> Option<Persona> {
    let what = "the persona";
    let f = ctx.fields(root, PERSONA_KEYS, what)?;
    let name = ctx.required_text(&f, "name", what);
    let role = ctx.text(&f, "role", what);
    let quote = ctx.text(&f, "quote", what);
    let goals = ctx.text_list(&f, "goals", what);
    let frustrations = ctx.text_list(&f, "frustrations", what);
    let image = ctx.text(&f, "image", what);
    if ctx.diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Persona {
        id: persona_id(&src.id).to_string(),
        source: src.path.clone(),
        name: name?,
        role,
        quote,
        goals,
        frustrations,
        image,
        body,
    })
}

fn page(ctx: &mut Ctx, root: &Node, src: &SourceFile, body: String) -> Option<Page> {
    let what = "the page";
    let f = ctx.fields(root, PAGE_KEYS, what)?;
    let title = if is_index(&src.id) {
        ctx.text(&f, "title", what).unwrap_or_default()
    } else {
        ctx.required_text(&f, "title", what)?
    };
    let weight = ctx.integer(&f, "weight", what);
    if ctx.diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Page {
        id: src.id.clone(),
        source: src.path.clone(),
        title,
        weight,
        body,
    })
}

/// Warnings about a valid map: gaps in the curve, staleness, overdue work.
fn warn_map(ctx: &mut Ctx, root: &Node, map: &Map, stale_after: u32, today: Date) {
    let Value::Map(entries) = &root.value else {
        return;
    };
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.value == Value::Str(key.into()))
            .map(|(_, v)| v)
    };
    if let (Some(reviewed), Some(node)) = (map.reviewed, get("reviewed")) {
        let age = today.days_since_epoch() - reviewed.days_since_epoch();
        if age > i64::from(stale_after) {
            ctx.warn(
                node.pos,
                "stale-map",
                format!("the map was last reviewed on {reviewed}, {age} days ago (more than {stale_after})"),
                Some("check it against current research, then update `reviewed`".into()),
            );
        }
    }
    let Some(Value::Seq(stage_nodes)) = get("stages").map(|n| &n.value) else {
        return;
    };
    for (stage, snode) in map.stages.iter().zip(stage_nodes) {
        let Some(tnodes) = child(snode, "touchpoints").and_then(|n| match &n.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }) else {
            continue;
        };
        for (tp, tnode) in stage.touchpoints.iter().zip(tnodes) {
            if tp.emotion.is_none() {
                let pos = child(tnode, "name").map_or(tnode.pos, |n| n.pos);
                ctx.warn(
                    pos,
                    "missing-emotion",
                    format!(
                        "touchpoint `{}` has no emotion: the curve has a gap here",
                        tp.name
                    ),
                    Some("add `emotion: …` when you know how customers feel here".into()),
                );
            }
            let onodes: Vec<&Node> = match child(tnode, "opportunities").map(|n| &n.value) {
                Some(Value::Seq(items)) => items.iter().collect(),
                Some(_) => child(tnode, "opportunities").into_iter().collect(),
                None => Vec::new(),
            };
            for (opp, onode) in tp.opportunities.iter().zip(onodes) {
                if opp.is_overdue(today) {
                    let pos = child(onode, "due").map_or(onode.pos, |n| n.pos);
                    let due = opp.due.map(|d| d.to_string()).unwrap_or_default();
                    let status = opp.status.map_or("no status", |s| s.as_str());
                    ctx.warn(
                        pos,
                        "overdue-opportunity",
                        format!(
                            "the opportunity `{}` was due on {due} and is still {status}",
                            opp.text
                        ),
                        Some("mark it `status: done` or `dropped`, or set a new `due` date".into()),
                    );
                }
            }
        }
    }
}

fn child<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.value == Value::Str(key.into()))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The errors of a map's references: a persona or compared map that does
/// not exist, or a comparison with itself or with a plain page.
fn check_refs(path: &Path, id: &str, links: &Links, known: &Known<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut error = |link: &Link, code: &'static str, msg: String, hint: String| {
        out.push(Diagnostic {
            file: path.to_path_buf(),
            line: link.line,
            column: link.column,
            width: link.width,
            source_line: link.source_line.clone(),
            ..Diagnostic::error(code, msg).with_hint(hint)
        });
    };
    if let Some(link) = &links.persona
        && !known.persona(&link.target)
    {
        let p = &link.target;
        let bare = p.strip_suffix(".md").unwrap_or(p);
        let persona_ids = known.persona_ids();
        let hint = match did_you_mean(bare, persona_ids.iter().copied()) {
            Some(s) if s == bare => format!("write `{s}`: an id has no `.md`"),
            Some(s) => format!("did you mean `{s}`?"),
            None if persona_ids.is_empty() => {
                "add a file content/personas/<id>.md with `name: …`".to_string()
            }
            None => {
                let ids: Vec<&str> = persona_ids.iter().copied().take(8).collect();
                format!("known personas: {}", ids.join(", "))
            }
        };
        error(
            link,
            "unknown-persona",
            format!("persona `{p}` does not exist: there is no content/personas/{bare}.md"),
            hint,
        );
    }
    if let Some(link) = &links.compare {
        let c = &link.target;
        if c == id {
            error(
                link,
                "compare-self",
                "a map cannot compare with itself".into(),
                "name another map, e.g. the current-state version of this one".into(),
            );
        } else if !known.map_or_page(c) {
            let bare = c.strip_suffix(".md").unwrap_or(c);
            let hint = match did_you_mean(bare, known.map_and_page_ids().iter().copied()) {
                Some(s) if s == bare => format!("write `{s}`: an id has no `.md`"),
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "give the other map's path under content/ without `.md`, e.g. `retail/checkout`"
                        .into()
                }
            };
            error(
                link,
                "unknown-map",
                format!("`compare` names `{c}`, but there is no map content/{bare}.md"),
                hint,
            );
        } else if known.hb.map(c).is_none() && known.page(c) {
            error(
                link,
                "unknown-map",
                format!("`compare` names `{c}`, which is a plain page, not a map"),
                "compare with a file whose front matter has `stages`".into(),
            );
        }
    }
    out
}

/// Turns a YAML tree into JSON for `extra:` (handed to templates as is).
fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(x) => serde_json::Number::from_f64(*x).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.value {
                        Value::Str(s) => s.clone(),
                        other => to_json(&Node {
                            value: other.clone(),
                            pos: k.pos,
                        })
                        .to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
    }
}

/// A slug for `#tp-…` anchors: lower-case ASCII letters and digits and any
/// non-ASCII letters (CJK stays), other characters as `-`; unique per map.
fn unique_anchor(name: &str, taken: &mut HashSet<String>) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let base = slug.trim_end_matches('-').to_string();
    let base = if base.is_empty() {
        "touchpoint".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}
