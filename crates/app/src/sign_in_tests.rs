//! The sign-in policy at work, on a real SQLite store with a clock the tests move on.

use crate::sign_in::*;
use crate::{App, AppError, Settings};
use redress_domain::{ApiToken, Invalid, NewStaff, Role, SessionToken, Staff, Text};
use redress_store::{SignInFailures, Store};
use redress_store_sqlite::SqliteStore;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

const PASSWORD: &str = "correct horse battery";

struct Fixture {
    app: App,
    store: Arc<dyn Store>,
    time: Arc<Mutex<OffsetDateTime>>,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("redress.db"))
                .await
                .unwrap_or_else(|e| panic!("open store: {e}")),
        );
        let time = Arc::new(Mutex::new(OffsetDateTime::now_utc()));
        let clock = time.clone();
        let app = App::new(store.clone(), Settings::default()).with_clock(Arc::new(move || {
            *clock.lock().unwrap_or_else(|e| e.into_inner())
        }));
        Fixture {
            app,
            store,
            time,
            _dir: dir,
        }
    }

    fn advance(&self, by: Duration) {
        *self.time.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }

    /// An agent with `PASSWORD`.
    async fn staff(&self, email: &str) -> Staff {
        let (staff, _) = self
            .app
            .add_staff("Ana Costa", email, "agent", None, None)
            .await
            .unwrap_or_else(|e| panic!("add_staff: {e}"));
        self.app
            .set_password_for(staff.id, PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("set_password_for: {e}"));
        staff
    }

    async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, AppError> {
        self.app.sign_in(email, password).await
    }

    async fn failures(&self, staff: &Staff) -> SignInFailures {
        self.store
            .sign_in_record(&staff.email)
            .await
            .unwrap_or_else(|e| panic!("sign_in_record: {e}"))
            .unwrap_or_else(|| panic!("no record"))
            .failures
    }
}

fn signed_in(result: Result<SignedIn, AppError>) -> SignedIn {
    result.unwrap_or_else(|e| panic!("expected to sign in, got {e:?}"))
}

fn assert_unauthenticated<T: std::fmt::Debug>(result: Result<T, AppError>, what: &str) {
    match result {
        Err(AppError::Unauthenticated) => {}
        other => panic!("{what}: expected Unauthenticated, got {other:?}"),
    }
}

fn assert_locked<T: std::fmt::Debug>(result: Result<T, AppError>, secs: u64, what: &str) {
    match result {
        Err(AppError::TooManyAttempts { retry_after_secs }) if retry_after_secs == secs => {}
        other => panic!("{what}: expected TooManyAttempts {{ {secs} }}, got {other:?}"),
    }
}

