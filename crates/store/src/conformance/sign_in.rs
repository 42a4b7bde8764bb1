//! Signing staff in: password hashes, failed attempts, sessions and setup tokens.

use super::fixtures::*;
use crate::{NewSession, SignInFailures, Store};
use redress_domain::{
    ApiToken, EmailAddress, PasswordHash, Role, SessionToken, SetupToken, Staff, StaffId,
    TokenDigest,
};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

const PHC: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g";
const OTHER_PHC: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNob3RoZXJoYXNob3RoZXI";

async fn add(store: &Shared, name: &str, email: &str, role: Role) -> Staff {
    let staff = new_staff(name, email, role, None);
    store
        .add_staff(&staff, &ApiToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("add_staff({email}) failed: {e}"));
    staff
}

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap_or_else(|e| panic!("fixture email {s}: {e}"))
}

async fn set_hash(store: &Shared, staff: StaffId, phc: &str) {
    store
        .set_password_hash(staff, &PasswordHash::from_phc(phc))
        .await
        .unwrap_or_else(|e| panic!("set_password_hash failed: {e}"));
}

/// Locks from the third failure on, for `count` minutes.
fn lock_from_three(count: u32) -> Option<Duration> {
    (count >= 3).then(|| Duration::minutes(i64::from(count)))
}

/// A password hash is kept per staff member and read back exactly; the sign-in record is found
/// by email whatever its case, and starts with no failures.
pub async fn password_hash_round_trip(store: Arc<dyn Store>) {
    let bea = add(&store, "Bea", "Bea@Example.org", Role::Agent).await;
    let cal = add(&store, "Cal", "cal@example.org", Role::Admin).await;
    let hash = store
        .password_hash(bea.id)
        .await
        .unwrap_or_else(|e| panic!("password_hash failed: {e}"));
    assert_eq!(hash, None, "a new staff member has no password");

    set_hash(&store, bea.id, PHC).await;
    let hash = store
        .password_hash(bea.id)
        .await
        .unwrap_or_else(|e| panic!("password_hash failed: {e}"));
    assert_eq!(
        hash,
        Some(PasswordHash::from_phc(PHC)),
        "the hash reads back"
    );
    set_hash(&store, bea.id, OTHER_PHC).await;
    let hash = store
        .password_hash(bea.id)
        .await
        .unwrap_or_else(|e| panic!("password_hash failed: {e}"));
    assert_eq!(
        hash,
        Some(PasswordHash::from_phc(OTHER_PHC)),
        "a new hash replaces the old"
    );
    let other = store
        .password_hash(cal.id)
        .await
        .unwrap_or_else(|e| panic!("password_hash failed: {e}"));
    assert_eq!(other, None, "another staff member's password is untouched");

    let record = store
        .sign_in_record(&email("BEA@example.ORG"))
        .await
        .unwrap_or_else(|e| panic!("sign_in_record failed: {e}"))
        .unwrap_or_else(|| panic!("sign_in_record finds the staff member by email"));
    assert_eq!(record.staff, bea, "the record's staff member");
    assert_eq!(
        record.password_hash,
        Some(PasswordHash::from_phc(OTHER_PHC))
    );
    assert_eq!(
        record.failures,
        SignInFailures::default(),
        "no failures yet"
    );
    let nobody = store
        .sign_in_record(&email("nobody@example.org"))
        .await
        .unwrap_or_else(|e| panic!("sign_in_record failed: {e}"));
    assert_eq!(nobody, None, "an unknown email has no record");

    assert_not_found(store.password_hash(StaffId::new()).await, "password_hash");
    assert_not_found(
        store
            .set_password_hash(StaffId::new(), &PasswordHash::from_phc(PHC))
            .await,
        "set_password_hash(unknown)",
    );
}

