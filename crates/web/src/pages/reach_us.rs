//! "How to reach us": every channel in plain sight (the form, email, phone with its hours, post)
//! and the promise of what happens next, all from configuration.

use super::Pages;
use super::layout::{Layout, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::acknowledgement::{care_team, sentence_start};

#[derive(Template)]
#[template(path = "reach_us.html")]
pub(crate) struct ReachUsPage {
    pub layout: Layout,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The number as a `tel:` link wants it: digits and a leading +.
    pub phone_link: String,
    pub opening_hours: Vec<String>,
    pub postal_address: Vec<String>,
    pub what_happens_next: String,
}

/// GET /
pub(crate) async fn show(State(pages): State<Pages>, headers: HeaderMap, uri: Uri) -> Response {
    let mut layout = pages.layout(&headers, &uri, None);
    let cookies = std::mem::take(&mut layout.cookies);
    let settings = pages.app.settings();
    let contact = &settings.contact;
    let page = ReachUsPage {
        what_happens_next: layout.t.format(
            "reach-next-text",
            &[
                (
                    "team",
                    sentence_start(&care_team(&settings, &layout.t)).into(),
                ),
                ("days", i64::from(settings.first_response_days).into()),
            ],
        ),
        email: contact.email.clone(),
        phone_link: contact
            .phone
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        phone: contact.phone.clone(),
        opening_hours: contact.opening_hours.clone(),
        postal_address: contact
            .postal_address
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect(),
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
}
