//! `/desk/admin/mail`: the texts every mail to customers is worded from, per language: when each
//! is sent, which variables it can use, the text as it stands with a preview, a form to reword
//! it and one to bring the shipped text back. A refused text comes back as typed, with the
//! problem beside it.

use super::{DeskAdmin, Part, PartLink, query_value};
use crate::pages::desk::session::DeskNav;
use crate::pages::layout::{Layout, render};
use crate::pages::message::unavailable;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, MailTemplate};
use redress_catalogue::{Messages, TemplateProblem};
use serde::Deserialize;

/// What each form on the page sends: one template in one language.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MailForm {
    pub csrf: String,
    pub language: String,
    pub message: String,
    pub text: String,
    /// "save" or "reset".
    pub action: String,
}

impl MailForm {
    /// The id of this form's textarea (and of its problem).
    fn field(&self) -> String {
        field(&self.message, &self.language)
    }
}

fn field(message: &str, language: &str) -> String {
    format!("{message}-{language}")
}

pub(crate) struct VariableView {
    /// e.g. "{ $link }", as it is written in a text.
    pub written: String,
    pub meaning: String,
}

pub(crate) struct TextView {
    /// The textarea's id.
    pub field: String,
    pub language: String,
    pub language_name: String,
    pub status: String,
    pub text: String,
    pub preview: String,
    pub saved: bool,
    pub save_label: String,
    pub reset_label: String,
}

pub(crate) struct TemplateView {
    pub message: String,
    pub title: String,
    pub about: String,
    pub variables: Vec<VariableView>,
    pub texts: Vec<TextView>,
}

#[derive(Template)]
#[template(path = "admin_mail.html")]
pub(crate) struct MailPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub done: Option<String>,
    pub problems: Problems,
    pub templates: Vec<TemplateView>,
}

/// The page's words for a template (its messages are named after it, without "mail-").
fn short(message: &str) -> &str {
    message.strip_prefix("mail-").unwrap_or(message)
}

fn view(t: &Messages, template: &MailTemplate, typed: Option<&MailForm>) -> TemplateView {
    let short = short(template.message);
    let title = t.get(&format!("admin-mail-{short}-title"));
    TemplateView {
        message: template.message.to_owned(),
        about: t.get(&format!("admin-mail-{short}-about")),
        variables: template
            .variables
            .iter()
            .map(|v| VariableView {
                written: format!("{{ ${v} }}"),
                meaning: t.get(&format!("admin-mail-var-{v}")),
            })
            .collect(),
        texts: template
            .texts
            .iter()
            .map(|x| {
                let field = field(template.message, &x.language);
                let typed = typed.filter(|f| f.field() == field);
                let names = [
                    ("name", title.clone().into()),
                    ("language", x.language_name.clone().into()),
                ];
                TextView {
                    status: match &x.saved {
                        Some((at, _)) => {
                            t.format("admin-mail-changed", &[("date", t.date(at.date()).into())])
                        }
                        None => t.get("admin-mail-shipped"),
                    },
                    text: typed.map_or_else(|| x.text.clone(), |f| f.text.clone()),
                    preview: x.preview.clone(),
                    saved: x.saved.is_some(),
                    save_label: t.format("admin-mail-save", &names),
                    reset_label: t.format("admin-mail-reset", &names),
                    language: x.language.clone(),
                    language_name: x.language_name.clone(),
                    field,
                }
            })
            .collect(),
        title,
    }
}

fn problem_words(t: &Messages, problem: &TemplateProblem) -> String {
    match problem {
        TemplateProblem::Empty => t.get("admin-problem-mail-empty"),
        TemplateProblem::TooLong => t.get("admin-problem-mail-too-long"),
        TemplateProblem::LineStart => t.get("admin-problem-mail-line-start"),
        TemplateProblem::UnknownVariable(name) => t.format(
            "admin-problem-mail-variable",
            &[("name", format!("{{ ${name} }}").into())],
        ),
        TemplateProblem::UnknownReference(name) => t.format(
            "admin-problem-mail-reference",
            &[("name", format!("{{ {name} }}").into())],
        ),
        TemplateProblem::Syntax
        | TemplateProblem::UnknownLanguage(_)
        | TemplateProblem::UnknownMessage(_) => t.get("admin-problem-mail-syntax"),
    }
}

/// A notice from the query string (`?done=saved&language=en`), after a form was taken.
fn done_notice(t: &Messages, uri: &Uri, templates: &[MailTemplate]) -> Option<String> {
    let id = match query_value(uri, "done")?.as_str() {
        "saved" => "admin-done-mail-saved",
        "reset" => "admin-done-mail-reset",
        _ => return None,
    };
    let tag = query_value(uri, "language")?;
    let name = templates
        .first()?
        .texts
        .iter()
        .find(|x| x.language == tag)?
        .language_name
        .clone();
    Some(t.format(id, &[("language", name.into())]))
}

async fn page(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    typed: Option<&MailForm>,
    problems: Problems,
) -> Response {
    let templates = match pages.app.mail_templates(admin.staff()).await {
        Ok(t) => t,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let frame = match pages.admin_frame(admin, headers, uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let page = MailPage {
        done: done_notice(t, uri, &templates),
        templates: templates.iter().map(|x| view(t, x, typed)).collect(),
        problems: problems.summarise(t),
        parts: Part::Mail.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(status, &page, &frame.cookies)
}

/// GET /desk/admin/mail
pub(crate) async fn show(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let problems = Problems::default();
    page(
        &pages,
        &admin,
        &headers,
        &uri,
        StatusCode::OK,
        None,
        problems,
    )
    .await
}

/// POST /desk/admin/mail: saves one template's text in one language (`action` "save"), or
/// brings its shipped text back ("reset").
pub(crate) async fn save(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<MailForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => {
            let status = StatusCode::FORBIDDEN;
            return page(&pages, &admin, &headers, &uri, status, Some(&form), banner).await;
        }
        Err(response) => return response,
    }
    let (language, message) = (form.language.as_str(), form.message.as_str());
    let by = admin.staff();
    let result = match form.action.as_str() {
        "save" => {
            if let Some(problem) = pages
                .app
                .mail_template_problem(language, message, &form.text)
            {
                let t = pages.layout(&headers, &uri, None).t;
                let mut problems = Problems::default();
                problems.add(&form.field(), problem_words(&t, &problem));
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return page(
                    &pages,
                    &admin,
                    &headers,
                    &uri,
                    status,
                    Some(&form),
                    problems,
                )
                .await;
            }
            pages
                .app
                .save_mail_template(by, language, message, &form.text)
                .await
                .map(|()| "saved")
        }
        "reset" => pages
            .app
            .reset_mail_template(by, language, message)
            .await
            .map(|_| "reset"),
        _ => return super::not_found(&pages, &headers, &uri),
    };
    match result {
        Ok(done) => {
            let query = serde_urlencoded::to_string([("done", done), ("language", language)])
                .unwrap_or_default();
            see_other(&format!("/desk/admin/mail?{query}"))
        }
        Err(AppError::NotFound(_)) => super::not_found(&pages, &headers, &uri),
        Err(AppError::Invalid(_)) => {
            // Checked above; only a text refused for a reason of the app's own lands here.
            let t = pages.layout(&headers, &uri, None).t;
            let mut problems = Problems::default();
            problems.add(&form.field(), t.get("admin-problem-mail-syntax"));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(
                &pages,
                &admin,
                &headers,
                &uri,
                status,
                Some(&form),
                problems,
            )
            .await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
