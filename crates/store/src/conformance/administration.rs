//! Administering the organisation: changes to staff members (and never losing the last
//! administrator), fresh API tokens, password links, teams, root causes and the organisation's
//! texts.

use super::fixtures::*;
use crate::{
    NewPasswordLink, NewSession, SavedMailTemplate, SavedOrganisation, Store, StoreError, Team,
};
use redress_domain::{
    ApiToken, Currency, Money, Role, RootCause, RootCauseCode, SessionToken, SetupToken, Staff,
    StaffId, TokenDigest,
};
use std::sync::Arc;
use time::Duration;

async fn add(store: &Shared, name: &str, email: &str, role: Role) -> (Staff, TokenDigest) {
    let staff = new_staff(name, email, role, Some("Care"));
    let token = ApiToken::generate().digest();
    store
        .add_staff(&staff, &token)
        .await
        .unwrap_or_else(|e| panic!("add_staff({email}) failed: {e}"));
    (staff, token)
}

async fn read(store: &Shared, id: StaffId) -> Staff {
    store
        .staff(id)
        .await
        .unwrap_or_else(|e| panic!("staff({id}) failed: {e}"))
}

async fn update(store: &Shared, staff: &Staff) -> Result<(), StoreError> {
    store.update_staff(staff).await
}

async fn open_session(store: &Shared, staff: StaffId) -> TokenDigest {
    let digest = SessionToken::generate().digest();
    let at = now();
    store
        .create_session(&NewSession {
            digest,
            staff,
            created_at: at,
            expires_at: at + Duration::hours(1),
        })
        .await
        .unwrap_or_else(|e| panic!("create_session failed: {e}"));
    digest
}

fn link(staff: StaffId, lifetime: Duration) -> NewPasswordLink {
    let at = now();
    NewPasswordLink {
        digest: SetupToken::generate().digest(),
        staff,
        created_at: at,
        expires_at: at + lifetime,
    }
}

async fn create_link(store: &Shared, link: &NewPasswordLink) {
    store
        .create_password_link(link)
        .await
        .unwrap_or_else(|e| panic!("create_password_link failed: {e}"));
}

/// `update_staff` replaces the role, team, authority limit and whether active, and nothing
/// else; an unknown staff member is `NotFound`.
pub async fn update_staff_replaces_role_team_and_authority(store: Arc<dyn Store>) {
    let (bea, _) = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let mut changed = bea.clone();
    changed.role = Role::Supervisor;
    changed.team = Some(text("Billing ✓"));
    changed.authority_limit = Some(Money::new(
        12_345,
        Currency::parse("GBP").unwrap_or_else(|e| panic!("{e}")),
    ));
    // What update_staff does not change, even if the caller's copy differs.
    changed.name = text("Someone Else");
    update(&store, &changed)
        .await
        .unwrap_or_else(|e| panic!("update_staff failed: {e}"));
    let mut expected = changed.clone();
    expected.name = bea.name.clone();
    assert_eq!(
        read(&store, bea.id).await,
        expected,
        "the change reads back"
    );

    let mut cleared = expected.clone();
    cleared.team = None;
    cleared.authority_limit = None;
    update(&store, &cleared)
        .await
        .unwrap_or_else(|e| panic!("update_staff failed: {e}"));
    assert_eq!(
        read(&store, bea.id).await,
        cleared,
        "team and limit cleared"
    );

    let stranger = new_staff("Nobody", "nobody@example.org", Role::Agent, None);
    assert_not_found(update(&store, &stranger).await, "update_staff(unknown)");
}