/// Failures are counted, the policy's lock is kept, and a reset forgets both; concurrent
/// failures are all counted.
pub async fn sign_in_failures_count_lock_and_reset(store: Arc<dyn Store>) {
    let bea = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let cal = add(&store, "Cal", "cal@example.org", Role::Agent).await;
    let at = now();
    for expected in 1..=2 {
        let failures = store
            .record_sign_in_failure(bea.id, at, lock_from_three)
            .await
            .unwrap_or_else(|e| panic!("record_sign_in_failure failed: {e}"));
        assert_eq!(
            failures,
            SignInFailures {
                count: expected,
                locked_until: None
            },
            "failure {expected} is counted, not locked yet"
        );
    }
    let failures = store
        .record_sign_in_failure(bea.id, at, lock_from_three)
        .await
        .unwrap_or_else(|e| panic!("record_sign_in_failure failed: {e}"));
    assert_eq!(
        failures,
        SignInFailures {
            count: 3,
            locked_until: Some(at + Duration::minutes(3))
        },
        "the third failure locks for the policy's time"
    );
    let record = store
        .sign_in_record(&bea.email)
        .await
        .unwrap_or_else(|e| panic!("sign_in_record failed: {e}"))
        .unwrap_or_else(|| panic!("no record"));
    assert_eq!(record.failures, failures, "the record shows the failures");
    let other = store
        .sign_in_record(&cal.email)
        .await
        .unwrap_or_else(|e| panic!("sign_in_record failed: {e}"))
        .unwrap_or_else(|| panic!("no record"));
    assert_eq!(
        other.failures,
        SignInFailures::default(),
        "another account is untouched"
    );

    store
        .reset_sign_in_failures(bea.id)
        .await
        .unwrap_or_else(|e| panic!("reset_sign_in_failures failed: {e}"));
    let record = store
        .sign_in_record(&bea.email)
        .await
        .unwrap_or_else(|e| panic!("sign_in_record failed: {e}"))
        .unwrap_or_else(|| panic!("no record"));
    assert_eq!(record.failures, SignInFailures::default(), "reset forgets");

    let calls: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.record_sign_in_failure(cal.id, now(), |_| None).await })
        })
        .collect();
    let mut counts = Vec::new();
    for call in calls {
        let failures = call
            .await
            .unwrap_or_else(|e| panic!("task failed: {e}"))
            .unwrap_or_else(|e| panic!("record_sign_in_failure failed: {e}"));
        counts.push(failures.count);
    }
    counts.sort_unstable();
    assert_eq!(
        counts,
        (1..=8).collect::<Vec<u32>>(),
        "concurrent failures are each counted once"
    );

    assert_not_found(
        store
            .record_sign_in_failure(StaffId::new(), at, lock_from_three)
            .await,
        "record_sign_in_failure(unknown)",
    );
    assert_not_found(
        store.reset_sign_in_failures(StaffId::new()).await,
        "reset_sign_in_failures(unknown)",
    );
}

fn session_of(staff: &Staff, created_at: OffsetDateTime, lasts: Duration) -> NewSession {
    NewSession {
        digest: SessionToken::generate().digest(),
        staff: staff.id,
        created_at,
        expires_at: created_at + lasts,
    }
}

async fn create_session(store: &Shared, session: &NewSession) {
    store
        .create_session(session)
        .await
        .unwrap_or_else(|e| panic!("create_session failed: {e}"));
}

async fn session_at(
    store: &Shared,
    digest: &TokenDigest,
    at: OffsetDateTime,
) -> Option<crate::Session> {
    store
        .session(digest, at)
        .await
        .unwrap_or_else(|e| panic!("session failed: {e}"))
}

