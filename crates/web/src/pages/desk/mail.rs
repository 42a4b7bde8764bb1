//! One kept message at the desk (the list is in [`super::mail_list`]): `/desk/mail/{id}` reads
//! it as Redress read it, beside its raw source (escaped, and cut short when very large) and a
//! download of the whole of it; a supervisor or an admin may have a failed or ignored message
//! handled again from there.

use super::session::{DeskNav, DeskStaff};
use super::story::when;
use crate::pages::layout::{Layout, query_param, render};
use crate::pages::message::{message, unavailable};
use crate::pages::problems::{Problems, human_size};
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::body::Body;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use redress_app::AppError;
use redress_app::mail_desk::{Automatic, MailReading};
use redress_catalogue::Messages;
use redress_domain::{CaseRef, MailId};
use redress_store::MailOutcome;
use time::OffsetDateTime;

/// The most of a source the page shows; the download has all of it.
const RAW_SHOWN_BYTES: usize = 256 * 1024;

/// What became of a message, in words, and the case it opened or joined.
pub(crate) struct OutcomeWords {
    pub text: String,
    pub case: Option<String>,
    /// Failed, or stuck: someone should look.
    pub attention: bool,
}

fn machine_words(t: &Messages, automatic: &Automatic) -> String {
    match automatic {
        Automatic::AutoSubmitted(how) => t.format(
            "desk-mail-machine-auto-reply",
            &[("what", how.as_str().into())],
        ),
        Automatic::Bulk(how) => {
            t.format("desk-mail-machine-bulk", &[("what", how.as_str().into())])
        }
        Automatic::MailingList => t.get("desk-mail-machine-list"),
        Automatic::Bounce => t.get("desk-mail-machine-bounce"),
    }
}

pub(crate) fn outcome_words(
    t: &Messages,
    outcome: &MailOutcome,
    case: Option<&CaseRef>,
    automatic: Option<&Automatic>,
) -> OutcomeWords {
    let case = case.map(ToString::to_string);
    let (text, attention) = match outcome {
        MailOutcome::Pending => (t.get("desk-mail-outcome-pending"), true),
        MailOutcome::OpenedCase(_) => (t.get("desk-mail-outcome-opened"), false),
        MailOutcome::AddedToCase(_) => (t.get("desk-mail-outcome-added"), false),
        // The headers say how we could tell, in the reader's language; the stored reason when
        // they no longer do (the detection changed since).
        MailOutcome::Ignored(why) => (
            t.format(
                "desk-mail-outcome-ignored",
                &[(
                    "why",
                    automatic
                        .map(|a| machine_words(t, a))
                        .unwrap_or_else(|| why.clone())
                        .into(),
                )],
            ),
            false,
        ),
        MailOutcome::Failed(why) => (
            t.format("desk-mail-outcome-failed", &[("why", why.as_str().into())]),
            true,
        ),
    };
    OutcomeWords {
        text,
        case,
        attention,
    }
}

/// A moment as the `datetime` of a `<time>` element.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(crate) struct FileRow {
    pub name: String,
    pub size: String,
    pub content_type: String,
    pub inline: bool,
}

#[derive(Template)]
#[template(path = "desk_mail.html")]
pub(crate) struct MailPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub id: String,
    pub subject: String,
    pub received: String,
    pub datetime: String,
    pub source: String,
    pub sender: String,
    pub size: String,
    pub outcome: OutcomeWords,
    pub unreadable: Option<String>,
    pub machine: Option<String>,
    /// "Filed as a complaint: …", or what it would be filed as.
    pub kind: String,
    pub new_words: String,
    pub quoted: Option<String>,
    pub files: Vec<FileRow>,
    /// The raw source as text, cut short when very large.
    pub raw: String,
    /// The source was cut short: how much is shown.
    pub raw_cut: Option<String>,
    /// Failed or ignored: it can be handled again (by a supervisor or an admin).
    pub can_handle_again: bool,
    pub may_handle_again: bool,
    pub done: Option<String>,
    pub problems: Problems,
}

