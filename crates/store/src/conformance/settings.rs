//! Staff, their API tokens, and the organisation's settings.

use super::fixtures::*;
use crate::Store;
use redress_domain::{ApiToken, Currency, EmailAddress, Money, NewStaff, Role, RootCause, StaffId};
use std::sync::Arc;

/// A staff member reads back by id and by API token; `list_staff` lists everyone.
pub async fn staff_round_trip(store: Arc<dyn Store>) {
    let listed = store
        .list_staff()
        .await
        .unwrap_or_else(|e| panic!("list_staff failed: {e}"));
    assert!(listed.is_empty(), "a fresh store has no staff");

    let bea = NewStaff {
        name: text("Bea Lima 🙂"),
        email: EmailAddress::parse("Bea@Example.org").unwrap_or_else(|e| panic!("{e}")),
        role: Role::Supervisor,
        team: Some(text("billing")),
        authority_limit: Some(Money::new(
            5_000,
            Currency::parse("EUR").unwrap_or_else(|e| panic!("{e}")),
        )),
    }
    .into_staff(now());
    let mut cal = new_staff("Cal", "cal@example.org", Role::Agent, None);
    cal.active = false;
    let bea_token = ApiToken::generate().digest();
    let cal_token = ApiToken::generate().digest();
    for (staff, token) in [(&bea, &bea_token), (&cal, &cal_token)] {
        store
            .add_staff(staff, token)
            .await
            .unwrap_or_else(|e| panic!("add_staff({}) failed: {e}", staff.email.as_str()));
    }

    for staff in [&bea, &cal] {
        let read = store
            .staff(staff.id)
            .await
            .unwrap_or_else(|e| panic!("staff({}) failed: {e}", staff.id));
        assert_eq!(&read, staff, "staff(id) reads back what was added");
    }
    let by_token = store
        .staff_by_token(&bea_token)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert_eq!(by_token, Some(bea.clone()), "staff_by_token");
    let by_token = store
        .staff_by_token(&cal_token)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert_eq!(by_token, Some(cal.clone()), "staff_by_token");
    let nobody = store
        .staff_by_token(&ApiToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert_eq!(nobody, None, "an unknown token names nobody");
    assert_not_found(store.staff(StaffId::new()).await, "staff(unknown)");

    let mut listed = store
        .list_staff()
        .await
        .unwrap_or_else(|e| panic!("list_staff failed: {e}"));
    listed.sort_by_key(|s| s.id);
    let mut expected = vec![bea, cal];
    expected.sort_by_key(|s| s.id);
    assert_eq!(listed, expected, "list_staff lists everyone");
}

/// A staff member's email is unique, whatever its case.
pub async fn staff_email_is_unique(store: Arc<dyn Store>) {
    let bea = new_staff("Bea", "bea@example.org", Role::Agent, None);
    store
        .add_staff(&bea, &ApiToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("add_staff failed: {e}"));

    let twin = new_staff("Another Bea", "BEA@Example.ORG", Role::Admin, None);
    let twin_token = ApiToken::generate().digest();
    assert_conflict(
        store.add_staff(&twin, &twin_token).await,
        "email",
        "a second staff member with the same email",
    );
    assert_not_found(store.staff(twin.id).await, "the refused staff member");
    let by_token = store
        .staff_by_token(&twin_token)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert_eq!(
        by_token, None,
        "the refused staff member's token was not kept"
    );
    let listed = store
        .list_staff()
        .await
        .unwrap_or_else(|e| panic!("list_staff failed: {e}"));
    assert_eq!(listed, vec![bea], "only the first staff member exists");
}

/// The root causes start as `RootCause::DEFAULTS`, in order, all active.
pub async fn root_causes_are_the_defaults(store: Arc<dyn Store>) {
    let causes = store
        .root_causes()
        .await
        .unwrap_or_else(|e| panic!("root_causes failed: {e}"));
    let got: Vec<(&str, &str, bool)> = causes
        .iter()
        .map(|c| (c.code.as_str(), c.label.as_str(), c.active))
        .collect();
    let expected: Vec<(&str, &str, bool)> = RootCause::DEFAULTS
        .iter()
        .map(|(code, label)| (*code, *label, true))
        .collect();
    assert_eq!(got, expected, "the default root causes, in order");
}

/// The site secret is created once: the first `fresh` value is kept and every later call, with
/// whatever fresh value, returns it; calls racing on a fresh store agree.
pub async fn site_secret_is_created_once(store: Arc<dyn Store>) {
    let first = store
        .site_secret([1; 32])
        .await
        .unwrap_or_else(|e| panic!("site_secret failed: {e}"));
    assert_eq!(
        first, [1; 32],
        "a fresh store keeps the first secret offered"
    );
    let second = store
        .site_secret([2; 32])
        .await
        .unwrap_or_else(|e| panic!("site_secret failed: {e}"));
    assert_eq!(second, [1; 32], "a later call returns the stored secret");
}

/// Nodes starting together on an empty store all get one secret.
pub async fn site_secret_races_agree(store: Arc<dyn Store>) {
    let calls: Vec<_> = (0..8u8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.site_secret([i + 10; 32]).await })
        })
        .collect();
    let mut secrets = Vec::new();
    for call in calls {
        let secret = call
            .await
            .unwrap_or_else(|e| panic!("site_secret task failed: {e}"))
            .unwrap_or_else(|e| panic!("site_secret failed: {e}"));
        secrets.push(secret);
    }
    assert!(
        secrets.windows(2).all(|w| w[0] == w[1]),
        "every racing caller gets the same secret"
    );
    assert!(
        (10..18u8).any(|i| secrets[0] == [i; 32]),
        "the secret is one of those offered"
    );
}
