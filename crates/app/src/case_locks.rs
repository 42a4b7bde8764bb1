//! Turns for changing a case within one node. Not needed for correctness (the store refuses a
//! change decided on a stale version), but without it concurrent changes to one busy case would
//! mostly collide and retry. A fixed set of shards keeps memory bounded.

use redress_domain::CaseId;
use tokio::sync::{Mutex, MutexGuard};

const SHARDS: usize = 256;

pub(crate) struct CaseLocks {
    shards: Vec<Mutex<()>>,
}

impl Default for CaseLocks {
    fn default() -> Self {
        CaseLocks {
            shards: (0..SHARDS).map(|_| Mutex::new(())).collect(),
        }
    }
}

impl CaseLocks {
    pub(crate) async fn lock(&self, id: CaseId) -> MutexGuard<'_, ()> {
        // UUIDv7's last bytes are random, so they spread cases evenly over the shards.
        self.lock_key(id.as_uuid().as_u128()).await
    }

    /// The turn of whatever `key` (evenly spread) stands for.
    pub(crate) async fn lock_key(&self, key: u128) -> MutexGuard<'_, ()> {
        let shard = (key % SHARDS as u128) as usize;
        self.shards[shard].lock().await
    }
}
