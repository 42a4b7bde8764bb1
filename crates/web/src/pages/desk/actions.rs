//! Acting on a case from its page: picking it up, replying to the customer, an internal note,
//! proposing a resolution. Each is checked (CSRF, the case's current state, by the domain's
//! rules) and either recorded (back to the case page with a confirmation) or shown again with
//! what was typed and the problem beside its field. A page that went stale cannot apply what
//! is no longer valid: the domain refuses it and the page says so, nothing changed.

use super::case::{ActionTyped, Shown, case_page};
use super::session::DeskStaff;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, AssignDraft, MessageDraft, NoteDraft, ResolutionDraft};

/// Which form on the case page was sent.
#[derive(Clone, Copy)]
enum CaseForm {
    PickUp,
    Reply,
    Note,
    Propose,
}

impl CaseForm {
    fn name(self) -> &'static str {
        match self {
            CaseForm::PickUp => "pick-up",
            CaseForm::Reply => "reply",
            CaseForm::Note => "note",
            CaseForm::Propose => "propose",
        }
    }
}

/// What was typed into a box, with the customer-side pages' handling of line breaks.
fn given(s: &str) -> Option<String> {
    Some(crate::pages::complain::plain_line_breaks(s)).filter(|s| !s.trim().is_empty())
}

async fn act(
    pages: Pages,
    desk: DeskStaff,
    reference: String,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<ActionTyped>, FormRejection>,
    which: CaseForm,
) -> Response {
    let typed = form.map(|Form(f)| f).unwrap_or_default();
    let page_uri: Uri = format!("/desk/cases/{reference}").parse().unwrap_or(uri);
    let t = pages.layout(&headers, &page_uri, None).t;
    let back = |status: StatusCode, problems: Problems, typed: ActionTyped| {
        let (pages, headers, page_uri, reference) = (
            pages.clone(),
            headers.clone(),
            page_uri.clone(),
            reference.clone(),
        );
        let desk = &desk;
        async move {
            let shown = Shown {
                done: None,
                problems,
                typed,
            };
            case_page(&pages, desk, &reference, status, &headers, &page_uri, shown).await
        }
    };
    match pages.check_form(&headers, &typed.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let banner = Problems::banner(t.get(refusal.message_id()));
            return back(StatusCode::FORBIDDEN, banner, typed).await;
        }
        Err(e) => return crate::pages::message::unavailable(&pages, &headers, &page_uri, &e),
    }
    let case = match pages.app.case_by_reference(&desk.staff, &reference).await {
        Ok(case) => case,
        Err(_) => return back(StatusCode::NOT_FOUND, Problems::default(), typed).await,
    };
    let result = match which {
        CaseForm::PickUp => {
            let draft = AssignDraft {
                owner_id: Some(desk.staff.id.to_string()),
                team: None,
                handover_note: None,
            };
            pages.app.assign(&desk.staff, case.id, &draft).await
        }
        CaseForm::Reply => match (MessageDraft {
            body: given(&typed.body),
            await_customer: typed.await_customer.is_some(),
        })
        .to_customer()
        {
            Ok(action) => pages.app.staff_act(&desk.staff, case.id, action).await,
            Err(invalid) => Err(invalid.into()),
        },
        CaseForm::Note => match (NoteDraft {
            body: given(&typed.note),
        })
        .parse()
        {
            Ok(action) => pages.app.staff_act(&desk.staff, case.id, action).await,
            Err(invalid) => Err(invalid.into()),
        },
        CaseForm::Propose => match (ResolutionDraft {
            summary: given(&typed.summary),
        })
        .parse()
        {
            Ok(action) => pages.app.staff_act(&desk.staff, case.id, action).await,
            Err(invalid) => Err(invalid.into()),
        },
    };
    match result {
        Ok(_) => see_other(&format!(
            "/desk/cases/{}?done={}",
            case.reference,
            which.name()
        )),
        Err(AppError::Invalid(invalid)) => {
            let mut problems = Problems::default();
            for e in &invalid.errors {
                // The note's box is named apart from the reply's on the page.
                let field = match (which, e.field.as_str()) {
                    (CaseForm::Note, "body") => "note",
                    (_, f) => f,
                };
                problems.add(field, t.get("desk-problem-write-something"));
            }
            back(StatusCode::UNPROCESSABLE_ENTITY, problems, typed).await
        }
        Err(AppError::Conflict(why)) | Err(AppError::Forbidden(why)) => {
            let banner = Problems::banner(t.format("desk-problem-not-now", &[("why", why.into())]));
            back(StatusCode::CONFLICT, banner, typed).await
        }
        Err(e) => crate::pages::message::unavailable(&pages, &headers, &page_uri, &e),
    }
}

macro_rules! case_form {
    ($name:ident, $which:expr) => {
        pub(crate) async fn $name(
            State(pages): State<Pages>,
            desk: DeskStaff,
            Path(reference): Path<String>,
            headers: HeaderMap,
            uri: Uri,
            form: Result<Form<ActionTyped>, FormRejection>,
        ) -> Response {
            act(pages, desk, reference, headers, uri, form, $which).await
        }
    };
}

case_form!(pick_up, CaseForm::PickUp);
case_form!(reply, CaseForm::Reply);
case_form!(note, CaseForm::Note);
case_form!(propose, CaseForm::Propose);
