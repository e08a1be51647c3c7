//! The offline search index, built from the model.
//!
//! One document per map, persona and plain page. A map's document also
//! lists its touchpoints, so a hit inside one links to `#tp-<anchor>`.
//! Search in the browser is substring matching on lower-cased text (every
//! query word must occur), which finds Chinese words inside sentences
//! without any word splitting (Zola #1349).
//!
//! Format of `search-index.json` (arrays, not objects, to stay small):
//! `{"version":2,"strings":[…],"docs":[[url, title, subtitle, text, [[anchor, name, [string, …]], …]], …]}`
//! with `url` relative to the site root. A touchpoint's name and texts
//! (channel, action, thought, each pain and opportunity, owner) are indices
//! into `strings`: the same pain or owner across hundreds of maps is stored
//! once, and the browser tests each distinct string once per query.
//!
//! `search-index.js` sets `window.cxbookSearch` to
//! `{"version":2,"parts":[file, …],"chunks":[chunk]}`, where a chunk is the
//! object above, so the index loads from `file://`. Past [`PART_BYTES`] the
//! documents are split into further chunks, one per `search-index-N.js`
//! (each pushes its chunk onto `chunks`), loaded after the first.

use crate::markdown::plain_text;
use crate::model::{Handbook, Map, Persona};

/// The size one `search-index*.js` file stays under (unless a single
/// document is larger).
pub const PART_BYTES: usize = 1_500_000;

/// How much of a body goes into the index: the start is what people
/// remember and search for; the whole would make the index grow with prose.
const BODY_CHARS: usize = 300;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchIndex {
    pub docs: Vec<Doc>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    /// Relative to the site root (`retail/checkout/index.html`).
    pub url: String,
    pub title: String,
    /// Shown under the title in results (persona, state, section).
    pub subtitle: String,
    pub text: String,
    pub touchpoints: Vec<TouchpointDoc>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TouchpointDoc {
    pub anchor: String,
    pub name: String,
    /// Channel, action, thought, pains, opportunities, owner.
    pub texts: Vec<String>,
}

/// A run of documents with their own string table.
#[derive(Default)]
struct Chunk<'a> {
    strings: Vec<&'a str>,
    ids: std::collections::HashMap<&'a str, usize>,
    docs: Vec<String>,
}

impl<'a> Chunk<'a> {
    fn intern(&mut self, s: &'a str) -> usize {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        self.strings.push(s);
        self.ids.insert(s, self.strings.len() - 1);
        self.strings.len() - 1
    }

    /// Adds a document; returns the bytes it added.
    fn push(&mut self, d: &'a Doc) -> usize {
        let before: usize = self.strings.iter().map(|s| s.len() + 3).sum();
        let tps: Vec<(&str, usize, Vec<usize>)> = d
            .touchpoints
            .iter()
            .map(|t| {
                let name = self.intern(&t.name);
                let texts = t.texts.iter().map(|x| self.intern(x)).collect();
                (t.anchor.as_str(), name, texts)
            })
            .collect();
        let json = serde_json::to_string(&(&d.url, &d.title, &d.subtitle, &d.text, tps))
            .unwrap_or_else(|_| "[]".into());
        let after: usize = self.strings.iter().map(|s| s.len() + 3).sum();
        let added = json.len() + 1 + after - before;
        self.docs.push(json);
        added
    }

    fn to_json(&self) -> String {
        format!(
            "{{\"version\":2,\"strings\":{},\"docs\":[{}]}}",
            serde_json::to_string(&self.strings).unwrap_or_else(|_| "[]".into()),
            self.docs.join(",")
        )
    }
}

/// The index of `hb`. `url_of` gives each map's, persona's and page's
/// output file (`kind` is `map`, `persona` or `page`, then the id).
pub fn build(hb: &Handbook, url_of: &dyn Fn(&str, &str) -> String) -> SearchIndex {
    let mut docs = Vec::with_capacity(hb.maps.len() + hb.personas.len() + hb.pages.len());
    for m in &hb.maps {
        docs.push(map_doc(hb, m, url_of("map", &m.id)));
    }
    for p in &hb.personas {
        docs.push(persona_doc(p, url_of("persona", &p.id)));
    }
    for p in &hb.pages {
        if p.id == "_index" || p.id.ends_with("/_index") {
            continue;
        }
        docs.push(Doc {
            url: url_of("page", &p.id),
            title: p.title.clone(),
            subtitle: String::new(),
            text: truncate(&plain_text(&p.body), BODY_CHARS * 3),
            touchpoints: Vec::new(),
        });
    }
    SearchIndex { docs }
}

