//! `/desk/cases/{reference}/files/{file}`: a file a customer sent with their case or a later
//! message, for any signed-in staff member, always as a download (never shown by the browser).

use super::session::DeskStaff;
use crate::pages::Pages;
use crate::pages::message::{message, unavailable};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::AppError;
use redress_domain::AttachmentId;

/// GET /desk/cases/{reference}/files/{file}
pub(crate) async fn file(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path((reference, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let found = match file.parse::<AttachmentId>() {
        Ok(id) => match pages.app.case_by_reference(&desk.staff, &reference).await {
            Ok(case) => pages.app.staff_attachment(&desk.staff, case.id, id).await,
            Err(e) => Err(e),
        },
        Err(_) => Err(AppError::NotFound("attachment")),
    };
    match found {
        Ok(attachment) => crate::attachment::attachment_response(&attachment),
        Err(AppError::NotFound(_)) => {
            let layout = pages.layout(&headers, &uri, None);
            let (title, text) = ("desk-file-not-found", "desk-file-not-found-text");
            message(StatusCode::NOT_FOUND, layout, title, text, false)
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
