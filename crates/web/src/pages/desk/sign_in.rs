//! Signing in and out, changing one's password, and the first run's setup of the first
//! administrator. Wrong email and wrong password get the same answer; repeated failures are
//! slowed down by the app (the page says how long to wait).

use super::session::DeskStaff;
use crate::pages::layout::{Layout, render};
use crate::pages::message::{message, unavailable};
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use redress_app::{AppError, SignedIn};
use serde::Deserialize;

/// Every field any of these forms sends.
#[derive(Default, Deserialize)]
pub(crate) struct DeskForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
}

#[derive(Template)]
#[template(path = "desk_sign_in.html")]
pub(crate) struct SignInPage {
    pub layout: Layout,
    pub csrf: String,
    pub email: String,
    pub problems: Problems,
}

#[derive(Template)]
#[template(path = "desk_password.html")]
pub(crate) struct PasswordPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: super::session::DeskNav,
    pub problems: Problems,
}

#[derive(Template)]
#[template(path = "desk_setup.html")]
pub(crate) struct SetupPage {
    pub layout: Layout,
    pub csrf: String,
    pub action: String,
    pub name: String,
    pub email: String,
    pub problems: Problems,
}

/// "Wait N minutes": an account paused after repeated failures, in whole minutes.
fn locked(t: &redress_catalogue::Messages, retry_after_secs: u64) -> String {
    let minutes = i64::try_from(retry_after_secs.div_ceil(60).max(1)).unwrap_or(i64::MAX);
    t.format("desk-sign-in-locked", &[("minutes", minutes.into())])
}

/// A session's lifetime as the browser should keep the cookie (the app ends it earlier when
/// idle).
const SESSION_COOKIE_SECONDS: u32 = 12 * 3600;

impl Pages {
    /// The response to a successful sign-in: the session cookie, then the desk.
    pub(crate) fn signed_in(&self, signed_in: &SignedIn) -> Response {
        let mut response = see_other("/desk");
        let cookie = self.session_cookie(Some(signed_in.token.reveal()), SESSION_COOKIE_SECONDS);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
        response
    }
}

async fn sign_in_page(
    pages: &Pages,
    status: StatusCode,
    headers: &HeaderMap,
    uri: &Uri,
    email: String,
    problems: Problems,
) -> Response {
    match pages.form_frame(headers, uri, None).await {
        Ok((layout, csrf, cookies)) => {
            let page = SignInPage {
                problems: problems.summarise(&layout.t),
                layout,
                csrf,
                email,
            };
            render(status, &page, &cookies)
        }
        Err(e) => unavailable(pages, headers, uri, &e),
    }
}

/// GET /desk/sign-in
pub(crate) async fn show(State(pages): State<Pages>, headers: HeaderMap, uri: Uri) -> Response {
    sign_in_page(
        &pages,
        StatusCode::OK,
        &headers,
        &uri,
        String::new(),
        Problems::default(),
    )
    .await
}

