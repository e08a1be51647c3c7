//! The rendering pipeline, in memory:
//! 1. [`Ctx::new`]: the folder tree, tag slugs, back-references (who
//!    compares with a map, which maps name a persona) and each map's small
//!    curve, computed once.
//! 2. One job per page ([`Job`]), rendered in parallel with rayon; a map's
//!    job also yields its two standalone SVGs.
//! 3. Site-wide files: `maps.json`, the search index, `sitemap.xml`, the
//!    theme's static files and the non-Markdown files of `content/`.
//!
//! Two sources that want the same output file are an error, never a silent
//! overwrite.

use super::links::{self, href, index_of, root_of};
use super::tree::{Item, Tree};
use super::{BuildOptions, Site};
use crate::config::Language;
use crate::error::{Error, Result};
use crate::i18n::{Labels, labels};
use crate::markdown::{self, Options};
use crate::model::{Handbook, Map};
use crate::project::Project;
use crate::templates::Templates;
use crate::templates::context::*;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// What every job shares.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub lang: Language,
    pub labels: &'static Labels,
    pub info: SiteInfo,
    pub tree: Tree<'a>,
    pub tag_slugs: BTreeMap<&'a str, String>,
    /// Each map's small curve, drawn on first use.
    pub sparklines: Sparklines<'a>,
    /// Map id -> maps whose `compare` names it.
    pub compared_by: HashMap<&'a str, Vec<usize>>,
    /// Persona id -> maps that name it.
    pub persona_maps: HashMap<&'a str, Vec<usize>>,
    /// Tag -> maps that carry it.
    pub tag_maps: HashMap<&'a str, Vec<usize>>,
    pub templates: &'a Templates,
}

/// Each map's sparkline as inline SVG, all drawn (in parallel) the first
/// time one is asked for: a map page needs none, an index needs them all.
/// Contexts of the same project may share them.
pub struct Sparklines<'a> {
    maps: &'a [Arc<Map>],
    pub(crate) cell: Arc<OnceLock<Vec<String>>>,
}

impl std::ops::Index<usize> for Sparklines<'_> {
    type Output = String;

    fn index(&self, i: usize) -> &String {
        &self.cell.get_or_init(|| {
            self.maps
                .par_iter()
                .map(|m| inline_svg(&crate::diagrams::sparkline(m)))
                .collect()
        })[i]
    }
}

/// One page to render.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Job<'a> {
    Index,
    Section(usize),
    Map(usize),
    Page(usize),
    Persona(usize),
    Personas,
    Tag(&'a str),
    Tags,
    Pains,
    Backlog,
    NotFound,
}

/// Rendered files: output path, bytes, and the source (for error messages).
pub(crate) type Files = Vec<(String, Vec<u8>, String)>;

impl Job<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Job::Index => "index",
            Job::Section(_) => "section",
            Job::Map(_) => "map",
            Job::Page(_) => "page",
            Job::Persona(_) | Job::Personas => "persona",
            Job::Tag(_) | Job::Tags => "tag",
            Job::Pains => "pain report",
            Job::Backlog => "backlog",
            Job::NotFound => "404",
        }
    }
}

/// Where rendered files go: `/`-separated output paths and their bytes.
/// Called from several threads at once.
pub trait Sink: Sync {
    /// Receives one whole file.
    fn file(&self, path: String, bytes: Vec<u8>) -> Result<()>;

    /// Receives a large file piece by piece: `fill` writes it. By default
    /// the pieces are gathered and handed to [`Sink::file`].
    fn stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|e| Error::Template(format!("`{path}`: {e}")))?;
        self.file(path, bytes)
    }
}

/// Gathers a site in memory.
struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for Memory {
    fn file(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.0.lock().map_err(|_| poisoned())?.insert(path, bytes);
        Ok(())
    }
}

