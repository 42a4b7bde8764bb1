//! "Tell us what happened": the one short form. Two things are required (what happened, one way
//! to reach you); everything else is optional. A post either creates the case and moves on to
//! the Received page, or returns the form with every typed word and a message beside each
//! field at fault. The same form sent twice (a double click) is taken once.

use super::guard::random_id;
use super::layout::{Layout, query_param, render};
use super::problems::{Problems, human_size, intake_problems};
use super::upload::{UploadLimits, read_post, upload_problem};
use super::{Pages, see_other};
use crate::limits::client_address;
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::AppError;
use redress_domain::{CaseKind, Channel, Intake, IntakeDraft};
use std::net::IpAddr;

/// What the customer typed, kept so the form can come back exactly as they left it.
#[derive(Default, Clone)]
pub(crate) struct Typed {
    pub kind: String,
    pub what_happened: String,
    pub what_would_make_it_right: String,
    pub needed_by: String,
    pub product: String,
    pub location: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub preferred_channel: String,
}

impl Typed {
    pub(crate) fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "kind" => &mut self.kind,
            "what_happened" => &mut self.what_happened,
            "what_would_make_it_right" => &mut self.what_would_make_it_right,
            "needed_by" => &mut self.needed_by,
            "product" => &mut self.product,
            "location" => &mut self.location,
            "name" => &mut self.name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "preferred_channel" => &mut self.preferred_channel,
            _ => return,
        };
        *slot = value;
    }

    fn draft(&self, language: &str) -> IntakeDraft {
        let some = |s: &String| Some(s.clone());
        IntakeDraft {
            kind: some(&self.kind),
            what_happened: some(&self.what_happened),
            what_would_make_it_right: some(&self.what_would_make_it_right),
            needed_by: some(&self.needed_by),
            product: some(&self.product),
            service: None,
            location: some(&self.location),
            name: some(&self.name),
            email: some(&self.email),
            phone: some(&self.phone),
            preferred_channel: some(&self.preferred_channel),
            language: Some(language.to_owned()),
        }
    }
}

/// Browsers send a text area's line breaks as CR LF (the HTML standard asks them to); the
/// customer typed plain new lines, and that is what is kept, as through the API and email.
pub(crate) fn plain_line_breaks(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// One option of a list.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "complain.html")]
pub(crate) struct ComplainPage {
    pub layout: Layout,
    pub typed: Typed,
    pub problems: Problems,
    pub csrf: String,
    pub nonce: String,
    pub kinds: Vec<Choice>,
    pub products: Vec<Choice>,
    pub locations: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub attachments_hint: String,
    pub what_label: String,
    pub today: String,
    /// The honeypot's value is never sent back: a human who tripped it starts with it empty.
    pub honeypot: &'static str,
}

const KINDS: [(CaseKind, &str); 4] = [
    (CaseKind::Complaint, "kind-complaint"),
    (CaseKind::Inquiry, "kind-inquiry"),
    (CaseKind::Compliment, "kind-compliment"),
    (CaseKind::Suggestion, "kind-suggestion"),
];

const CHANNELS: [(&str, &str); 5] = [
    ("", "channel-no-preference"),
    ("email", "channel-email"),
    ("phone", "channel-phone"),
    ("sms", "channel-sms"),
    ("post", "channel-post"),
];

/// The list from configuration, with the customer's choice selected (kept even if the list
/// changed since).
fn choices(list: &[String], chosen: &str, empty_label: String) -> Vec<Choice> {
    if list.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Choice {
        value: String::new(),
        label: empty_label,
        selected: chosen.is_empty(),
    }];
    out.extend(list.iter().map(|v| Choice {
        value: v.clone(),
        label: v.clone(),
        selected: v == chosen,
    }));
    if !chosen.is_empty() && !list.iter().any(|v| v == chosen) {
        out.push(Choice {
            value: chosen.to_owned(),
            label: chosen.to_owned(),
            selected: true,
        });
    }
    out
}

impl Pages {
    async fn complain_page(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        typed: Typed,
        problems: Problems,
        nonce: Option<String>,
    ) -> Result<(ComplainPage, Vec<String>), AppError> {
        let (layout, csrf, cookies) = self.form_frame(headers, uri, None).await?;
        let t = &layout.t;
        let settings = self.app.settings();
        let kind = CaseKind::parse(&typed.kind).unwrap_or(CaseKind::Complaint);
        let page = ComplainPage {
            kinds: KINDS
                .iter()
                .map(|(k, label)| Choice {
                    value: k.as_str().to_owned(),
                    label: t.get(label),
                    selected: *k == kind,
                })
                .collect(),
            products: choices(
                &settings.products,
                &typed.product,
                t.get("field-product-choose"),
            ),
            locations: choices(
                &settings.locations,
                &typed.location,
                t.get("field-location-choose"),
            ),
            channels: CHANNELS
                .iter()
                .map(|(v, label)| Choice {
                    value: (*v).to_owned(),
                    label: t.get(label),
                    selected: *v == typed.preferred_channel,
                })
                .collect(),
            attachments_hint: t.format(
                "field-attachments-hint",
                &[
                    (
                        "count",
                        i64::try_from(settings.max_attachments)
                            .unwrap_or(i64::MAX)
                            .into(),
                    ),
                    ("size", human_size(settings.max_attachment_bytes).into()),
                ],
            ),
            what_label: t.get(if kind == CaseKind::Inquiry {
                "field-what-happened-question"
            } else {
                "field-what-happened"
            }),
            today: time::OffsetDateTime::now_utc().date().to_string(),
            problems: problems.summarise(t),
            csrf,
            nonce: nonce.unwrap_or_else(random_id),
            typed,
            honeypot: "",
            layout,
        };
        Ok((page, cookies))
    }

