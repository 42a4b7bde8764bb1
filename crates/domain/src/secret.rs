//! Values that give access or must not be guessed: the public case reference, the customer's
//! tracking token, staff API tokens, staff sessions and the first run's setup link. Tokens carry 256 random bits, so a SHA-256 digest is a
//! safe thing to store and look up by (a slow password hash would only cost every request).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// Crockford's base32 alphabet: no I, L, O or U, so references read aloud without confusion.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS random source failing is not something input can cause; nothing sensible can go on.
    getrandom::fill(&mut buf).expect("the operating system's random source is unavailable");
    buf
}

/// The human-friendly public reference of a case, e.g. `K7M3-9QXA-2BTR`: 60 random bits, so
/// references are not sequential and cannot be enumerated. It names a case in conversation and in
/// mail subjects; it never grants access (that is the tracking token's job).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "K7M3-9QXA-2BTR"))]
#[serde(try_from = "String", into = "String")]
pub struct CaseRef(String);

impl CaseRef {
    pub fn generate() -> Self {
        let bytes = random_bytes::<12>();
        let chars: String = bytes
            .iter()
            .map(|b| CROCKFORD[(*b & 31) as usize] as char)
            .collect();
        Self(format!(
            "{}-{}-{}",
            &chars[0..4],
            &chars[4..8],
            &chars[8..12]
        ))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CaseRef {
    type Err = &'static str;
    /// Accepts what a person might type: lower case, spaces or no hyphens, and the letters that
    /// Crockford's alphabet reads as digits (O as 0, I and L as 1).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars = String::with_capacity(12);
        for c in s.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !CROCKFORD.contains(&(c as u8)) || !c.is_ascii() {
                return Err("a case reference looks like K7M3-9QXA-2BTR");
            }
            chars.push(c);
        }
        if chars.len() != 12 {
            return Err("a case reference looks like K7M3-9QXA-2BTR");
        }
        Ok(Self(format!(
            "{}-{}-{}",
            &chars[0..4],
            &chars[4..8],
            &chars[8..12]
        )))
    }
}

impl TryFrom<String> for CaseRef {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CaseRef> for String {
    fn from(r: CaseRef) -> Self {
        r.0
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaseRef({})", self.0)
    }
}

/// The SHA-256 digest of a token: what the database holds instead of the token itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenDigest([u8; 32]);

impl TokenDigest {
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    pub fn to_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.0)
    }
}

impl fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenDigest({}…)", &self.to_hex()[..8])
    }
}

macro_rules! bearer_secret {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Self {
                Self::from_bytes(random_bytes::<32>())
            }
            /// A token made of 32 bytes the caller derived (e.g. a MAC under a secret key),
            /// written exactly as `generate` writes random ones.
            pub fn from_bytes(bytes: [u8; 32]) -> Self {
                Self(format!("{}{}", $prefix, data_encoding::BASE64URL_NOPAD.encode(&bytes)))
            }
            /// Wraps a token presented by a client; its digest is what gets looked up.
            pub fn presented(token: &str) -> Self {
                Self(token.to_owned())
            }
            /// The token itself: to be shown once to its holder, never logged.
            pub fn reveal(&self) -> &str {
                &self.0
            }
            pub fn digest(&self) -> TokenDigest {
                TokenDigest::of(&self.0)
            }
        }

        // Secrets never print: logs and panics show only that one was there.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(redacted)"))
            }
        }
    };
}

bearer_secret!(
    /// The customer's private key to their case (the link they are sent). 256 random bits.
    TrackingToken,
    ""
);
bearer_secret!(
    /// A staff member's API token. 256 random bits; shown once when created.
    ApiToken,
    "rdx_"
);
bearer_secret!(
    /// A staff member's signed-in session (the value of their session cookie). 256 random bits.
    SessionToken,
    ""
);
bearer_secret!(
    /// The one-time key of the first run's setup link, which creates the first administrator.
    /// 256 random bits.
    SetupToken,
    ""
);

/// A password hash as stored: an argon2id PHC string (`$argon2id$v=19$m=…`). Not a secret in
/// the way a token is, but it never prints either: an offline guess needs only the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string (made by the app's password hasher, or read back from the store).
    pub fn from_phc(phc: impl Into<String>) -> Self {
        Self(phc.into())
    }
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_random_and_parse_back() {
        let a = CaseRef::generate();
        let b = CaseRef::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 14);
        let typed = a.as_str().to_lowercase().replace('-', " ");
        assert_eq!(typed.parse::<CaseRef>(), Ok(a));
    }

    #[test]
    fn confusable_letters_read_as_digits() {
        let r: CaseRef = "OIL0-0000-0000".parse().expect("valid");
        assert_eq!(r.as_str(), "0110-0000-0000");
        assert!("ABCD-EFGH-IJK".parse::<CaseRef>().is_err());
        assert!("ABCD-EFGH-JKU1".parse::<CaseRef>().is_err());
    }

    #[test]
    fn tokens_are_long_and_print_redacted() {
        let t = TrackingToken::generate();
        assert!(t.reveal().len() >= 43);
        assert_eq!(format!("{t:?}"), "TrackingToken(redacted)");
        assert_eq!(t.digest(), TrackingToken::presented(t.reveal()).digest());
        assert!(ApiToken::generate().reveal().starts_with("rdx_"));
        let session = SessionToken::generate();
        assert_eq!(format!("{session:?}"), "SessionToken(redacted)");
        assert_eq!(
            format!("{:?}", SetupToken::generate()),
            "SetupToken(redacted)"
        );
        assert_ne!(session.reveal(), SessionToken::generate().reveal());
        let hash = PasswordHash::from_phc("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        assert_eq!(format!("{hash:?}"), "PasswordHash(redacted)");
        let derived = TrackingToken::from_bytes([7; 32]);
        assert_eq!(derived.reveal().len(), t.reveal().len(), "same encoding");
        assert_eq!(derived, TrackingToken::from_bytes([7; 32]));
    }
}