/// Renders the whole site of `project` into memory.
pub fn render_with(project: &Project, opts: &BuildOptions) -> Result<Site> {
    let memory = Memory(Mutex::new(BTreeMap::new()));
    render_to(project, opts, &memory)?;
    Ok(Site {
        files: memory.0.into_inner().map_err(|_| poisoned())?,
    })
}

fn poisoned() -> Error {
    Error::Template("a rendering thread panicked".into())
}

/// Hands files on to a sink, refusing a second file for the same path.
struct Unique<'s> {
    sink: &'s dyn Sink,
    seen: Mutex<HashMap<String, String>>,
}

impl Unique<'_> {
    /// Claims `path` for the source `from`.
    fn claim(&self, path: &str, from: String) -> Result<()> {
        let mut seen = self.seen.lock().map_err(|_| poisoned())?;
        if let Some(first) = seen.get(path) {
            return Err(Error::Usage(format!(
                "two sources want the output file `{path}`: {first} and {from}; rename one of them"
            )));
        }
        seen.insert(path.to_string(), from);
        Ok(())
    }

    fn add(&self, files: Files) -> Result<()> {
        for (path, bytes, from) in files {
            self.claim(&path, from)?;
            self.sink.file(path, bytes)?;
        }
        Ok(())
    }
}

/// Renders the whole site of `project`, handing each file to `sink` as soon
/// as it is rendered, so that a large site never sits in memory at once.
/// Pages and site-wide files are rendered side by side on all cores.
/// Two sources that want the same output path are an error.
pub fn render_to(project: &Project, opts: &BuildOptions, sink: &dyn Sink) -> Result<()> {
    crate::timing::mark("render starts");
    let templates = Templates::for_project(&project.root, &project.config.build.theme)?;
    let ctx = Ctx::new(project, opts, &templates);
    let jobs = ctx.jobs();
    crate::timing::mark("templates, navigation tree and jobs ready");
    let out = Unique {
        sink,
        seen: Mutex::new(HashMap::new()),
    };
    let timings = Timings::default();
    let pages = || {
        jobs.par_iter().try_for_each(|job| {
            let t = std::time::Instant::now();
            if let Job::Pains | Job::Backlog = job {
                // Written piece by piece: never a second copy of the rows.
                let p = ctx.report_page(*job)?;
                let rendered = t.elapsed();
                out.claim(&p.file, p.from)?;
                out.sink
                    .stream(p.file, &mut |w| p.parts.write_to(&p.rendered, w))?;
                timings.add(job.kind(), rendered, t.elapsed() - rendered);
                return Ok(());
            }
            let files = ctx.render_job(*job)?;
            let rendered = t.elapsed();
            out.add(files)?;
            timings.add(job.kind(), rendered, t.elapsed() - rendered);
            Ok(())
        })?;
        crate::timing::mark("every page written");
        Ok(())
    };
    let site_wide = || {
        SiteFile::ALL.par_iter().try_for_each(|part| {
            let t = std::time::Instant::now();
            ctx.site_file(*part, &out)?;
            timings.add(part.kind(), t.elapsed(), std::time::Duration::ZERO);
            Ok(())
        })?;
        crate::timing::mark("site-wide files written");
        Ok(())
    };
    let (a, b): (Result<()>, Result<()>) = rayon::join(pages, site_wide);
    a.and(b)?;
    timings.print();
    Ok(())
}

/// A report page before its rows are spliced in.
struct ReportPage<'a> {
    file: String,
    from: String,
    rendered: String,
    parts: super::reports::Spliced<'a>,
}

/// The site-wide files, each rendered on its own.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SiteFile {
    /// `maps.json`, written piece by piece.
    MapsJson,
    /// `search-index.json` and its `.js` parts.
    Search,
    Sitemap,
    /// The theme's static files and the non-Markdown files of `content/`.
    Statics,
}

