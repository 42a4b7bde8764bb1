//! The staff desk: sign-in, sign-out, password change, the first run's setup of the first
//! administrator, and the queues. Staff pages share the customer pages' frame, guards and
//! catalogue; every desk page needs a signed-in staff member (a session cookie).

mod actions;
mod admin;
mod case;
mod due;
mod forms;
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