/// Deactivating a staff member ends their sessions and deletes their API tokens and password
/// links; reactivating brings none of them back. Another member's are untouched.
pub async fn deactivating_ends_sessions_tokens_and_links(store: Arc<dyn Store>) {
    let (bea, bea_token) = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let (cal, cal_token) = add(&store, "Cal", "cal@example.org", Role::Agent).await;
    let bea_session = open_session(&store, bea.id).await;
    let cal_session = open_session(&store, cal.id).await;
    let bea_link = link(bea.id, Duration::hours(1));
    create_link(&store, &bea_link).await;
    let cal_link = link(cal.id, Duration::hours(1));
    create_link(&store, &cal_link).await;

    let mut inactive = bea.clone();
    inactive.active = false;
    update(&store, &inactive)
        .await
        .unwrap_or_else(|e| panic!("deactivating failed: {e}"));
    assert!(!read(&store, bea.id).await.active, "Bea is inactive");
    let at = now();
    let session = store
        .session(&bea_session, at)
        .await
        .unwrap_or_else(|e| panic!("session failed: {e}"));
    assert!(session.is_none(), "her session ended");
    let by_token = store
        .staff_by_token(&bea_token)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert!(by_token.is_none(), "her API token is gone");
    let linked = store
        .password_link(&bea_link.digest, at)
        .await
        .unwrap_or_else(|e| panic!("password_link failed: {e}"));
    assert!(linked.is_none(), "her password link is gone");

    inactive.active = true;
    update(&store, &inactive)
        .await
        .unwrap_or_else(|e| panic!("reactivating failed: {e}"));
    assert!(read(&store, bea.id).await.active, "Bea is active again");
    let by_token = store
        .staff_by_token(&bea_token)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert!(by_token.is_none(), "her old API token stays gone");

    let session = store
        .session(&cal_session, at)
        .await
        .unwrap_or_else(|e| panic!("session failed: {e}"));
    assert!(session.is_some(), "Cal's session goes on");
    let by_token = store
        .staff_by_token(&cal_token)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert_eq!(by_token.map(|s| s.id), Some(cal.id), "Cal's token works");
    let linked = store
        .password_link(&cal_link.digest, at)
        .await
        .unwrap_or_else(|e| panic!("password_link failed: {e}"));
    assert_eq!(linked, Some(cal.id), "Cal's link works");
}

/// The last active administrator can be neither demoted nor deactivated (`Conflict` "last
/// admin", nothing written); with another active administrator, either can. A change that
/// touches no administrator is never refused, even with no administrator at all.
pub async fn the_last_admin_stays(store: Arc<dyn Store>) {
    let (agent, _) = add(&store, "Ann", "ann@example.org", Role::Agent).await;
    let mut supervisor = agent.clone();
    supervisor.role = Role::Supervisor;
    update(&store, &supervisor)
        .await
        .unwrap_or_else(|e| panic!("a change without administrators failed: {e}"));

    let (ada, _) = add(&store, "Ada", "ada@example.org", Role::Admin).await;
    let mut demoted = ada.clone();
    demoted.role = Role::Agent;
    assert_conflict(
        update(&store, &demoted).await,
        "last admin",
        "demoting the only admin",
    );
    let mut gone = ada.clone();
    gone.active = false;
    assert_conflict(
        update(&store, &gone).await,
        "last admin",
        "deactivating the only admin",
    );
    assert_eq!(read(&store, ada.id).await, ada, "nothing was written");
    let mut changed = ada.clone();
    changed.team = None;
    update(&store, &changed)
        .await
        .unwrap_or_else(|e| panic!("changing the only admin's team failed: {e}"));

    // An inactive administrator does not count.
    let (ivo, _) = add(&store, "Ivo", "ivo@example.org", Role::Admin).await;
    let mut ivo_gone = ivo.clone();
    ivo_gone.active = false;
    update(&store, &ivo_gone)
        .await
        .unwrap_or_else(|e| panic!("deactivating one of two admins failed: {e}"));
    assert_conflict(
        update(&store, &demoted).await,
        "last admin",
        "demoting the only active admin",
    );

    let (bo, _) = add(&store, "Bo", "bo@example.org", Role::Admin).await;
    update(&store, &demoted)
        .await
        .unwrap_or_else(|e| panic!("demoting one of two admins failed: {e}"));
    let mut bo_demoted = bo.clone();
    bo_demoted.role = Role::Supervisor;
    assert_conflict(
        update(&store, &bo_demoted).await,
        "last admin",
        "demoting the admin who is now the last",
    );
}

