//! Customers: recognising a returning customer, concurrent intakes, and staff edits.

use super::fixtures::*;
use crate::{CaseQuery, Store, StoreError};
use redress_domain::{
    ContactChannel, CustomerId, CustomerProfile, EmailAddress, ImportantDate, Invalid, Language,
    PhoneNumber,
};
use std::collections::HashSet;
use std::sync::Arc;

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap_or_else(|e| panic!("fixture email {s}: {e}"))
}

fn phone(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap_or_else(|e| panic!("fixture phone {s}: {e}"))
}

async fn customer_of(store: &Shared, id: CustomerId) -> redress_domain::Customer {
    store
        .customer(id)
        .await
        .unwrap_or_else(|e| panic!("customer({id}) failed: {e}"))
}

async fn cases_of(store: &Shared, id: CustomerId) -> HashSet<redress_domain::CaseId> {
    all_ids(
        store,
        &CaseQuery {
            customer: Some(id),
            ..CaseQuery::default()
        },
    )
    .await
    .into_iter()
    .collect()
}

/// The same email in another case is the same customer; a phone given the second time is added.
pub async fn returning_customer_recognised_by_email(store: Arc<dyn Store>) {
    let first = create(
        &store,
        new_case(&draft("First visit.", Some("Ana@Example.com"), None)),
    )
    .await;
    let second_new = new_case(&draft(
        "Second visit.",
        Some("ana@example.com"),
        Some("+44 20 7946 0000"),
    ));
    let second_id = second_new.case.id;
    let second = create(&store, second_new).await;

    let id = first.customer.id;
    assert!(
        second.returning_customer,
        "same email, other case: returning"
    );
    assert_eq!(second.customer.id, id, "filed under the known customer");
    assert_eq!(
        second.case.customer_id, id,
        "the returned case names the known customer"
    );
    assert_eq!(
        case_of(&store, second_id).await.customer_id,
        id,
        "the stored case names the known customer"
    );
    assert_eq!(
        second.customer.emails,
        vec![email("Ana@Example.com")],
        "the address is kept as first written, not duplicated"
    );
    assert_eq!(
        second.customer.phones,
        vec![phone("+44 20 7946 0000")],
        "the new phone number is added"
    );
    assert_eq!(
        customer_of(&store, id).await,
        second.customer,
        "the merged customer is stored"
    );
    assert_eq!(
        cases_of(&store, id).await,
        HashSet::from([first.case.id, second_id]),
        "the customer's cases"
    );

    // The phone added on the second intake now recognises the customer too.
    let third = create(
        &store,
        new_case(&draft("Third visit.", None, Some("+44 (20) 7946-0000"))),
    )
    .await;
    assert!(third.returning_customer, "recognised by the merged phone");
    assert_eq!(third.customer.id, id);
}

/// The same phone number written differently is the same customer; an email given later is
/// added.
pub async fn returning_customer_recognised_by_phone(store: Arc<dyn Store>) {
    let first = create(
        &store,
        new_case(&draft(
            "Called about the bill.",
            None,
            Some("+44 20 7946 0000"),
        )),
    )
    .await;
    assert!(!first.returning_customer);
    let second = create(
        &store,
        new_case(&draft(
            "Calling again.",
            Some("bo@example.com"),
            Some("+442079460000"),
        )),
    )
    .await;
    let id = first.customer.id;
    assert!(second.returning_customer, "same phone digits: returning");
    assert_eq!(second.customer.id, id, "filed under the known customer");
    assert_eq!(second.case.customer_id, id);
    assert_eq!(second.customer.phones, vec![phone("+44 20 7946 0000")]);
    assert_eq!(
        second.customer.emails,
        vec![email("bo@example.com")],
        "the new email address is added"
    );
    assert_eq!(customer_of(&store, id).await, second.customer);
    assert_eq!(
        cases_of(&store, id).await,
        HashSet::from([first.case.id, second.case.id])
    );

    let third = intake(&store, "Now by email.", "BO@example.COM").await;
    assert!(
        third.returning_customer,
        "recognised by the merged email address"
    );
    assert_eq!(third.customer.id, id);

    let stranger = intake(&store, "Someone else.", "cy@example.com").await;
    assert!(
        !stranger.returning_customer,
        "a new address is a new customer"
    );
    assert_ne!(stranger.customer.id, id);
}

/// Twenty intakes at once from one new customer: one customer, twenty cases, none lost.
pub async fn concurrent_intakes_create_one_customer(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        let new = new_case(&draft(
            &format!("Complaint number {i}."),
            Some("crowd@example.com"),
            None,
        ));
        tasks.push(tokio::spawn(async move { store.create_case(new).await }));
    }
    let mut created = Vec::new();
    for task in tasks {
        let result = task
            .await
            .unwrap_or_else(|e| panic!("intake task panicked: {e}"));
        created.push(result.unwrap_or_else(|e| panic!("a concurrent create_case failed: {e}")));
    }
    let customers: HashSet<CustomerId> = created.iter().map(|c| c.customer.id).collect();
    assert_eq!(
        customers.len(),
        1,
        "concurrent intakes with one email make one customer, got {customers:?}"
    );
    let firsts = created.iter().filter(|c| !c.returning_customer).count();
    assert_eq!(firsts, 1, "exactly one intake met the customer first");
    assert!(
        created
            .iter()
            .all(|c| customers.contains(&c.case.customer_id)),
        "every returned case names the one customer"
    );
    let ids: HashSet<_> = created.iter().map(|c| c.case.id).collect();
    let customer = created[0].customer.id;
    assert_eq!(cases_of(&store, customer).await, ids, "no case lost");
    assert_eq!(
        all_ids(&store, &CaseQuery::default()).await.len(),
        20,
        "twenty cases in all"
    );
    for c in &created {
        assert_eq!(case_of(&store, c.case.id).await.customer_id, customer);
    }
}

