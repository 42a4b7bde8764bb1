//! The shared conformance suite, PostgreSQL-specific checks, and (ignored) benchmarks, in one
//! test binary.
//!
//! Needs a PostgreSQL server: set `REDRESS_TEST_DATABASE_URL` to a URL whose user may create
//! databases (e.g. `postgres://postgres:postgres@127.0.0.1:5432/postgres`). Each test gets a
//! brand-new database `redress_test_<uuid>`. Without the variable every test here passes
//! without checking anything and says so, unless `REDRESS_REQUIRE_POSTGRES` is set (CI), in
//! which case they fail.

mod support;

use redress_store::Store;
use std::sync::Arc;

async fn fresh() -> Arc<dyn Store> {
    Arc::new(support::fresh_store().await)
}

redress_store::conformance_tests!(fresh, skip_if = support::skip);

mod postgres;
