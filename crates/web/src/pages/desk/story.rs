//! The whole story of a case as staff read it: every event, internal ones marked, in the
//! reader's language, staff by name.

use crate::pages::problems::human_size;
use redress_app::CaseDetail;
use redress_catalogue::Messages;
use redress_domain::{Actor, AttachmentInfo, EventKind, Visibility};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One event of the story.
pub(crate) struct StoryItem {
    pub when: String,
    pub datetime: String,
    pub who: String,
    pub internal: bool,
    pub text: String,
    pub body: Option<String>,
    /// The event's number in the case's story.
    pub seq: u32,
    /// A message to the customer: where its email stands.
    pub delivery: Option<super::case_mail::DeliveryWords>,
    /// The files the customer sent with it.
    pub files: Vec<FileLink>,
}

/// A file a customer sent, to download from the desk.
pub(crate) struct FileLink {
    pub href: String,
    pub name: String,
    pub size: String,
}

/// Links to `files` of the case with `reference`.
pub(crate) fn file_links(reference: &str, files: &[AttachmentInfo]) -> Vec<FileLink> {
    files
        .iter()
        .map(|f| FileLink {
            href: format!("/desk/cases/{reference}/files/{}", f.id),
            name: f.name.as_str().to_owned(),
            size: human_size(usize::try_from(f.size).unwrap_or(usize::MAX)),
        })
        .collect()
}

pub(crate) fn when(t: &Messages, at: OffsetDateTime) -> String {
    format!("{}, {:02}:{:02}", t.date(at.date()), at.hour(), at.minute())
}

pub(crate) fn story(t: &Messages, detail: &CaseDetail) -> Vec<StoryItem> {
    detail
        .timeline
        .iter()
        .map(|e| {
            let text_of = |x: &redress_domain::Text| Some(x.as_str().to_owned());
            let (text, body) = match &e.kind {
                EventKind::StatusChanged { from, to, reason } => (
                    t.format(
                        "desk-event-status_changed",
                        &[
                            ("from", t.get(&format!("desk-status-{from}")).into()),
                            ("to", t.get(&format!("desk-status-{to}")).into()),
                        ],
                    ),
                    reason.as_ref().and_then(text_of),
                ),
                EventKind::Acknowledged { message, .. } => {
                    (t.get("desk-event-acknowledged"), text_of(message))
                }
                EventKind::MessageFromCustomer { body, .. }
                | EventKind::MessageToCustomer { body } => (
                    t.get(&format!("desk-event-{}", e.kind.name())),
                    text_of(body),
                ),
                EventKind::NoteAdded { body } => (t.get("desk-event-note_added"), text_of(body)),
                EventKind::Transferred {
                    from,
                    to,
                    team,
                    handover_note,
                } => {
                    let nobody = || t.get("desk-owner-nobody");
                    let name = |s: &Option<redress_domain::StaffRef>| {
                        s.as_ref().map(|s| s.name.clone()).unwrap_or_else(nobody)
                    };
                    let to = match (to, team) {
                        (None, Some(team)) => team.as_str().to_owned(),
                        _ => name(to),
                    };
                    (
                        t.format(
                            "desk-event-transferred",
                            &[("from", name(from).into()), ("to", to.into())],
                        ),
                        text_of(handover_note),
                    )
                }
                EventKind::OperationsViewRequested {
                    department,
                    question,
                    ..
                } => (
                    t.format(
                        "desk-event-operations_view_requested",
                        &[("department", department.as_str().into())],
                    ),
                    text_of(question),
                ),
                EventKind::OperationsViewGiven { answer, .. } => {
                    (t.get("desk-event-operations_view_given"), text_of(answer))
                }
                EventKind::CommitmentMade { what, due, .. } => (
                    t.format(
                        "desk-event-commitment_made",
                        &[
                            ("what", what.as_str().into()),
                            ("date", t.date(*due).into()),
                        ],
                    ),
                    None,
                ),
                EventKind::RemedyOffered {
                    remedy,
                    description,
                    amount,
                    status,
                    ..
                } => (
                    t.format(
                        if *status == redress_domain::RemedyStatus::PendingApproval {
                            "desk-event-remedy_offered-pending"
                        } else {
                            "desk-event-remedy_offered"
                        },
                        &[(
                            "kind",
                            t.get(&format!("desk-remedy-kind-{}", remedy)).into(),
                        )],
                    ),
                    Some(crate::pages::timeline::remedy_words(
                        description,
                        amount.as_ref(),
                    )),
                ),
                EventKind::ResolutionProposed { summary } => {
                    (t.get("desk-event-resolution_proposed"), text_of(summary))
                }
                EventKind::ResolutionRejected {
                    what_would_make_it_right,
                } => (
                    t.get("desk-event-resolution_rejected"),
                    text_of(what_would_make_it_right),
                ),
                EventKind::RootCauseRecorded { root_cause, lesson } => (
                    t.format(
                        "desk-event-root_cause_recorded",
                        &[("cause", root_cause.as_str().into())],
                    ),
                    lesson.as_ref().and_then(text_of),
                ),
                EventKind::EscalationRequested { reason } => {
                    (t.get("desk-event-escalation_requested"), text_of(reason))
                }
                EventKind::EscalationAnswered { advice } => {
                    (t.get("desk-event-escalation_answered"), text_of(advice))
                }
                EventKind::Assigned { owner, team } => (
                    match (owner, team) {
                        (Some(o), _) => {
                            t.format("desk-event-assigned-to", &[("name", o.name.clone().into())])
                        }
                        (None, Some(team)) => t.format(
                            "desk-event-assigned-team",
                            &[("team", team.as_str().into())],
                        ),
                        (None, None) => t.get("desk-event-assigned"),
                    },
                    None,
                ),
                EventKind::CommitmentKept { note, .. }
                | EventKind::CommitmentMissed { note, .. } => (
                    t.get(&format!("desk-event-{}", e.kind.name())),
                    note.as_ref().and_then(text_of),
                ),
                EventKind::RemedyApproved {
                    description,
                    amount,
                    note,
                    ..
                } => (
                    t.format(
                        "desk-event-remedy_approved-what",
                        &[(
                            "what",
                            crate::pages::timeline::remedy_words(description, amount.as_ref())
                                .into(),
                        )],
                    ),
                    note.as_ref().and_then(text_of),
                ),
                EventKind::RemedyRefused { reason, .. } => {
                    (t.get("desk-event-remedy_refused"), text_of(reason))
                }
                EventKind::KindChanged { from, to } => (
                    t.format(
                        "desk-event-kind_changed",
                        &[
                            ("from", t.get(&format!("desk-kind-{from}")).into()),
                            ("to", t.get(&format!("desk-kind-{to}")).into()),
                        ],
                    ),
                    None,
                ),
                other => (t.get(&format!("desk-event-{}", other.name())), None),
            };
            StoryItem {
                when: when(t, e.at),
                datetime: e.at.format(&Rfc3339).unwrap_or_default(),
                who: match &e.actor {
                    Actor::Customer => t.get("desk-actor-customer"),
                    Actor::Staff(s) => s.name.clone(),
                    Actor::System => t.get("desk-actor-system"),
                },
                internal: e.visibility == Visibility::Internal,
                text,
                body,
                seq: e.seq,
                delivery: None,
                files: match &e.kind {
                    EventKind::MessageFromCustomer { attachments, .. } => {
                        file_links(&detail.case.reference.to_string(), attachments)
                    }
                    _ => Vec::new(),
                },
            }
        })
        .collect()
}