fn fields(result: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(Invalid { errors })) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn the_lock_doubles_from_the_fifth_failure_up_to_thirty_minutes() {
    for failures in 0..5 {
        assert_eq!(lock_for(failures), None, "{failures} failures lock nothing");
    }
    let minutes: Vec<i64> = (5..12)
        .map(|n| lock_for(n).map_or(0, |d| d.whole_minutes()))
        .collect();
    assert_eq!(minutes, vec![1, 2, 4, 8, 16, 30, 30]);
    assert_eq!(lock_for(u32::MAX), Some(MAX_LOCK));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account_for_growing_times() {
    let f = Fixture::new().await;
    let ana = f.staff("ana@example.com").await;
    let bea = f.staff("bea@example.com").await;
    for _ in 0..FREE_FAILURES {
        assert_unauthenticated(
            f.sign_in("ana@example.com", "wrong").await,
            "wrong password",
        );
    }
    assert_eq!(f.failures(&ana).await.count, 5);
    // Locked: even the right password is refused, unchecked, and refusals are not counted.
    assert_locked(f.sign_in("ana@example.com", PASSWORD).await, 60, "locked");
    f.advance(Duration::seconds(59));
    assert_locked(
        f.sign_in("ANA@example.com", "wrong").await,
        1,
        "still locked",
    );
    assert_eq!(
        f.failures(&ana).await.count,
        5,
        "refused attempts do not count"
    );
    // Other accounts are not affected.
    signed_in(f.sign_in("bea@example.com", PASSWORD).await);
    assert_eq!(f.failures(&bea).await, SignInFailures::default());

    // The lock over, a sixth failure locks for two minutes.
    f.advance(Duration::seconds(1));
    assert_unauthenticated(f.sign_in("ana@example.com", "wrong").await, "sixth failure");
    assert_locked(
        f.sign_in("ana@example.com", PASSWORD).await,
        120,
        "locked again",
    );
    f.advance(Duration::seconds(120));
    assert_unauthenticated(f.sign_in("ana@example.com", "wrong").await, "seventh");
    assert_locked(f.sign_in("ana@example.com", PASSWORD).await, 240, "doubled");

    // A success forgets the failures: five more are needed for a lock.
    f.advance(Duration::minutes(4));
    let session = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    assert_eq!(session.staff.id, ana.id);
    assert_eq!(f.failures(&ana).await, SignInFailures::default());
    for _ in 0..4 {
        assert_unauthenticated(f.sign_in("ana@example.com", "wrong").await, "wrong again");
    }
    signed_in(f.sign_in("ana@example.com", PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_parallel_guesses_is_counted_and_stopped() {
    let f = Arc::new(Fixture::new().await);
    let ana = f.staff("ana@example.com").await;
    let guesses: Vec<_> = (0..12)
        .map(|i| {
            let f = f.clone();
            tokio::spawn(async move { f.sign_in("ana@example.com", &format!("guess {i}")).await })
        })
        .collect();
    let (mut checked, mut refused) = (0, 0);
    for guess in guesses {
        match guess.await.unwrap_or_else(|e| panic!("task: {e}")) {
            Err(AppError::Unauthenticated) => checked += 1,
            Err(AppError::TooManyAttempts { .. }) => refused += 1,
            other => panic!("a guess got {other:?}"),
        }
    }
    assert_eq!(
        (checked, refused),
        (5, 7),
        "only the free failures were checked"
    );
    assert_eq!(f.failures(&ana).await.count, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_emails_wrong_passwords_and_inactive_staff_look_alike() {
    let f = Fixture::new().await;
    f.staff("ana@example.com").await;
    let mut gone = NewStaff {
        name: Text::trusted("Gone"),
        email: redress_domain::EmailAddress::parse("gone@example.com")
            .unwrap_or_else(|e| panic!("{e}")),
        role: Role::Admin,
        team: None,
        authority_limit: None,
    }
    .into_staff(OffsetDateTime::now_utc());
    gone.active = false;
    f.store
        .add_staff(&gone, &ApiToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("add_staff: {e}"));
    f.app
        .set_password_for(gone.id, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("set_password_for: {e}"));
    let (no_password, _) = f
        .app
        .add_staff("Cal", "cal@example.com", "agent", None, None)
        .await
        .unwrap_or_else(|e| panic!("add_staff: {e}"));

    let mut unknown = Vec::new();
    let mut wrong = Vec::new();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        assert_unauthenticated(f.sign_in("nobody@example.com", PASSWORD).await, "unknown");
        unknown.push(started.elapsed());
        let started = std::time::Instant::now();
        assert_unauthenticated(f.sign_in("ana@example.com", "wrong").await, "wrong");
        wrong.push(started.elapsed());
    }
    unknown.sort();
    wrong.sort();
    assert!(
        unknown[1] * 2 > wrong[1],
        "an unknown email checks a hash too: {unknown:?} vs {wrong:?}"
    );
    assert_unauthenticated(f.sign_in("not an email", PASSWORD).await, "not an email");
    assert_unauthenticated(f.sign_in("gone@example.com", PASSWORD).await, "inactive");
    assert_unauthenticated(f.sign_in("cal@example.com", "").await, "no password set");
    assert_unauthenticated(
        f.sign_in(no_password.email.as_str(), PASSWORD).await,
        "no password set",
    );
    signed_in(f.sign_in("  Ana@Example.com ", PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_slide_when_used_and_end_idle_or_at_twelve_hours() {
    let f = Fixture::new().await;
    let ana = f.staff("ana@example.com").await;
    let started = *f.time.lock().unwrap_or_else(|e| e.into_inner());
    let session = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    assert_eq!(
        session.expires_at,
        f.app.now() + SESSION_LIFETIME,
        "expires_at is the absolute end"
    );
    assert!(session.expires_at >= started + Duration::hours(12) - Duration::seconds(1));
    let token = session.token.reveal().to_owned();
    let digest = SessionToken::presented(&token).digest();
    let stored = |f: &Fixture| {
        let store = f.store.clone();
        let now = f.app.now();
        async move {
            store
                .session(&digest, now)
                .await
                .unwrap_or_else(|e| panic!("session: {e}"))
                .unwrap_or_else(|| panic!("session gone"))
        }
    };
    let first = stored(&f).await;

    f.advance(Duration::seconds(30));
    let staff = f
        .app
        .staff_for_session(&token)
        .await
        .unwrap_or_else(|e| panic!("staff_for_session: {e}"));
    assert_eq!(staff.id, ana.id);
    assert_eq!(
        stored(&f).await,
        first,
        "used within a minute: nothing written"
    );
    f.advance(Duration::seconds(31));
    f.app
        .staff_for_session(&token)
        .await
        .unwrap_or_else(|e| panic!("staff_for_session: {e}"));
    let touched = stored(&f).await;
    assert_eq!(touched.last_seen_at, f.app.now());
    assert_eq!(touched.expires_at, f.app.now() + SESSION_IDLE_TIMEOUT);

    // Used every 100 minutes, the session lasts until twelve hours after sign-in.
    let signed_in_at = first.created_at;
    loop {
        f.advance(Duration::minutes(100));
        let now = f.app.now();
        let result = f.app.staff_for_session(&token).await;
        if now < signed_in_at + SESSION_LIFETIME {
            result.unwrap_or_else(|e| panic!("alive at {}: {e}", now - signed_in_at));
        } else {
            assert_unauthenticated(result, "after twelve hours");
            break;
        }
    }

    // Unused for two hours, a session ends.
    let other = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    f.advance(SESSION_IDLE_TIMEOUT - Duration::seconds(1));
    f.app
        .staff_for_session(other.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("just in time: {e}"));
    f.advance(SESSION_IDLE_TIMEOUT);
    assert_unauthenticated(
        f.app.staff_for_session(other.token.reveal()).await,
        "idle for two hours",
    );
    assert_unauthenticated(f.app.staff_for_session("").await, "no token");
    assert_unauthenticated(f.app.staff_for_session("made-up").await, "made up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_once() {
    let f = Fixture::new().await;
    f.staff("ana@example.com").await;
    let one = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    let two = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    assert_ne!(one.token.reveal(), two.token.reveal());
    f.app
        .sign_out(one.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("sign_out: {e}"));
    assert_unauthenticated(
        f.app.staff_for_session(one.token.reveal()).await,
        "signed out",
    );
    f.app
        .sign_out(one.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("signing out twice is fine: {e}"));
    f.app
        .staff_for_session(two.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("the other session goes on: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_checks_both_and_ends_other_sessions() {
    let f = Fixture::new().await;
    let ana = f.staff("ana@example.com").await;
    let bea = f.staff("bea@example.com").await;
    let here = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    let elsewhere = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    let beas = signed_in(f.sign_in("bea@example.com", PASSWORD).await);
    let here_token = here.token.reveal();
    let new = "a much better passphrase";

    assert_eq!(
        fields(f.app.change_password(&ana, here_token, "wrong", new).await),
        vec!["current_password"]
    );
    assert_eq!(
        fields(
            f.app
                .change_password(&ana, here_token, PASSWORD, "short")
                .await
        ),
        vec!["new_password"]
    );
    assert_eq!(
        fields(
            f.app
                .change_password(&ana, here_token, PASSWORD, &"x".repeat(1001))
                .await
        ),
        vec!["new_password"]
    );
    assert_eq!(
        fields(
            f.app
                .change_password(&ana, here_token, "wrong", "ANA@example.com")
                .await
        ),
        vec!["new_password", "current_password"]
    );
    assert_unauthenticated(
        f.app
            .change_password(&ana, beas.token.reveal(), PASSWORD, new)
            .await,
        "someone else's session",
    );
    assert_unauthenticated(
        f.app.change_password(&ana, "made-up", PASSWORD, new).await,
        "no session",
    );

    f.app
        .change_password(&ana, here_token, PASSWORD, new)
        .await
        .unwrap_or_else(|e| panic!("change_password: {e:?}"));
    f.app
        .staff_for_session(here_token)
        .await
        .unwrap_or_else(|e| panic!("this session goes on: {e}"));
    assert_unauthenticated(
        f.app.staff_for_session(elsewhere.token.reveal()).await,
        "every other session ended",
    );
    f.app
        .staff_for_session(beas.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("someone else's session goes on: {e}"));
    assert_unauthenticated(f.sign_in("ana@example.com", PASSWORD).await, "old password");
    signed_in(f.sign_in("ana@example.com", new).await);
    assert_eq!(f.failures(&bea).await, SignInFailures::default());

    // Wrong current passwords count towards the lock.
    let session = signed_in(f.sign_in("bea@example.com", PASSWORD).await);
    for _ in 0..FREE_FAILURES {
        fields(
            f.app
                .change_password(&bea, session.token.reveal(), "wrong", new)
                .await,
        );
    }
    assert_locked(
        f.app
            .change_password(&bea, session.token.reveal(), PASSWORD, new)
            .await,
        60,
        "locked after wrong current passwords",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_set_for_someone_ends_their_sessions() {
    let f = Fixture::new().await;
    let ana = f.staff("ana@example.com").await;
    let session = signed_in(f.sign_in("ana@example.com", PASSWORD).await);
    assert_eq!(
        fields(f.app.set_password_for(ana.id, "short").await),
        vec!["password"]
    );
    assert_eq!(
        fields(f.app.set_password_for(ana.id, "ana@example.com").await),
        vec!["password"]
    );
    match f
        .app
        .set_password_for(redress_domain::StaffId::new(), PASSWORD)
        .await
    {
        Err(AppError::NotFound(_)) => {}
        other => panic!("unknown staff: expected NotFound, got {other:?}"),
    }
    f.app
        .set_password_for(ana.id, "another long password")
        .await
        .unwrap_or_else(|e| panic!("set_password_for: {e}"));
    assert_unauthenticated(
        f.app.staff_for_session(session.token.reveal()).await,
        "sessions end with a new password",
    );
    signed_in(f.sign_in("ana@example.com", "another long password").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_link_creates_the_first_admin_once() {
    let f = Fixture::new().await;
    let token = f
        .app
        .setup_link_token()
        .await
        .unwrap_or_else(|e| panic!("setup_link_token: {e}"))
        .unwrap_or_else(|| panic!("a fresh store offers a setup link"));
    let token = token.reveal().to_owned();
    assert!(f.app.setup_link_valid(&token).await.unwrap_or(false));

    // A refused form leaves the link usable.
    let mut refused = fields(
        f.app
            .complete_setup(&token, "", "not an email", "short")
            .await,
    );
    refused.sort();
    assert_eq!(refused, vec!["email", "name", "password"]);
    assert_eq!(
        fields(
            f.app
                .complete_setup(&token, "Mo", "mo@example.com", "MO@example.com")
                .await
        ),
        vec!["password"]
    );
    // An address already taken, too (an agent added from the command line).
    f.app
        .add_staff("Agent", "agent@example.com", "agent", None, None)
        .await
        .unwrap_or_else(|e| panic!("add_staff: {e}"));
    assert_eq!(
        fields(
            f.app
                .complete_setup(&token, "Mo", "agent@example.com", PASSWORD)
                .await
        ),
        vec!["email"]
    );
    assert!(f.app.setup_link_valid(&token).await.unwrap_or(false));

    // Two people racing with one link: one admin.
    let racers: Vec<_> = ["mo@example.com", "jo@example.com"]
        .into_iter()
        .map(|email| {
            let (app, token) = (f.app.clone(), token.clone());
            tokio::spawn(async move { app.complete_setup(&token, "Admin", email, PASSWORD).await })
        })
        .collect();
    let mut admins = Vec::new();
    for racer in racers {
        match racer.await.unwrap_or_else(|e| panic!("task: {e}")) {
            Ok(signed_in) => admins.push(signed_in),
            Err(AppError::NotFound(_)) => {}
            Err(e) => panic!("complete_setup: {e:?}"),
        }
    }
    assert_eq!(admins.len(), 1, "one of two racers creates the admin");
    let admin = &admins[0];
    assert_eq!(admin.staff.role, Role::Admin);
    f.app
        .staff_for_session(admin.token.reveal())
        .await
        .unwrap_or_else(|e| panic!("the new admin is signed in: {e}"));
    signed_in(f.sign_in(admin.staff.email.as_str(), PASSWORD).await);

    match f
        .app
        .complete_setup(&token, "Again", "again@example.com", PASSWORD)
        .await
    {
        Err(AppError::NotFound(_)) => {}
        other => panic!("a used link: expected NotFound, got {other:?}"),
    }
    assert!(!f.app.setup_link_valid(&token).await.unwrap_or(true));
    let after = f
        .app
        .setup_link_token()
        .await
        .unwrap_or_else(|e| panic!("setup_link_token: {e}"));
    assert!(
        after.is_none(),
        "no setup link once an admin has a password"
    );
    let staff = f.store.list_staff().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(staff.len(), 2, "the agent and one admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_setup_link_expires_after_a_day_and_ends_with_the_first_run() {
    let f = Fixture::new().await;
    let old = f
        .app
        .setup_link_token()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a setup link"));
    f.advance(SETUP_LINK_LIFETIME);
    match f
        .app
        .complete_setup(old.reveal(), "Mo", "mo@example.com", PASSWORD)
        .await
    {
        Err(AppError::NotFound(_)) => {}
        other => panic!("an expired link: expected NotFound, got {other:?}"),
    }
    // Each start offers a new link while the first run lasts; an admin with a password (from
    // the command line here) ends it, and every link with it.
    let fresh = f
        .app
        .setup_link_token()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a new setup link"));
    let (admin, _) = f
        .app
        .add_staff("Mo", "mo@example.com", "admin", None, None)
        .await
        .unwrap_or_else(|e| panic!("add_staff: {e}"));
    assert!(
        f.app
            .setup_link_valid(fresh.reveal())
            .await
            .unwrap_or(false)
    );
    f.app
        .set_password_for(admin.id, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!f.app.setup_link_valid(fresh.reveal()).await.unwrap_or(true));
    match f
        .app
        .complete_setup(fresh.reveal(), "Jo", "jo@example.com", PASSWORD)
        .await
    {
        Err(AppError::NotFound(_)) => {}
        other => panic!("after the first run: expected NotFound, got {other:?}"),
    }
}
