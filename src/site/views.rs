//! From the model to what templates see: cards, the map view, the persona
//! view. Every href is made relative to the page here.

use super::Ctx;
use super::links::{href, index_of};
use super::reports::esc;
use crate::i18n::word;
use crate::markdown::{self, Options};
use crate::model::{Map, Metric, Opportunity, Persona};
use crate::templates::context::{
    Link, MapCard, MapView, MetricView, OpportunityView, PainView, PersonaView, StageView,
    TouchpointView,
};

/// A number as people write it: `2`, `-1.5`, `0.25`.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl Ctx<'_> {
    pub fn map_href(&self, root: &str, id: &str) -> String {
        href(root, &index_of(id))
    }

    pub fn persona_file(&self, id: &str) -> String {
        format!("personas/{id}/index.html")
    }

    pub fn tag_file(&self, tag: &str) -> String {
        let slug = self.tag_slugs.get(tag).map_or(tag, String::as_str);
        format!("tags/{slug}/index.html")
    }

    pub fn map_link(&self, root: &str, m: &Map) -> Link {
        Link {
            title: m.title.clone(),
            href: self.map_href(root, &m.id),
        }
    }

    /// A map as a card, linked from a page at `root`.
    pub fn card(&self, root: &str, i: usize) -> MapCard {
        let m = &self.hb().maps[i];
        MapCard {
            id: m.id.clone(),
            title: m.title.clone(),
            href: self.map_href(root, &m.id),
            state: m.state.as_str().to_string(),
            state_label: self.labels.state(m.state).to_string(),
            persona: m
                .persona
                .as_deref()
                .and_then(|p| self.hb().persona(p))
                .map(|p| p.name.clone()),
            owner: m.owner.clone(),
            touchpoints: m.touchpoints().count(),
            sparkline_svg: self.sparklines[i].clone(),
            tags: m.tags.clone(),
        }
    }

    fn word(&self, key: &str) -> String {
        word(self.lang, key)
    }

    /// Everything a map page shows, given its two diagrams.
    pub fn map_view<'m>(
        &self,
        root: &str,
        m: &'m Map,
        swimlane_svg: String,
        emotion_svg: String,
    ) -> MapView<'m> {
        let hb = self.hb();
        let today = self.project.today;
        let lowest = m.lowest().map(|t| t.anchor.as_str());
        let stale_days = i64::from(self.project.config.check.stale_after_days);
        let body = markdown::render(
            &m.body,
            Options {
                unsafe_html: self.project.config.markdown.unsafe_html,
                prefix: "../",
            },
        );
        let stages = m
            .stages
            .iter()
            .map(|s| StageView {
                name: s.name.clone(),
                description: s.description.clone(),
                touchpoints: s
                    .touchpoints
                    .iter()
                    .map(|t| TouchpointView {
                        anchor: t.anchor.clone(),
                        name: t.name.clone(),
                        channel: t.channel.clone(),
                        action: t.action.clone(),
                        thought: t.thought.clone(),
                        emotion: t.emotion.map(num),
                        emotion_label: t.emotion.and_then(|e| m.scale.label(e)).map(str::to_string),
                        pains: t
                            .pains
                            .iter()
                            .map(|p| PainView {
                                text: p.text.clone(),
                                kind: p.kind.map(|k| self.word(k.as_str())),
                                severity: p.severity.map(|k| self.word(k.as_str())),
                            })
                            .collect(),
                        opportunities: t
                            .opportunities
                            .iter()
                            .map(|o| self.opportunity_view(o, today))
                            .collect(),
                        owner: t.owner.clone(),
                        moment_of_truth: t.moment_of_truth,
                        lowest: Some(t.anchor.as_str()) == lowest,
                        evidence: t.evidence.map(|e| e.as_str().to_string()),
                        evidence_label: t.evidence.map(|e| self.word(e.as_str())),
                        metrics: t.metrics.iter().map(metric_view).collect(),
                    })
                    .collect(),
            })
            .collect();
        let l = self.labels;
        let columns = [
            l.touchpoint,
            l.channel,
            l.action,
            l.thought,
            l.emotion,
            l.pains,
            l.opportunities,
            l.owner,
            l.metrics,
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
        let mut view = MapView {
            id: m.id.clone(),
            title: m.title.clone(),
            state: m.state.as_str().to_string(),
            state_label: l.state(m.state).to_string(),
            persona: m
                .persona
                .as_deref()
                .and_then(|id| hb.persona(id))
                .map(|p| Link {
                    title: p.name.clone(),
                    href: href(root, &self.persona_file(&p.id)),
                }),
            compare: m
                .compare
                .as_deref()
                .and_then(|id| hb.map(id))
                .map(|c| self.map_link(root, c)),
            compared_by: self
                .compared_by
                .get(m.id.as_str())
                .map(|v| {
                    v.iter()
                        .map(|&i| self.map_link(root, &hb.maps[i]))
                        .collect()
                })
                .unwrap_or_default(),
            owner: m.owner.clone(),
            reviewed: m.reviewed.map(|d| d.to_string()),
            stale: m
                .reviewed
                .is_some_and(|d| today.days_since_epoch() - d.days_since_epoch() > stale_days),
            tags: m
                .tags
                .iter()
                .map(|t| Link {
                    title: t.clone(),
                    href: href(root, &self.tag_file(t)),
                })
                .collect(),
            swimlane_width: svg_width(&swimlane_svg),
            emotion_width: svg_width(&emotion_svg),
            swimlane_svg,
            emotion_svg,
            swimlane_href: "swimlane.svg".to_string(),
            emotion_href: "emotion.svg".to_string(),
            body_html: body.html,
            headings: body.headings,
            stages,
            columns,
            scale_min: num(m.scale.min),
            scale_max: num(m.scale.max),
            extra: &m.extra,
            data_table_html: String::new(),
        };
        view.data_table_html = data_table_html(l, &view);
        if self.templates.is_builtin("map.html") {
            // Only a theme's own map.html can use them: not passing them
            // to the template engine saves a tenth of a map page's time.
            view.stages = Vec::new();
            view.columns = Vec::new();
        }
        view
    }

    fn opportunity_view(&self, o: &Opportunity, today: crate::model::Date) -> OpportunityView {
        OpportunityView {
            text: o.text.clone(),
            owner: o.owner.clone(),
            priority: o.priority.map(|k| self.word(k.as_str())),
            status: o.status.map(|k| self.word(k.as_str())),
            due: o.due.map(|d| d.to_string()),
            overdue: o.is_overdue(today),
        }
    }

    /// A persona's card; `root` is the persona page's.
    pub fn persona_view(&self, p: &Persona) -> PersonaView {
        let body = markdown::render(
            &p.body,
            Options {
                unsafe_html: self.project.config.markdown.unsafe_html,
                prefix: "../",
            },
        );
        PersonaView {
            id: p.id.clone(),
            name: p.name.clone(),
            role: p.role.clone(),
            quote: p.quote.clone(),
            goals: p.goals.clone(),
            frustrations: p.frustrations.clone(),
            // A file of the handbook, next to the persona's file: the page
            // is one folder deeper. Images from other hosts are not loaded.
            image: p
                .image
                .as_deref()
                .filter(|i| !i.contains("://") && !i.starts_with("//") && !i.starts_with('/'))
                .map(|i| format!("../{}", super::links::encode(i))),
            body_html: body.html,
        }
    }
}