/// Two administrators demoting each other at the same time: one change wins, the other is
/// refused, and one administrator is left.
pub async fn admins_demoting_each_other_leave_one(store: Arc<dyn Store>) {
    let mut survivor: Option<Staff> = None;
    for round in 0..4 {
        let (a, _) = add(&store, "A", &format!("a{round}@example.org"), Role::Admin).await;
        let (b, _) = add(&store, "B", &format!("b{round}@example.org"), Role::Admin).await;
        // The last round's survivor steps down, so A and B are the only administrators.
        if let Some(mut last) = survivor.take() {
            last.role = Role::Agent;
            update(&store, &last)
                .await
                .unwrap_or_else(|e| panic!("round {round}: stepping down failed: {e}"));
        }
        let mut a_down = a.clone();
        a_down.role = Role::Agent;
        let mut b_gone = b.clone();
        b_gone.active = false;
        let (s1, s2) = (store.clone(), store.clone());
        let one = tokio::spawn(async move { s1.update_staff(&a_down).await });
        let two = tokio::spawn(async move { s2.update_staff(&b_gone).await });
        let results = [
            one.await
                .unwrap_or_else(|e| panic!("update task failed: {e}")),
            two.await
                .unwrap_or_else(|e| panic!("update task failed: {e}")),
        ];
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(
            won, 1,
            "round {round}: exactly one change wins: {results:?}"
        );
        for r in &results {
            if let Err(e) = r {
                assert!(
                    matches!(e, StoreError::Conflict { what } if what == "last admin"),
                    "round {round}: the loser is refused as the last admin: {e}"
                );
            }
        }
        let admins: Vec<Staff> = store
            .list_staff()
            .await
            .unwrap_or_else(|e| panic!("list_staff failed: {e}"))
            .into_iter()
            .filter(|s| s.role == Role::Admin && s.active)
            .collect();
        assert_eq!(admins.len(), 1, "round {round}: one active admin is left");
        survivor = admins.into_iter().next();
    }
}

/// `replace_api_token` leaves the new token as the member's only one.
pub async fn api_token_is_replaced(store: Arc<dyn Store>) {
    let (bea, old) = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let fresh = ApiToken::generate().digest();
    store
        .replace_api_token(bea.id, &fresh, now())
        .await
        .unwrap_or_else(|e| panic!("replace_api_token failed: {e}"));
    let by_old = store
        .staff_by_token(&old)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert!(by_old.is_none(), "the old token no longer works");
    let by_new = store
        .staff_by_token(&fresh)
        .await
        .unwrap_or_else(|e| panic!("staff_by_token failed: {e}"));
    assert_eq!(by_new, Some(bea), "the new token works");
    assert_not_found(
        store
            .replace_api_token(StaffId::new(), &ApiToken::generate().digest(), now())
            .await,
        "replace_api_token(unknown)",
    );
}

