//! Administration's rules at work, on a real SQLite store with a clock the tests move on: only an
//! active administrator may do any of it, nobody demotes or deactivates themselves, a
//! deactivated member is shut out at once, password links work once and expire, and the
//! organisation's texts saved on one node reach the others.

use crate::{
    App, AppError, OrganisationDraft, PASSWORD_LINK_LIFETIME, RootCauseChangeDraft, RootCauseDraft,
    Settings, StaffChangeDraft, StaffDraft, TeamDraft,
};
use redress_domain::{Role, Staff, StaffId};
use redress_store::Store;
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

    async fn member(&self, name: &str, role: &str) -> Staff {
        let email = format!("{}@example.com", name.to_lowercase());
        let (staff, _) = self
            .app
            .add_staff(name, &email, role, Some("Care"), None)
            .await
            .unwrap_or_else(|e| panic!("add_staff: {e}"));
        staff
    }

    async fn read(&self, id: StaffId) -> Staff {
        self.store
            .staff(id)
            .await
            .unwrap_or_else(|e| panic!("staff: {e}"))
    }
}

fn draft(name: &str, email: &str, role: &str) -> StaffDraft {
    StaffDraft {
        name: Some(name.to_owned()),
        email: Some(email.to_owned()),
        role: Some(role.to_owned()),
        team: Some("care".to_owned()),
        authority_amount: Some("50".to_owned()),
        authority_currency: Some("eur".to_owned()),
    }
}

fn forbidden<T: std::fmt::Debug>(result: Result<T, AppError>, what: &str) {
    match result {
        Err(AppError::Forbidden(_)) => {}
        other => panic!("{what}: expected Forbidden, got {other:?}"),
    }
}

