//! Attachments: stored with their case in the intake's transaction (or with a later change),
//! read back byte for byte, and only under the case they belong to.

use super::fixtures::*;
use crate::{CaseChange, NewCase, Store, TimelineView};
use redress_domain::{
    Action, Actor, Attachment, AttachmentId, AttachmentInfo, CaseId, EventKind, IntakeDraft,
    Invalid,
};
use std::sync::Arc;

/// The attachments the case's `Received` event lists.
async fn listed(store: &Shared, case: CaseId) -> Vec<AttachmentInfo> {
    let timeline = store
        .timeline(case, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));
    match timeline.first().map(|e| &e.kind) {
        Some(EventKind::Received { attachments, .. }) => attachments.clone(),
        other => panic!("the first event must be Received, got {other:?}"),
    }
}

/// Reads back every attachment of `new` under its case and checks it byte for byte.
async fn assert_stored(store: &Shared, new: &NewCase, what: &str) {
    let expected: Vec<AttachmentInfo> = new.attachments.iter().map(|a| a.info.clone()).collect();
    assert_eq!(
        listed(store, new.case.id).await,
        expected,
        "{what}: the Received event lists the attachments"
    );
    for sent in &new.attachments {
        let read = store
            .attachment(new.case.id, sent.info.id)
            .await
            .unwrap_or_else(|e| panic!("{what}: attachment() failed: {e}"));
        let Some(read) = read else {
            panic!("{what}: attachment {} was not stored", sent.info.id);
        };
        assert_eq!(read.info, sent.info, "{what}: attachment info");
        assert!(
            read.bytes == sent.bytes,
            "{what}: attachment {} must read back byte for byte ({} bytes sent, {} read)",
            sent.info.name.as_str(),
            sent.bytes.len(),
            read.bytes.len()
        );
    }
}

/// Attachments are stored with a new case (a new customer's or a returning one's) and read back
/// exactly; a case without attachments lists none.
pub async fn attachments_are_stored_with_the_case(store: Arc<dyn Store>) {
    let draft = draft(
        "Broken on arrival, see photos.",
        Some("ana@example.com"),
        None,
    );
    let first = new_case_with_files(
        &draft,
        &[
            ("C:\\Users\\ana\\box 📦.png", png_bytes(300 * 1024, 1)),
            ("bill.pdf", b"%PDF-1.7\n\x00\xff\r\n%%EOF".to_vec()),
            ("tiny.gif", b"GIF89a".to_vec()),
        ],
    );
    assert_eq!(first.attachments[0].info.name.as_str(), "box 📦.png");
    let created = create(&store, first.clone()).await;
    assert_eq!(
        created.case, first.case,
        "create_case returns the case as given"
    );
    assert_stored(&store, &first, "a new customer's case").await;

    // The same customer again: the case is filed under them, its attachment with it.
    let again = new_case_with_files(&draft, &[("second.png", png_bytes(10, 2))]);
    let created_again = create(&store, again.clone()).await;
    assert!(
        created_again.returning_customer,
        "fixture: returning customer"
    );
    assert_stored(&store, &again, "a returning customer's case").await;

    let plain = intake(&store, "No files this time.", "bea@example.com").await;
    assert!(
        listed(&store, plain.case.id).await.is_empty(),
        "a case without attachments lists none"
    );
}

/// An attachment is found only under its own case: asked under another case, an unknown case or
/// with an unknown id, it is `None`. An intake refused as a whole keeps none of its attachments.
pub async fn attachment_of_another_case_is_none(store: Arc<dyn Store>) {
    let mine = new_case_with_files(
        &draft("Mine.", Some("ana@example.com"), None),
        &[("mine.png", png_bytes(64, 3))],
    );
    let theirs = new_case_with_files(
        &draft("Theirs.", Some("bea@example.com"), None),
        &[("theirs.png", png_bytes(64, 4))],
    );
    create(&store, mine.clone()).await;
    create(&store, theirs.clone()).await;
    let my_file = mine.attachments[0].info.id;

    let found = |case: CaseId, id: AttachmentId| {
        let store = store.clone();
        async move {
            store
                .attachment(case, id)
                .await
                .unwrap_or_else(|e| panic!("attachment() failed: {e}"))
        }
    };
    assert!(found(mine.case.id, my_file).await.is_some(), "own case");
    assert!(
        found(theirs.case.id, my_file).await.is_none(),
        "an attachment asked under another case is None"
    );
    assert!(
        found(CaseId::new(), my_file).await.is_none(),
        "an attachment asked under an unknown case is None"
    );
    assert!(
        found(mine.case.id, AttachmentId::new()).await.is_none(),
        "an unknown attachment is None"
    );

    // An intake whose token is taken fails as a whole, attachments included.
    let mut clash = new_case_with_files(
        &draft("Refused.", Some("cal@example.com"), None),
        &[("refused.png", png_bytes(64, 5))],
    );
    clash.token = mine.token;
    assert_conflict(
        store.create_case(clash.clone()).await,
        "token",
        "an intake with a token already taken",
    );
    assert!(
        found(clash.case.id, clash.attachments[0].info.id)
            .await
            .is_none(),
        "a refused intake keeps no attachment"
    );
}

