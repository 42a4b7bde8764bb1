//! Passwords: the rules a new one must meet, and argon2id hashing and checking (CPU-heavy, so
//! always on the blocking pool, never on a request's task).

use crate::AppError;
use argon2::password_hash::{self, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use redress_domain::{Invalid, PasswordHash};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most characters a password may have (hashing a huge one only costs the server).
pub const MAX_PASSWORD_CHARS: usize = 1000;

/// A hash of a password nobody knows, with the same parameters as real ones: checked when the
/// email is unknown (or has no password), so that takes as long as a wrong password does.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$Y7YLeibKoGqUFqvbx6bdnQ$Q0+9WNuzJWbjgs/yrqd6DHuejMqLnrF5S01Z3xWVLdk";

/// The hasher: argon2id, version 0x13, with the crate's defaults (19 MiB, 2 passes, 1 lane;
/// OWASP's recommended minimum).
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// Adds to `errors`, under `field`, whatever is wrong with `password` as a new password of the
/// staff member whose email is `email`.
pub(crate) fn check_new_password(errors: &mut Invalid, field: &str, password: &str, email: &str) {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        errors.add(
            field,
            format!("must have at least {MIN_PASSWORD_CHARS} characters"),
        );
    } else if chars > MAX_PASSWORD_CHARS {
        errors.add(
            field,
            format!("must have at most {MAX_PASSWORD_CHARS} characters"),
        );
    }
    if !email.is_empty() && password.trim().to_lowercase() == email.trim().to_lowercase() {
        errors.add(field, "must not be your email address");
    }
}

/// Whether `password` may be the new password of the staff member whose email is `email`:
/// `Invalid` naming `field` if not (for callers that check before writing anything, like the
/// command line).
pub fn check_password(field: &str, password: &str, email: &str) -> Result<(), Invalid> {
    let mut errors = Invalid::default();
    check_new_password(&mut errors, field, password, email);
    errors.or(())
}

/// Runs CPU-heavy work on the blocking pool. A panic there is a bug: it goes on in the caller.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("password hashing was cancelled: {e}"),
        },
    }
}

fn random_salt() -> Result<SaltString, password_hash::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    SaltString::encode_b64(&bytes)
}

fn hash_now(password: &str) -> Result<PasswordHash, password_hash::Error> {
    let salt = random_salt()?;
    let hash = argon2().hash_password(password.as_bytes(), &salt)?;
    Ok(PasswordHash::from_phc(hash.to_string()))
}

/// The argon2id hash of a new password (with a fresh random salt), as a PHC string.
pub(crate) async fn hash(password: &str) -> Result<PasswordHash, AppError> {
    let password = password.to_owned();
    blocking(move || hash_now(&password))
        .await
        .map_err(|e| AppError::Invalid(Invalid::field("password", format!("cannot be used: {e}"))))
}

/// Whether `password` matches `hash`. With no hash (unknown email, no password set), checks
/// against a dummy so the answer takes as long, and is no.
pub(crate) async fn verify(hash: Option<PasswordHash>, password: &str) -> bool {
    let password = password.to_owned();
    blocking(move || {
        let real = hash.is_some();
        let phc = hash.as_ref().map_or(DUMMY_HASH, PasswordHash::as_phc);
        let matches = match password_hash::PasswordHash::new(phc) {
            Ok(parsed) => argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(e) => {
                // A stored hash that does not parse is a bug or a manual edit; it matches nothing.
                tracing::error!(error = %e, "a stored password hash cannot be read");
                false
            }
        };
        real && matches
    })
    .await
}

/// Whether a stored hash was made with other parameters than today's (then it is worth
/// replacing when its password is next given).
pub(crate) fn outdated(hash: &PasswordHash) -> bool {
    match password_hash::PasswordHash::new(hash.as_phc()) {
        Ok(parsed) => {
            let today = argon2();
            let today = today.params();
            let costs = |p: &Params| (p.m_cost(), p.t_cost(), p.p_cost());
            parsed.algorithm != argon2::Algorithm::Argon2id.ident()
                || parsed.version != Some(argon2::Version::V0x13.into())
                || parsed.hash.map(|h| h.len()) != Some(Params::DEFAULT_OUTPUT_LEN)
                || Params::try_from(&parsed).map(|p| costs(&p)).ok() != Some(costs(today))
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_follow_the_rules() {
        let problems = |password: &str| {
            let mut errors = Invalid::default();
            check_new_password(&mut errors, "new_password", password, "ana@example.com");
            errors
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(problems("correct horse battery"), Vec::<String>::new());
        assert_eq!(
            problems("ñandú-ñandú!"),
            Vec::<String>::new(),
            "12 characters"
        );
        assert_eq!(
            problems("ñandú-ñandú"),
            vec!["new_password: must have at least 12 characters"],
            "11 characters, more bytes"
        );
        assert_eq!(problems(&"x".repeat(1000)), Vec::<String>::new());
        assert_eq!(
            problems(&"x".repeat(1001)),
            vec!["new_password: must have at most 1000 characters"]
        );
        assert_eq!(
            problems("Ana@Example.com"),
            vec!["new_password: must not be your email address"]
        );
    }

    #[tokio::test]
    async fn hashes_verify_and_are_salted() {
        let password = "correct horse battery";
        let first = hash(password).await.unwrap_or_else(|e| panic!("{e}"));
        let second = hash(password).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            first
                .as_phc()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify(Some(first.clone()), password).await);
        assert!(!verify(Some(first.clone()), "correct horse batter").await);
        assert!(!verify(None, password).await, "no hash matches nothing");
        assert!(
            !verify(Some(PasswordHash::from_phc("not a hash")), password).await,
            "a corrupt hash matches nothing"
        );
        assert!(!outdated(&first));
        assert!(outdated(&PasswordHash::from_phc(
            "$argon2id$v=19$m=4096,t=3,p=1$Y7YLeibKoGqUFqvbx6bdnQ$Q0+9WNuzJWbjgs/yrqd6DHuejMqLnrF5S01Z3xWVLdk"
        )));
    }

    /// The dummy hash costs what a real one does: same algorithm and parameters.
    #[test]
    fn the_dummy_hash_has_todays_parameters() {
        assert!(!outdated(&PasswordHash::from_phc(DUMMY_HASH)));
    }
}
