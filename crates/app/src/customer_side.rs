//! What a customer may do with the private tracking token, without an account: follow their
//! case (the view every channel shows them is worked out here), fetch the files they sent,
//! reply, answer a proposed resolution and the follow-up. A wrong token reveals nothing, not
//! even whether a case exists. (Telling us what happened is in `intake`.)

use crate::{App, AppError, now};
use redress_domain::{
    Action, Actor, Attachment, AttachmentId, AttachmentInfo, Case, CaseId, Event, EventKind,
    Remedy, RemedyStatus, Status, Text, TrackingToken,
};
use redress_store::TimelineView;
use serde::Serialize;
use time::OffsetDateTime;

/// How often a change is decided again when other writers got to the case first.
const MAX_ATTEMPTS: u64 = 12;

/// A case as its customer sees it, worked out once for every channel (the API, the pages).
/// `case` is the whole state, for its customer-facing fields (reference, status, their words,
/// commitments...); a channel shows nothing else of it.
#[derive(Debug)]
pub struct CustomerCaseView {
    pub case: Case,
    /// Customer-visible events only, without staff-only fields.
    pub timeline: Vec<CustomerEvent>,
    /// Who looks after the case: a person's name, or the team until a person owns it.
    /// The owner\'s name, or the configured team; `None`: the default team, which the channel
    /// words in the customer\'s language.
    pub looked_after_by: Option<String>,
    /// The resolution awaiting the customer's answer (none once answered).
    pub proposed_resolution: Option<Text>,
    /// Remedies granted, never those waiting for approval or refused.
    pub granted_remedies: Vec<Remedy>,
    /// The files the customer sent with the case.
    pub attachments: Vec<AttachmentInfo>,
    /// The customer can accept or reject the proposed resolution now.
    pub can_answer_resolution: bool,
    /// The follow-up questions await the customer's answers.
    pub can_answer_follow_up: bool,
}

/// Who did something, as the customer sees it: staff by name only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerSideActor {
    Customer,
    Staff,
    System,
}

/// An event on the customer's timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerEvent {
    pub seq: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    pub by: CustomerSideActor,
    /// The staff member's name, for staff events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    #[serde(flatten)]
    pub kind: EventKind,
}

impl CustomerEvent {
    /// The event as its customer sees it; `None` for what they never see.
    fn of(event: Event) -> Option<CustomerEvent> {
        let kind = event.kind.for_customer()?;
        let (by, by_name) = match event.actor {
            Actor::Customer => (CustomerSideActor::Customer, None),
            Actor::Staff(s) => (CustomerSideActor::Staff, Some(s.name)),
            Actor::System => (CustomerSideActor::System, None),
        };
        Some(CustomerEvent {
            seq: event.seq,
            at: event.at,
            by,
            by_name,
            kind,
        })
    }
}

impl CustomerCaseView {
    fn new(case: Case, events: Vec<Event>, care_team: Option<&str>) -> Self {
        let timeline: Vec<CustomerEvent> =
            events.into_iter().filter_map(CustomerEvent::of).collect();
        // The case's state does not hold its files: the events that brought them list them
        // (the case, and each later message from the customer).
        let attachments = timeline
            .iter()
            .flat_map(|e| match &e.kind {
                EventKind::Received { attachments, .. }
                | EventKind::MessageFromCustomer { attachments, .. } => attachments.clone(),
                _ => Vec::new(),
            })
            .collect();
        let awaiting_answer = case.status == Status::ResolutionProposed;
        CustomerCaseView {
            timeline,
            looked_after_by: case
                .owner
                .as_ref()
                .map(|o| o.name.clone())
                .or_else(|| care_team.map(str::to_owned)),
            proposed_resolution: case.proposed_resolution.clone().filter(|_| awaiting_answer),
            granted_remedies: case
                .remedies
                .iter()
                .filter(|r| r.status == RemedyStatus::Granted)
                .cloned()
                .collect(),
            attachments,
            can_answer_resolution: awaiting_answer,
            can_answer_follow_up: matches!(case.status, Status::Resolved | Status::Closed)
                && case.follow_up.is_none(),
            case,
        }
    }
}

impl App {
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
        let events = self
            .store
            .timeline(case.id, TimelineView::CustomerVisible)
            .await?;
        Ok(CustomerCaseView::new(
            case,
            events,
            self.settings().care_team.as_deref(),
        ))
    }

    /// A file the customer sent with their case. A wrong token and a file of another case are
    /// the same plain `NotFound`.
    pub async fn customer_attachment(
        &self,
        token: &str,
        id: AttachmentId,
    ) -> Result<Attachment, AppError> {
        let case = self.case_for_token(token).await.map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("attachment"),
            other => other,
        })?;
        self.store
            .attachment(case.id, id)
            .await?
            .ok_or(AppError::NotFound("attachment"))
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
        self.change_case_if(id, actor, action, |_| Ok(())).await
    }

    /// `change_case`, once `allowed` agrees on the case as it is now (who may act on a case can
    /// depend on its owner and team, which may have changed since the caller looked).
    pub(crate) async fn change_case_if(
        &self,
        id: CaseId,
        actor: &Actor,
        action: Action,
        allowed: impl Fn(&Case) -> Result<(), AppError>,
    ) -> Result<Case, AppError> {
        self.change_case_with_files(id, actor, action, allowed, &[])
            .await
    }

    /// `change_case_if`, storing `files` with the change (the action's events name them).
    pub(crate) async fn change_case_with_files(
        &self,
        id: CaseId,
        actor: &Actor,
        action: Action,
        allowed: impl Fn(&Case) -> Result<(), AppError>,
        files: &[Attachment],
    ) -> Result<Case, AppError> {
        // Within this node, changes to one case take turns, so they do not all race on the
        // same version; across nodes, the store's version check keeps them apart.
        let _turn = self.case_locks.lock(id).await;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut case = self.store.case(id).await?;
            allowed(&case)?;
            let expected_version = case.version;
            let events = case.execute(action.clone(), actor, now())?;
            let mails = events
                .iter()
                .any(|event| crate::customer_mail::mails_customer(&event.kind, &event.actor));
            let change = redress_store::CaseChange {
                attachments: files.to_vec(),
                case: case.clone(),
                expected_version,
                events,
            };
            match self.store.record(change).await {
                Ok(()) => {
                    if mails && let Err(e) = self.queue_customer_mail(id).await {
                        // The change is stored and on the customer's page; the mail is queued
                        // at the case's next change that mails them.
                        tracing::error!(case = %id, error = %e, "mail to the customer could not be queued");
                    }
                    return Ok(case);
                }
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
