//! The staff desk: sign-in, sign-out, password change, the first run's setup of the first
//! administrator, the queues, the cases, and the mail that came in. Staff pages share the
//! customer pages' frame, guards and catalogue; every desk page needs a signed-in staff member
//! (a session cookie).

mod actions;
mod admin;
mod case;
mod case_mail;
mod due;
mod files;
mod forms;
mod mail;
mod mail_list;
mod queue;
mod session;
mod sign_in;
mod story;

use super::Pages;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn routes() -> Router<Pages> {
    Router::new()
        .route("/desk", get(queue::show))
        .route("/desk/queues/{queue}", get(queue::show_queue))
        .route("/desk/cases/{reference}", get(case::show))
        .route("/desk/cases/{reference}/{form}", post(actions::act))
        .route("/desk/cases/{reference}/files/{file}", get(files::file))
        .route("/desk/mail", get(mail_list::list))
        .route("/desk/mail/{id}", get(mail::show))
        .route("/desk/mail/{id}/raw", get(mail::raw))
        .route("/desk/mail/{id}/handle-again", post(mail::handle_again))
        .route("/desk/sign-in", get(sign_in::show).post(sign_in::submit))
        .route("/desk/sign-out", post(sign_in::sign_out))
        .route(
            "/desk/password",
            get(sign_in::show_password).post(sign_in::change_password),
        )
        .route(
            "/setup/{token}",
            get(sign_in::show_setup).post(sign_in::complete_setup),
        )
        .merge(admin::routes())
}