fn invalid_on<T: std::fmt::Debug>(result: Result<T, AppError>, field: &str) {
    match result {
        Err(AppError::Invalid(i)) if i.errors.iter().any(|e| e.field == field) => {}
        other => panic!("expected a problem with {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn only_an_active_administrator_administers() {
    let f = Fixture::new().await;
    let agent = f.member("Ann", "agent").await;
    let supervisor = f.member("Sam", "supervisor").await;
    let mut retired = f.member("Ray", "admin").await;
    retired.active = false;
    let before = f.store.list_staff().await.unwrap_or_default();
    let causes = f.app.root_causes().await.unwrap_or_default();
    for by in [&agent, &supervisor, &retired] {
        let who = by.name.as_str();
        forbidden(f.app.staff_for_admin(by).await, who);
        forbidden(f.app.staff_member(by, agent.id).await, who);
        forbidden(
            f.app
                .create_staff(by, &draft("Eve", "eve@example.com", "admin"))
                .await,
            who,
        );
        let promote = StaffChangeDraft {
            role: Some("admin".to_owned()),
            ..StaffChangeDraft::default()
        };
        forbidden(f.app.change_staff(by, by.id, &promote).await, who);
        forbidden(f.app.issue_password_link(by, agent.id).await, who);
        forbidden(f.app.issue_api_token(by, agent.id).await, who);
        let team = TeamDraft {
            name: Some("Night shift".to_owned()),
            description: None,
        };
        forbidden(f.app.add_team(by, &team).await, who);
        forbidden(f.app.set_team_active(by, "Care", false).await, who);
        let cause = RootCauseDraft {
            label: Some("Signage".to_owned()),
            code: None,
        };
        forbidden(f.app.add_root_cause(by, &cause).await, who);
        let off = RootCauseChangeDraft {
            label: None,
            active: Some(false),
        };
        forbidden(
            f.app.change_root_cause(by, "product_defect", &off).await,
            who,
        );
        forbidden(f.app.organisation(by).await, who);
        let texts = OrganisationDraft {
            name: Some("Taken over".to_owned()),
            first_response_days: Some(1),
            ..OrganisationDraft::default()
        };
        forbidden(f.app.save_organisation(by, &texts).await, who);
    }
    assert_eq!(
        f.store.list_staff().await.unwrap_or_default(),
        before,
        "nobody changed"
    );
    assert_eq!(f.app.root_causes().await.unwrap_or_default(), causes);
    let teams = f.store.teams().await.unwrap_or_default();
    assert_eq!(teams.len(), 1, "only Care, from `user add`: {teams:?}");
    assert!(teams[0].active);
    assert_eq!(f.app.settings().organisation, "Customer care");
    assert!(f.store.organisation().await.unwrap_or_default().is_none());
}

#[tokio::test]
async fn a_new_member_sets_their_password_with_the_link_once() {
    let f = Fixture::new().await;
    let admin = f.member("Ada", "admin").await;
    let (eve, link) = f
        .app
        .create_staff(&admin, &draft("Eve Lopez", "eve@example.com", "agent"))
        .await
        .unwrap_or_else(|e| panic!("create_staff: {e:?}"));
    assert_eq!(eve.team.as_ref().map(|t| t.as_str()), Some("Care"));
    assert_eq!(
        eve.authority_limit.as_ref().map(ToString::to_string),
        Some("50.00 EUR".to_owned())
    );
    assert_eq!(link.expires_at - f.app.now(), PASSWORD_LINK_LIFETIME);
    let token = link.token.reveal().to_owned();
    let holder = f.app.password_link_holder(&token).await.unwrap_or_default();
    assert_eq!(holder.map(|s| s.id), Some(eve.id));

    invalid_on(f.app.use_password_link(&token, "short").await, "password");
    let signed_in = f
        .app
        .use_password_link(&token, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("use_password_link: {e:?}"));
    assert_eq!(signed_in.staff.id, eve.id);
    assert!(f.app.sign_in("eve@example.com", PASSWORD).await.is_ok());
    match f
        .app
        .use_password_link(&token, "another good password")
        .await
    {
        Err(AppError::NotFound(_)) => {}
        other => panic!("a used link: {other:?}"),
    }

    // She forgot it: a new link, which expires; a newer one replaces it.
    let old = f
        .app
        .issue_password_link(&admin, eve.id)
        .await
        .unwrap_or_else(|e| panic!("issue_password_link: {e:?}"));
    let newer = f
        .app
        .issue_password_link(&admin, eve.id)
        .await
        .unwrap_or_else(|e| panic!("issue_password_link: {e:?}"));
    let old_holder = f.app.password_link_holder(old.token.reveal()).await;
    assert!(matches!(old_holder, Ok(None)), "replaced: {old_holder:?}");
    f.advance(PASSWORD_LINK_LIFETIME + Duration::seconds(1));
    match f
        .app
        .use_password_link(newer.token.reveal(), "another good password")
        .await
    {
        Err(AppError::NotFound(_)) => {}
        other => panic!("an expired link: {other:?}"),
    }

    // Someone else has this address already.
    invalid_on(
        f.app
            .create_staff(&admin, &draft("Twin", "EVE@example.com", "agent"))
            .await,
        "email",
    );
    let mut bad = draft("", "not an email", "boss");
    bad.team = Some("Nowhere".to_owned());
    bad.authority_amount = Some("12.345".to_owned());
    let result = f.app.create_staff(&admin, &bad).await;
    match result {
        Err(AppError::Invalid(i)) => {
            let fields: Vec<&str> = i.errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(
                fields,
                ["name", "email", "role", "team", "authority_amount"],
                "every field at fault"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn deactivation_shuts_out_and_the_last_admin_stays() {
    let f = Fixture::new().await;
    let ada = f.member("Ada", "admin").await;
    let (eve, link) = f
        .app
        .create_staff(&ada, &draft("Eve", "eve@example.com", "agent"))
        .await
        .unwrap_or_else(|e| panic!("create_staff: {e:?}"));
    let session = f
        .app
        .use_password_link(link.token.reveal(), PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("use_password_link: {e:?}"));
    let token = f
        .app
        .issue_api_token(&ada, eve.id)
        .await
        .unwrap_or_else(|e| panic!("issue_api_token: {e:?}"));
    assert!(f.app.authenticate(token.reveal()).await.is_ok());

    let off = StaffChangeDraft {
        active: Some(false),
        ..StaffChangeDraft::default()
    };
    let changed = f
        .app
        .change_staff(&ada, eve.id, &off)
        .await
        .unwrap_or_else(|e| panic!("deactivating: {e:?}"));
    assert!(!changed.active);
    assert!(matches!(
        f.app.staff_for_session(session.token.reveal()).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(matches!(
        f.app.authenticate(token.reveal()).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(f.app.sign_in("eve@example.com", PASSWORD).await.is_err());
    assert!(matches!(
        f.app.issue_password_link(&ada, eve.id).await,
        Err(AppError::Conflict(_))
    ));
    let on = StaffChangeDraft {
        active: Some(true),
        ..StaffChangeDraft::default()
    };
    f.app
        .change_staff(&ada, eve.id, &on)
        .await
        .unwrap_or_else(|e| panic!("reactivating: {e:?}"));
    assert!(f.app.sign_in("eve@example.com", PASSWORD).await.is_ok());
    assert!(
        f.app.authenticate(token.reveal()).await.is_err(),
        "the old API token stays revoked"
    );

    // Nobody demotes or deactivates themselves.
    let demote = StaffChangeDraft {
        role: Some("supervisor".to_owned()),
        ..StaffChangeDraft::default()
    };
    invalid_on(f.app.change_staff(&ada, ada.id, &demote).await, "role");
    invalid_on(f.app.change_staff(&ada, ada.id, &off).await, "active");
    assert_eq!(f.read(ada.id).await.role, Role::Admin);

    // With a second administrator, each can demote the other, but not the last one.
    let promote = StaffChangeDraft {
        role: Some("admin".to_owned()),
        ..StaffChangeDraft::default()
    };
    let eve = f
        .app
        .change_staff(&ada, eve.id, &promote)
        .await
        .unwrap_or_else(|e| panic!("promoting: {e:?}"));
    f.app
        .change_staff(&eve, ada.id, &demote)
        .await
        .unwrap_or_else(|e| panic!("demoting Ada: {e:?}"));
    let ada = f.read(ada.id).await;
    forbidden(
        f.app.change_staff(&ada, eve.id, &demote).await,
        "Ada, now a supervisor",
    );
}

#[tokio::test]
async fn teams_on_the_list_and_the_authority_limit() {
    let f = Fixture::new().await;
    let ada = f.member("Ada", "admin").await;
    let night = TeamDraft {
        name: Some(" Night shift ".to_owned()),
        description: Some("After 22:00".to_owned()),
    };
    let team = f
        .app
        .add_team(&ada, &night)
        .await
        .unwrap_or_else(|e| panic!("add_team: {e:?}"));
    assert_eq!(team.name.as_str(), "Night shift");
    let twin = TeamDraft {
        name: Some("NIGHT SHIFT".to_owned()),
        description: None,
    };
    invalid_on(f.app.add_team(&ada, &twin).await, "name");

    let ann = f.member("Ann", "agent").await;
    let change = StaffChangeDraft {
        team: Some("night shift".to_owned()),
        authority_amount: Some("75.5".to_owned()),
        authority_currency: Some("GBP".to_owned()),
        ..StaffChangeDraft::default()
    };
    let ann = f
        .app
        .change_staff(&ada, ann.id, &change)
        .await
        .unwrap_or_else(|e| panic!("change_staff: {e:?}"));
    assert_eq!(ann.team.as_ref().map(|t| t.as_str()), Some("Night shift"));
    assert_eq!(
        ann.authority_limit.as_ref().map(ToString::to_string),
        Some("75.50 GBP".to_owned())
    );

    // An inactive team is not offered, but whoever is in it may stay.
    f.app
        .set_team_active(&ada, "Night shift", false)
        .await
        .unwrap_or_else(|e| panic!("set_team_active: {e:?}"));
    let mut joining = draft("Joe", "joe@example.com", "agent");
    joining.team = Some("Night shift".to_owned());
    invalid_on(f.app.create_staff(&ada, &joining).await, "team");
    let keep = StaffChangeDraft {
        team: Some("Night shift".to_owned()),
        authority_amount: Some(String::new()),
        authority_currency: Some(String::new()),
        ..StaffChangeDraft::default()
    };
    let ann = f
        .app
        .change_staff(&ada, ann.id, &keep)
        .await
        .unwrap_or_else(|e| panic!("keeping an inactive team: {e:?}"));
    assert_eq!(ann.team.as_ref().map(|t| t.as_str()), Some("Night shift"));
    assert_eq!(ann.authority_limit, None, "no limit any more");
}

#[tokio::test]
async fn root_causes_are_added_and_retired() {
    let f = Fixture::new().await;
    let ada = f.member("Ada", "admin").await;
    let cause = f
        .app
        .add_root_cause(
            &ada,
            &RootCauseDraft {
                label: Some("Signage that confuses guests".to_owned()),
                code: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("add_root_cause: {e:?}"));
    assert_eq!(cause.code.as_str(), "signage_that_confuses_guests");
    invalid_on(
        f.app
            .add_root_cause(
                &ada,
                &RootCauseDraft {
                    label: Some("Again".to_owned()),
                    code: Some("signage_that_confuses_guests".to_owned()),
                },
            )
            .await,
        "code",
    );
    invalid_on(
        f.app
            .add_root_cause(
                &ada,
                &RootCauseDraft {
                    label: Some("Señal".to_owned()),
                    code: Some("Not A Code".to_owned()),
                },
            )
            .await,
        "code",
    );
    let retired = f
        .app
        .change_root_cause(
            &ada,
            "signage_that_confuses_guests",
            &RootCauseChangeDraft {
                label: Some("Signs that confuse".to_owned()),
                active: Some(false),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("change_root_cause: {e:?}"));
    assert_eq!(retired.label, "Signs that confuse");
    assert!(!retired.active);
    let listed = f.app.root_causes().await.unwrap_or_default();
    assert_eq!(listed.last(), Some(&retired));
    assert!(matches!(
        f.app
            .change_root_cause(&ada, "no_such", &RootCauseChangeDraft::default())
            .await,
        Err(AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn the_organisation_texts_saved_reach_every_node() {
    let f = Fixture::new().await;
    let ada = f.member("Ada", "admin").await;
    let other = App::new(f.store.clone(), Settings::default());
    let texts = OrganisationDraft {
        name: Some("Riverside Hotel".to_owned()),
        care_team: Some("the Riverside guest team".to_owned()),
        first_response_days: Some(1),
        email: Some("care@riverside.example".to_owned()),
        phone: Some("+44 20 7946 0000".to_owned()),
        opening_hours: vec!["Every day, 7:00 to 23:00".to_owned(), "  ".to_owned()],
        postal_address: Some("1 Quay Street\nBristol".to_owned()),
        products: vec!["Room".to_owned(), "Spa".to_owned(), "room".to_owned()],
        locations: Vec::new(),
        version: Some(0),
    };
    let saved = f
        .app
        .save_organisation(&ada, &texts)
        .await
        .unwrap_or_else(|e| panic!("save_organisation: {e:?}"));
    assert_eq!(saved.version, 1);
    assert_eq!(
        f.app.settings().organisation,
        "Riverside Hotel",
        "at once here"
    );
    assert_eq!(f.app.settings().products, ["Room", "Spa"]);
    assert_eq!(f.app.settings().contact.opening_hours.len(), 1);
    assert_eq!(
        other.settings().organisation,
        "Customer care",
        "not read yet"
    );
    other.refresh_settings_if_stale().await;
    assert_eq!(
        other.settings().organisation,
        "Riverside Hotel",
        "first read"
    );

    // A page opened before another save cannot undo it.
    let stale = OrganisationDraft {
        name: Some("Old name".to_owned()),
        ..texts.clone()
    };
    assert!(matches!(
        f.app.save_organisation(&ada, &stale).await,
        Err(AppError::Conflict(_))
    ));
    let bad = OrganisationDraft {
        name: Some(" ".to_owned()),
        first_response_days: Some(0),
        email: Some("care at riverside".to_owned()),
        phone: Some("call us".to_owned()),
        version: None,
        ..texts
    };
    match f.app.save_organisation(&ada, &bad).await {
        Err(AppError::Invalid(i)) => {
            let fields: Vec<&str> = i.errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["name", "first_response_days", "email", "phone"]);
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(f.app.settings().version, 1, "nothing changed");
}
