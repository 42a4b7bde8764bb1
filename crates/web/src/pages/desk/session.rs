//! The staff member's session: a random token in an HttpOnly cookie (the database keeps only
//! its digest). A desk page without a valid session sends the browser to the sign-in page.

use super::super::Pages;
use super::super::layout::cookie;
use super::super::see_other;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use redress_app::AppError;
use redress_domain::Staff;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "redress_session";

/// The signed-in staff member, with their session token (to sign out).
pub(crate) struct DeskStaff {
    pub staff: Staff,
    pub token: String,
}

/// What the desk's navigation shows of the signed-in person.
pub(crate) struct DeskNav {
    pub staff_name: String,
    /// Administrators see the way to the administration.
    pub admin: bool,
}

impl DeskStaff {
    pub(crate) fn nav(&self) -> DeskNav {
        DeskNav {
            staff_name: self.staff.name.as_str().to_owned(),
            admin: self.staff.role == redress_domain::Role::Admin,
        }
    }
}

impl FromRequestParts<Pages> for DeskStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, pages: &Pages) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned) else {
            return Err(see_other("/desk/sign-in"));
        };
        match pages.app.staff_for_session(&token).await {
            Ok(staff) => Ok(DeskStaff { staff, token }),
            Err(AppError::Unauthenticated) => Err(see_other("/desk/sign-in")),
            Err(e) => Err(super::super::message::unavailable(
                pages,
                &parts.headers,
                &parts.uri,
                &e,
            )),
        }
    }
}

impl Pages {
    /// The session cookie for a new session (or one that ends it, with `None`).
    pub(crate) fn session_cookie(&self, token: Option<&str>, max_age_secs: u32) -> String {
        self.cookie_header(SESSION_COOKIE, token.unwrap_or(""), max_age_secs)
    }
}