/// `customer()` of an unknown id, and `update_customer()` of an unknown customer: NotFound.
pub async fn customer_not_found(store: Arc<dyn Store>) {
    let known = intake(&store, "Known.", "known@example.com").await;
    assert_not_found(store.customer(CustomerId::new()).await, "customer(unknown)");
    let ghost = redress_domain::Customer {
        id: CustomerId::new(),
        emails: vec![email("ghost@example.com")],
        ..known.customer
    };
    assert_not_found(
        store.update_customer(&ghost).await,
        "update_customer(unknown)",
    );
    let later = intake(&store, "Ghost writes.", "ghost@example.com").await;
    assert!(
        !later.returning_customer,
        "a refused update leaves no contact behind"
    );
}

/// A staff edit persists every field, and the contact details it gives are the ones customers
/// are recognised by from then on.
pub async fn update_customer_persists_every_field(store: Arc<dyn Store>) {
    let created = create(
        &store,
        new_case(&draft(
            "Lost luggage.",
            Some("old@example.com"),
            Some("0161 496 0000"),
        )),
    )
    .await;
    let mut customer = created.customer.clone();
    let mut errors = Invalid::default();
    let language = Language::parse(&mut errors, "language", "pt-BR");
    customer.update(
        CustomerProfile {
            name: Some(text("Ana Maria Souza")),
            emails: vec![email("Ana.Maria@Example.com"), email("ams@work.example")],
            phones: vec![phone("+351 21 000 0000"), phone("0161 496 0000")],
            preferred_channel: Some(ContactChannel::Sms),
            language,
            important_dates: vec![
                ImportantDate {
                    label: text("birthday"),
                    date: time::macros::date!(1990 - 02 - 28),
                },
                ImportantDate {
                    label: text("customer since"),
                    date: time::macros::date!(2015 - 06 - 01),
                },
            ],
            preferences: vec![text("window seat"), text("calls after 6pm")],
            dislikes: vec![text("does not drink")],
            external_ref: Some(text("ACC-00042")),
        },
        now(),
    );
    store
        .update_customer(&customer)
        .await
        .unwrap_or_else(|e| panic!("update_customer failed: {e}"));
    assert_eq!(
        customer_of(&store, customer.id).await,
        customer,
        "every field persisted"
    );

    let by_new_email = intake(&store, "Again.", "AMS@work.example").await;
    assert!(
        by_new_email.returning_customer,
        "recognised by an added email"
    );
    assert_eq!(by_new_email.customer.id, customer.id);
    let by_new_phone = create(
        &store,
        new_case(&draft("Again by phone.", None, Some("+351210000000"))),
    )
    .await;
    assert!(
        by_new_phone.returning_customer,
        "recognised by an added phone"
    );
    assert_eq!(by_new_phone.customer.id, customer.id);
    let by_removed = intake(&store, "Old address.", "old@example.com").await;
    assert!(
        !by_removed.returning_customer,
        "an address staff removed no longer recognises the customer"
    );
}

/// An edit giving a customer another customer's email or phone is refused; nothing changes.
pub async fn update_customer_refuses_taken_contacts(store: Arc<dyn Store>) {
    let ana = create(
        &store,
        new_case(&draft(
            "Ana's case.",
            Some("ana@example.com"),
            Some("+44 20 7946 0000"),
        )),
    )
    .await
    .customer;
    let bo = create(
        &store,
        new_case(&draft(
            "Bo's case.",
            Some("bo@example.com"),
            Some("+44 20 7946 1111"),
        )),
    )
    .await
    .customer;

    let mut taking_email = bo.clone();
    taking_email.name = Some(text("Bo, renamed"));
    taking_email.emails.push(email("ANA@example.com"));
    refused_update(&store, &taking_email, "email").await;

    let mut taking_phone = bo.clone();
    taking_phone.name = Some(text("Bo, renamed"));
    taking_phone.phones.push(phone("+44 (0)20 7946 0000"));
    let result = store.update_customer(&taking_phone).await;
    // "+44 (0)20..." has other digits than Ana's number: not hers, so this one is allowed.
    result.unwrap_or_else(|e| panic!("a different number must be accepted: {e}"));
    let mut taking_phone = customer_of(&store, bo.id).await;
    taking_phone.phones.push(phone("+442079460000"));
    refused_update(&store, &taking_phone, "phone").await;

    assert_eq!(customer_of(&store, ana.id).await, ana, "Ana is untouched");
    let ana_again = intake(&store, "Ana again.", "ana@example.com").await;
    assert_eq!(
        ana_again.customer.id, ana.id,
        "Ana's address still recognises Ana"
    );
}

async fn refused_update(store: &Shared, customer: &redress_domain::Customer, what: &str) {
    let before = customer_of(store, customer.id).await;
    match store.update_customer(customer).await {
        Err(StoreError::Conflict { what: w }) if w == what => {}
        other => panic!(
            "an update taking another customer's {what} must be Conflict {{ what: {what:?} }}, got {other:?}"
        ),
    }
    assert_eq!(
        customer_of(store, customer.id).await,
        before,
        "a refused update changes nothing"
    );
}
