//! The administration's pages over plain HTTP, as a browser without JavaScript uses them: an
//! administrator adds a staff member, whose one-time link sets their password and signs them
//! in; a refused form keeps every typed word and names each field at fault; deactivating
//! someone ends their session at once; the organisation's texts saved here reach the front
//! page, on another node too; and an agent or a supervisor gets a plain 403 from every page and
//! every form of the administration, with nothing changed.

use super::visitor::{PASSWORD, Page, Visitor, escaped};
use crate::helpers::TestApp;
use reqwest::StatusCode;
use std::time::Duration;

/// A staff member who can sign in with `PASSWORD`: their id, email and API token.
pub(super) async fn member(app: &TestApp, name: &str, role: &str) -> (String, String, String) {
    let (id, token) = app.staff(name, role, None).await;
    app.app()
        .set_password_for(id.parse().expect("a staff id"), PASSWORD)
        .await
        .expect("set the password");
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    (id, email, token)
}

/// The text of the element with this id (up to its closing tag).
fn by_id(page: &Page, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = page
        .html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {}", page.html));
    let start = at + page.html[at..].find('>').expect("tag end") + 1;
    let len = page.html[start..].find('<').expect("closing tag");
    page.html[start..start + len].to_owned()
}

/// The CSRF token of any desk page this visitor opens.
async fn csrf(visitor: &mut Visitor) -> String {
    let page = visitor.get("/desk").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    page.field("csrf")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_someone_whose_link_sets_their_password() {
    let app = TestApp::sqlite().await;
    let (_, admin_email, _) = member(&app, "Ada Admin", "admin").await;
    let mut admin = Visitor::signed_in(&app, &admin_email).await;

    let desk = admin.get("/desk").await;
    assert!(desk.html.contains("href=\"/desk/admin\""), "the way in");
    let overview = admin.get("/desk/admin").await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.html);
    for part in [
        "/desk/admin/staff",
        "/desk/admin/teams",
        "/desk/admin/root-causes",
        "/desk/admin/organisation",
    ] {
        assert!(
            overview.html.contains(&format!("href=\"{part}\"")),
            "{part}"
        );
    }
    let list = admin.get("/desk/admin/staff").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("Ada Admin"));
    let csrf = list.field("csrf");

    // A refused form: every typed word kept, each problem beside its field.
    let typed_name = "Eve \"Evie\" <Lopez>";
    let refused = admin
        .post_form(
            "/desk/admin/staff",
            &[
                ("csrf", &csrf),
                ("name", typed_name),
                ("email", "eve at example"),
                ("role", "agent"),
                ("team", "Care"),
                ("authority_amount", "12.345"),
                ("authority_currency", "EUR"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = &refused.html;
    assert!(
        html.contains(&format!("value=\"{}\"", escaped(typed_name))),
        "{html}"
    );
    assert!(html.contains("value=\"eve at example\""));
    assert!(html.contains("value=\"12.345\""));
    assert!(
        html.contains("<option value=\"Care\" selected>"),
        "the team kept"
    );
    assert!(html.contains("id=\"email-problem\""));
    assert!(html.contains("id=\"authority_amount-problem\""));
    assert!(html.contains("Please check 2 things"), "{html}");
    assert!(!html.contains("id=\"name-problem\""), "the name was fine");

    let added = admin
        .post_form(
            "/desk/admin/staff",
            &[
                ("csrf", &csrf),
                ("name", "Eve Lopez"),
                ("email", "eve@staff.example"),
                ("role", "agent"),
                ("team", "Care"),
                ("authority_amount", "50"),
                ("authority_currency", "eur"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.html);
    assert!(added.html.contains("Eve Lopez is on the staff."));
    assert!(added.html.contains("50.00 EUR"));
    let link = by_id(&added, "shown-value");
    let path = link
        .strip_prefix(&app.site())
        .unwrap_or_else(|| panic!("an absolute link on this site: {link}"))
        .to_owned();
    assert!(path.starts_with("/desk/set-password/"), "{path}");
    // Shown once: the person's page does not show it again.
    let again = admin.get("/desk/admin/staff").await;
    assert!(again.html.contains("eve@staff.example"));
    assert!(!again.html.contains(&path));

    // Eve opens the link, sets her password, and is signed in.
    let mut eve = Visitor::new(&app);
    let form = eve.get(&path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.html.contains("Welcome, Eve Lopez."));
    assert!(form.html.contains("eve@staff.example"));
    let eve_csrf = form.field("csrf");
    let mismatch = eve
        .post_form(
            &path,
            &[
                ("csrf", &eve_csrf),
                ("password", PASSWORD),
                ("confirm_password", "another one"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch
            .html
            .contains("The two passwords are not the same.")
    );
    let done = eve
        .post_form(
            &path,
            &[
                ("csrf", &eve_csrf),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.location(), "/desk");
    let desk = eve.get("/desk").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(
        desk.html
            .contains("Signed in as <strong>Eve Lopez</strong>")
    );
    assert!(
        !desk.html.contains("href=\"/desk/admin\""),
        "an agent is not shown the way to the administration"
    );
    // The link worked once.
    let used = Visitor::new(&app).get(&path).await;
    assert_eq!(used.status, StatusCode::NOT_FOUND);
    assert!(used.html.contains("This link cannot be used"));
    assert!(!used.html.contains("name=\"password\""));
    // And she signs in with her password from now on.
    Visitor::signed_in(&app, "eve@staff.example").await;

    // She forgot it: a new link from her page, which replaces any earlier one.
    let staff = app.store.list_staff().await.expect("staff");
    let eve_id = staff
        .iter()
        .find(|s| s.email.as_str() == "eve@staff.example")
        .expect("Eve")
        .id;
    let page = admin
        .post_form(
            &format!("/desk/admin/staff/{eve_id}/password-link"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let first = by_id(&page, "shown-value");
    let page = admin
        .post_form(
            &format!("/desk/admin/staff/{eve_id}/password-link"),
            &[("csrf", &csrf)],
        )
        .await;
    let second = by_id(&page, "shown-value");
    assert_ne!(first, second);
    let first_path = first.strip_prefix(&app.site()).expect("on this site");
    let second_path = second.strip_prefix(&app.site()).expect("on this site");
    assert_eq!(
        Visitor::new(&app).get(first_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        Visitor::new(&app).get(second_path).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_someone_ends_their_session_at_once() {
    let app = TestApp::sqlite().await;
    let (admin_id, admin_email, _) = member(&app, "Ada Admin", "admin").await;
    let (agent_id, agent_email, agent_token) = member(&app, "Ann Agent", "agent").await;
    let mut admin = Visitor::signed_in(&app, &admin_email).await;
    let mut agent = Visitor::signed_in(&app, &agent_email).await;
    assert_eq!(agent.get("/desk").await.status, StatusCode::OK);
    let (s, _) = app.get("/me", Some(&agent_token)).await;
    assert_eq!(s, StatusCode::OK);

    // A new authority limit and team, from her page.
    let page = admin.get(&format!("/desk/admin/staff/{agent_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.field("csrf");
    let changed = admin
        .post_form(
            &format!("/desk/admin/staff/{agent_id}"),
            &[
                ("csrf", &csrf),
                ("role", "supervisor"),
                ("team", ""),
                ("authority_amount", "75"),
                ("authority_currency", "GBP"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let page = admin.get(&changed.location()).await;
    assert!(page.html.contains("The changes to Ann Agent are saved."));
    assert!(page.html.contains("75.00 GBP"));
    assert!(page.html.contains("Supervisor"));

    let deactivated = admin
        .post_form(
            &format!("/desk/admin/staff/{agent_id}/deactivate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(deactivated.status, StatusCode::SEE_OTHER);
    let page = admin.get(&deactivated.location()).await;
    assert!(page.html.contains("deactivated and signed out everywhere"));
    assert!(page.html.contains("Reactivate Ann Agent"));

    let desk = agent.get("/desk").await;
    assert_eq!(desk.status, StatusCode::SEE_OTHER, "her session ended");
    assert_eq!(desk.location(), "/desk/sign-in");
    let mut again = Visitor::new(&app);
    let form = again.get("/desk/sign-in").await;
    let refused = again
        .post_form(
            "/desk/sign-in",
            &[
                ("csrf", &form.field("csrf")),
                ("email", &agent_email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "she cannot sign in"
    );
    let (s, _) = app.get("/me", Some(&agent_token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "her API token stopped working");

    // Reactivated, she signs in again.
    let back = admin
        .post_form(
            &format!("/desk/admin/staff/{agent_id}/reactivate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    Visitor::signed_in(&app, &agent_email).await;

    // An administrator can neither deactivate nor demote themselves.
    let own = admin.get(&format!("/desk/admin/staff/{admin_id}")).await;
    assert!(own.html.contains("This is you."));
    assert!(
        !own.html.contains("/deactivate\""),
        "no way to deactivate oneself"
    );
    assert!(
        !own.html.contains("id=\"role\""),
        "no way to demote oneself"
    );
    let refused = admin
        .post_form(
            &format!("/desk/admin/staff/{admin_id}/deactivate"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("You cannot deactivate yourself"));
    let refused = admin
        .post_form(
            &format!("/desk/admin/staff/{admin_id}"),
            &[
                ("csrf", &csrf),
                ("role", "agent"),
                ("team", "Care"),
                ("authority_amount", ""),
                ("authority_currency", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("You cannot give up your own administrator role")
    );
    assert_eq!(admin.get("/desk/admin").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisation_texts_saved_reach_the_front_page_on_every_node() {
    let app = TestApp::sqlite().await;
    let other = app.second_node().await;
    let (_, admin_email, _) = member(&app, "Ada Admin", "admin").await;
    let mut admin = Visitor::signed_in(&app, &admin_email).await;
    let front = Visitor::new(&other).get("/").await;
    assert!(!front.html.contains("Riverside Hotel"));

    let page = admin.get("/desk/admin/organisation").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("texts of the configuration file"));
    let csrf = page.field("csrf");
    let version = page.field("version");
    let hours = "Every day, 7:00 to 23:00\nReception: day & night";
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("name", "Riverside Hotel"),
        ("care_team", "the Riverside guest team"),
        ("first_response_days", "soon"),
        ("email", "care@riverside.example"),
        ("phone", "+44 20 7946 0000"),
        ("opening_hours", hours),
        ("postal_address", "Riverside Hotel\n1 Quay Street\nBristol"),
        ("products", "Room\nRestaurant\nSpa"),
        ("locations", ""),
    ];
    let refused = admin.post_form("/desk/admin/organisation", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("value=\"soon\""),
        "the typed words kept"
    );
    assert!(refused.html.contains("value=\"Riverside Hotel\""));
    assert!(refused.html.contains(&escaped(hours)));
    assert!(refused.html.contains("id=\"first_response_days-problem\""));
    assert!(refused.html.contains("whole number of days"));

    fields[4] = ("first_response_days", "1");
    let saved = admin.post_form("/desk/admin/organisation", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = admin.get(&saved.location()).await;
    assert!(page.html.contains("Customers read the new texts now."));
    assert!(page.html.contains("version 1"));

    let front = Visitor::new(&app).get("/").await;
    assert!(
        front.html.contains("Riverside Hotel"),
        "at once on this node"
    );
    assert!(front.html.contains("+44 20 7946 0000"));
    assert!(front.html.contains("Reception: day &#38; night"));
    assert!(front.html.contains("1 Quay Street"));
    assert!(front.html.contains("The Riverside guest team"));
    let form = Visitor::new(&app).get("/complain").await;
    assert!(form.html.contains("<option value=\"Spa\""), "{}", form.html);

    // The other node serves them within a few seconds.
    let mut seen = false;
    for _ in 0..50 {
        if Visitor::new(&other)
            .get("/")
            .await
            .html
            .contains("Riverside Hotel")
        {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the second node serves the saved texts");

    // A page opened before someone else's save cannot overwrite it unseen: the words stay.
    fields[2] = ("name", "Riverside Inn");
    let stale = admin.post_form("/desk/admin/organisation", &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.html.contains("Someone else saved these texts"));
    assert!(stale.html.contains("value=\"Riverside Inn\""));
    let version = stale.field("version");
    assert_eq!(version, "1");
    fields[1] = ("version", version.as_str());
    let saved = admin.post_form("/desk/admin/organisation", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(
        Visitor::new(&app)
            .get("/")
            .await
            .html
            .contains("Riverside Inn")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teams_and_root_causes_from_their_pages() {
    let app = TestApp::sqlite().await;
    let (_, admin_email, _) = member(&app, "Ada Admin", "admin").await;
    let mut admin = Visitor::signed_in(&app, &admin_email).await;

    let page = admin.get("/desk/admin/teams").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<th scope=\"row\">Care</th>"));
    let csrf = page.field("csrf");
    let added = admin
        .post_form(
            "/desk/admin/teams",
            &[
                ("csrf", &csrf),
                ("name", "Night shift"),
                ("description", "After 22:00"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let page = admin.get(&added.location()).await;
    assert!(page.html.contains("The team Night shift is on the list."));
    let twin = admin
        .post_form(
            "/desk/admin/teams",
            &[("csrf", &csrf), ("name", "night SHIFT")],
        )
        .await;
    assert_eq!(twin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twin.html.contains("A team has this name already."));
    assert!(twin.html.contains("value=\"night SHIFT\""));
    let off = admin
        .post_form(
            "/desk/admin/teams/active",
            &[
                ("csrf", &csrf),
                ("name", "Night shift"),
                ("active", "false"),
            ],
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let staff = admin.get("/desk/admin/staff").await;
    assert!(
        !staff.html.contains("<option value=\"Night shift\""),
        "an inactive team is not offered"
    );

    let page = admin.get("/desk/admin/root-causes").await;
    assert!(page.html.contains("value=\"Product or service defect\""));
    let added = admin
        .post_form(
            "/desk/admin/root-causes",
            &[
                ("csrf", &csrf),
                ("label", "Signage that confuses guests"),
                ("code", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let page = admin.get(&added.location()).await;
    assert!(page.html.contains("is offered when closing a case"));
    assert!(
        page.html
            .contains("<code>signage_that_confuses_guests</code>")
    );
    let refused = admin
        .post_form(
            "/desk/admin/root-causes",
            &[("csrf", &csrf), ("label", "Again"), ("code", "Not A Code")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("value=\"Not A Code\""));
    assert!(refused.html.contains("id=\"code-problem\""));
    let relabel = admin
        .post_form(
            "/desk/admin/root-causes/product_defect/relabel",
            &[("csrf", &csrf), ("label", "  ")],
        )
        .await;
    assert_eq!(relabel.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(relabel.html.contains("id=\"label-product_defect-problem\""));
    assert!(relabel.html.contains("href=\"#label-product_defect\""));
    let relabel = admin
        .post_form(
            "/desk/admin/root-causes/product_defect/relabel",
            &[("csrf", &csrf), ("label", "Something we make is faulty")],
        )
        .await;
    assert_eq!(relabel.status, StatusCode::SEE_OTHER);
    let off = admin
        .post_form(
            "/desk/admin/root-causes/product_defect/deactivate",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let page = admin.get(&off.location()).await;
    assert!(
        page.html
            .contains("is no longer offered when closing a case")
    );
    assert!(
        page.html
            .contains("Reactivate “Something we make is faulty”")
    );
    let causes = app.app().root_causes().await.expect("root causes");
    let defect = causes
        .iter()
        .find(|c| c.code.as_str() == "product_defect")
        .expect("kept");
    assert_eq!(defect.label, "Something we make is faulty");
    assert!(!defect.active);

    // Without the form's token nothing is taken.
    let forged = admin
        .post_form(
            "/desk/admin/root-causes/product_defect/reactivate",
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let causes = app.app().root_causes().await.expect("root causes");
    assert!(
        !causes
            .iter()
            .any(|c| c.code.as_str() == "product_defect" && c.active)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_and_supervisors_get_403_from_every_page_and_form() {
    let app = TestApp::sqlite().await;
    let (admin_id, _, _) = member(&app, "Ada Admin", "admin").await;
    let (agent_id, agent_email, agent_token) = member(&app, "Ann Agent", "agent").await;
    let (sup_id, sup_email, _) = member(&app, "Sam Supervisor", "supervisor").await;
    let staff_before = app.store.list_staff().await.expect("staff");
    let teams_before = app.store.teams().await.expect("teams");
    let causes_before = app.app().root_causes().await.expect("causes");

    for (email, own_id) in [(&agent_email, &agent_id), (&sup_email, &sup_id)] {
        let mut visitor = Visitor::signed_in(&app, email).await;
        let csrf = csrf(&mut visitor).await;
        let desk = visitor.get("/desk").await;
        assert!(!desk.html.contains("href=\"/desk/admin\""));
        for path in [
            "/desk/admin".to_owned(),
            "/desk/admin/staff".to_owned(),
            format!("/desk/admin/staff/{admin_id}"),
            format!("/desk/admin/staff/{own_id}"),
            "/desk/admin/teams".to_owned(),
            "/desk/admin/root-causes".to_owned(),
            "/desk/admin/organisation".to_owned(),
            "/desk/admin/mail".to_owned(),
            "/desk/admin/anything/else".to_owned(),
            "/desk/admin/".to_owned(),
        ] {
            let page = visitor.get(&path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "GET {path} by {email}");
            assert!(
                page.html.contains("Only administrators can open this page"),
                "GET {path}: {}",
                page.html
            );
            assert!(
                !page
                    .html
                    .contains("<form method=\"post\" action=\"/desk/admin")
            );
        }
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                "/desk/admin/staff".to_owned(),
                vec![
                    ("name", "Mallory"),
                    ("email", "mallory@staff.example"),
                    ("role", "admin"),
                ],
            ),
            (
                format!("/desk/admin/staff/{own_id}"),
                vec![
                    ("role", "admin"),
                    ("authority_amount", "999999"),
                    ("authority_currency", "EUR"),
                ],
            ),
            (format!("/desk/admin/staff/{admin_id}/deactivate"), vec![]),
            (format!("/desk/admin/staff/{own_id}/password-link"), vec![]),
            (format!("/desk/admin/staff/{own_id}/api-token"), vec![]),
            ("/desk/admin/teams".to_owned(), vec![("name", "Rogue team")]),
            (
                "/desk/admin/teams/active".to_owned(),
                vec![("name", "Care"), ("active", "false")],
            ),
            (
                "/desk/admin/root-causes".to_owned(),
                vec![("label", "Rogue cause")],
            ),
            (
                "/desk/admin/root-causes/product_defect/relabel".to_owned(),
                vec![("label", "Rogue label")],
            ),
            (
                "/desk/admin/root-causes/product_defect/deactivate".to_owned(),
                vec![],
            ),
            (
                "/desk/admin/organisation".to_owned(),
                vec![("name", "Taken over"), ("first_response_days", "9")],
            ),
            (
                "/desk/admin/mail".to_owned(),
                vec![
                    ("language", "en"),
                    ("message", "mail-acknowledgement"),
                    ("text", "Taken over { $link }"),
                    ("action", "save"),
                ],
            ),
            ("/desk/admin/anything/else".to_owned(), vec![]),
        ];
        for (path, fields) in posts {
            let mut all = vec![("csrf", csrf.as_str())];
            all.extend(fields);
            let page = visitor.post_form(&path, &all).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path} by {email}");
            assert!(page.html.contains("nothing was changed"), "POST {path}");
        }
        // Still signed in: refusing did not end anything.
        assert_eq!(visitor.get("/desk").await.status, StatusCode::OK);
    }

    assert_eq!(app.store.list_staff().await.expect("staff"), staff_before);
    assert_eq!(app.store.teams().await.expect("teams"), teams_before);
    assert_eq!(
        app.app().root_causes().await.expect("causes"),
        causes_before
    );
    assert!(
        app.store
            .organisation()
            .await
            .expect("organisation")
            .is_none()
    );
    assert!(
        !Visitor::new(&app)
            .get("/")
            .await
            .html
            .contains("Taken over")
    );
    assert_eq!(app.store.mail_templates().await.expect("templates"), []);
    let (s, _) = app.get("/me", Some(&agent_token)).await;
    assert_eq!(s, StatusCode::OK, "the agent's API token still works");
}