impl SiteFile {
    pub(crate) const ALL: [SiteFile; 4] = [
        SiteFile::MapsJson,
        SiteFile::Search,
        SiteFile::Sitemap,
        SiteFile::Statics,
    ];

    fn kind(self) -> &'static str {
        match self {
            SiteFile::MapsJson => "maps.json",
            SiteFile::Search => "search index",
            SiteFile::Sitemap => "sitemap",
            SiteFile::Statics => "static files",
        }
    }
}

/// Time spent per kind of page, summed over threads: printed to stderr when
/// `CXBOOK_TIMINGS` is set, to see where a build's time goes.
#[derive(Default)]
struct Timings(Mutex<BTreeMap<&'static str, (usize, std::time::Duration, std::time::Duration)>>);

impl Timings {
    fn add(&self, kind: &'static str, render: std::time::Duration, write: std::time::Duration) {
        if let Ok(mut m) = self.0.lock() {
            let e = m.entry(kind).or_default();
            e.0 += 1;
            e.1 += render;
            e.2 += write;
        }
    }

    fn print(&self) {
        if std::env::var_os("CXBOOK_TIMINGS").is_none() {
            return;
        }
        // Peak resident memory so far (Linux only).
        if let Some(hwm) = crate::project::peak_memory() {
            eprintln!("timing: peak memory     {hwm}");
        }
        if let Ok(m) = self.0.lock() {
            for (kind, (n, render, write)) in m.iter() {
                eprintln!(
                    "timing: {kind:<16} {n:>6} jobs  render {:>8.1} ms  write {:>8.1} ms",
                    render.as_secs_f64() * 1e3,
                    write.as_secs_f64() * 1e3
                );
            }
        }
    }
}

/// The base URL of a build: the option, else `book.toml`'s, made to start
/// and end with `/` (unless it is a full URL, which only ends with one).
pub fn base_url(project: &Project, opts: &BuildOptions) -> String {
    let mut b = opts
        .base_url
        .clone()
        .unwrap_or_else(|| project.config.build.base_url.clone());
    if !b.starts_with('/') && !b.contains("://") {
        b.insert(0, '/');
    }
    if !b.ends_with('/') {
        b.push('/');
    }
    b
}

/// An SVG document as an element to put inside HTML.
fn inline_svg(svg: &str) -> String {
    let mut s = svg.trim_start();
    if s.starts_with("<?xml")
        && let Some(i) = s.find("?>")
    {
        s = s[i + 2..].trim_start();
    }
    if s.starts_with("<!DOCTYPE")
        && let Some(i) = s.find('>')
    {
        s = s[i + 1..].trim_start();
    }
    s.to_string()
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        project: &'a Project,
        opts: &BuildOptions,
        templates: &'a Templates,
    ) -> Ctx<'a> {
        Ctx::with_sparklines(project, opts, templates, None)
    }

    /// [`Ctx::new`], sharing the sparklines of other contexts of the same
    /// project when given.
    pub(crate) fn with_sparklines(
        project: &'a Project,
        opts: &BuildOptions,
        templates: &'a Templates,
        sparklines: Option<Arc<OnceLock<Vec<String>>>>,
    ) -> Ctx<'a> {
        let hb = &project.handbook;
        let lang = project.config.book.language;
        let mut compared_by: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut persona_maps: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut tag_maps: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, m) in hb.maps.iter().enumerate() {
            for t in &m.tags {
                let v = tag_maps.entry(t.as_str()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            if let Some(c) = &m.compare {
                compared_by.entry(c.as_str()).or_default().push(i);
            }
            if let Some(p) = &m.persona {
                persona_maps.entry(p.as_str()).or_default().push(i);
            }
        }
        Ctx {
            project,
            lang,
            labels: labels(lang),
            info: SiteInfo {
                title: project.config.book.title.clone(),
                description: project.config.book.description.clone(),
                lang: lang.as_str().to_string(),
                base_url: base_url(project, opts),
                generator: format!("cxbook {}", env!("CARGO_PKG_VERSION")),
            },
            tree: Tree::build(hb),
            tag_slugs: links::tag_slugs(
                hb.maps
                    .iter()
                    .flat_map(|m| m.tags.iter().map(String::as_str)),
            ),
            sparklines: Sparklines {
                maps: &hb.maps,
                cell: sparklines.unwrap_or_default(),
            },
            compared_by,
            persona_maps,
            tag_maps,
            templates,
        }
    }

    pub fn hb(&self) -> &'a Handbook {
        &self.project.handbook
    }

    fn markdown(&self, body: &str, prefix: &str) -> markdown::Rendered {
        markdown::render(
            body,
            Options {
                unsafe_html: self.project.config.markdown.unsafe_html,
                prefix,
            },
        )
    }

    /// The part of the context every page has.
    fn common(&self, file: &str, title: &str, kind: &'static str, place: Place) -> Common<'_> {
        let root = root_of(file);
        let (open, current, is_section) = match place {
            Place::Top => (None, None, false),
            Place::Section(s) => (Some(s), None, true),
            Place::Item(it) => (self.tree.section_of.get(&it).copied(), Some(it), false),
        };
        let (prev, next) = match current.and_then(|it| self.tree.position.get(&it)) {
            Some(&pos) => (
                pos.checked_sub(1)
                    .map(|p| self.item_link(&root, self.tree.order[p])),
                self.tree
                    .order
                    .get(pos + 1)
                    .map(|it| self.item_link(&root, *it)),
            ),
            None => (None, None),
        };
        Common {
            site: &self.info,
            labels: self.labels,
            nav: self.tree.nav(self.hb(), open, current, is_section, &root),
            root,
            page_title: title.to_string(),
            canonical: links::absolute(&self.info.base_url, file),
            kind,
            prev,
            next,
            inline_css: None,
        }
    }

    fn item_link(&self, root: &str, it: Item) -> Link {
        let (_, title, id) = super::tree::item_key(self.hb(), it);
        Link {
            title: title.to_string(),
            href: href(root, &index_of(id)),
        }
    }

    /// Every page job of the site, in a fixed order (the same for the same
    /// project, so an index into it names a job).
    pub(crate) fn jobs(&self) -> Vec<Job<'a>> {
        let hb = self.hb();
        let mut jobs = vec![
            Job::Index,
            Job::Personas,
            Job::Tags,
            Job::Pains,
            Job::Backlog,
            Job::NotFound,
        ];
        jobs.extend((1..self.tree.sections.len()).map(Job::Section));
        jobs.extend((0..hb.maps.len()).map(Job::Map));
        jobs.extend(self.tree.order.iter().filter_map(|it| match it {
            Item::Page(i) => Some(Job::Page(*i)),
            Item::Map(_) => None,
        }));
        jobs.extend((0..hb.personas.len()).map(Job::Persona));
        jobs.extend(self.tag_slugs.keys().map(|t| Job::Tag(t)));
        jobs
    }

    /// The output paths `job` writes, without rendering it: the same names
    /// as [`Ctx::render_job`] gives its files.
    pub(crate) fn outputs(&self, job: Job<'_>) -> Vec<String> {
        let hb = self.hb();
        match job {
            Job::Index => vec!["index.html".into()],
            Job::Section(s) => vec![index_of(&self.tree.sections[s].dir)],
            Job::Map(i) => {
                let id = &hb.maps[i].id;
                vec![
                    index_of(id),
                    format!("{id}/swimlane.svg"),
                    format!("{id}/emotion.svg"),
                ]
            }
            Job::Page(i) => vec![index_of(&hb.pages[i].id)],
            Job::Persona(i) => vec![self.persona_file(&hb.personas[i].id)],
            Job::Personas => vec!["personas/index.html".into()],
            Job::Tag(tag) => vec![self.tag_file(tag)],
            Job::Tags => vec!["tags/index.html".into()],
            Job::Pains => vec!["reports/pains/index.html".into()],
            Job::Backlog => vec!["reports/opportunities/index.html".into()],
            Job::NotFound => vec!["404.html".into()],
        }
    }

    pub(crate) fn render_job(&self, job: Job<'_>) -> Result<Files> {
        let hb = self.hb();
        let page = |file: String, template: &str, html: String, from: String| {
            let _ = template;
            vec![(file, html.into_bytes(), from)]
        };
        Ok(match job {
            Job::Index => {
                let file = "index.html".to_string();
                let common = self.common(&file, &self.info.title, "index", Place::Top);
                let root = common.root.clone();
                let intro = self.tree.sections[0]
                    .intro
                    .map(|p| self.markdown(&p.body, "").html)
                    .unwrap_or_default();
                let ctx = IndexContext {
                    intro_html: intro,
                    groups: self.card_groups(&root),
                    map_count: hb.maps.len(),
                    personas: hb
                        .personas
                        .iter()
                        .map(|p| Link {
                            title: p.name.clone(),
                            href: href(&root, &self.persona_file(&p.id)),
                        })
                        .collect(),
                    pages: self.tree.sections[0]
                        .items
                        .iter()
                        .filter(|it| matches!(it, Item::Page(_)))
                        .map(|it| self.item_link(&root, *it))
                        .collect(),
                    common,
                };
                let html = self.templates.render("index.html", &ctx)?;
                page(file, "index.html", html, "the home page".into())
            }
            Job::Section(s) => {
                let sec = &self.tree.sections[s];
                let file = index_of(&sec.dir);
                let common = self.common(&file, &sec.title, "section", Place::Section(s));
                let root = common.root.clone();
                let ctx = SectionContext {
                    title: sec.title.clone(),
                    intro_html: sec
                        .intro
                        .map(|p| self.markdown(&p.body, "").html)
                        .unwrap_or_default(),
                    subsections: sec
                        .children
                        .iter()
                        .map(|c| Link {
                            title: self.tree.sections[*c].title.clone(),
                            href: href(&root, &index_of(&self.tree.sections[*c].dir)),
                        })
                        .collect(),
                    maps: sec
                        .items
                        .iter()
                        .filter_map(|it| match it {
                            Item::Map(i) => Some(self.card(&root, *i)),
                            Item::Page(_) => None,
                        })
                        .collect(),
                    pages: sec
                        .items
                        .iter()
                        .filter(|it| matches!(it, Item::Page(_)))
                        .map(|it| self.item_link(&root, *it))
                        .collect(),
                    common,
                };
                let html = self.templates.render("section.html", &ctx)?;
                page(
                    file,
                    "section.html",
                    html,
                    format!("the section `{}/`", sec.dir),
                )
            }
            Job::Map(i) => self.render_map(&hb.maps[i], i)?,
            Job::Page(i) => {
                let p = &hb.pages[i];
                let file = index_of(&p.id);
                let common = self.common(&file, &p.title, "page", Place::Item(Item::Page(i)));
                let body = self.markdown(&p.body, "../");
                let ctx = PageContext {
                    common,
                    title: p.title.clone(),
                    body_html: body.html,
                    headings: body.headings,
                };
                let html = self.templates.render("page.html", &ctx)?;
                page(file, "page.html", html, format!("`{}`", p.source.display()))
            }
            Job::Persona(i) => {
                let p = &hb.personas[i];
                let file = self.persona_file(&p.id);
                let common = self.common(&file, &p.name, "persona", Place::Top);
                let root = common.root.clone();
                let maps = self
                    .persona_maps
                    .get(p.id.as_str())
                    .map(|v| v.iter().map(|&i| self.card(&root, i)).collect())
                    .unwrap_or_default();
                let ctx = PersonaContext {
                    common,
                    persona: self.persona_view(p),
                    maps,
                };
                let html = self.templates.render("persona.html", &ctx)?;
                page(
                    file,
                    "persona.html",
                    html,
                    format!("`{}`", p.source.display()),
                )
            }
            Job::Personas => {
                let file = "personas/index.html".to_string();
                let common = self.common(&file, self.labels.personas, "personas", Place::Top);
                let root = common.root.clone();
                let ctx = PersonasContext {
                    personas: hb
                        .personas
                        .iter()
                        .map(|p| PersonaSummary {
                            name: p.name.clone(),
                            href: href(&root, &self.persona_file(&p.id)),
                            role: p.role.clone(),
                            quote: p.quote.clone(),
                            map_count: self.persona_maps.get(p.id.as_str()).map_or(0, Vec::len),
                        })
                        .collect(),
                    common,
                };
                let html = self.templates.render("personas.html", &ctx)?;
                page(file, "personas.html", html, "the personas index".into())
            }
            Job::Tag(tag) => {
                let file = self.tag_file(tag);
                let common = self.common(&file, tag, "tag", Place::Top);
                let root = common.root.clone();
                let ctx = TagContext {
                    tag: tag.to_string(),
                    maps: self
                        .tag_maps
                        .get(tag)
                        .map(|v| v.iter().map(|&i| self.card(&root, i)).collect())
                        .unwrap_or_default(),
                    common,
                };
                let html = self.templates.render("tag.html", &ctx)?;
                page(file, "tag.html", html, format!("the tag `{tag}`"))
            }
            Job::Tags => {
                let file = "tags/index.html".to_string();
                let common = self.common(&file, self.labels.tags, "tags", Place::Top);
                let root = common.root.clone();
                let ctx = TagsContext {
                    tags: self
                        .tag_slugs
                        .keys()
                        .map(|t| TagSummary {
                            tag: (*t).to_string(),
                            href: href(&root, &self.tag_file(t)),
                            count: self.tag_maps.get(t).map_or(0, Vec::len),
                        })
                        .collect(),
                    common,
                };
                let html = self.templates.render("tags.html", &ctx)?;
                page(file, "tags.html", html, "the tags index".into())
            }
            Job::Pains | Job::Backlog => {
                let p = self.report_page(job)?;
                let html = p.parts.splice(&p.rendered);
                vec![(p.file, html.into_bytes(), p.from)]
            }
            Job::NotFound => {
                let file = "404.html".to_string();
                let mut common = self.common(&file, self.labels.not_found_title, "404", Place::Top);
                // Served from any folder: links from the base path, CSS inline.
                let base = links::base_path(&self.info.base_url);
                common.nav = self.tree.nav(self.hb(), None, None, false, &base);
                common.root = base;
                common.inline_css = Some(self.templates.css.clone());
                let ctx = NotFoundContext { common };
                let html = self.templates.render("404.html", &ctx)?;
                page(file, "404.html", html, "the 404 page".into())
            }
        })
    }

    /// The pain-point report or the backlog: the template's output and
    /// the rows to splice into it, which can be written piece by piece
    /// (hundreds of megabytes for 10,000 maps).
    fn report_page(&self, job: Job<'_>) -> Result<ReportPage<'_>> {
        let mut parts = super::reports::Spliced::new();
        if let Job::Backlog = job {
            let file = "reports/opportunities/index.html".to_string();
            let common = self.common(&file, self.labels.backlog, "backlog", Place::Top);
            let (rows, overdue_count) = self.backlog_rows(&common.root);
            let mut rows_html = String::with_capacity(rows.len() * 400);
            for r in &rows {
                self.backlog_row_html(&mut rows_html, r);
            }
            let row_count = rows.len();
            drop(rows);
            let ctx = BacklogContext {
                common,
                row_count,
                rows_html: parts.hold(rows_html),
                overdue_count,
                today: self.project.today.to_string(),
            };
            return Ok(ReportPage {
                rendered: self.templates.render("backlog.html", &ctx)?,
                parts,
                file,
                from: "the opportunity backlog".into(),
            });
        }
        let file = "reports/pains/index.html".to_string();
        let common = self.common(&file, self.labels.pain_report, "pains", Place::Top);
        let (mut groups, rows, pain_count, opportunity_count) = self.pain_groups(&common.root);
        for (g, rows) in groups.iter_mut().zip(rows) {
            g.rows_html = parts.hold_with(Box::new(move |w| self.write_pain_rows(&rows, w)));
        }
        let ctx = PainsContext {
            common,
            groups,
            pain_count,
            opportunity_count,
        };
        Ok(ReportPage {
            rendered: self.templates.render("pains.html", &ctx)?,
            parts,
            file,
            from: "the pain-point report".into(),
        })
    }

    fn render_map(&self, m: &Map, i: usize) -> Result<Files> {
        let lang = self.lang;
        let hb = self.hb();
        let compare = m.compare.as_deref().and_then(|c| hb.map(c));
        let swimlane = crate::diagrams::swimlane(m, lang);
        let emotion = crate::diagrams::emotion(m, compare, lang);
        let file = index_of(&m.id);
        let common = self.common(&file, &m.title, "map", Place::Item(Item::Map(i)));
        let root = common.root.clone();
        let ctx = MapContext {
            map: self.map_view(&root, m, inline_svg(&swimlane), inline_svg(&emotion)),
            common,
        };
        let html = self.templates.render("map.html", &ctx)?;
        let from = format!("`{}`", m.source.display());
        let dir = &m.id;
        Ok(vec![
            (file, html.into_bytes(), from.clone()),
            (
                format!("{dir}/swimlane.svg"),
                swimlane.into_bytes(),
                from.clone(),
            ),
            (format!("{dir}/emotion.svg"), emotion.into_bytes(), from),
        ])
    }

    /// Index cards grouped by top-level section, in navigation order.
    fn card_groups(&self, root: &str) -> Vec<CardGroup> {
        let mut groups: Vec<(usize, CardGroup)> = Vec::new();
        for it in &self.tree.order {
            let Item::Map(i) = *it else { continue };
            let mut s = self.tree.section_of[it];
            while let Some(p) = self.tree.sections[s].parent {
                if p == 0 {
                    break;
                }
                s = p;
            }
            if groups.last().is_none_or(|(g, _)| *g != s) {
                let sec = &self.tree.sections[s];
                groups.push((
                    s,
                    CardGroup {
                        title: if s == 0 {
                            self.labels.maps.to_string()
                        } else {
                            sec.title.clone()
                        },
                        href: (s != 0).then(|| href(root, &index_of(&sec.dir))),
                        maps: Vec::new(),
                    },
                ));
            }
            if let Some((_, g)) = groups.last_mut() {
                g.maps.push(self.card(root, i));
            }
        }
        // The root's own maps come first in navigation order already
        // (sub-sections are listed before items only inside one section).
        groups.sort_by_key(|(s, _)| *s != 0);
        groups.into_iter().map(|(_, g)| g).collect()
    }

    /// `maps.json`, the search index, the sitemap, static files and the
    /// non-Markdown files of `content/`, in memory.
    pub(crate) fn site_files(&self) -> Result<Files> {
        let memory = Memory(Mutex::new(BTreeMap::new()));
        let out = Unique {
            sink: &memory,
            seen: Mutex::new(HashMap::new()),
        };
        for part in SiteFile::ALL {
            self.site_file(part, &out)?;
        }
        let seen = out.seen.into_inner().map_err(|_| poisoned())?;
        let files = memory.0.into_inner().map_err(|_| poisoned())?;
        Ok(files
            .into_iter()
            .map(|(path, bytes)| {
                let from = seen.get(&path).cloned().unwrap_or_default();
                (path, bytes, from)
            })
            .collect())
    }

    /// Renders one site-wide part into `out`.
    fn site_file(&self, part: SiteFile, out: &Unique<'_>) -> Result<()> {
        let hb = self.hb();
        match part {
            SiteFile::MapsJson => {
                #[derive(Serialize)]
                struct MapJson<'m> {
                    url: String,
                    #[serde(rename = "visible-lanes")]
                    visible_lanes: Vec<crate::model::Lane>,
                    #[serde(flatten)]
                    map: &'m Map,
                }
                out.claim("maps.json", "maps.json".into())?;
                // One map at a time: the whole array of 10,000 maps would
                // take 180 MB of memory.
                out.sink.stream("maps.json".into(), &mut |w| {
                    w.write_all(b"[")?;
                    for (i, m) in hb.maps.iter().enumerate() {
                        if i > 0 {
                            w.write_all(b",")?;
                        }
                        let one = MapJson {
                            url: links::encode(&index_of(&m.id)),
                            visible_lanes: m.visible_lanes(),
                            map: m,
                        };
                        serde_json::to_writer(&mut *w, &one).map_err(std::io::Error::other)?;
                    }
                    w.write_all(b"]")
                })
            }
            SiteFile::Search => {
                let index = crate::search::build(hb, &|kind, id| match kind {
                    "persona" => links::encode(&self.persona_file(id)),
                    _ => links::encode(&index_of(id)),
                });
                let mut files = vec![(
                    "search-index.json".to_string(),
                    index.to_json().into_bytes(),
                    "the search index".to_string(),
                )];
                for (name, text) in index.to_js() {
                    files.push((name, text.into_bytes(), "the search index".into()));
                }
                out.add(files)
            }
            SiteFile::Sitemap => out.add(vec![(
                "sitemap.xml".into(),
                super::sitemap::render(self).into_bytes(),
                "the sitemap".into(),
            )]),
            SiteFile::Statics => {
                let mut files: Files = Vec::new();
                for (path, bytes) in &self.templates.statics {
                    files.push((path.clone(), bytes.clone(), format!("the theme's `{path}`")));
                }
                files.extend(self.content_files()?);
                out.add(files)
            }
        }
    }

    /// Images and other files under `content/`, copied as they are.
    fn content_files(&self) -> Result<Files> {
        let base = self
            .project
            .root
            .join(&self.project.config.build.content_dir);
        let mut out = Vec::new();
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker.flatten() {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&base) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            out.push((rel.clone(), bytes, format!("`content/{rel}`")));
        }
        Ok(out)
    }

    /// Every HTML page of the site but 404, for the sitemap.
    pub fn pages(&self) -> Vec<(String, Option<String>)> {
        let hb = self.hb();
        let mut v: Vec<(String, Option<String>)> = vec![
            ("index.html".into(), None),
            ("personas/index.html".into(), None),
            ("tags/index.html".into(), None),
            ("reports/pains/index.html".into(), None),
            ("reports/opportunities/index.html".into(), None),
        ];
        v.extend(
            self.tree.sections[1..]
                .iter()
                .map(|s| (index_of(&s.dir), None)),
        );
        v.extend(
            hb.maps
                .iter()
                .map(|m| (index_of(&m.id), m.reviewed.map(|d| d.to_string()))),
        );
        v.extend(self.tree.order.iter().filter_map(|it| match it {
            Item::Page(i) => Some((index_of(&hb.pages[*i].id), None)),
            Item::Map(_) => None,
        }));
        v.extend(hb.personas.iter().map(|p| (self.persona_file(&p.id), None)));
        v.extend(self.tag_slugs.keys().map(|t| (self.tag_file(t), None)));
        v
    }
}

/// Where a page sits, for its navigation.
#[derive(Clone, Copy)]
enum Place {
    /// Site-wide pages: the top level only.
    Top,
    Section(usize),
    Item(Item),
}
