//! Redress's integration tests: a real server on a free port, driven over HTTP. One test binary
//! (every file under tests/ would link its own, which is slow on 2 cores). Each test runs on
//! SQLite, and on PostgreSQL when `REDRESS_TEST_DATABASE_URL` is set (CI sets it and
//! `REDRESS_REQUIRE_POSTGRES`, which turns a missing PostgreSQL into a failure).

mod helpers;

mod administration;
mod api_errors;
mod attachments;
mod binary;
mod browser;
mod customer_mail;
mod customers;
mod lifecycle;
mod listing;
mod mail_corpus;
mod mail_in;
mod mail_listener;
mod mail_out;
mod mail_servers;
mod mail_tls;
mod multi_node;
mod pages;
mod permissions;
mod staff_auth;
mod teams;

/// Runs each named test (an `async fn(TestApp)` in the current module) on both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::helpers::TestApp::sqlite().await;
                    super::$name(app).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(app) = $crate::helpers::TestApp::postgres().await else { return };
                    super::$name(app).await;
                }
            )+
        }
    };
}
