//! What kind of case a new message opens. A complaint unless the text is plainly a question or a
//! compliment: mistaking a complaint for a question is the robotic "thank you for your inquiry"
//! the product exists to avoid, so any sign of trouble makes it a complaint. The reason is kept
//! so staff see why, and change it if it is wrong.

use redress_domain::CaseKind;

/// The kind chosen for a new message, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub kind: CaseKind,
    /// The words that decided it (empty for the default, a complaint).
    pub because: Vec<String>,
}

/// Words that mean something went wrong, in English and Spanish (lower case, whole words or
/// word starts).
const TROUBLE: &[&str] = &[
    "not ",
    "never",
    "no one",
    "nobody",
    "broke",
    "broken",
    "bad",
    "poor",
    "late",
    "delay",
    "refund",
    "complain",
    "disappoint",
    "terrible",
    "awful",
    "horrible",
    "wrong",
    "rude",
    "dirty",
    "cold",
    "problem",
    "issue",
    "fault",
    "fail",
    "missing",
    "lost",
    "damage",
    "charged",
    "overcharg",
    "cancel",
    "worst",
    "unacceptable",
    "angry",
    "upset",
    "still ",
    "again",
    "can't",
    "cannot",
    "didn't",
    "doesn't",
    "won't",
    "hasn't",
    "wasn't",
    "queja",
    "reclam",
    "roto",
    "mal ",
    "nunca",
    "nadie",
    "tarde",
    "reembolso",
    "problema",
    "sucio",
    "frío",
    "decepcion",
    "pésimo",
    "perdid",
    "cobr",
    "todavía",
    "otra vez",
];

/// Words of praise.
const PRAISE: &[&str] = &[
    "thank you for",
    "thanks for",
    "great",
    "excellent",
    "wonderful",
    "amazing",
    "brilliant",
    "well done",
    "compliment",
    "lovely",
    "fantastic",
    "impressed",
    "gracias por",
    "excelente",
    "maravillos",
    "felicit",
    "encantad",
    "estupend",
];

/// Ways a question starts.
const QUESTION_STARTS: &[&str] = &[
    "how ",
    "when ",
    "what ",
    "where ",
    "which ",
    "who ",
    "why ",
    "can ",
    "could ",
    "do you",
    "does ",
    "is there",
    "are there",
    "is it",
    "would ",
    "cómo",
    "cuándo",
    "qué",
    "dónde",
    "cuál",
    "¿",
];

/// Longer than this, a message is telling a story rather than asking a question.
const QUESTION_MAX_CHARS: usize = 600;

fn found(text: &str, list: &[&str]) -> Vec<String> {
    list.iter()
        .filter(|w| text.contains(*w))
        .map(|w| w.trim().to_owned())
        .collect()
}

/// The kind of case `subject` and `text` open.
pub fn detect_kind(subject: &str, text: &str) -> Detected {
    let all = format!("{subject}\n{text}").to_lowercase();
    // Padded, so that "not " matches at the very end too.
    let all = format!(" {all} ");
    if !found(&all, TROUBLE).is_empty() {
        return Detected {
            kind: CaseKind::Complaint,
            because: Vec::new(),
        };
    }
    let praise = found(&all, PRAISE);
    if !praise.is_empty() {
        return Detected {
            kind: CaseKind::Compliment,
            because: praise,
        };
    }
    let body = text.trim().to_lowercase();
    let asks = body.contains('?')
        || QUESTION_STARTS
            .iter()
            .any(|q| body.starts_with(q) || subject.to_lowercase().starts_with(q));
    if asks && body.chars().count() <= QUESTION_MAX_CHARS {
        return Detected {
            kind: CaseKind::Inquiry,
            because: vec!["?".to_owned()],
        };
    }
    Detected {
        kind: CaseKind::Complaint,
        because: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_unless_it_is_plainly_something_else() {
        let kind = |s: &str, t: &str| detect_kind(s, t).kind;
        assert_eq!(
            kind("Room 12", "The heater broke and nobody came."),
            CaseKind::Complaint
        );
        assert_eq!(
            kind("Question", "What time does breakfast start?"),
            CaseKind::Inquiry
        );
        assert_eq!(
            kind(
                "Thank you",
                "Thank you for the wonderful stay, Ana was brilliant."
            ),
            CaseKind::Compliment
        );
        // A question about trouble is a complaint: "why was I charged twice?"
        assert_eq!(
            kind("Bill", "Why was I charged twice?"),
            CaseKind::Complaint
        );
        // Thanks in advance do not make a complaint a compliment.
        assert_eq!(
            kind(
                "Refund",
                "Thanks for your help, but my refund is still missing."
            ),
            CaseKind::Complaint
        );
        assert_eq!(kind("", "¿A qué hora abre el spa?"), CaseKind::Inquiry);
        assert_eq!(
            kind("", "La habitación estaba sucia y nadie vino."),
            CaseKind::Complaint
        );
        // Nothing to go by: a complaint, the safe default.
        assert_eq!(kind("", "Room 12, Tuesday."), CaseKind::Complaint);
        let long_question = format!("{}?", "Tell me about the rooms ".repeat(40));
        assert_eq!(kind("", &long_question), CaseKind::Complaint);
    }

    #[test]
    fn the_reason_is_kept_for_staff() {
        let d = detect_kind("", "Thank you for the excellent dinner.");
        assert!(d.because.contains(&"excellent".to_owned()), "{d:?}");
        assert!(detect_kind("", "The soup was cold.").because.is_empty());
    }
}
