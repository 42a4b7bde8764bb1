//! Test data built with the real domain API, and small helpers the checks share.

use crate::{CaseChange, CaseQuery, CreatedCase, NewCase, Store, StoreError};
use redress_domain::{
    Action, Actor, Attachment, Case, CaseId, Channel, Intake, IntakeDraft, Invalid, NewStaff, Role,
    Staff, Text, TrackingToken,
};
use std::sync::Arc;
use time::{Date, Duration, OffsetDateTime};

pub(super) type Shared = Arc<dyn Store>;

/// Now, to whole microseconds: what every backend must round-trip exactly.
pub(super) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().truncate_to_microsecond()
}

pub(super) fn today() -> Date {
    now().date()
}

pub(super) fn days_from_today(days: i64) -> Date {
    today() + Duration::days(days)
}

pub(super) fn text(s: &str) -> Text {
    Text::trusted(s)
}

/// A draft with the customer's words and a way to reach them.
pub(super) fn draft(words: &str, email: Option<&str>, phone: Option<&str>) -> IntakeDraft {
    IntakeDraft {
        what_happened: Some(words.to_owned()),
        email: email.map(str::to_owned),
        phone: phone.map(str::to_owned),
        ..IntakeDraft::default()
    }
}

/// A new case from a draft, as the app would build it (web intake; imports may have needed-by
/// dates in the past).
pub(super) fn new_case(draft: &IntakeDraft) -> NewCase {
    let channel = match &draft.needed_by {
        Some(_) => Channel::Import,
        None => Channel::Web,
    };
    let intake = Intake::parse(draft, channel, today())
        .unwrap_or_else(|e| panic!("fixture draft must be valid: {e}"));
    NewCase::receive(&intake, &TrackingToken::generate(), Actor::Customer, now())
}

/// A new web intake from a draft, with files (each `(file name, bytes)`, valid photos or PDFs).
pub(super) fn new_case_with_files(draft: &IntakeDraft, files: &[(&str, Vec<u8>)]) -> NewCase {
    let mut intake = Intake::parse(draft, Channel::Web, today())
        .unwrap_or_else(|e| panic!("fixture draft must be valid: {e}"));
    let mut errors = Invalid::default();
    intake.attachments = files
        .iter()
        .filter_map(|(name, bytes)| {
            Attachment::check(&mut errors, "attachments", name, bytes.clone(), u64::MAX)
        })
        .collect();
    assert!(errors.is_empty(), "fixture files must be valid: {errors}");
    NewCase::receive(&intake, &TrackingToken::generate(), Actor::Customer, now())
}

/// A PNG signature followed by `len` bytes holding every byte value, in an order set by `seed`.
pub(super) fn png_bytes(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

pub(super) async fn create(store: &Shared, new: NewCase) -> CreatedCase {
    let id = new.case.id;
    store
        .create_case(new)
        .await
        .unwrap_or_else(|e| panic!("create_case({id}) failed: {e}"))
}

/// Creates a case from words and an email address.
pub(super) async fn intake(store: &Shared, words: &str, email: &str) -> CreatedCase {
    create(store, new_case(&draft(words, Some(email), None))).await
}

/// Decides `action` on `case` and records it; `case` becomes the recorded state.
pub(super) async fn act(store: &Shared, case: &mut Case, action: Action, actor: &Actor) {
    let expected_version = case.version;
    let what = action.describe();
    let events = case
        .execute(action, actor, now())
        .unwrap_or_else(|e| panic!("fixture action '{what}' must be allowed: {e}"));
    store
        .record(CaseChange {
            attachments: Vec::new(),
            case: case.clone(),
            expected_version,
            events,
        })
        .await
        .unwrap_or_else(|e| panic!("record({what}) failed: {e}"));
}

pub(super) fn new_staff(name: &str, email: &str, role: Role, team: Option<&str>) -> Staff {
    NewStaff {
        name: text(name),
        email: redress_domain::EmailAddress::parse(email)
            .unwrap_or_else(|e| panic!("fixture email {email}: {e}")),
        role,
        team: team.map(text),
        authority_limit: None,
    }
    .into_staff(now())
}

pub(super) fn staff_actor(staff: &Staff) -> Actor {
    Actor::Staff(staff.as_ref())
}

pub(super) async fn case_of(store: &Shared, id: CaseId) -> Case {
    store
        .case(id)
        .await
        .unwrap_or_else(|e| panic!("case({id}) failed: {e}"))
}

/// Ids of every case matching `query`, walking all pages.
pub(super) async fn all_ids(store: &Shared, query: &CaseQuery) -> Vec<CaseId> {
    let mut query = query.clone();
    let mut ids = Vec::new();
    for _ in 0..10_000 {
        let page = list(store, &query).await;
        ids.extend(page.cases.iter().map(|i| i.case.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => return ids,
        }
    }
    panic!("list_cases never reached a last page for {query:?}");
}

pub(super) async fn list(store: &Shared, query: &CaseQuery) -> crate::CasePage {
    store
        .list_cases(query)
        .await
        .unwrap_or_else(|e| panic!("list_cases({query:?}) failed: {e}"))
}

pub(super) fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

pub(super) fn assert_conflict<T: std::fmt::Debug>(
    result: Result<T, StoreError>,
    expected: &str,
    what: &str,
) {
    match result {
        Err(StoreError::Conflict { what: w }) if w == expected => {}
        other => panic!("{what}: expected Conflict {{ what: {expected:?} }}, got {other:?}"),
    }
}
