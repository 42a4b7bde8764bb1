//! What a customer may do without an account: tell us what happened, and with the private
//! tracking token follow their case, reply, answer a proposed resolution and the follow-up.
//! A wrong token reveals nothing, not even whether a case exists.

use crate::{App, AppError, now};
use redress_domain::{
    Action, Actor, Case, CaseId, Channel, Customer, Event, Intake, IntakeDraft, TrackingToken,
};
use redress_store::{NewCase, StoreError, TimelineView};
use time::Duration;

/// How often a change is decided again when other writers got to the case first.
const MAX_ATTEMPTS: u64 = 12;

/// A case just received.
#[derive(Debug)]
pub struct Submitted {
    pub case: Case,
    pub customer: Customer,
    /// The customer's private key to the case: shown or sent to them once, never stored.
    pub token: TrackingToken,
    pub returning_customer: bool,
}

/// A case as its customer sees it: customer-visible events only.
#[derive(Debug)]
pub struct CustomerCaseView {
    pub case: Case,
    pub timeline: Vec<Event>,
}

impl App {
    /// Takes a new case from a customer. When this returns Ok the case is durably stored.
    pub async fn submit(
        &self,
        draft: &IntakeDraft,
        channel: Channel,
    ) -> Result<Submitted, AppError> {
        let now = now();
        let mut intake = Intake::parse(draft, channel, now.date())?;
        intake.respond_by =
            Some(now.date() + Duration::days(i64::from(self.settings.first_response_days)));
        // References and tokens are random; a collision is astronomically rare but handled.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let token = TrackingToken::generate();
            let new = NewCase::receive(&intake, &token, Actor::Customer, now);
            match self.store.create_case(new).await {
                Ok(created) => {
                    tracing::info!(
                        case = %created.case.id,
                        kind = %created.case.kind,
                        channel = %created.case.channel,
                        returning = created.returning_customer,
                        "case received"
                    );
                    return Ok(Submitted {
                        case: created.case,
                        customer: created.customer,
                        token,
                        returning_customer: created.returning_customer,
                    });
                }
                Err(StoreError::Conflict { what })
                    if attempts < 3 && (what == "reference" || what == "token") =>
                {
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn case_for_token(&self, token: &str) -> Result<Case, AppError> {
        let digest = TrackingToken::presented(token).digest();
        self.store
            .case_by_token(&digest)
            .await?
            .ok_or(AppError::NotFound("case"))
    }

    /// The customer's view of their case.
    pub async fn customer_view(&self, token: &str) -> Result<CustomerCaseView, AppError> {
        let case = self.case_for_token(token).await?;
        let timeline = self
            .store
            .timeline(case.id, TimelineView::CustomerVisible)
            .await?;
        Ok(CustomerCaseView { case, timeline })
    }

    /// A customer's action on their own case. Only the actions a customer may take are accepted.
    pub async fn customer_act(&self, token: &str, action: Action) -> Result<Case, AppError> {
        let allowed = matches!(
            action,
            Action::MessageFromCustomer { .. }
                | Action::AcceptResolution
                | Action::RejectResolution { .. }
                | Action::AnswerFollowUp(_)
                | Action::Withdraw { .. }
        );
        if !allowed {
            return Err(AppError::Forbidden(format!(
                "a customer cannot {}",
                action.describe()
            )));
        }
        let case = self.case_for_token(token).await?;
        self.change_case(case.id, &Actor::Customer, action).await
    }

    /// Loads a case, applies `action` under the case's rules and stores the result. If another
    /// writer changed the case meanwhile, the action is decided again on the fresh state, so a
    /// stale caller can never apply what is no longer valid.
    pub(crate) async fn change_case(
        &self,
        id: CaseId,
        actor: &Actor,
        action: Action,
    ) -> Result<Case, AppError> {
        // Within this node, changes to one case take turns, so they do not all race on the
        // same version; across nodes, the store's version check keeps them apart.
        let _turn = self.case_locks.lock(id).await;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut case = self.store.case(id).await?;
            let expected_version = case.version;
            let events = case.execute(action.clone(), actor, now())?;
            let change = redress_store::CaseChange {
                case: case.clone(),
                expected_version,
                events,
            };
            match self.store.record(change).await {
                Ok(()) => return Ok(case),
                Err(e) if e.is_version_conflict() && attempts < MAX_ATTEMPTS => {
                    // Someone else changed the case first: back off a little (with jitter, so
                    // racing writers spread out) and decide again on the fresh state.
                    let jitter = u64::from(now().nanosecond() % 5);
                    tokio::time::sleep(std::time::Duration::from_millis(attempts * 2 + jitter))
                        .await;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}
