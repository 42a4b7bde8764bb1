//! The conformance suite every `Store` passes, run on SQLite: each check on a fresh database in
//! its own temporary directory.

use redress_store::Store;
use redress_store_sqlite::SqliteStore;
use std::sync::Arc;

async fn fresh() -> Arc<dyn Store> {
    // The directory lives as long as the test process; each test gets its own.
    let dir = tempfile::tempdir()
        .unwrap_or_else(|e| panic!("temp dir: {e}"))
        .keep();
    let store = SqliteStore::open(&dir.join("redress.db"))
        .await
        .unwrap_or_else(|e| panic!("open sqlite store: {e}"));
    Arc::new(store)
}

redress_store::conformance_tests!(fresh);
