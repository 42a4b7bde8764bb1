//! Acting on a case from its page. Every form posts to `/desk/cases/{reference}/{form}` and is
//! checked the same way (CSRF, who may act, the case's current state by the domain's rules);
//! it is either recorded (back to the case page with a confirmation) or shown again with what
//! was typed and each problem beside its box. A page that went stale cannot apply what is no
//! longer valid: the domain refuses it, the page says so, and nothing changed.

use super::case::{Shown, case_page};
use super::forms::{ActionTyped, CaseForm, field_problems, run};
use super::session::DeskStaff;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use redress_app::AppError;

/// POST /desk/cases/{reference}/{form}
pub(crate) async fn act(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path((reference, form_name)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<ActionTyped>, FormRejection>,
) -> Response {
    let Some(which) = CaseForm::named(&form_name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
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
                form: Some(which),
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
    match run(&pages.app, &desk.staff, &case, which, &typed).await {
        Ok(_) => see_other(&format!(
            "/desk/cases/{}?done={}#done",
            case.reference,
            which.name()
        )),
        Err(AppError::Invalid(invalid)) => {
            let mut problems = Problems::default();
            for p in field_problems(which, &invalid) {
                match p.field {
                    Some(field) => problems.add(&field, t.get(p.message_id)),
                    None => problems = Problems::banner(t.get(p.message_id)),
                }
            }
            back(StatusCode::UNPROCESSABLE_ENTITY, problems, typed).await
        }
        Err(AppError::Forbidden(why)) => {
            let banner =
                Problems::banner(t.format("desk-problem-not-yours", &[("why", why.into())]));
            back(StatusCode::FORBIDDEN, banner, typed).await
        }
        Err(AppError::NotNow { refusal, .. }) => {
            let why = t.get(&format!("desk-refusal-{}", refusal.code()));
            let banner = Problems::banner(t.format("desk-problem-not-now", &[("why", why.into())]));
            back(StatusCode::CONFLICT, banner, typed).await
        }
        Err(AppError::Conflict(_)) => {
            // Someone changed the case at the same moment, again and again.
            let banner = Problems::banner(t.get("desk-problem-changed"));
            back(StatusCode::CONFLICT, banner, typed).await
        }
        Err(e) => crate::pages::message::unavailable(&pages, &headers, &page_uri, &e),
    }
}