/// A session reads back with its staff member and times, is touched and ended; ending twice or
/// touching an ended one does nothing.
pub async fn sessions_round_trip(store: Arc<dyn Store>) {
    let bea = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let at = now();
    let new = session_of(&bea, at, Duration::hours(2));
    create_session(&store, &new).await;
    let read = session_at(&store, &new.digest, at).await;
    assert_eq!(
        read,
        Some(crate::Session {
            staff: bea.clone(),
            created_at: at,
            last_seen_at: at,
            expires_at: at + Duration::hours(2),
        }),
        "a new session reads back, last seen when created"
    );
    assert_eq!(
        session_at(&store, &SessionToken::generate().digest(), at).await,
        None,
        "an unknown session is None"
    );
    assert_conflict(
        store.create_session(&new).await,
        "token",
        "a second session with the same digest",
    );
    assert_not_found(
        store
            .create_session(&NewSession {
                staff: StaffId::new(),
                ..session_of(&bea, at, Duration::hours(1))
            })
            .await,
        "a session of an unknown staff member",
    );

    let later = at + Duration::minutes(5);
    store
        .touch_session(&new.digest, later, later + Duration::hours(2))
        .await
        .unwrap_or_else(|e| panic!("touch_session failed: {e}"));
    let read = session_at(&store, &new.digest, later)
        .await
        .unwrap_or_else(|| panic!("the touched session is there"));
    assert_eq!(
        (read.created_at, read.last_seen_at, read.expires_at),
        (at, later, later + Duration::hours(2)),
        "touching moves last_seen_at and expires_at"
    );

    store
        .delete_session(&new.digest)
        .await
        .unwrap_or_else(|e| panic!("delete_session failed: {e}"));
    assert_eq!(
        session_at(&store, &new.digest, later).await,
        None,
        "an ended session is gone"
    );
    store
        .delete_session(&new.digest)
        .await
        .unwrap_or_else(|e| panic!("delete_session is idempotent: {e}"));
    store
        .touch_session(&new.digest, later, later + Duration::hours(2))
        .await
        .unwrap_or_else(|e| panic!("touching an ended session does nothing: {e}"));
    assert_eq!(session_at(&store, &new.digest, later).await, None);
}

/// A session is not found once it expired (and is deleted then, so it stays gone even asked
/// about an earlier time); creating a session deletes every expired one.
pub async fn sessions_expire(store: Arc<dyn Store>) {
    let bea = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let at = now();
    let short = session_of(&bea, at, Duration::minutes(10));
    create_session(&store, &short).await;
    assert!(
        session_at(&store, &short.digest, at + Duration::minutes(9))
            .await
            .is_some(),
        "not expired yet"
    );
    assert_eq!(
        session_at(&store, &short.digest, at + Duration::minutes(10)).await,
        None,
        "expired at its expires_at"
    );
    assert_eq!(
        session_at(&store, &short.digest, at).await,
        None,
        "an expired session found is deleted"
    );

    // Two sessions that will expire, and one that will not, then a new session later on.
    let first = session_of(&bea, at, Duration::minutes(1));
    let second = session_of(&bea, at, Duration::minutes(2));
    let lasting = session_of(&bea, at, Duration::hours(12));
    for s in [&first, &second, &lasting] {
        create_session(&store, s).await;
    }
    let later = at + Duration::minutes(30);
    create_session(&store, &session_of(&bea, later, Duration::hours(2))).await;
    for s in [&first, &second] {
        assert_eq!(
            session_at(&store, &s.digest, at).await,
            None,
            "sessions expired by the time another was created are deleted"
        );
    }
    assert!(
        session_at(&store, &lasting.digest, at).await.is_some(),
        "an unexpired session stays"
    );
}

/// Ending a staff member's sessions except one leaves that one and everyone else's.
pub async fn sessions_of_one_staff_member_end(store: Arc<dyn Store>) {
    let bea = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let cal = add(&store, "Cal", "cal@example.org", Role::Agent).await;
    let at = now();
    let bea_sessions: Vec<NewSession> = (0..3)
        .map(|_| session_of(&bea, at, Duration::hours(2)))
        .collect();
    let cal_session = session_of(&cal, at, Duration::hours(2));
    for s in bea_sessions.iter().chain([&cal_session]) {
        create_session(&store, s).await;
    }
    let ended = store
        .delete_sessions_of(bea.id, Some(&bea_sessions[1].digest))
        .await
        .unwrap_or_else(|e| panic!("delete_sessions_of failed: {e}"));
    assert_eq!(ended, 2, "two of Bea's sessions ended");
    for (i, s) in bea_sessions.iter().enumerate() {
        let found = session_at(&store, &s.digest, at).await.is_some();
        assert_eq!(
            found,
            i == 1,
            "only the kept session of Bea's remains ({i})"
        );
    }
    assert!(
        session_at(&store, &cal_session.digest, at).await.is_some(),
        "Cal's session is untouched"
    );
    let ended = store
        .delete_sessions_of(bea.id, None)
        .await
        .unwrap_or_else(|e| panic!("delete_sessions_of failed: {e}"));
    assert_eq!(ended, 1, "the last of Bea's sessions ended");
    assert_eq!(session_at(&store, &bea_sessions[1].digest, at).await, None);
    assert!(session_at(&store, &cal_session.digest, at).await.is_some());
}