    async fn complain_response(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        uri: &Uri,
        typed: Typed,
        problems: Problems,
        nonce: Option<String>,
    ) -> Response {
        match self
            .complain_page(headers, uri, typed, problems, nonce)
            .await
        {
            Ok((page, cookies)) => render(status, &page, &cookies),
            Err(e) => super::message::unavailable(self, headers, uri, &e),
        }
    }
}

/// GET /complain, optionally `?kind=inquiry` (or compliment, suggestion) to start there.
pub(crate) async fn show(State(pages): State<Pages>, headers: HeaderMap, uri: Uri) -> Response {
    let kind = query_param(&uri, "kind")
        .and_then(|v| CaseKind::parse(&v))
        .unwrap_or(CaseKind::Complaint);
    let typed = Typed {
        kind: kind.as_str().to_owned(),
        ..Typed::default()
    };
    pages
        .complain_response(
            StatusCode::OK,
            &headers,
            &uri,
            typed,
            Problems::default(),
            None,
        )
        .await
}

/// The client's address, for the per-address limit.
pub(crate) struct ClientAddress(pub IpAddr);

impl FromRequestParts<Pages> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, pages: &Pages) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(
            parts,
            pages.inner.client_ip_header.as_ref(),
        )))
    }
}

/// POST /complain.
pub(crate) async fn submit(
    State(pages): State<Pages>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    uri: Uri,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let t = pages.layout(&headers, &uri, None).t;
    let settings = pages.app.settings();

    // What can be decided before reading a byte of the body: a post that cannot be taken has
    // its words read (to give them back) but its files skipped, so no one can make the server
    // hold large uploads without the means to send a real form.
    let early_refusal = pages.early_refusal(&headers);
    let limited = pages.inner.limits.check(address).err();
    let keep_files = early_refusal.is_none() && limited.is_none();
    // Few uploads are read at once; the rest wait their turn.
    let _turn = if keep_files {
        pages.inner.uploads.acquire().await.ok()
    } else {
        None
    };
    let limits = UploadLimits {
        max_file_bytes: settings.max_attachment_bytes,
        max_files: settings.max_attachments,
        keep_files,
    };
    let posted = read_post(multipart, &limits).await;
    let nonce = Some(posted.nonce.clone()).filter(|n| !n.is_empty());
    let files_posted = posted.files_posted;
    let back = |status: StatusCode, mut problems: Problems, typed: Typed| {
        // Browsers never send files back: say so, whatever else went wrong.
        if files_posted && !problems.has("attachments") {
            problems.add("attachments", t.get("problem-attachments-again"));
        }
        let (pages, headers, uri, nonce) =
            (pages.clone(), headers.clone(), uri.clone(), nonce.clone());
        async move {
            pages
                .complain_response(status, &headers, &uri, typed, problems, nonce)
                .await
        }
    };

    let refusal = match early_refusal {
        Some(r) => Some(r),
        None => match pages.check_form(&headers, &posted.csrf).await {
            Ok(result) => result.err(),
            Err(e) => return super::message::unavailable(&pages, &headers, &uri, &e),
        },
    };
    if let Some(refusal) = refusal {
        let banner = Problems::banner(t.get(refusal.message_id()));
        return back(StatusCode::FORBIDDEN, banner, posted.typed).await;
    }
    if let Some(minutes) = limited {
        let minutes = i64::try_from(minutes).unwrap_or(i64::MAX);
        let banner = Problems::banner(t.format("problem-too-fast", &[("minutes", minutes.into())]));
        return back(StatusCode::TOO_MANY_REQUESTS, banner, posted.typed).await;
    }
    if !posted.honeypot.is_empty() {
        let banner = Problems::banner(t.get("problem-honeypot"));
        return back(StatusCode::UNPROCESSABLE_ENTITY, banner, posted.typed).await;
    }
    let draft = posted.typed.draft(&t.tag());
    if let Some(problem) = upload_problem(&t, &posted, &settings) {
        // The files are refused before anything is stored; the other fields are still checked
        // (the domain's own rules, nothing written), so every field at fault is named at once.
        let today = time::OffsetDateTime::now_utc().date();
        let mut problems = match Intake::parse(&draft, Channel::Web, today) {
            Err(invalid) => intake_problems(&t, &invalid, &posted.typed),
            Ok(_) => Problems::default(),
        };
        problems.add("attachments", problem);
        let status = if posted.cut_short || posted.too_large.is_some() {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return back(status, problems, posted.typed).await;
    }

    match pages
        .app
        .submit_form(&draft, posted.uploads, &posted.nonce)
        .await
    {
        Ok(submitted) => {
            let again = if submitted.duplicate { "?again=1" } else { "" };
            see_other(&format!(
                "/track/{}/received{again}",
                submitted.token.reveal()
            ))
        }
        Err(AppError::Invalid(invalid)) => {
            let problems = intake_problems(&t, &invalid, &posted.typed);
            back(StatusCode::UNPROCESSABLE_ENTITY, problems, posted.typed).await
        }
        Err(e) => {
            tracing::error!(error = %e, "a complaint form could not be stored");
            let banner = Problems::banner(t.get("problem-storage"));
            back(StatusCode::SERVICE_UNAVAILABLE, banner, posted.typed).await
        }
    }
}
