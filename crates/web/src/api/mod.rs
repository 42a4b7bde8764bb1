//! The versioned JSON API, `/api/v1`.

mod admin;
mod cases;
mod customers;
mod dto;
mod public;

use axum::Json;
use axum::Router;
use axum::routing::{get, patch, post};
use redress_app::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        // Public: no account.
        .route("/cases", post(public::submit).get(cases::list))
        .route("/track/{token}", get(public::track))
        .route("/track/{token}/messages", post(public::reply))
        .route("/track/{token}/accept", post(public::accept))
        .route("/track/{token}/reject", post(public::reject))
        .route("/track/{token}/follow-up", post(public::follow_up))
        .route("/track/{token}/withdraw", post(public::withdraw))
        // Staff.
        .route("/cases/by-reference/{reference}", get(cases::by_reference))
        .route("/cases/{id}", get(cases::detail))
        .route(
            "/cases/{id}/attachments/{attachment_id}",
            get(cases::attachment),
        )
        .route("/cases/{id}/acknowledge", post(cases::acknowledge))
        .route("/cases/{id}/investigate", post(cases::investigate))
        .route("/cases/{id}/messages", post(cases::message))
        .route(
            "/cases/{id}/customer-messages",
            post(cases::customer_message),
        )
        .route("/cases/{id}/notes", post(cases::note))
        .route("/cases/{id}/assign", post(cases::assign))
        .route("/cases/{id}/kind", post(cases::change_kind))
        .route("/cases/{id}/operations-views", post(cases::ask_operations))
        .route(
            "/cases/{id}/operations-views/{view_id}/answer",
            post(cases::answer_operations),
        )
        .route("/cases/{id}/commitments", post(cases::commit))
        .route(
            "/cases/{id}/commitments/{commitment_id}/kept",
            post(cases::commitment_kept),
        )
        .route(
            "/cases/{id}/commitments/{commitment_id}/missed",
            post(cases::commitment_missed),
        )
        .route("/cases/{id}/remedies", post(cases::offer_remedy))
        .route(
            "/cases/{id}/remedies/{remedy_id}/approve",
            post(cases::approve_remedy),
        )
        .route(
            "/cases/{id}/remedies/{remedy_id}/refuse",
            post(cases::refuse_remedy),
        )
        .route("/cases/{id}/resolution", post(cases::propose_resolution))
        .route("/cases/{id}/close", post(cases::close))
        .route("/cases/{id}/reopen", post(cases::reopen))
        .route("/cases/{id}/decline", post(cases::decline))
        .route("/cases/{id}/escalation", post(cases::escalate))
        .route(
            "/cases/{id}/escalation/answer",
            post(cases::answer_escalation),
        )
        .route("/cases/{id}/withdraw", post(cases::withdraw))
        .route(
            "/customers/{id}",
            get(customers::read).patch(customers::update),
        )
        .route(
            "/root-causes",
            get(customers::root_causes).post(admin::add_root_cause),
        )
        .route("/root-causes/{code}", patch(admin::change_root_cause))
        .route("/staff", get(customers::staff).post(admin::add_staff))
        .route(
            "/staff/{id}",
            get(admin::read_staff).patch(admin::change_staff),
        )
        .route("/staff/{id}/password-link", post(admin::password_link))
        .route("/staff/{id}/api-token", post(admin::api_token))
        .route("/teams", get(admin::teams).post(admin::add_team))
        .route("/teams/{name}", patch(admin::change_team))
        .route(
            "/organisation",
            get(admin::organisation).put(admin::save_organisation),
        )
        .route("/me", get(customers::me))
}

/// Adds the bearer scheme, and documents once the errors every endpoint of a kind can return:
/// any endpoint with a body can answer 400, 413, 415 and 422; any staff endpoint 401.
struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Ref;
        use utoipa::openapi::{Content, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.put,
                &mut item.delete,
            ];
            for op in operations.into_iter().flatten() {
                let mut standard = Vec::new();
                if op.request_body.is_some() {
                    standard.extend([
                        ("400", "Malformed JSON"),
                        ("413", "Body too large"),
                        ("415", "Not JSON"),
                        ("422", "Fields at fault, each named"),
                    ]);
                }
                if op.security.is_some() {
                    standard.push(("401", "Missing or wrong API token"));
                }
                for (status, description) in standard {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description).into());
                }
            }
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A staff API token, as printed by `redress user add`."))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Redress API",
        description = "Complaints and customer care: every complaint reaches one owner who puts it right.\n\n\
            Public endpoints need no account. Staff endpoints need `Authorization: Bearer <token>`.\n\n\
            Errors have one shape: `{\"error\": {\"code\", \"message\", \"fields\"}}`; invalid input is 422 \
            and names each field at fault; malformed JSON is 400; an invalid status transition is 409. \
            Nothing is written when a request is refused.",
    ),
    servers((url = "/api/v1")),
    paths(
        public::submit, public::track, public::reply, public::accept, public::reject,
        public::follow_up, public::withdraw,
        cases::list, cases::detail, cases::attachment, cases::by_reference, cases::acknowledge, cases::investigate,
        cases::message, cases::customer_message, cases::note, cases::assign, cases::change_kind,
        cases::ask_operations, cases::answer_operations, cases::commit, cases::commitment_kept,
        cases::commitment_missed, cases::offer_remedy, cases::approve_remedy, cases::refuse_remedy,
        cases::propose_resolution, cases::close, cases::reopen, cases::decline, cases::withdraw,
        cases::escalate, cases::answer_escalation,
        customers::read, customers::update, customers::root_causes, customers::staff, customers::me,
        admin::add_staff, admin::read_staff, admin::change_staff, admin::password_link,
        admin::api_token, admin::teams, admin::add_team, admin::change_team,
        admin::add_root_cause, admin::change_root_cause, admin::organisation,
        admin::save_organisation,
    ),
    modifiers(&StandardResponses),
    tags(
        (name = "public", description = "For customers: no account needed"),
        (name = "cases", description = "For staff: cases and their whole story"),
        (name = "customers", description = "For staff: the people behind the cases"),
        (name = "settings", description = "For staff: lists to choose from"),
        (name = "administration", description = "For administrators: staff, teams, root causes and the organisation's texts"),
    )
)]
pub struct ApiDoc;
