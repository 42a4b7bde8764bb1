//! A case's story as its customer reads it: each customer-visible event in plain words, who did
//! it (you, or the person by name), and what was said.

use redress_app::{CustomerEvent, CustomerSideActor};
use redress_catalogue::Messages;
use redress_domain::{Case, CommitmentId, EventKind, Money, Text};
use time::format_description::well_known::Rfc3339;

/// One line of the story.
pub(crate) struct TimelineItem {
    pub date: String,
    /// Machine-readable, for `<time datetime>`.
    pub datetime: String,
    pub who: String,
    /// Written by the customer (styled apart).
    pub mine: bool,
    pub text: String,
    /// What was said, exactly as written.
    pub body: Option<String>,
}

fn commitment_what(case: &Case, id: &CommitmentId) -> Option<String> {
    case.commitments
        .iter()
        .find(|c| &c.id == id)
        .map(|c| c.what.as_str().to_owned())
}

/// A remedy in words: "a replacement kettle (£20.00)".
pub(crate) fn remedy_words(description: &Text, amount: Option<&Money>) -> String {
    match amount {
        Some(a) => format!("{} ({a})", description.as_str()),
        None => description.as_str().to_owned(),
    }
}

pub(crate) fn items(
    t: &Messages,
    events: &[CustomerEvent],
    case: &Case,
    organisation: &str,
) -> Vec<TimelineItem> {
    events
        .iter()
        .enumerate()
        // A status change that comes with another event of the same action ("we proposed…",
        // then "proposed") would say the same thing twice.
        .filter(|(i, e)| {
            let plain_status = matches!(&e.kind, EventKind::StatusChanged { reason: None, .. });
            let same_action = i
                .checked_sub(1)
                .and_then(|p| events.get(p))
                .is_some_and(|prev| prev.at == e.at);
            !(plain_status && same_action)
        })
        .map(|(_, e)| {
            let body = |text: &Text| Some(text.as_str().to_owned());
            let (text, said) = match &e.kind {
                EventKind::Received { .. } => (t.get("event-received"), None),
                EventKind::Acknowledged { message, .. } => {
                    (t.get("event-acknowledged"), body(message))
                }
                EventKind::StatusChanged { to, reason, .. } => (
                    t.format(
                        "event-status-changed",
                        &[("status", t.get(&format!("status-{to}")).into())],
                    ),
                    reason.as_ref().and_then(body),
                ),
                EventKind::MessageFromCustomer { body: b, .. } => {
                    (t.get("event-message-from-customer"), body(b))
                }
                EventKind::MessageToCustomer { body: b } => {
                    (t.get("event-message-to-customer"), body(b))
                }
                EventKind::CommitmentMade { what, how, due, .. } => (
                    t.format(
                        "event-commitment-made",
                        &[
                            ("what", what.as_str().into()),
                            ("date", t.date(*due).into()),
                        ],
                    ),
                    body(how),
                ),
                EventKind::CommitmentKept { commitment_id, .. } => (
                    t.get("event-commitment-kept"),
                    commitment_what(case, commitment_id),
                ),
                EventKind::CommitmentMissed { commitment_id, .. } => (
                    t.get("event-commitment-missed"),
                    commitment_what(case, commitment_id),
                ),
                EventKind::RemedyOffered {
                    description,
                    amount,
                    ..
                }
                | EventKind::RemedyApproved {
                    description,
                    amount,
                    ..
                } => (
                    t.format(
                        "event-remedy",
                        &[("what", remedy_words(description, amount.as_ref()).into())],
                    ),
                    None,
                ),
                EventKind::ResolutionProposed { summary } => {
                    (t.get("event-resolution-proposed"), body(summary))
                }
                EventKind::ResolutionAccepted => (t.get("event-resolution-accepted"), None),
                EventKind::ResolutionRejected {
                    what_would_make_it_right,
                } => (
                    t.get("event-resolution-rejected"),
                    body(what_would_make_it_right),
                ),
                EventKind::FollowUpAnswered(answer) => (
                    t.get("event-follow-up-answered"),
                    answer.comments.as_ref().and_then(body),
                ),
                _ => (t.get("event-other"), None),
            };
            let (who, mine) = match e.by {
                CustomerSideActor::Customer => (t.get("event-by-you"), true),
                CustomerSideActor::Staff => (
                    e.by_name.clone().unwrap_or_else(|| organisation.to_owned()),
                    false,
                ),
                CustomerSideActor::System => (organisation.to_owned(), false),
            };
            TimelineItem {
                date: t.date(e.at.date()),
                datetime: e.at.format(&Rfc3339).unwrap_or_default(),
                who,
                mine,
                text,
                body: said,
            }
        })
        .collect()
}