/// A password link names its staff member until it is taken (once), expires, or a newer link
/// of the same member replaces it.
pub async fn password_links_work_once(store: Arc<dyn Store>) {
    let (bea, _) = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let (cal, _) = add(&store, "Cal", "cal@example.org", Role::Agent).await;
    let first = link(bea.id, Duration::hours(1));
    create_link(&store, &first).await;
    let cals = link(cal.id, Duration::hours(1));
    create_link(&store, &cals).await;
    let at = now();
    let peek = |d: TokenDigest| {
        let store = store.clone();
        async move {
            store
                .password_link(&d, now())
                .await
                .unwrap_or_else(|e| panic!("password_link failed: {e}"))
        }
    };
    assert_eq!(peek(first.digest).await, Some(bea.id), "peeking");
    assert_eq!(
        peek(first.digest).await,
        Some(bea.id),
        "peeking takes nothing"
    );

    let second = link(bea.id, Duration::hours(1));
    create_link(&store, &second).await;
    assert_eq!(
        peek(first.digest).await,
        None,
        "a newer link replaces the older"
    );
    assert_eq!(peek(cals.digest).await, Some(cal.id), "Cal's stays");

    let taken = store
        .take_password_link(&second.digest, at)
        .await
        .unwrap_or_else(|e| panic!("take_password_link failed: {e}"));
    assert_eq!(taken, Some(bea.id), "taking names the member");
    let again = store
        .take_password_link(&second.digest, at)
        .await
        .unwrap_or_else(|e| panic!("take_password_link failed: {e}"));
    assert_eq!(again, None, "a link is taken once");

    let expiring = link(cal.id, Duration::minutes(5));
    create_link(&store, &expiring).await;
    let later = now() + Duration::minutes(6);
    let seen = store
        .password_link(&expiring.digest, later)
        .await
        .unwrap_or_else(|e| panic!("password_link failed: {e}"));
    assert_eq!(seen, None, "an expired link names nobody");
    let taken = store
        .take_password_link(&expiring.digest, later)
        .await
        .unwrap_or_else(|e| panic!("take_password_link failed: {e}"));
    assert_eq!(taken, None, "an expired link cannot be taken");

    assert_not_found(
        store
            .create_password_link(&link(StaffId::new(), Duration::hours(1)))
            .await,
        "a link for nobody",
    );
    let dup = link(cal.id, Duration::hours(1));
    create_link(&store, &dup).await;
    let mut clash = link(bea.id, Duration::hours(1));
    clash.digest = dup.digest;
    assert_conflict(
        store.create_password_link(&clash).await,
        "token",
        "a taken digest",
    );
}

/// Of many callers taking one password link at once, exactly one gets it.
pub async fn password_link_race_has_one_winner(store: Arc<dyn Store>) {
    let (bea, _) = add(&store, "Bea", "bea@example.org", Role::Agent).await;
    let l = link(bea.id, Duration::hours(1));
    create_link(&store, &l).await;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let (store, digest) = (store.clone(), l.digest);
            tokio::spawn(async move { store.take_password_link(&digest, now()).await })
        })
        .collect();
    let mut winners = 0;
    for call in calls {
        let taken = call
            .await
            .unwrap_or_else(|e| panic!("take task failed: {e}"))
            .unwrap_or_else(|e| panic!("take_password_link failed: {e}"));
        winners += usize::from(taken.is_some());
    }
    assert_eq!(winners, 1, "exactly one caller takes the link");
}

fn team(name: &str, description: Option<&str>) -> Team {
    Team {
        name: text(name),
        description: description.map(text),
        active: true,
        created_at: now(),
    }
}

/// Teams read back in name order; a name is taken once; a team is deactivated and reactivated.
pub async fn teams_round_trip(store: Arc<dyn Store>) {
    let teams = store
        .teams()
        .await
        .unwrap_or_else(|e| panic!("teams failed: {e}"));
    assert!(teams.is_empty(), "a fresh store has no teams");
    let care = team(
        "Care",
        Some("Guests before, during and after their stay 🙂"),
    );
    let billing = team("Billing", None);
    for t in [&care, &billing] {
        store
            .add_team(t)
            .await
            .unwrap_or_else(|e| panic!("add_team({}) failed: {e}", t.name.as_str()));
    }
    assert_conflict(
        store.add_team(&team("Care", None)).await,
        "team",
        "a second team named Care",
    );
    let read_teams = || {
        let store = store.clone();
        async move {
            store
                .teams()
                .await
                .unwrap_or_else(|e| panic!("teams failed: {e}"))
        }
    };
    assert_eq!(
        read_teams().await,
        vec![billing.clone(), care.clone()],
        "every team, by name"
    );
    store
        .set_team_active("Care", false)
        .await
        .unwrap_or_else(|e| panic!("set_team_active failed: {e}"));
    let mut inactive = care.clone();
    inactive.active = false;
    assert_eq!(read_teams().await, vec![billing.clone(), inactive]);
    store
        .set_team_active("Care", true)
        .await
        .unwrap_or_else(|e| panic!("set_team_active failed: {e}"));
    assert_eq!(read_teams().await, vec![billing, care]);
    assert_not_found(
        store.set_team_active("Nobody's", false).await,
        "set_team_active(unknown)",
    );
}

