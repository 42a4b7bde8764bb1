//! Accessibility checks with axe-core, run inside the page under test.

use serde::Deserialize;
use std::fmt;

/// The rule sets a page must pass: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best
/// practices (one main landmark, one h1, all content in landmarks, …), which catch much of what
/// makes a form hard to use with a screen reader.
pub(super) const TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// Runs axe on the whole document and reports, through WebDriver's async-script callback (the
/// last argument), either the violations in a shape [`Violation`] reads, or the error.
/// Targets are flattened to strings: axe nests them in arrays for iframes and shadow roots.
pub(super) const RUN: &str = r#"
const [tags, done] = arguments;
axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
  .then((results) => done({
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact || null,
      help: v.help,
      help_url: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(", "),
        html: n.html,
        summary: n.failureSummary || null,
      })),
    })),
  }))
  .catch((e) => done({ error: String((e && e.stack) || e) }));
"#;

/// What [`RUN`] reports.
#[derive(Debug, Deserialize)]
pub(super) struct Outcome {
    pub version: Option<String>,
    #[serde(default)]
    pub violations: Vec<Violation>,
    pub error: Option<String>,
}

/// One broken axe rule and every element on the page that breaks it.
#[derive(Debug, Clone, Deserialize)]
pub struct Violation {
    /// The rule, e.g. `label` or `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    pub help: String,
    pub help_url: String,
    pub nodes: Vec<FailingNode>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FailingNode {
    /// CSS selector(s) of the element.
    pub target: String,
    /// The element's opening tag as axe saw it.
    pub html: String,
    /// How to fix it, in axe's words.
    pub summary: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let impact = self.impact.as_deref().unwrap_or("unknown impact");
        writeln!(f, "- {} ({impact}): {}", self.id, self.help)?;
        writeln!(f, "  {}", self.help_url)?;
        for node in &self.nodes {
            writeln!(f, "  at {}: {}", node.target, node.html)?;
            for line in node.summary.iter().flat_map(|s| s.lines()) {
                writeln!(f, "     {}", line.trim())?;
            }
        }
        Ok(())
    }
}

/// The panic message for a page with violations.
pub(super) fn report(page: &str, url: &str, axe_version: &str, violations: &[Violation]) -> String {
    let mut text = format!(
        "accessibility check of {page:?} ({url}) found {} violation(s) (axe-core {axe_version}, \
         rules: {}):\n",
        violations.len(),
        TAGS.join(", ")
    );
    for violation in violations {
        text.push_str(&violation.to_string());
    }
    text
}