/// Many intakes at once, some with attachments and some without (stores may write the two
/// kinds differently): every case and every attachment is stored.
pub async fn concurrent_intakes_with_and_without_attachments(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for i in 0..24u8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let draft = IntakeDraft {
                what_happened: Some(format!("Intake number {i}.")),
                email: Some(format!("customer{i}@example.com")),
                ..IntakeDraft::default()
            };
            let files = if i % 3 == 0 {
                vec![("photo.png", png_bytes(2048 + usize::from(i), i))]
            } else {
                Vec::new()
            };
            let new = new_case_with_files(&draft, &files);
            create(&store, new.clone()).await;
            new
        }));
    }
    for task in tasks {
        let new = task
            .await
            .unwrap_or_else(|e| panic!("intake task failed: {e}"));
        assert_eq!(case_of(&store, new.case.id).await, new.case);
        assert_stored(&store, &new, "a concurrent intake").await;
    }
}

/// A file checked as the app checks one, for a change.
fn file(name: &str, bytes: Vec<u8>) -> Attachment {
    let mut errors = Invalid::default();
    Attachment::check(&mut errors, "files", name, bytes, u64::MAX)
        .unwrap_or_else(|| panic!("fixture file must be valid: {errors}"))
}

/// Files that come with a change (a customer's reply with a photo) are written with it, read
/// back byte for byte under their case and named by its event; a change refused because the
/// case moved on writes none of its files.
pub async fn files_are_recorded_with_their_change_or_not_at_all(store: Arc<dyn Store>) {
    let created = intake(&store, "The heater broke.", "ana@example.com").await;
    let mut case = created.case;
    let photo = file("heater.png", png_bytes(200 * 1024, 7));
    let bill = file("bill.pdf", b"%PDF-1.4\n\x00\x01 the bill\n%%EOF".to_vec());
    let reply = |body: &str, files: &[&Attachment]| Action::MessageFromCustomer {
        body: text(body),
        message_id: None,
        attachments: files.iter().map(|f| f.info.clone()).collect(),
    };
    let stale = case.clone();
    let expected_version = case.version;
    let events = case
        .execute(
            reply("Photos attached.", &[&photo, &bill]),
            &Actor::Customer,
            now(),
        )
        .unwrap_or_else(|e| panic!("fixture action: {e}"));
    store
        .record(CaseChange {
            case: case.clone(),
            expected_version,
            events,
            attachments: vec![photo.clone(), bill.clone()],
        })
        .await
        .unwrap_or_else(|e| panic!("record with files failed: {e}"));
    for sent in [&photo, &bill] {
        let read = store
            .attachment(case.id, sent.info.id)
            .await
            .unwrap_or_else(|e| panic!("attachment() failed: {e}"))
            .unwrap_or_else(|| panic!("{} was not stored", sent.info.name.as_str()));
        assert_eq!(read.info, sent.info);
        assert!(read.bytes == sent.bytes, "read back byte for byte");
    }
    let timeline = store
        .timeline(case.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));
    let named = timeline.iter().find_map(|e| match &e.kind {
        EventKind::MessageFromCustomer { attachments, .. } => Some(attachments.clone()),
        _ => None,
    });
    assert_eq!(named, Some(vec![photo.info.clone(), bill.info.clone()]));

    // Decided on the case as it was before: refused, and its file is not kept.
    let mut late = stale;
    let expected_version = late.version;
    let lost = file("late.png", png_bytes(64, 8));
    let events = late
        .execute(reply("One more.", &[&lost]), &Actor::Customer, now())
        .unwrap_or_else(|e| panic!("fixture action: {e}"));
    assert_conflict(
        store
            .record(CaseChange {
                case: late,
                expected_version,
                events,
                attachments: vec![lost.clone()],
            })
            .await,
        "version",
        "a change decided on a stale case",
    );
    let kept = store
        .attachment(case.id, lost.info.id)
        .await
        .unwrap_or_else(|e| panic!("attachment() failed: {e}"));
    assert!(kept.is_none(), "a refused change keeps none of its files");
}
