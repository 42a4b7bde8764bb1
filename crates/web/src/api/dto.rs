//! What the API returns. Staff get the whole case; customers get their own view (worked out by
//! the app, `CustomerCaseView`: customer-visible events only, without staff-only fields).

use redress_app::{CaseDetail, CustomerCaseView, CustomerEvent, Settings};
use redress_domain::{
    AttachmentInfo, Case, CaseKind, CaseRef, Channel, Commitment, Customer, CustomerId, Event,
    ImportantDate, Money, RemedyKind, StaffRef, Status, Text,
};
use redress_store::{CaseListItem, CasePage};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

pub(crate) fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// A case as staff see it, with what is derived from it.
#[derive(Serialize, ToSchema)]
pub struct StaffCase {
    #[serde(flatten)]
    pub case: Case,
    /// Past the date the customer needs it by and not yet put right.
    pub overdue: bool,
    /// What the customer is waiting for.
    pub waiting_for: &'static str,
}

impl From<Case> for StaffCase {
    fn from(case: Case) -> Self {
        StaffCase {
            overdue: case.is_overdue(today()),
            waiting_for: case.status.waiting_for(),
            case,
        }
    }
}

/// One row of a case list.
#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: redress_domain::CaseId,
    pub reference: CaseRef,
    pub kind: CaseKind,
    pub channel: Channel,
    pub status: Status,
    pub waiting_for: &'static str,
    pub customer_id: CustomerId,
    pub customer_name: Option<String>,
    pub owner: Option<StaffRef>,
    pub team: Option<Text>,
    /// The start of the customer's words.
    pub excerpt: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub needed_by: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub respond_by: Option<Date>,
    pub overdue: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

const EXCERPT_CHARS: usize = 160;

impl From<CaseListItem> for CaseSummary {
    fn from(item: CaseListItem) -> Self {
        let case = item.case;
        let excerpt = case.words.excerpt(EXCERPT_CHARS);
        CaseSummary {
            overdue: case.is_overdue(today()),
            waiting_for: case.status.waiting_for(),
            id: case.id,
            reference: case.reference,
            kind: case.kind,
            channel: case.channel,
            status: case.status,
            customer_id: case.customer_id,
            customer_name: item.customer_name,
            owner: case.owner,
            team: case.team,
            excerpt,
            needed_by: case.needed_by,
            respond_by: case.respond_by,
            created_at: case.created_at,
            updated_at: case.updated_at,
        }
    }
}

/// A page of cases, newest first.
#[derive(Serialize, ToSchema)]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    /// Pass as `after` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl From<CasePage> for CaseList {
    fn from(page: CasePage) -> Self {
        CaseList {
            cases: page.cases.into_iter().map(CaseSummary::from).collect(),
            next: page.next.map(|id| id.to_string()),
        }
    }
}

/// A customer as staff see them, with the dates that fall today (a birthday, say).
#[derive(Serialize, ToSchema)]
pub struct CustomerProfileView {
    #[serde(flatten)]
    pub customer: Customer,
    pub dates_today: Vec<ImportantDate>,
}

impl From<Customer> for CustomerProfileView {
    fn from(customer: Customer) -> Self {
        CustomerProfileView {
            dates_today: customer.dates_today(today()).cloned().collect(),
            customer,
        }
    }
}

/// One case with its whole story: read this and never ask the customer to repeat themselves.
#[derive(Serialize, ToSchema)]
pub struct CaseDetailView {
    pub case: StaffCase,
    pub timeline: Vec<Event>,
    pub customer: CustomerProfileView,
    /// The customer's other cases, newest first.
    pub other_cases: Vec<CaseSummary>,
}

impl From<CaseDetail> for CaseDetailView {
    fn from(d: CaseDetail) -> Self {
        CaseDetailView {
            case: d.case.into(),
            timeline: d.timeline,
            customer: d.customer.into(),
            other_cases: d.other_cases.into_iter().map(CaseSummary::from).collect(),
        }
    }
}

/// The answer to a new case: never "thank you for your inquiry", but what the customer told us,
/// who will answer and by when.
#[derive(Serialize, ToSchema)]
pub struct Submission {
    pub reference: CaseRef,
    pub kind: CaseKind,
    pub status: Status,
    /// The customer's private key to their case. Keep it secret: anyone holding it can read the
    /// case. It is shown once and not stored by Redress.
    pub tracking_token: String,
    /// Where the customer follows their case, relative to the site's address.
    pub tracking_url: String,
    pub acknowledgement: Acknowledgement,
}

