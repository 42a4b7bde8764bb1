//! The message catalogue: every text Redress shows or sends to customers, in every language it
//! speaks. Texts live in Fluent files (`locales/<tag>/*.ftl`: the customers' pages, the desk,
//! the administration, the mail customers receive), never in code, so that a
//! translator or an operator can change the wording without touching Rust. English is complete
//! by definition; any message a language lacks falls back to English, never to an id.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::path::Path;
use std::sync::Arc;
use time::Date;
use unic_langid::LanguageIdentifier;

/// The languages Redress ships, English first (the fallback), each in its files: what customers
/// read, what staff read at the desk, what administrators read.
const BUILTIN: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            include_str!("../locales/en/redress.ftl"),
            include_str!("../locales/en/desk.ftl"),
            include_str!("../locales/en/admin.ftl"),
            include_str!("../locales/en/mail.ftl"),
        ],
    ),
    (
        "es",
        &[
            include_str!("../locales/es/redress.ftl"),
            include_str!("../locales/es/desk.ftl"),
            include_str!("../locales/es/admin.ftl"),
            include_str!("../locales/es/mail.ftl"),
        ],
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("the {language} messages cannot be read: {detail}")]
    Syntax { language: String, detail: String },
    #[error("{0} is not a language tag")]
    Tag(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

struct Language {
    id: LanguageIdentifier,
    bundle: FluentBundle<FluentResource>,
    /// Every Fluent text the bundle was built from, in order (a later one's messages replace an
    /// earlier one's): to build the language again with more laid over it, and to show the
    /// text of a message as it stands (`templates`).
    sources: Vec<Arc<str>>,
}

impl Language {
    /// An empty language: no messages yet.
    fn new(id: LanguageIdentifier) -> Language {
        let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
        // Isolation marks around placeables help right-to-left scripts but corrupt copied
        // text (references, dates) for everyone else; none of our languages needs them yet.
        bundle.set_use_isolating(false);
        Language {
            id,
            bundle,
            sources: Vec::new(),
        }
    }

    /// Lays `source` (read from `origin`) over the messages so far.
    fn lay_over(&mut self, origin: &str, source: Arc<str>) -> Result<(), CatalogueError> {
        self.bundle.add_resource_overriding(parse(origin, &source)?);
        self.sources.push(source);
        Ok(())
    }
}

/// All languages' messages, loaded once at start and shared.
pub struct Catalogue {
    languages: Vec<Language>,
}

/// One of the catalogue's languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locale(usize);

impl Locale {
    /// The fallback language, English.
    pub const FALLBACK: Locale = Locale(0);
}

impl Catalogue {
    /// The languages shipped with Redress.
    pub fn builtin() -> Result<Catalogue, CatalogueError> {
        let mut languages = Vec::with_capacity(BUILTIN.len());
        for (tag, sources) in BUILTIN {
            let id: LanguageIdentifier = tag
                .parse()
                .map_err(|_| CatalogueError::Tag((*tag).to_owned()))?;
            let mut language = Language::new(id);
            for source in *sources {
                // Not overriding: a message the shipped files define twice is a mistake.
                language
                    .bundle
                    .add_resource(parse(tag, source)?)
                    .map_err(|errors| CatalogueError::Syntax {
                        language: (*tag).to_owned(),
                        detail: format!("{errors:?}"),
                    })?;
                language.sources.push(Arc::from(*source));
            }
            languages.push(language);
        }
        Ok(Catalogue { languages })
    }

    /// The shipped languages with the operator's rewording laid over them: every
    /// `<dir>/<tag>/*.ftl` replaces the messages it defines for that language.
    pub fn with_overrides(dir: &Path) -> Result<Catalogue, CatalogueError> {
        let mut catalogue = Catalogue::builtin()?;
        for language in &mut catalogue.languages {
            let folder = dir.join(language.id.to_string());
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            let mut files: Vec<_> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                .collect();
            files.sort();
            for path in files {
                let source =
                    std::fs::read_to_string(&path).map_err(|source| CatalogueError::Io {
                        path: path.display().to_string(),
                        source,
                    })?;
                language.lay_over(&path.display().to_string(), Arc::from(source))?;
            }
        }
        Ok(catalogue)
    }

    /// Every language: its tag and its name in its own words ("English", "Español").
    pub fn languages(self: &Arc<Self>) -> Vec<(Locale, String, String)> {
        (0..self.languages.len())
            .map(|i| {
                let m = self.messages(Locale(i));
                (Locale(i), m.tag(), m.get("language-name"))
            })
            .collect()
    }

    /// The language with exactly this tag's primary language ("es", "es-MX" → es).
    pub fn find(&self, tag: &str) -> Option<Locale> {
        let wanted: LanguageIdentifier = tag.trim().parse().ok()?;
        self.languages
            .iter()
            .position(|l| l.id.language == wanted.language)
            .map(Locale)
    }

    /// The best language for an `Accept-Language` header, if it names one we speak.
    pub fn from_accept_language(&self, header: &str) -> Option<Locale> {
        let requested = fluent_langneg::accepted_languages::parse(header);
        let available: Vec<LanguageIdentifier> =
            self.languages.iter().map(|l| l.id.clone()).collect();
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let first = chosen.first()?;
        available.iter().position(|a| a == *first).map(Locale)
    }

    /// The messages of the language with this tag (a case's recorded language), else English.
    pub fn messages_for(self: &Arc<Self>, tag: Option<&str>) -> Messages {
        let locale = tag.and_then(|t| self.find(t)).unwrap_or(Locale::FALLBACK);
        self.messages(locale)
    }

    /// The messages of one language.
    pub fn messages(self: &Arc<Self>, locale: Locale) -> Messages {
        let locale = if locale.0 < self.languages.len() {
            locale
        } else {
            Locale::FALLBACK
        };
        Messages {
            catalogue: Arc::clone(self),
            locale,
        }
    }

    fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = &self.languages.get(locale.0)?.bundle;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(message = id, ?errors, "a message did not format cleanly");
        }
        Some(text.into_owned())
    }
}

