//! Submissions at the App level, on a real SQLite store: files checked by content and stored
//! with the case, limits, and a web form taken once however often it is sent.

use redress_app::{App, AppError, Settings, Upload};
use redress_domain::{AttachmentId, AttachmentType, Channel, IntakeDraft};
use redress_store::{CaseQuery, Store};
use redress_store_sqlite::SqliteStore;
use std::sync::Arc;

/// A real 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
/// The start of a Windows executable.
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00";

struct Fixture {
    app: App,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn fixture(settings: Settings) -> Fixture {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&dir.path().join("redress.db"))
            .await
            .unwrap_or_else(|e| panic!("open store: {e}")),
    );
    Fixture {
        app: App::new(store.clone(), settings),
        store,
        _dir: dir,
    }
}

impl Fixture {
    async fn case_count(&self) -> usize {
        let page = self
            .store
            .list_cases(&CaseQuery {
                limit: 200,
                ..CaseQuery::default()
            })
            .await
            .unwrap_or_else(|e| panic!("list_cases: {e}"));
        page.cases.len()
    }
}

fn draft(words: &str) -> IntakeDraft {
    IntakeDraft {
        what_happened: Some(words.into()),
        email: Some("ana@example.com".into()),
        ..IntakeDraft::default()
    }
}

fn upload(name: &str, bytes: &[u8]) -> Upload {
    Upload {
        file_name: name.into(),
        bytes: bytes.to_vec(),
    }
}

