//! How much mail one sender may send in before it stops opening or adding to cases: a mail loop
//! with a machine that does not mark its mail, or a flood, must not bury the desk. Mail over the
//! limit is still kept and listed as needing a look, so a person can handle it; only this node's
//! arrivals count (each node reads its own share of the mailboxes). The same limiter, with its
//! own quota, caps the acknowledgements mailed to one address.

use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

/// A person writes a handful of messages about one problem; 20 at once and then one every two
/// minutes leaves room for that and stops a loop within minutes.
const BURST: NonZeroU32 = NonZeroU32::new(20).expect("nonzero");
const PER_HOUR: NonZeroU32 = NonZeroU32::new(30).expect("nonzero");

pub(crate) struct SenderLimits {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

impl Default for SenderLimits {
    fn default() -> Self {
        SenderLimits::new(BURST, PER_HOUR)
    }
}

/// Acknowledgements to one address: a person files a handful of cases at most; more means the
/// form or the API is being used to mail someone who did not ask (their address typed in).
pub(crate) const ACKNOWLEDGEMENTS_AT_ONCE: NonZeroU32 = NonZeroU32::new(5).expect("nonzero");
pub(crate) const ACKNOWLEDGEMENTS_PER_HOUR: NonZeroU32 = NonZeroU32::new(10).expect("nonzero");

impl SenderLimits {
    /// `burst` at once, then `per_hour` an hour, for each address.
    pub(crate) fn new(burst: NonZeroU32, per_hour: NonZeroU32) -> Self {
        SenderLimits {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_hour(per_hour).allow_burst(burst)),
            checks: AtomicU64::new(0),
        }
    }

    /// Whether one more message from `address` may be handled now.
    pub(crate) fn allow(&self, address: &str) -> bool {
        // Forget quiet senders now and then, so the table stays small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&address.trim().to_lowercase())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_from_one_sender_stops_and_others_go_on() {
        let limits = SenderLimits::default();
        let allowed = (0..50).filter(|_| limits.allow("loop@example.com")).count();
        assert_eq!(allowed, BURST.get() as usize);
        assert!(
            !limits.allow("LOOP@example.com "),
            "the same sender, however written"
        );
        assert!(limits.allow("kim@example.com"));
    }
}