fn parse(language: &str, source: &str) -> Result<FluentResource, CatalogueError> {
    FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| CatalogueError::Syntax {
        language: language.to_owned(),
        detail: format!("{errors:?}"),
    })
}

/// The messages of one language, cheap to clone into each page.
#[derive(Clone)]
pub struct Messages {
    catalogue: Arc<Catalogue>,
    locale: Locale,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Messages({})", self.tag())
    }
}

impl Messages {
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The language's tag, e.g. "en", for `<html lang>` and for the case's record.
    pub fn tag(&self) -> String {
        self.catalogue
            .languages
            .get(self.locale.0)
            .map(|l| l.id.to_string())
            .unwrap_or_else(|| "en".to_owned())
    }

    /// A message without arguments.
    pub fn get(&self, id: &str) -> String {
        self.lookup(id, None)
    }

    /// A message with named arguments, e.g. `[("days", 2.into())]`.
    pub fn format(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.lookup(id, Some(&fluent_args))
    }

    /// A calendar date in the language's own words, e.g. "3 December 2026".
    pub fn date(&self, date: Date) -> String {
        let month = self.get(&format!("month-{}", u8::from(date.month())));
        self.format(
            "date",
            &[
                ("day", i64::from(date.day()).into()),
                ("month", month.into()),
                ("year", i64::from(date.year()).into()),
            ],
        )
    }

    fn lookup(&self, id: &str, args: Option<&FluentArgs>) -> String {
        self.catalogue
            .format(self.locale, id, args)
            .or_else(|| {
                tracing::warn!(message = id, language = %self.tag(), "message missing; using English");
                self.catalogue.format(Locale::FALLBACK, id, args)
            })
            .unwrap_or_else(|| {
                tracing::error!(message = id, "message missing from the catalogue");
                id.to_owned()
            })
    }
}

mod templates;
pub use templates::{MAX_TEMPLATE_CHARS, TemplateProblem};

#[cfg(test)]
mod tests;