/// "Filed as a complaint: <why>": the kind a message's words gave, and why.
pub(crate) fn filed_as(
    t: &Messages,
    detected: &redress_app::mail_desk::Detected,
    filed: bool,
) -> String {
    let kind = t.get(&format!("desk-mail-kind-{}", detected.kind));
    let why = match detected.kind {
        _ if detected.because.is_empty() => t.get("desk-mail-kind-why-default"),
        redress_domain::CaseKind::Inquiry => t.get("desk-mail-kind-why-question"),
        _ => t.format(
            "desk-mail-kind-why-words",
            &[("words", detected.because.join(", ").into())],
        ),
    };
    let id = if filed {
        "desk-mail-filed-as"
    } else {
        "desk-mail-would-file-as"
    };
    t.format(id, &[("kind", kind.into()), ("why", why.into())])
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// What the message page shows besides the message: a confirmation, or a problem.
#[derive(Default)]
struct Shown {
    done: Option<String>,
    problems: Problems,
}

fn mail_page(
    layout: Layout,
    csrf: String,
    desk: &DeskStaff,
    reading: &MailReading,
    shown: Shown,
) -> MailPage {
    let t = &layout.t;
    let stored = &reading.stored;
    let raw_text = String::from_utf8_lossy(&stored.mail.raw);
    let visible = cut(&raw_text, RAW_SHOWN_BYTES);
    let raw_cut = (visible.len() < raw_text.len()).then(|| human_size(visible.len()));
    let filed = matches!(stored.outcome, MailOutcome::OpenedCase(_));
    MailPage {
        id: stored.mail.id.to_string(),
        subject: Some(reading.subject.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| t.get("desk-mail-no-subject")),
        received: when(t, stored.mail.received_at),
        datetime: rfc3339(stored.mail.received_at),
        source: stored.mail.source.clone(),
        sender: reading
            .sender
            .clone()
            .unwrap_or_else(|| t.get("desk-mail-no-sender")),
        size: human_size(stored.mail.raw.len()),
        outcome: outcome_words(
            t,
            &stored.outcome,
            reading.case.as_ref(),
            reading.automatic.as_ref(),
        ),
        unreadable: reading.unreadable.clone(),
        machine: reading.automatic.as_ref().map(|a| machine_words(t, a)),
        kind: filed_as(t, &reading.detected, filed),
        new_words: reading.new_words.clone(),
        quoted: reading.quoted.clone(),
        files: reading
            .files
            .iter()
            .map(|f| FileRow {
                name: f
                    .name
                    .clone()
                    .unwrap_or_else(|| t.get("desk-mail-file-unnamed")),
                size: human_size(f.size),
                content_type: f.content_type.clone(),
                inline: f.inline,
            })
            .collect(),
        raw: visible.to_owned(),
        raw_cut,
        can_handle_again: matches!(
            stored.outcome,
            MailOutcome::Failed(_) | MailOutcome::Ignored(_)
        ),
        may_handle_again: desk.staff.role.approves_remedies(),
        done: shown.done,
        problems: shown.problems.summarise(t),
        csrf,
        nav: desk.nav(),
        layout,
    }
}

/// The kept message a path names (`NotFound` for what is not an id).
fn mail_id(id: &str) -> Result<MailId, AppError> {
    id.parse().map_err(|_| AppError::NotFound("mail"))
}

/// "No such email" for a message that is not kept, else the page for `e`.
fn mail_unavailable(pages: &Pages, headers: &HeaderMap, uri: &Uri, e: &AppError) -> Response {
    if let AppError::NotFound(_) = e {
        let layout = pages.layout(headers, uri, None);
        let (title, text) = ("desk-mail-not-found", "desk-mail-not-found-text");
        return message(StatusCode::NOT_FOUND, layout, title, text, false);
    }
    unavailable(pages, headers, uri, e)
}

/// The message page, with a confirmation or a problem.
async fn show_page(
    pages: &Pages,
    desk: &DeskStaff,
    id: &str,
    status: StatusCode,
    headers: &HeaderMap,
    uri: &Uri,
    shown: Shown,
) -> Response {
    let reading = match mail_id(id) {
        Ok(id) => pages.app.read_mail(&desk.staff, id).await,
        Err(e) => Err(e),
    };
    let reading = match reading {
        Ok(r) => r,
        Err(e) => return mail_unavailable(pages, headers, uri, &e),
    };
    let (layout, csrf, cookies) = match pages.form_frame(headers, uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let page = mail_page(layout, csrf, desk, &reading, shown);
    render(status, &page, &cookies)
}

/// GET /desk/mail/{id}
pub(crate) async fn show(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let done = query_param(&uri, "done")
        .filter(|d| d == "handled")
        .map(|_| {
            pages
                .layout(&headers, &uri, None)
                .t
                .get("desk-mail-handled")
        });
    show_page(
        &pages,
        &desk,
        &id,
        StatusCode::OK,
        &headers,
        &uri,
        Shown {
            done,
            ..Shown::default()
        },
    )
    .await
}

/// GET /desk/mail/{id}/raw: the message exactly as it came, as a download never shown by the
/// browser.
pub(crate) async fn raw(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let kept = match mail_id(&id) {
        Ok(id) => pages.app.kept_mail(&desk.staff, id).await,
        Err(e) => Err(e),
    };
    let stored = match kept {
        Ok(stored) => stored,
        Err(e) => return mail_unavailable(&pages, &headers, &uri, &e),
    };
    let mut response = (StatusCode::OK, Body::from(stored.mail.raw)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("message/rfc822"),
    );
    // The id is a UUID: the name is plain ASCII.
    let disposition = format!("attachment; filename=\"message-{}.eml\"", stored.mail.id);
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct HandleAgain {
    #[serde(default)]
    csrf: String,
}

/// POST /desk/mail/{id}/handle-again
pub(crate) async fn handle_again(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<HandleAgain>, FormRejection>,
) -> Response {
    let page_uri: Uri = match format!("/desk/mail/{id}").parse() {
        Ok(uri) => uri,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let csrf = form.map(|Form(f)| f.csrf).unwrap_or_default();
    let t = pages.layout(&headers, &page_uri, None).t;
    let back = |status: StatusCode, banner: String| {
        let (pages, headers, page_uri, id) =
            (pages.clone(), headers.clone(), page_uri.clone(), id.clone());
        let desk = &desk;
        async move {
            let shown = Shown {
                done: None,
                problems: Problems::banner(banner),
            };
            show_page(&pages, desk, &id, status, &headers, &page_uri, shown).await
        }
    };
    match pages.check_form(&headers, &csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => return back(StatusCode::FORBIDDEN, t.get(refusal.message_id())).await,
        Err(e) => return unavailable(&pages, &headers, &page_uri, &e),
    }
    let Ok(mail_id) = id.parse::<MailId>() else {
        return back(StatusCode::NOT_FOUND, String::new()).await;
    };
    match pages.app.handle_mail_again(&desk.staff, mail_id).await {
        Ok(_) => see_other(&format!("/desk/mail/{mail_id}?done=handled#done")),
        Err(AppError::Forbidden(_)) => {
            back(StatusCode::FORBIDDEN, t.get("desk-mail-handle-forbidden")).await
        }
        Err(AppError::Conflict(_)) => {
            back(StatusCode::CONFLICT, t.get("desk-mail-handle-not-now")).await
        }
        Err(AppError::NotFound(_)) => back(StatusCode::NOT_FOUND, String::new()).await,
        Err(e) => unavailable(&pages, &headers, &page_uri, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_source_is_cut_on_a_character() {
        assert_eq!(cut("abc", 10), "abc");
        assert_eq!(cut("añb", 2), "a");
        assert_eq!(cut("añb", 3), "añ");
    }
}
