//! `book.toml`: the site's configuration. Every key has a default, unknown
//! keys are errors with a "did you mean" hint, and every error carries the
//! line and column of the offending value.

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::Scale;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The UI language: `<html lang>` and the built-in labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[serde(rename = "zh-Hans")]
    ZhHans,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::ZhHant => "zh-Hant",
            Language::ZhHans => "zh-Hans",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookConfig {
    pub title: String,
    pub description: String,
    pub language: Language,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "CX Handbook".to_string(),
            description: String::new(),
            language: Language::En,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    pub content_dir: String,
    pub output_dir: String,
    pub theme: String,
    /// Always starts and ends with `/` after loading.
    pub base_url: String,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content_dir: "content".to_string(),
            output_dir: "public".to_string(),
            theme: "default".to_string(),
            base_url: "/".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmotionConfig {
    pub min: f64,
    pub max: f64,
    pub labels: BTreeMap<String, String>,
}

impl Default for EmotionConfig {
    fn default() -> Self {
        EmotionConfig {
            min: -2.0,
            max: 2.0,
            labels: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    pub port: u16,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig { port: 3000 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    pub stale_after_days: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            stale_after_days: 365,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through (sanitised); escaped when false.
    pub unsafe_html: bool,
}

/// The whole of `book.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub book: BookConfig,
    pub build: BuildConfig,
    pub emotion: EmotionConfig,
    pub serve: ServeConfig,
    pub check: CheckConfig,
    pub markdown: MarkdownConfig,
}

const SECTIONS: &[&str] = &["book", "build", "emotion", "serve", "check", "markdown"];
const KEYS: &[&str] = &[
    "title",
    "description",
    "language",
    "content-dir",
    "output-dir",
    "theme",
    "base-url",
    "min",
    "max",
    "labels",
    "port",
    "stale-after-days",
    "unsafe-html",
];

impl Config {
    /// Reads `book.toml` in `root`; a missing file gives the defaults.
    /// `Err` is a diagnostic placed in `book.toml` (exit status 2).
    pub fn load(root: &Path) -> Result<Config, Box<Diagnostic>> {
        let path = root.join("book.toml");
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|e| {
                    Box::new(
                        Diagnostic::error("config", "book.toml is not valid UTF-8 text").at(
                            Path::new("book.toml"),
                            "",
                            1,
                            e.utf8_error().valid_up_to() + 1,
                            1,
                        ),
                    )
                })?;
                Config::parse(&text).map_err(Box::new)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Box::new(
                Diagnostic::error("config", format!("cannot read book.toml: {e}")).at(
                    Path::new("book.toml"),
                    "",
                    1,
                    1,
                    1,
                ),
            )),
        }
    }

    /// Parses the text of `book.toml` and checks its values.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let file = Path::new("book.toml");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, col, width) = e
                .span()
                .map(|s| {
                    let (l, c) = line_col(text, s.start);
                    (l, c, text[s.clone()].chars().count())
                })
                .unwrap_or((1, 1, 1));
            let message = e.message().trim().to_string();
            let mut d = Diagnostic::error("config", format!("book.toml: {message}"))
                .at(file, text, line, col, width);
            if let Some(word) = unknown_word(&message) {
                let list = if message.contains("expected one of `book`") {
                    SECTIONS
                } else {
                    KEYS
                };
                if let Some(s) = did_you_mean(word, list.iter().copied()) {
                    d = d.with_hint(format!("did you mean `{s}`?"));
                }
            }
            d
        })?;
        config.check(text)?;
        if !config.build.base_url.starts_with('/') && !config.build.base_url.contains("://") {
            config.build.base_url.insert(0, '/');
        }
        if !config.build.base_url.ends_with('/') {
            config.build.base_url.push('/');
        }
        Ok(config)
    }

    fn check(&self, text: &str) -> Result<(), Diagnostic> {
        let here = |key: &str| {
            let off = text.find(key).unwrap_or(0);
            let (l, c) = line_col(text, off);
            (l, c, key.len())
        };
        let e = &self.emotion;
        if !e.min.is_finite() || !e.max.is_finite() || e.min >= e.max {
            let (l, c, w) = here("min");
            return Err(Diagnostic::error(
                "config",
                format!(
                    "[emotion] min ({}) must be a number below max ({})",
                    e.min, e.max
                ),
            )
            .at(Path::new("book.toml"), text, l, c, w));
        }
        for key in e.labels.keys() {
            let ok = key
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| v >= e.min && v <= e.max);
            if !ok {
                let (l, c, w) = here(key);
                return Err(Diagnostic::error(
                    "config",
                    format!(
                        "[emotion] labels: `{key}` is not a point of the scale {}..{}",
                        e.min, e.max
                    ),
                )
                .with_hint("label keys are numbers inside the scale, e.g. \"-2\" = \"Angry\"")
                .at(Path::new("book.toml"), text, l, c, w));
            }
        }
        for (name, value) in [
            ("content-dir", &self.build.content_dir),
            ("output-dir", &self.build.output_dir),
            ("theme", &self.build.theme),
        ] {
            if value.trim().is_empty() {
                let (l, c, w) = here(name);
                return Err(Diagnostic::error(
                    "config",
                    format!("[build] {name} must not be empty"),
                )
                .at(Path::new("book.toml"), text, l, c, w));
            }
        }
        Ok(())
    }

    /// The site-wide emotion scale.
    pub fn scale(&self) -> Scale {
        let mut labels: Vec<(f64, String)> = self
            .emotion
            .labels
            .iter()
            .filter_map(|(k, v)| k.trim().parse::<f64>().ok().map(|k| (k, v.clone())))
            .collect();
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
        Scale {
            min: self.emotion.min,
            max: self.emotion.max,
            labels,
        }
    }
}

/// The word in "unknown field `x`" or "unknown variant `x`".
fn unknown_word(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.build.output_dir, "public");
        assert_eq!(c.scale().min, -2.0);
        assert_eq!(c.check.stale_after_days, 365);
    }

    #[test]
    fn unknown_key_is_placed_and_hinted() {
        let d = Config::parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn syntax_error_is_placed() {
        let d = Config::parse("[book]\ntitle = \n").unwrap_err();
        assert_eq!(d.line, 2);
    }

    #[test]
    fn base_url_is_normalised() {
        let c = Config::parse("[build]\nbase-url = \"cx\"\n").unwrap();
        assert_eq!(c.build.base_url, "/cx/");
    }

    #[test]
    fn labels_and_language() {
        let c = Config::parse("[book]\nlanguage = \"zh-Hant\"\n[emotion]\nmin = 1\nmax = 5\nlabels = { \"1\" = \"Angry\", \"5\" = \"Happy\" }\n").unwrap();
        assert_eq!(c.book.language, Language::ZhHant);
        assert_eq!(c.scale().label(5.0), Some("Happy"));
        assert!(Config::parse("[emotion]\nlabels = { \"9\" = \"x\" }\n").is_err());
    }
}
