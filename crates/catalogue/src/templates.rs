//! Messages an administrator rewords in the product (the mail to customers): the text of a
//! message as it stands, in Fluent's own notation, to fill an edit form; the check a new text
//! must pass (one message value, using only the variables Redress gives that message); and a
//! catalogue with the saved texts laid over it.
//!
//! A text is what follows `id =` in a Fluent file, without the indentation: e.g.
//! `{ $greeting }` on one line, a blank line, `Thank you.` on the next.

use crate::{BUILTIN, Catalogue, CatalogueError, Language};
use fluent_syntax::ast::{
    CallArguments, Entry, Expression, InlineExpression, Message, Pattern, PatternElement, Resource,
};
use fluent_syntax::parser;
use std::sync::Arc;

/// The longest text a message may have, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;

/// Why a text cannot stand for a message. The English words are for logs and API clients; a
/// page words them in its reader's language.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateProblem {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_TEMPLATE_CHARS} characters")]
    TooLong,
    #[error("{0} is not a language of the catalogue")]
    UnknownLanguage(String),
    #[error("{0} is not a message of the catalogue")]
    UnknownMessage(String),
    /// A line starting with `[`, `*` or `.` reads as part of Fluent's notation.
    #[error("a line cannot begin with [, * or . (write {{\"*\"}} for a literal *)")]
    LineStart,
    #[error("is not a valid text: every {{ must close with }}, around a $variable")]
    Syntax,
    /// The message is never given this variable.
    #[error("uses ${0}, which this message is not given")]
    UnknownVariable(String),
    /// A reference to a message the language does not have.
    #[error("refers to {0}, which is not a message")]
    UnknownReference(String),
}

/// The Fluent source of a message `id` whose value is `text`, as a resource of its own.
fn resource_text(id: &str, text: &str) -> String {
    let mut source = format!("{id} =\n");
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        if !line.trim().is_empty() {
            source.push_str("    ");
            source.push_str(line.trim_end());
        }
        source.push('\n');
    }
    source
}

/// The last definition of message `id` in `sources` (later ones replace earlier ones), as its
/// resource's text serialized on its own.
fn last_definition(sources: &[Arc<str>], id: &str) -> Option<String> {
    sources.iter().rev().find_map(|source| {
        let resource = match parser::parse(source.as_ref()) {
            Ok(r) | Err((r, _)) => r,
        };
        let message = find(&resource, id)?;
        let alone = Resource {
            body: vec![Entry::Message(Message {
                id: message.id.clone(),
                value: Some(message.value.clone()?),
                attributes: Vec::new(),
                comment: None,
            })],
        };
        Some(fluent_syntax::serializer::serialize(&alone))
    })
}

fn find<'r, 's>(resource: &'r Resource<&'s str>, id: &str) -> Option<&'r Message<&'s str>> {
    resource.body.iter().find_map(|entry| match entry {
        Entry::Message(m) if m.id.name == id => Some(m),
        _ => None,
    })
}

/// The value's text from a serialized `id = …` resource: what follows `=`, unindented.
fn value_text(id: &str, serialized: &str) -> String {
    let rest = serialized
        .strip_prefix(id)
        .and_then(|r| r.strip_prefix(" ="))
        .unwrap_or(serialized);
    if let Some(inline) = rest.strip_prefix(' ') {
        return inline.trim_end().to_owned();
    }
    let lines: Vec<&str> = rest
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect();
    lines.join("\n").trim_matches('\n').to_owned()
}

/// What a pattern uses: its variables and the messages it refers to, each once, in order.
#[derive(Default)]
struct Uses {
    variables: Vec<String>,
    messages: Vec<String>,
}

impl Uses {
    fn of(pattern: &Pattern<&str>) -> Uses {
        let mut uses = Uses::default();
        uses.pattern(pattern);
        uses
    }

    fn pattern(&mut self, pattern: &Pattern<&str>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &Expression<&str>) {
        match expression {
            Expression::Inline(inline) => self.inline(inline),
            Expression::Select { selector, variants } => {
                self.inline(selector);
                for variant in variants {
                    self.pattern(&variant.value);
                }
            }
        }
    }

    fn inline(&mut self, inline: &InlineExpression<&str>) {
        match inline {
            InlineExpression::VariableReference { id } => add(&mut self.variables, id.name),
            InlineExpression::MessageReference { id, .. } => add(&mut self.messages, id.name),
            InlineExpression::FunctionReference { arguments, .. } => self.arguments(arguments),
            InlineExpression::TermReference { arguments, .. } => {
                if let Some(arguments) = arguments {
                    self.arguments(arguments);
                }
            }
            InlineExpression::Placeable { expression } => self.expression(expression),
            InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
        }
    }