fn cause(code: &str, label: &str) -> RootCause {
    RootCause {
        code: RootCauseCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}")),
        label: label.to_owned(),
        active: true,
    }
}

/// A root cause is added after the others, relabelled and deactivated in its place; a code is
/// taken once; `root_cause` finds one by code.
pub async fn root_causes_added_relabelled_and_deactivated(store: Arc<dyn Store>) {
    let defaults = store
        .root_causes()
        .await
        .unwrap_or_else(|e| panic!("root_causes failed: {e}"));
    let signage = cause("signage_unclear", "Signage that confuses «guests»");
    store
        .add_root_cause(&signage)
        .await
        .unwrap_or_else(|e| panic!("add_root_cause failed: {e}"));
    assert_conflict(
        store
            .add_root_cause(&cause("product_defect", "Again"))
            .await,
        "code",
        "a default's code",
    );
    let causes = store
        .root_causes()
        .await
        .unwrap_or_else(|e| panic!("root_causes failed: {e}"));
    assert_eq!(causes.len(), defaults.len() + 1);
    assert_eq!(causes.last(), Some(&signage), "a new cause comes last");

    let mut first = defaults[0].clone();
    first.label = "Something we make or do is faulty".to_owned();
    first.active = false;
    store
        .update_root_cause(&first)
        .await
        .unwrap_or_else(|e| panic!("update_root_cause failed: {e}"));
    let causes = store
        .root_causes()
        .await
        .unwrap_or_else(|e| panic!("root_causes failed: {e}"));
    assert_eq!(causes[0], first, "relabelled and inactive, in its place");
    let found = store
        .root_cause(&first.code)
        .await
        .unwrap_or_else(|e| panic!("root_cause failed: {e}"));
    assert_eq!(found, Some(first), "found by code");
    let none = store
        .root_cause(&cause("no_such_cause", "x").code)
        .await
        .unwrap_or_else(|e| panic!("root_cause failed: {e}"));
    assert_eq!(none, None, "an unknown code");
    assert_not_found(
        store.update_root_cause(&cause("no_such_cause", "x")).await,
        "update_root_cause(unknown)",
    );
}

fn organisation(version: u32, by: Option<StaffId>) -> SavedOrganisation {
    SavedOrganisation {
        name: format!("Riverside Hotel (v{version})"),
        care_team: Some("the Riverside guest team".to_owned()),
        first_response_days: 3,
        email: Some("care@riverside.example".to_owned()),
        phone: None,
        opening_hours: vec![
            "Every day, 7:00 to 23:00".to_owned(),
            "Día y noche".to_owned(),
        ],
        postal_address: Some("Riverside Hotel\n1 Quay Street\nBristol".to_owned()),
        products: vec!["Room".to_owned(), "Spa \"deluxe\"".to_owned()],
        locations: Vec::new(),
        version,
        updated_at: now(),
        updated_by: by,
    }
}

/// The organisation's texts: nothing until saved; each save is one version after the stored
/// one, else `Conflict` ("version") and nothing is written; they read back exactly.
pub async fn organisation_saved_in_versions(store: Arc<dyn Store>) {
    let read_saved = || {
        let store = store.clone();
        async move {
            store
                .organisation()
                .await
                .unwrap_or_else(|e| panic!("organisation failed: {e}"))
        }
    };
    assert_eq!(read_saved().await, None, "nothing saved yet");
    assert_conflict(
        store.save_organisation(&organisation(2, None)).await,
        "version",
        "a second version before the first",
    );
    let (ada, _) = add(&store, "Ada", "ada@example.org", Role::Admin).await;
    let first = organisation(1, Some(ada.id));
    store
        .save_organisation(&first)
        .await
        .unwrap_or_else(|e| panic!("save_organisation failed: {e}"));
    assert_eq!(
        read_saved().await,
        Some(first.clone()),
        "reads back exactly"
    );
    assert_conflict(
        store.save_organisation(&organisation(1, None)).await,
        "version",
        "a second first version",
    );
    assert_conflict(
        store.save_organisation(&organisation(3, None)).await,
        "version",
        "a version skipped",
    );
    assert_eq!(read_saved().await, Some(first), "nothing was written");
    let mut second = organisation(2, None);
    second.care_team = None;
    second.email = None;
    second.postal_address = None;
    second.opening_hours = Vec::new();
    second.locations = vec!["Bristol".to_owned()];
    store
        .save_organisation(&second)
        .await
        .unwrap_or_else(|e| panic!("save_organisation failed: {e}"));
    assert_eq!(read_saved().await, Some(second), "the second version");
}