async fn valid(store: &Shared, digest: &TokenDigest, at: OffsetDateTime) -> bool {
    store
        .setup_token_valid(digest, at)
        .await
        .unwrap_or_else(|e| panic!("setup_token_valid failed: {e}"))
}

/// A setup token is taken once, not after it expired, and never when unknown; looking at it
/// does not take it.
pub async fn setup_token_is_taken_once(store: Arc<dyn Store>) {
    let at = now();
    let token = SetupToken::generate().digest();
    let expires = at + Duration::hours(24);
    store
        .create_setup_token(&token, expires)
        .await
        .unwrap_or_else(|e| panic!("create_setup_token failed: {e}"));
    assert_conflict(
        store.create_setup_token(&token, expires).await,
        "token",
        "the same setup token twice",
    );
    assert!(
        valid(&store, &token, at).await,
        "a new setup token is valid"
    );
    assert!(
        valid(&store, &token, at).await,
        "and still is: looking does not take it"
    );
    assert!(
        !valid(&store, &token, expires).await,
        "not valid once expired"
    );
    assert!(
        !valid(&store, &SetupToken::generate().digest(), at).await,
        "an unknown token is not valid"
    );
    let taken = store
        .take_setup_token(&token, at)
        .await
        .unwrap_or_else(|e| panic!("take_setup_token failed: {e}"));
    assert_eq!(taken, Some(expires), "taken, with its expiry");
    let again = store
        .take_setup_token(&token, at)
        .await
        .unwrap_or_else(|e| panic!("take_setup_token failed: {e}"));
    assert_eq!(again, None, "a used setup token is gone");
    assert!(
        !valid(&store, &token, at).await,
        "a used setup token is not valid"
    );
    let unknown = store
        .take_setup_token(&SetupToken::generate().digest(), at)
        .await
        .unwrap_or_else(|e| panic!("take_setup_token failed: {e}"));
    assert_eq!(unknown, None, "an unknown setup token is None");

    let old = SetupToken::generate().digest();
    store
        .create_setup_token(&old, at + Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("create_setup_token failed: {e}"));
    let late = store
        .take_setup_token(&old, at + Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("take_setup_token failed: {e}"));
    assert_eq!(late, None, "an expired setup token is not taken");
}

/// However many callers race for one setup token, exactly one gets it.
pub async fn setup_token_race_has_one_winner(store: Arc<dyn Store>) {
    let at = now();
    let token = SetupToken::generate().digest();
    store
        .create_setup_token(&token, at + Duration::hours(24))
        .await
        .unwrap_or_else(|e| panic!("create_setup_token failed: {e}"));
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.take_setup_token(&token, at).await })
        })
        .collect();
    let mut winners = 0;
    for call in calls {
        let taken = call
            .await
            .unwrap_or_else(|e| panic!("task failed: {e}"))
            .unwrap_or_else(|e| panic!("take_setup_token failed: {e}"));
        winners += usize::from(taken.is_some());
    }
    assert_eq!(winners, 1, "exactly one racing caller takes the token");
}

/// Only an active administrator with a password ends the first run.
pub async fn admin_with_password_is_noticed(store: Arc<dyn Store>) {
    let has = |store: Shared| async move {
        store
            .any_admin_has_password()
            .await
            .unwrap_or_else(|e| panic!("any_admin_has_password failed: {e}"))
    };
    assert!(!has(store.clone()).await, "a fresh store has no admin");
    let agent = add(&store, "Agent", "agent@example.org", Role::Agent).await;
    set_hash(&store, agent.id, PHC).await;
    let admin = add(&store, "Admin", "admin@example.org", Role::Admin).await;
    assert!(
        !has(store.clone()).await,
        "an agent's password and a passwordless admin do not count"
    );
    let mut gone = new_staff("Gone", "gone@example.org", Role::Admin, None);
    gone.active = false;
    store
        .add_staff(&gone, &ApiToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("add_staff failed: {e}"));
    set_hash(&store, gone.id, PHC).await;
    assert!(
        !has(store.clone()).await,
        "an inactive admin's password does not count"
    );
    set_hash(&store, admin.id, PHC).await;
    assert!(has(store.clone()).await, "an admin with a password counts");
}