/// POST /desk/sign-in
pub(crate) async fn submit(
    State(pages): State<Pages>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<DeskForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let t = pages.layout(&headers, &uri, None).t;
    let back = |status, message: String| {
        let (pages, headers, uri, email) = (
            pages.clone(),
            headers.clone(),
            uri.clone(),
            form.email.clone(),
        );
        async move {
            sign_in_page(
                &pages,
                status,
                &headers,
                &uri,
                email,
                Problems::banner(message),
            )
            .await
        }
    };
    match pages.check_form(&headers, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => return back(StatusCode::FORBIDDEN, t.get(refusal.message_id())).await,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    }
    match pages.app.sign_in(&form.email, &form.password).await {
        Ok(signed_in) => pages.signed_in(&signed_in),
        Err(AppError::TooManyAttempts { retry_after_secs }) => {
            back(StatusCode::TOO_MANY_REQUESTS, locked(&t, retry_after_secs)).await
        }
        Err(AppError::Unauthenticated) | Err(AppError::Invalid(_)) => {
            back(StatusCode::UNAUTHORIZED, t.get("desk-sign-in-wrong")).await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}

/// POST /desk/sign-out
pub(crate) async fn sign_out(
    State(pages): State<Pages>,
    desk: DeskStaff,
    headers: HeaderMap,
    form: Result<Form<DeskForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    // Signing out is harmless, but another site must not be able to do it for you.
    if !matches!(pages.check_form(&headers, &form.csrf).await, Ok(Ok(()))) {
        return see_other("/desk");
    }
    if let Err(e) = pages.app.sign_out(&desk.token).await {
        tracing::warn!(error = %e, "a session could not be ended");
    }
    let mut response = see_other("/desk/sign-in");
    if let Ok(v) = HeaderValue::from_str(&pages.session_cookie(None, 0)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

async fn password_page(
    pages: &Pages,
    status: StatusCode,
    desk: &DeskStaff,
    headers: &HeaderMap,
    uri: &Uri,
    problems: Problems,
) -> Response {
    match pages.form_frame(headers, uri, None).await {
        Ok((layout, csrf, cookies)) => {
            let page = PasswordPage {
                problems: problems.summarise(&layout.t),
                layout,
                csrf,
                nav: desk.nav(),
            };
            render(status, &page, &cookies)
        }
        Err(e) => unavailable(pages, headers, uri, &e),
    }
}

/// GET /desk/password
pub(crate) async fn show_password(
    State(pages): State<Pages>,
    desk: DeskStaff,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    password_page(
        &pages,
        StatusCode::OK,
        &desk,
        &headers,
        &uri,
        Problems::default(),
    )
    .await
}

/// POST /desk/password
pub(crate) async fn change_password(
    State(pages): State<Pages>,
    desk: DeskStaff,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<DeskForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let t = pages.layout(&headers, &uri, None).t;
    match pages.check_form(&headers, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let banner = Problems::banner(t.get(refusal.message_id()));
            return password_page(&pages, StatusCode::FORBIDDEN, &desk, &headers, &uri, banner)
                .await;
        }
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    }
    let mut problems = Problems::default();
    if form.new_password != form.confirm_password {
        problems.add("confirm_password", t.get("desk-password-mismatch"));
    } else {
        match pages
            .app
            .change_password(
                &desk.staff,
                &desk.token,
                &form.current_password,
                &form.new_password,
            )
            .await
        {
            Ok(()) => return see_other("/desk?done=password"),
            Err(AppError::Invalid(invalid)) => {
                for e in &invalid.errors {
                    let id = match e.field.as_str() {
                        "current_password" => "desk-password-current-wrong",
                        _ => "desk-password-rules",
                    };
                    problems.add(&e.field, t.get(id));
                }
            }
            Err(AppError::TooManyAttempts { retry_after_secs }) => {
                problems.banner = Some(locked(&t, retry_after_secs));
            }
            Err(AppError::Unauthenticated) => return see_other("/desk/sign-in"),
            Err(e) => return unavailable(&pages, &headers, &uri, &e),
        }
    }
    password_page(
        &pages,
        StatusCode::UNPROCESSABLE_ENTITY,
        &desk,
        &headers,
        &uri,
        problems,
    )
    .await
}

async fn setup_page(
    pages: &Pages,
    status: StatusCode,
    headers: &HeaderMap,
    uri: &Uri,
    token: &str,
    form: &DeskForm,
    problems: Problems,
) -> Response {
    match pages.form_frame(headers, uri, None).await {
        Ok((layout, csrf, cookies)) => {
            let page = SetupPage {
                problems: problems.summarise(&layout.t),
                layout,
                csrf,
                action: format!("/setup/{token}"),
                name: form.name.clone(),
                email: form.email.clone(),
            };
            render(status, &page, &cookies)
        }
        Err(e) => unavailable(pages, headers, uri, &e),
    }
}

/// GET /setup/{token}: the first administrator's account, from the link `redress serve` printed.
pub(crate) async fn show_setup(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    match pages.app.setup_link_valid(&token).await {
        Ok(true) => {}
        Ok(false) => return setup_used(&pages, &headers, &uri),
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    }
    let empty = DeskForm::default();
    setup_page(
        &pages,
        StatusCode::OK,
        &headers,
        &uri,
        &token,
        &empty,
        Problems::default(),
    )
    .await
}

/// A setup link that was used, has expired, or never existed: said plainly, revealing nothing.
fn setup_used(pages: &Pages, headers: &HeaderMap, uri: &Uri) -> Response {
    let layout = pages.layout(headers, uri, None);
    let (title, text) = ("desk-setup-used-title", "desk-setup-used");
    message(StatusCode::NOT_FOUND, layout, title, text, false)
}

/// POST /setup/{token}
pub(crate) async fn complete_setup(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<DeskForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let t = pages.layout(&headers, &uri, None).t;
    match pages.check_form(&headers, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let banner = Problems::banner(t.get(refusal.message_id()));
            return setup_page(
                &pages,
                StatusCode::FORBIDDEN,
                &headers,
                &uri,
                &token,
                &form,
                banner,
            )
            .await;
        }
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    }
    let mut problems = Problems::default();
    if form.password != form.confirm_password {
        problems.add("confirm_password", t.get("desk-password-mismatch"));
        return setup_page(
            &pages,
            StatusCode::UNPROCESSABLE_ENTITY,
            &headers,
            &uri,
            &token,
            &form,
            problems,
        )
        .await;
    }
    match pages
        .app
        .complete_setup(&token, &form.name, &form.email, &form.password)
        .await
    {
        Ok(signed_in) => pages.signed_in(&signed_in),
        Err(AppError::NotFound(_)) => setup_used(&pages, &headers, &uri),
        Err(AppError::Invalid(invalid)) => {
            for e in &invalid.errors {
                let id = match e.field.as_str() {
                    "email" => "problem-email",
                    "name" => "desk-setup-name",
                    _ => "desk-password-rules",
                };
                problems.add(&e.field, t.get(id));
            }
            setup_page(
                &pages,
                StatusCode::UNPROCESSABLE_ENTITY,
                &headers,
                &uri,
                &token,
                &form,
                problems,
            )
            .await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