/// Administrators saving the same version at once: one save wins, the others are refused.
pub async fn organisation_saves_race_one_winner(store: Arc<dyn Store>) {
    for version in 1..=2 {
        let calls: Vec<_> = (0..6)
            .map(|i| {
                let store = store.clone();
                let mut o = organisation(version, None);
                o.name = format!("Name {i}");
                tokio::spawn(async move { store.save_organisation(&o).await })
            })
            .collect();
        let mut winners = 0;
        for call in calls {
            match call
                .await
                .unwrap_or_else(|e| panic!("save task failed: {e}"))
            {
                Ok(()) => winners += 1,
                Err(StoreError::Conflict { what }) if what == "version" => {}
                Err(e) => panic!("a losing save must be a version conflict: {e}"),
            }
        }
        assert_eq!(winners, 1, "version {version}: exactly one save wins");
    }
}

fn mail_template(
    language: &str,
    message: &str,
    text: &str,
    by: Option<StaffId>,
) -> SavedMailTemplate {
    SavedMailTemplate {
        language: language.to_owned(),
        message: message.to_owned(),
        text: text.to_owned(),
        updated_at: now(),
        updated_by: by,
    }
}

/// Mail templates: none until saved; a save replaces that language's and message's text (and
/// no other's); a reset deletes it, saying whether there was one; texts read back exactly.
pub async fn mail_templates_saved_and_reset(store: Arc<dyn Store>) {
    let read = || {
        let store = store.clone();
        async move {
            store
                .mail_templates()
                .await
                .unwrap_or_else(|e| panic!("mail_templates failed: {e}"))
        }
    };
    let save = |t: SavedMailTemplate| {
        let store = store.clone();
        async move {
            store
                .save_mail_template(&t)
                .await
                .unwrap_or_else(|e| panic!("save_mail_template failed: {e}"));
        }
    };
    assert_eq!(read().await, Vec::new(), "nothing saved yet");
    let (ada, _) = add(&store, "Ada", "ada@example.org", Role::Admin).await;
    let english = mail_template(
        "en",
        "mail-acknowledgement",
        "{ $greeting }\n\nThank you — “{ $acknowledgement }”\n\n{ $signature }",
        Some(ada.id),
    );
    let spanish = mail_template(
        "es",
        "mail-acknowledgement",
        "{ $greeting }\n\nGracias.",
        None,
    );
    let footer = mail_template("en", "mail-reply-footer", "{ $link }", None);
    save(spanish.clone()).await;
    save(footer.clone()).await;
    save(english.clone()).await;
    assert_eq!(
        read().await,
        vec![english.clone(), footer.clone(), spanish.clone()],
        "by language then message, exactly as saved"
    );
    let mut again = mail_template("en", "mail-acknowledgement", "{ $greeting } again", None);
    again.updated_at = english.updated_at + Duration::seconds(5);
    save(again.clone()).await;
    assert_eq!(
        read().await,
        vec![again, footer.clone(), spanish.clone()],
        "a second save replaces the first, and only it"
    );
    let reset = |language: &'static str, message: &'static str| {
        let store = store.clone();
        async move {
            store
                .reset_mail_template(language, message)
                .await
                .unwrap_or_else(|e| panic!("reset_mail_template failed: {e}"))
        }
    };
    assert!(
        reset("en", "mail-acknowledgement").await,
        "a saved one is reset"
    );
    assert!(
        !reset("en", "mail-acknowledgement").await,
        "nothing left to reset"
    );
    assert!(!reset("fr", "mail-follow-up").await, "never saved");
    assert_eq!(read().await, vec![footer, spanish], "the others stay");
}