/// The invalid fields and their messages.
fn invalid(result: Result<redress_app::Submitted, AppError>) -> Vec<(String, String)> {
    match result {
        Err(AppError::Invalid(i)) => i.errors.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn attachments_error(message: &str) -> (String, String) {
    ("attachments".to_owned(), message.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_and_pdfs_are_stored_with_the_case() {
    let f = fixture(Settings::default()).await;
    let submitted = f
        .app
        .submit(
            &draft("The box arrived crushed."),
            Channel::Api,
            vec![
                upload("C:\\photos\\box.png", PNG),
                upload("receipt.pdf", PDF),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("submit: {e}"));
    assert!(!submitted.duplicate);

    let token = submitted.token.reveal();
    let view = f
        .app
        .customer_view(token)
        .await
        .unwrap_or_else(|e| panic!("customer_view: {e}"));
    let listed: Vec<(&str, AttachmentType, u64)> = view
        .attachments
        .iter()
        .map(|a| (a.name.as_str(), a.content_type, a.size))
        .collect();
    assert_eq!(
        listed,
        [
            ("box.png", AttachmentType::Png, PNG.len() as u64),
            ("receipt.pdf", AttachmentType::Pdf, PDF.len() as u64)
        ]
    );

    let png = f
        .app
        .customer_attachment(token, view.attachments[0].id)
        .await
        .unwrap_or_else(|e| panic!("customer_attachment: {e}"));
    assert_eq!(png.bytes, PNG, "the customer reads their file back exactly");

    let (staff, _) = f
        .app
        .add_staff("Bea", "bea@example.org", "agent", None, None)
        .await
        .unwrap_or_else(|e| panic!("add_staff: {e}"));
    let pdf = f
        .app
        .staff_attachment(&staff, submitted.case.id, view.attachments[1].id)
        .await
        .unwrap_or_else(|e| panic!("staff_attachment: {e}"));
    assert_eq!(pdf.bytes, PDF, "staff read the file back exactly");
    assert_eq!(pdf.info, view.attachments[1]);

    // Another customer's case, a wrong token and unknown ids reveal nothing.
    let other = f
        .app
        .submit(&draft("Another case."), Channel::Api, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("submit: {e}"));
    let mine = view.attachments[0].id;
    let results = [
        f.app.customer_attachment(other.token.reveal(), mine).await,
        f.app.customer_attachment("not-a-token", mine).await,
        f.app.customer_attachment(token, AttachmentId::new()).await,
        f.app.staff_attachment(&staff, other.case.id, mine).await,
    ];
    for result in results {
        assert!(
            matches!(result, Err(AppError::NotFound("attachment"))),
            "{result:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_checked_by_content_and_limits_with_nothing_stored() {
    let f = fixture(Settings {
        max_attachments: 2,
        max_attachment_bytes: 1024,
        ..Settings::default()
    })
    .await;

    let renamed_exe = vec![upload("photo.jpg", EXE)];
    let exe = invalid(
        f.app
            .submit(&draft("See the photo."), Channel::Web, renamed_exe)
            .await,
    );
    assert_eq!(
        exe,
        [attachments_error(
            "\u{201c}photo.jpg\u{201d} is not a photo or a PDF"
        )]
    );

    let three = vec![
        upload("a.png", PNG),
        upload("b.png", PNG),
        upload("c.png", PNG),
    ];
    let too_many = invalid(
        f.app
            .submit(&draft("Three photos."), Channel::Web, three)
            .await,
    );
    assert_eq!(
        too_many,
        [attachments_error("send at most 2 files with one case")]
    );

    let mut big = PDF.to_vec();
    big.resize(1025, b' ');
    let large_and_empty = vec![upload("big.pdf", &big), upload("empty.png", b"")];
    let refused = invalid(
        f.app
            .submit(&draft("A long PDF."), Channel::Web, large_and_empty)
            .await,
    );
    assert_eq!(
        refused,
        [
            attachments_error("\u{201c}big.pdf\u{201d} is larger than 1 KB"),
            attachments_error("\u{201c}empty.png\u{201d} is empty"),
        ]
    );

    // The draft's problems and the files' are reported together.
    let both = invalid(
        f.app
            .submit(
                &IntakeDraft::default(),
                Channel::Web,
                vec![upload("virus.pdf", EXE)],
            )
            .await,
    );
    let fields: Vec<&str> = both.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["what_happened", "email", "attachments"]);

    assert_eq!(f.case_count().await, 0, "nothing is stored when refused");

    // A file field left empty is no file at all.
    let with_blank = vec![upload("", b""), upload("a.png", PNG), upload("b.png", PNG)];
    let ok = f
        .app
        .submit(&draft("Two photos."), Channel::Web, with_blank)
        .await
        .unwrap_or_else(|e| panic!("submit: {e}"));
    let view = f
        .app
        .customer_view(ok.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("customer_view: {e}"));
    assert_eq!(view.attachments.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_sent_twice_is_taken_once() {
    let f = fixture(Settings::default()).await;
    let files = || vec![upload("box.png", PNG)];
    let first = f
        .app
        .submit_form(&draft("Crushed box."), files(), "nonce-1")
        .await
        .unwrap_or_else(|e| panic!("submit_form: {e}"));
    assert!(!first.duplicate);
    assert_eq!(first.case.channel, Channel::Web);

    let again = f
        .app
        .submit_form(&draft("Crushed box."), files(), "nonce-1")
        .await
        .unwrap_or_else(|e| panic!("submit_form again: {e}"));
    assert!(again.duplicate, "the resend is a duplicate");
    assert_eq!(again.case.id, first.case.id);
    assert_eq!(again.token, first.token, "the same token answers");
    assert_eq!(f.case_count().await, 1, "one case for two sendings");

    // The customer went back and changed the form: a new case.
    let changed = f
        .app
        .submit_form(&draft("Crushed box, and wet."), files(), "nonce-1")
        .await
        .unwrap_or_else(|e| panic!("submit_form changed: {e}"));
    assert!(!changed.duplicate);
    assert_ne!(changed.case.id, first.case.id);
    assert_ne!(changed.token, first.token);
    // The same words with another file: also a new case.
    let other_file = f
        .app
        .submit_form(
            &draft("Crushed box."),
            vec![upload("r.pdf", PDF)],
            "nonce-1",
        )
        .await
        .unwrap_or_else(|e| panic!("submit_form other file: {e}"));
    assert!(!other_file.duplicate);
    // A new rendering of the form (a new nonce) with the same content: a new case.
    let new_form = f
        .app
        .submit_form(&draft("Crushed box."), files(), "nonce-2")
        .await
        .unwrap_or_else(|e| panic!("submit_form new form: {e}"));
    assert!(!new_form.duplicate);
    assert_eq!(f.case_count().await, 4);

    // Another node on the same store derives the same token.
    let node2 = App::new(f.store.clone(), Settings::default());
    let from_node2 = node2
        .submit_form(&draft("Crushed box."), files(), "nonce-1")
        .await
        .unwrap_or_else(|e| panic!("submit_form on node 2: {e}"));
    assert!(from_node2.duplicate);
    assert_eq!(from_node2.case.id, first.case.id);
    assert_eq!(f.case_count().await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_forms_sent_at_once_make_one_case() {
    let f = fixture(Settings::default()).await;
    for round in 0..5 {
        let nonce = format!("together-{round}");
        let d = draft("Sent twice at once.");
        let (a, b) = tokio::join!(
            f.app.submit_form(&d, vec![upload("p.png", PNG)], &nonce),
            f.app.submit_form(&d, vec![upload("p.png", PNG)], &nonce),
        );
        let a = a.unwrap_or_else(|e| panic!("first: {e}"));
        let b = b.unwrap_or_else(|e| panic!("second: {e}"));
        assert_eq!(a.case.id, b.case.id, "one case");
        assert_eq!(a.token, b.token);
        assert!(
            a.duplicate != b.duplicate,
            "exactly one of them made the case"
        );
        assert_eq!(f.case_count().await, round + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_nonces_and_site_keys() {
    let f = fixture(Settings::default()).await;
    for bad in ["", "with space", "<script>", &"n".repeat(65)] {
        let fields = invalid(f.app.submit_form(&draft("Hello."), Vec::new(), bad).await);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].0, "form");
    }
    assert_eq!(f.case_count().await, 0);

    let key = f
        .app
        .site_key()
        .await
        .unwrap_or_else(|e| panic!("site_key: {e}"));
    assert_eq!(format!("{key:?}"), "SiteKey(…)");
    let other_node = App::new(f.store.clone(), Settings::default());
    let same = other_node
        .site_key()
        .await
        .unwrap_or_else(|e| panic!("site_key: {e}"));
    assert_eq!(key.mac("csrf", &[b"x"]), same.mac("csrf", &[b"x"]));
}
