//! The conformance suite: one story of what a `Store` must do, run against every backend.
//!
//! A backend's test binary runs all of it with one line:
//!
//! ```ignore
//! async fn fresh() -> std::sync::Arc<dyn redress_store::Store> { /* a new, empty store */ }
//! redress_store::conformance_tests!(fresh);
//! ```
//!
//! which expands to one `#[tokio::test]` per check below (so the backend's tests need `tokio`
//! with the `macros` and `rt-multi-thread` features). Each check takes a fresh, empty store and
//! panics with a message saying what went wrong.
//!
//! Beyond the trait's doc comments, the suite pins down a few things callers rely on:
//! - timestamps round-trip exactly at microsecond precision (the fixtures build them truncated to
//!   whole microseconds);
//! - `Conflict::what` names the clash: "reference", "token", "email", "phone", "version",
//!   "team", "code" or "last admin";
//! - `list_cases` gives `next == None` on the last page, so no page after the first is empty;
//! - text search matches whole words case-insensitively, every term must match, and no user
//!   input (quotes, `*`, `-`, `:`, parentheses...) makes it fail.

mod administration;
mod attachments;
mod cases;
mod customers;
mod fixtures;
mod listing;
mod mail;
mod outbox;
mod queues;
mod settings;
mod sign_in;

pub use administration::*;
pub use attachments::*;
pub use cases::*;
pub use customers::*;
pub use listing::*;
pub use mail::*;
pub use outbox::*;
pub use queues::*;
pub use settings::*;
pub use sign_in::*;

/// Expands to one `#[tokio::test]` per conformance check, each run on a fresh store from
/// `$factory`: an `async fn() -> std::sync::Arc<dyn redress_store::Store>`.
///
/// `conformance_tests!(fresh, skip_if = skip)` first calls `skip: fn() -> bool` in each test
/// and, when it returns true, passes without running the check: for a backend that needs a
/// server the developer may not have (PostgreSQL); `skip` should print why it skipped.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!($factory, skip_if = $crate::conformance::never_skip);
    };
    ($factory:path, skip_if = $skip:path) => {
        $crate::conformance_tests!(@each $factory, $skip;
            ping_answers,
            case_round_trips_by_id_token_and_reference,
            returning_customer_recognised_by_email,
            returning_customer_recognised_by_phone,
            concurrent_intakes_create_one_customer,
            record_appends_events_in_order,
            stale_version_is_refused_and_nothing_written,
            duplicate_reference_writes_nothing,
            duplicate_token_writes_nothing,
            state_agrees_with_timeline,
            text_round_trips_exactly,
            unknown_ids_are_not_found,
            list_cases_newest_first_with_names,
            list_cases_filters,
            list_cases_overdue,
            list_cases_text_search,
            list_cases_text_search_odd_input,
            list_cases_pagination,
            list_cases_awaiting_owner,
            mail_is_kept_byte_for_byte,
            settled_mail_says_what_became_of_it,
            mail_is_kept_once_per_source_and_message_id,
            mail_is_listed_newest_first_by_outcome,
            case_arrivals_are_the_mail_of_the_case,
            mail_is_settled_only_from_the_expected_outcome,
            outbox_queues_each_purpose_once,
            outbox_records_every_attempt,
            outbox_claims_are_disjoint,
            mailed_links_find_their_case,
            list_cases_pending_approval_and_escalated,
            list_cases_overdue_with_standard,
            list_cases_channel_product_and_age,
            list_cases_queue_combinations,
            list_cases_queue_pagination,
            customer_not_found,
            update_customer_persists_every_field,
            update_customer_refuses_taken_contacts,
            staff_round_trip,
            staff_email_is_unique,
            root_causes_are_the_defaults,
            attachments_are_stored_with_the_case,
            attachment_of_another_case_is_none,
            files_are_recorded_with_their_change_or_not_at_all,
            concurrent_intakes_with_and_without_attachments,
            site_secret_is_created_once,
            site_secret_races_agree,
            password_hash_round_trip,
            sign_in_failures_count_lock_and_reset,
            sessions_round_trip,
            sessions_expire,
            sessions_of_one_staff_member_end,
            setup_token_is_taken_once,
            setup_token_race_has_one_winner,
            admin_with_password_is_noticed,
            update_staff_replaces_role_team_and_authority,
            deactivating_ends_sessions_tokens_and_links,
            the_last_admin_stays,
            admins_demoting_each_other_leave_one,
            api_token_is_replaced,
            password_links_work_once,
            password_link_race_has_one_winner,
            teams_round_trip,
            root_causes_added_relabelled_and_deactivated,
            organisation_saved_in_versions,
            organisation_saves_race_one_winner,
            mail_templates_saved_and_reset,
        );
    };
    (@each $factory:path, $skip:path; $($check:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                if $skip() {
                    return;
                }
                let store: ::std::sync::Arc<dyn $crate::Store> = $factory().await;
                $crate::conformance::$check(store).await;
            }
        )*
    };
}

/// The default `skip_if` of `conformance_tests!`: always run.
pub fn never_skip() -> bool {
    false
}