/// The `width` attribute of an SVG's root element, 0 when there is none.
fn svg_width(svg: &str) -> u32 {
    let Some(tag) = svg.find("<svg").and_then(|i| svg[i..].split('>').next()) else {
        return 0;
    };
    tag.split(" width=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|w| w.trim_end_matches("px").parse::<f64>().ok())
        .map_or(0, |w| w.clamp(0.0, 100_000.0) as u32)
}

fn metric_view(m: &Metric) -> MetricView {
    let unit = m.unit.as_deref().unwrap_or("");
    let mut text = format!("{}{unit}", num(m.value));
    if let Some(t) = m.target {
        text.push_str(&format!(" → {}{unit}", num(t)));
    }
    if let Some(p) = m.previous {
        text.push_str(&format!(
            " ({} {}{unit})",
            if p <= m.value { "▲" } else { "▼" },
            num(p)
        ));
    }
    MetricView {
        name: m.name.clone(),
        text,
    }
}

/// The map page's data table (the diagrams' data for screen readers), as
/// the default theme's `data_table` block shows it. Written in Rust: as a
/// template loop over every touchpoint it was most of a map page's
/// rendering time.
pub fn data_table_html(l: &crate::i18n::Labels, v: &MapView<'_>) -> String {
    let mut o = String::with_capacity(4096 + v.stages.len() * 4096);
    o.push_str("\n<section class=\"map-data\" aria-labelledby=\"h-data\">\n<h2 id=\"h-data\">");
    esc(&mut o, l.data_table);
    o.push_str("</h2>\n<div class=\"table-scroll\" tabindex=\"0\" role=\"group\" aria-labelledby=\"h-data\">\n<table class=\"map-table\">\n<caption class=\"visually-hidden\">");
    esc(&mut o, &v.title);
    o.push_str(" (");
    esc(&mut o, l.emotion);
    o.push(' ');
    esc(&mut o, &v.scale_min);
    o.push('…');
    esc(&mut o, &v.scale_max);
    o.push_str(")</caption>\n<thead><tr>");
    for c in &v.columns {
        o.push_str("<th scope=\"col\">");
        esc(&mut o, c);
        o.push_str("</th>");
    }
    o.push_str("</tr></thead>\n");
    for (i, s) in v.stages.iter().enumerate() {
        o.push_str("\n<tbody>\n<tr class=\"stage-row\"><th scope=\"colgroup\" colspan=\"");
        o.push_str(&v.columns.len().to_string());
        o.push_str("\">");
        esc(&mut o, l.stage);
        o.push(' ');
        o.push_str(&(i + 1).to_string());
        o.push_str(": ");
        esc(&mut o, &s.name);
        if let Some(d) = s.description.as_deref().filter(|d| !d.is_empty()) {
            o.push_str(" <span class=\"stage-description\">— ");
            esc(&mut o, d);
            o.push_str("</span>");
        }
        o.push_str("</th></tr>\n");
        for t in &s.touchpoints {
            touchpoint_row(&mut o, l, t);
        }
        o.push_str("\n</tbody>\n");
    }
    o.push_str("\n</table>\n</div>\n</section>\n");
    o
}

/// The text of an optional field that a template would print (`{% if x %}`).
fn some(x: &Option<String>) -> Option<&str> {
    x.as_deref().filter(|s| !s.is_empty())
}

fn touchpoint_row(o: &mut String, l: &crate::i18n::Labels, t: &TouchpointView) {
    o.push_str("\n<tr id=\"tp-");
    esc(o, &t.anchor);
    o.push('"');
    if let Some(e) = some(&t.evidence) {
        o.push_str(" class=\"evidence-");
        esc(o, e);
        o.push('"');
    }
    o.push_str(">\n<th scope=\"row\"><a class=\"tp-anchor\" href=\"#tp-");
    esc(o, &t.anchor);
    o.push_str("\">");
    esc(o, &t.name);
    o.push_str("</a>");
    if t.moment_of_truth {
        o.push_str(" <span class=\"flag flag-mot\" title=\"");
        esc(o, l.moment_of_truth);
        o.push_str("\">★ ");
        esc(o, l.moment_of_truth);
        o.push_str("</span>");
    }
    if let Some(label) = some(&t.evidence_label) {
        o.push_str(" <span class=\"flag flag-evidence-");
        if let Some(e) = &t.evidence {
            esc(o, e);
        }
        o.push_str("\">");
        esc(o, l.evidence);
        o.push_str(": ");
        esc(o, label);
        o.push_str("</span>");
    }
    o.push_str("</th>\n");
    for cell in [&t.channel, &t.action, &t.thought] {
        o.push_str("<td>");
        if let Some(x) = some(cell) {
            esc(o, x);
        }
        o.push_str("</td>\n");
    }
    o.push_str("<td class=\"num\">");
    if let Some(e) = some(&t.emotion) {
        esc(o, e);
        if let Some(label) = some(&t.emotion_label) {
            o.push_str(" <span class=\"emotion-label\">");
            esc(o, label);
            o.push_str("</span>");
        }
        if t.lowest {
            o.push_str(" <span class=\"flag flag-low\">");
            esc(o, l.lowest_point);
            o.push_str("</span>");
        }
    }
    o.push_str("</td>\n<td>");
    if !t.pains.is_empty() {
        o.push_str("<ul>");
        for p in &t.pains {
            o.push_str("<li>");
            esc(o, &p.text);
            let (kind, severity) = (some(&p.kind), some(&p.severity));
            if kind.is_some() || severity.is_some() {
                o.push_str(" <span class=\"meta\">(");
                if let Some(k) = kind {
                    esc(o, k);
                }
                if kind.is_some() && severity.is_some() {
                    o.push_str(", ");
                }
                if let Some(s) = severity {
                    esc(o, s);
                }
                o.push_str(")</span>");
            }
            o.push_str("</li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("</td>\n<td>");
    if !t.opportunities.is_empty() {
        o.push_str("<ul>");
        for p in &t.opportunities {
            o.push_str("<li>");
            esc(o, &p.text);
            let (priority, status, due) = (some(&p.priority), some(&p.status), some(&p.due));
            if status.is_some() || priority.is_some() || due.is_some() {
                o.push_str(" <span class=\"meta\">(");
                if let Some(x) = priority {
                    esc(o, l.priority);
                    o.push_str(": ");
                    esc(o, x);
                }
                if let Some(x) = status {
                    o.push(' ');
                    esc(o, x);
                }
                if let Some(x) = due {
                    o.push(' ');
                    esc(o, l.due);
                    o.push(' ');
                    esc(o, x);
                }
                o.push_str(")</span>");
            }
            if p.overdue {
                o.push_str(" <span class=\"flag flag-warn\">");
                esc(o, l.overdue);
                o.push_str("</span>");
            }
            o.push_str("</li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("</td>\n<td>");
    if let Some(x) = some(&t.owner) {
        esc(o, x);
    }
    o.push_str("</td>\n<td>");
    if !t.metrics.is_empty() {
        o.push_str("<ul class=\"metrics\">");
        for m in &t.metrics {
            o.push_str("<li>");
            esc(o, &m.name);
            o.push_str(": ");
            esc(o, &m.text);
            o.push_str("</li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("</td>\n</tr>\n");
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn svg_width_reads_the_root_element() {
        assert_eq!(
            super::svg_width(
                "<svg viewBox=\"0 0 9 9\" width=\"1832\" height=\"5\"><rect width=\"3\"/></svg>"
            ),
            1832
        );
        assert_eq!(super::svg_width(""), 0);
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(num(2.0), "2");
        assert_eq!(num(-1.5), "-1.5");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(4.10), "4.1");
    }
}