#[derive(Serialize, ToSchema)]
pub struct Acknowledgement {
    /// The customer's own words, as received.
    pub what_you_told_us: Text,
    pub what_would_make_it_right: Option<Text>,
    #[schema(value_type = Option<String>, format = Date)]
    pub needed_by: Option<Date>,
    /// Who will answer: the owner's name, or the team until a person owns the case.
    pub who_will_answer: String,
    /// The date by which the customer will hear from a person.
    #[schema(value_type = Option<String>, format = Date)]
    pub respond_by: Option<Date>,
    /// The acknowledgement in plain words.
    pub message: String,
}

impl Submission {
    /// The answer to a new case, worded from the catalogue in the customer's language.
    pub(crate) fn new(
        case: &Case,
        token: &str,
        settings: &Settings,
        t: &redress_catalogue::Messages,
    ) -> Self {
        let ack = redress_app::acknowledgement::Acknowledgement::new(t, case, settings);
        let who = match &case.owner {
            Some(owner) => owner.name.clone(),
            None => redress_app::acknowledgement::care_team(settings, t),
        };
        Submission {
            reference: case.reference.clone(),
            kind: case.kind,
            status: case.status,
            tracking_token: token.to_owned(),
            tracking_url: format!("/track/{token}"),
            acknowledgement: Acknowledgement {
                what_you_told_us: case.words.clone(),
                what_would_make_it_right: case.desired_outcome.clone(),
                needed_by: case.needed_by,
                who_will_answer: who,
                respond_by: case.respond_by,
                message: ack.plain_text(t, case),
            },
        }
    }
}

/// A remedy the customer has been granted.
#[derive(Serialize, ToSchema)]
pub struct CustomerRemedy {
    pub kind: RemedyKind,
    pub description: Text,
    pub amount: Option<Money>,
}

/// A case as its customer sees it.
#[derive(Serialize, ToSchema)]
pub struct CustomerCase {
    pub reference: CaseRef,
    pub kind: CaseKind,
    pub status: Status,
    pub waiting_for: &'static str,
    pub what_happened: Text,
    pub what_would_make_it_right: Option<Text>,
    #[schema(value_type = Option<String>, format = Date)]
    pub needed_by: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub respond_by: Option<Date>,
    /// Who looks after the case: a person's name, or the team.
    pub looked_after_by: String,
    /// The resolution awaiting the customer's answer.
    pub proposed_resolution: Option<Text>,
    pub commitments: Vec<Commitment>,
    pub remedies: Vec<CustomerRemedy>,
    /// The files the customer sent with the case.
    pub attachments: Vec<AttachmentInfo>,
    /// The customer can accept or reject the proposed resolution now.
    pub can_answer_resolution: bool,
    /// The follow-up questions await the customer's answers.
    pub can_answer_follow_up: bool,
    pub timeline: Vec<CustomerEvent>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl CustomerCase {
    /// The customer's view, with the team (until a person owns the case) named in `t`'s words.
    pub(crate) fn new(view: CustomerCaseView, t: &redress_catalogue::Messages) -> Self {
        let looked_after_by = redress_app::acknowledgement::looked_after_by(&view, t);
        let case = view.case;
        CustomerCase {
            reference: case.reference,
            kind: case.kind,
            status: case.status,
            waiting_for: case.status.waiting_for(),
            what_happened: case.words,
            what_would_make_it_right: case.desired_outcome,
            needed_by: case.needed_by,
            respond_by: case.respond_by,
            looked_after_by,
            proposed_resolution: view.proposed_resolution,
            commitments: case.commitments,
            remedies: view
                .granted_remedies
                .into_iter()
                .map(|r| CustomerRemedy {
                    kind: r.kind,
                    description: r.description,
                    amount: r.amount,
                })
                .collect(),
            attachments: view.attachments,
            can_answer_resolution: view.can_answer_resolution,
            can_answer_follow_up: view.can_answer_follow_up,
            timeline: view.timeline,
            created_at: case.created_at,
        }
    }
}