fn map_doc(hb: &Handbook, m: &Map, url: String) -> Doc {
    let persona = m
        .persona
        .as_deref()
        .and_then(|id| hb.persona(id))
        .map(|p| p.name.as_str());
    let subtitle = [persona, m.owner.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let mut text = Vec::new();
    text.extend(m.tags.iter().map(String::as_str));
    for s in &m.stages {
        text.push(s.name.as_str());
        if let Some(d) = &s.description {
            text.push(d);
        }
    }
    let body = truncate(&plain_text(&m.body), BODY_CHARS);
    text.push(&body);
    let touchpoints = m
        .touchpoints()
        .map(|t| {
            let mut parts: Vec<&str> = Vec::new();
            parts.extend(t.channel.as_deref());
            parts.extend(t.action.as_deref());
            parts.extend(t.thought.as_deref());
            parts.extend(t.pains.iter().map(|p| p.text.as_str()));
            parts.extend(t.opportunities.iter().map(|o| o.text.as_str()));
            parts.extend(t.owner.as_deref());
            TouchpointDoc {
                anchor: t.anchor.clone(),
                name: t.name.clone(),
                texts: parts.into_iter().map(str::to_string).collect(),
            }
        })
        .collect();
    Doc {
        url,
        title: m.title.clone(),
        subtitle,
        text: text.join(" · "),
        touchpoints,
    }
}

fn persona_doc(p: &Persona, url: String) -> Doc {
    let mut text: Vec<&str> = Vec::new();
    text.extend(p.quote.as_deref());
    text.extend(p.goals.iter().map(String::as_str));
    text.extend(p.frustrations.iter().map(String::as_str));
    let body = truncate(&plain_text(&p.body), BODY_CHARS);
    text.push(&body);
    Doc {
        url,
        title: p.name.clone(),
        subtitle: p.role.clone().unwrap_or_default(),
        text: text.join(" · "),
        touchpoints: Vec::new(),
    }
}

fn truncate(s: &str, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

impl SearchIndex {
    /// `search-index.json`: every document in one chunk.
    pub fn to_json(&self) -> String {
        let mut chunk = Chunk::default();
        for d in &self.docs {
            chunk.push(d);
        }
        chunk.to_json()
    }

    /// `search-index.js` and its parts: (file name, text).
    pub fn to_js(&self) -> Vec<(String, String)> {
        let mut chunks: Vec<Chunk<'_>> = vec![Chunk::default()];
        let mut size = 0;
        for d in &self.docs {
            if size > PART_BYTES {
                chunks.push(Chunk::default());
                size = 0;
            }
            if let Some(c) = chunks.last_mut() {
                size += c.push(d);
            }
        }
        let parts: Vec<String> = (1..chunks.len())
            .map(|i| format!("search-index-{i}.js"))
            .collect();
        let mut out = Vec::with_capacity(chunks.len());
        out.push((
            "search-index.js".to_string(),
            format!(
                "window.cxbookSearch={{\"version\":2,\"parts\":{},\"chunks\":[{}]}};\n",
                serde_json::to_string(&parts).unwrap_or_else(|_| "[]".into()),
                chunks[0].to_json()
            ),
        ));
        for (name, chunk) in parts.iter().zip(chunks.iter().skip(1)) {
            out.push((
                name.clone(),
                format!("window.cxbookSearch.chunks.push({});\n", chunk.to_json()),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: usize) -> Doc {
        Doc {
            url: format!("m{n}/index.html"),
            title: format!("Map {n}"),
            text: "x".repeat(1000),
            ..Doc::default()
        }
    }

    #[test]
    fn json_is_compact_arrays_with_shared_strings() {
        let mut d = doc(1);
        d.touchpoints = vec![
            TouchpointDoc {
                anchor: "a".into(),
                name: "Checkout".into(),
                texts: vec!["Slow".into(), "Web".into()],
            },
            TouchpointDoc {
                anchor: "b".into(),
                name: "Pay".into(),
                texts: vec!["Web".into()],
            },
        ];
        let idx = SearchIndex { docs: vec![d] };
        let v: serde_json::Value = serde_json::from_str(&idx.to_json()).unwrap();
        assert_eq!(v["docs"][0][0], "m1/index.html");
        assert_eq!(v["docs"][0][1], "Map 1");
        assert_eq!(
            v["strings"],
            serde_json::json!(["Checkout", "Slow", "Web", "Pay"])
        );
        assert_eq!(v["docs"][0][4][1], serde_json::json!(["b", 3, [2]]));
    }

    #[test]
    fn large_indexes_are_split() {
        let idx = SearchIndex {
            docs: (0..4000).map(doc).collect(),
        };
        let files = idx.to_js();
        assert!(files.len() > 1);
        assert!(files.iter().all(|(_, t)| t.len() <= PART_BYTES + 3000));
        assert!(files[0].1.contains("search-index-1.js"));
    }
}
