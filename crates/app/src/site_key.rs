//! The site key: one secret shared by every node (kept by the store), from which Redress derives
//! values that must be unforgeable without it, such as CSRF tokens and a web form's tracking
//! token. Each use names its purpose, so a value made for one can never pass for another.

use crate::{App, AppError};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

/// The site's 256-bit secret key. Never printed.
#[derive(Clone)]
pub struct SiteKey([u8; 32]);

impl SiteKey {
    /// Wraps a stored secret.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SiteKey(bytes)
    }

    /// HMAC-SHA256 under the site key over `purpose` and then each of `parts`, every one preceded
    /// by its length, so that no two different lists of parts (or purposes) ever MAC the same
    /// bytes: ("ab", "c") and ("a", "bc") give different MACs.
    pub fn mac(&self, purpose: &str, parts: &[&[u8]]) -> [u8; 32] {
        // HMAC takes keys of any length; 32 bytes cannot be refused.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .expect("HMAC accepts a key of any length");
        let mut put = |bytes: &[u8]| {
            mac.update(&(bytes.len() as u64).to_be_bytes());
            mac.update(bytes);
        };
        put(purpose.as_bytes());
        for part in parts {
            put(part);
        }
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SiteKey(…)")
    }
}

impl App {
    /// The site key: loaded from the store on first use (created there by whichever node asks
    /// first), then kept for the life of the process.
    pub async fn site_key(&self) -> Result<SiteKey, AppError> {
        let key = self
            .site_key
            .get_or_try_init(|| async {
                let mut fresh = [0u8; 32];
                // The OS random source failing is not something input can cause.
                getrandom::fill(&mut fresh)
                    .expect("the operating system's random source is unavailable");
                let stored = self.store.site_secret(fresh).await?;
                Ok::<_, AppError>(SiteKey(stored))
            })
            .await?;
        Ok(key.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cannot_run_together_and_purposes_differ() {
        let key = SiteKey::from_bytes([9; 32]);
        let ab_c = key.mac("p", &[b"ab", b"c"]);
        assert_ne!(ab_c, key.mac("p", &[b"a", b"bc"]));
        assert_ne!(ab_c, key.mac("p", &[b"abc"]));
        assert_ne!(ab_c, key.mac("q", &[b"ab", b"c"]));
        assert_eq!(ab_c, key.mac("p", &[b"ab", b"c"]), "deterministic");
        assert_ne!(ab_c, SiteKey::from_bytes([8; 32]).mac("p", &[b"ab", b"c"]));
        assert_eq!(format!("{key:?}"), "SiteKey(…)");
    }

    #[test]
    fn is_hmac_sha256() {
        // RFC 4231 test case 2 cannot be used as is (its key is not 32 bytes), so check the
        // construction against the hmac crate directly: purpose "" and no parts is HMAC over
        // eight zero bytes.
        let key = SiteKey::from_bytes([0x0b; 32]);
        let mut expected =
            <Hmac<Sha256> as Mac>::new_from_slice(&[0x0b; 32]).expect("any key length");
        expected.update(&[0; 8]);
        let expected: [u8; 32] = expected.finalize().into_bytes().into();
        assert_eq!(key.mac("", &[]), expected);
    }
}