    fn arguments(&mut self, arguments: &CallArguments<&str>) {
        for a in &arguments.positional {
            self.inline(a);
        }
        for a in &arguments.named {
            self.inline(&a.value);
        }
    }
}

fn add(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

/// The variables Redress gives message `id`: those the shipped message uses, in the language
/// `tag` (English when that language does not ship it).
fn shipped_variables(tag: &str, id: &str) -> Option<Vec<String>> {
    let in_language = |wanted: &str| {
        let (_, sources) = BUILTIN.iter().find(|(t, _)| *t == wanted)?;
        sources.iter().find_map(|source| {
            let resource = parser::parse(*source).ok()?;
            let value = find(&resource, id)?.value.as_ref()?;
            Some(Uses::of(value).variables)
        })
    };
    in_language(tag).or_else(|| in_language("en"))
}

impl Catalogue {
    fn language(&self, tag: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.id == tag)
    }

    /// The text of message `id` in the language tagged exactly `tag`, as it stands in this
    /// catalogue (shipped, reworded by the operator, or laid over by [`Catalogue::with_texts`]).
    pub fn message_text(&self, tag: &str, id: &str) -> Option<String> {
        let language = self.language(tag)?;
        last_definition(&language.sources, id).map(|s| value_text(id, &s))
    }

    /// The variables a text for message `id` may use, e.g. `["greeting", "link"]`.
    pub fn template_variables(&self, tag: &str, id: &str) -> Vec<String> {
        shipped_variables(tag, id).unwrap_or_default()
    }

    /// Whether `text` can stand for message `id` in language `tag`: not empty, one message
    /// value in Fluent's notation, using only the variables Redress gives that message and
    /// referring only to messages the language has.
    pub fn check_template(&self, tag: &str, id: &str, text: &str) -> Result<(), TemplateProblem> {
        let language = self
            .language(tag)
            .ok_or_else(|| TemplateProblem::UnknownLanguage(tag.to_owned()))?;
        let allowed = match shipped_variables(tag, id) {
            Some(v) if language.bundle.has_message(id) => v,
            _ => return Err(TemplateProblem::UnknownMessage(id.to_owned())),
        };
        if text.trim().is_empty() {
            return Err(TemplateProblem::Empty);
        }
        if text.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(TemplateProblem::TooLong);
        }
        let source = resource_text(id, text);
        let resource = parser::parse(source.as_str()).map_err(|_| syntax_problem(text))?;
        let value = match resource.body.as_slice() {
            [Entry::Message(m)] if m.id.name == id && m.attributes.is_empty() => {
                m.value.as_ref().ok_or(TemplateProblem::Empty)?
            }
            _ => return Err(syntax_problem(text)),
        };
        let uses = Uses::of(value);
        if let Some(unknown) = uses.variables.into_iter().find(|v| !allowed.contains(v)) {
            return Err(TemplateProblem::UnknownVariable(unknown));
        }
        if let Some(unknown) = uses
            .messages
            .into_iter()
            .find(|m| !language.bundle.has_message(m))
        {
            return Err(TemplateProblem::UnknownReference(unknown));
        }
        Ok(())
    }

    /// This catalogue with `texts` (language tag, message id, text) laid over it: each text
    /// replaces its message in its language. A text that fails [`Catalogue::check_template`]
    /// (say, saved before an upgrade changed its message) is left out, with a warning: the
    /// message keeps its wording here.
    pub fn with_texts(&self, texts: &[(&str, &str, &str)]) -> Result<Catalogue, CatalogueError> {
        let mut languages = Vec::with_capacity(self.languages.len());
        for base in &self.languages {
            let tag = base.id.to_string();
            let mut language = Language::new(base.id.clone());
            for source in &base.sources {
                language.lay_over(&tag, Arc::clone(source))?;
            }
            for (_, id, text) in texts.iter().filter(|(t, _, _)| *t == tag) {
                match self.check_template(&tag, id, text) {
                    Ok(()) => language.lay_over(&tag, Arc::from(resource_text(id, text)))?,
                    Err(problem) => {
                        tracing::warn!(language = %tag, message = id, %problem, "a saved text is left out");
                    }
                }
            }
            languages.push(language);
        }
        for (tag, id, _) in texts {
            if self.language(tag).is_none() {
                tracing::warn!(
                    language = tag,
                    message = id,
                    "a saved text's language is not spoken"
                );
            }
        }
        Ok(Catalogue { languages })
    }
}

/// The problem with a text that does not parse: a line that reads as notation, else syntax.
fn syntax_problem(text: &str) -> TemplateProblem {
    let notation = text
        .lines()
        .map(str::trim_start)
        .any(|l| l.starts_with('[') || l.starts_with('*') || l.starts_with('.'));
    if notation {
        TemplateProblem::LineStart
    } else {
        TemplateProblem::Syntax
    }
}
