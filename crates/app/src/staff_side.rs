//! What staff may do: find and read cases with their whole story, and act on them within their
//! role and authority. Every permission is checked here, whatever the channel.

use crate::drafts::{AssignDraft, CloseDraft, CustomerProfileDraft, RemedyDraft};
use crate::permissions::may_take;
use crate::{App, AppError, now};
use redress_domain::{
    Action, Actor, ApiToken, Attachment, AttachmentId, Case, CaseId, CaseRef, Customer, CustomerId,
    Event, Invalid, RemedyAuthority, RootCause, Staff, StaffId, Text,
};
use redress_store::{CaseListItem, CasePage, CaseQuery, TimelineView};

/// Everything staff need on one case, so nobody asks the customer to repeat themselves.
#[derive(Debug)]
pub struct CaseDetail {
    pub case: Case,
    pub timeline: Vec<Event>,
    pub customer: Customer,
    /// The customer's other cases, newest first.
    pub other_cases: Vec<CaseListItem>,
}

impl App {
    /// The staff member holding this API token.
    pub async fn authenticate(&self, bearer: &str) -> Result<Staff, AppError> {
        let digest = ApiToken::presented(bearer).digest();
        match self.store.staff_by_token(&digest).await? {
            Some(staff) if staff.active => Ok(staff),
            _ => Err(AppError::Unauthenticated),
        }
    }

    pub async fn list_cases(&self, _by: &Staff, query: &CaseQuery) -> Result<CasePage, AppError> {
        Ok(self.store.list_cases(query).await?)
    }

    pub async fn case_detail(&self, _by: &Staff, id: CaseId) -> Result<CaseDetail, AppError> {
        let case = self.store.case(id).await?;
        let timeline = self.store.timeline(id, TimelineView::All).await?;
        let customer = self.store.customer(case.customer_id).await?;
        let others = self
            .store
            .list_cases(&CaseQuery {
                customer: Some(case.customer_id),
                limit: 50,
                ..CaseQuery::default()
            })
            .await?;
        let other_cases = others
            .cases
            .into_iter()
            .filter(|c| c.case.id != id)
            .collect();
        Ok(CaseDetail {
            case,
            timeline,
            customer,
            other_cases,
        })
    }

    /// A file a customer sent with case `case`; `NotFound` if that case has no such file.
    pub async fn staff_attachment(
        &self,
        _by: &Staff,
        case: CaseId,
        id: AttachmentId,
    ) -> Result<Attachment, AppError> {
        self.store
            .attachment(case, id)
            .await?
            .ok_or(AppError::NotFound("attachment"))
    }

    pub async fn case_by_reference(&self, _by: &Staff, reference: &str) -> Result<Case, AppError> {
        let reference: CaseRef = reference
            .parse()
            .map_err(|m: &str| Invalid::field("reference", m))?;
        self.store
            .case_by_reference(&reference)
            .await?
            .ok_or(AppError::NotFound("case"))
    }

    /// An action any staff member may take on any case.
    pub async fn staff_act(
        &self,
        by: &Staff,
        id: CaseId,
        action: Action,
    ) -> Result<Case, AppError> {
        match &action {
            // These carry facts only the app may fill in (the owner, the authority, the list of
            // root causes): they go through their own methods.
            Action::Assign { .. } | Action::OfferRemedy { .. } | Action::Close { .. } => {
                return Err(AppError::Forbidden(format!(
                    "{} through its own endpoint",
                    action.describe()
                )));
            }
            // The customer accepts or rejects for themselves.
            Action::AcceptResolution
            | Action::RejectResolution { .. }
            | Action::AnswerFollowUp(_) => {
                return Err(AppError::Forbidden(format!(
                    "only the customer can {}",
                    action.describe()
                )));
            }
            _ => {}
        }
        self.act_as(by, id, action).await
    }

    /// Applies `action` for `by`, once the case as it is now allows them to.
    async fn act_as(&self, by: &Staff, id: CaseId, action: Action) -> Result<Case, AppError> {
        let check = action.clone();
        self.change_case_if(id, &Actor::Staff(by.as_ref()), action, |case| {
            may_take(by, case, &check)
        })
        .await
    }

    pub async fn assign(
        &self,
        by: &Staff,
        id: CaseId,
        draft: &AssignDraft,
    ) -> Result<Case, AppError> {
        let mut errors = Invalid::default();
        let owner_id = match draft.owner_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match s.parse::<StaffId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("owner_id", "must be a staff member's id");
                    None
                }
            },
        };
        let team = Text::optional(&mut errors, "team", draft.team.as_deref(), Text::SHORT);
        if let Some(named) = &team {
            let known = self.store.teams().await?;
            if !known.iter().any(|t| t.active && t.name == *named) {
                errors.add("team", "must be one of the organisation's teams");
            }
        }
        let handover_note = Text::optional(
            &mut errors,
            "handover_note",
            draft.handover_note.as_deref(),
            Text::LONG,
        );
        if draft.owner_id.is_none() && team.is_none() && errors.is_empty() {
            errors.add("owner_id", "name an owner or a team");
        }
        let mut owner_team = None;
        let owner = match owner_id {
            Some(owner_id) => match self.store.staff(owner_id).await {
                Ok(s) if s.active => {
                    owner_team = s.team.clone();
                    Some(s.as_ref())
                }
                Ok(_) | Err(redress_store::StoreError::NotFound { .. }) => {
                    errors.add("owner_id", "no active staff member has this id");
                    None
                }
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let action = Action::Assign {
            owner,
            // The case follows its owner into their team unless another team is named.
            team: team.or(owner_team),
            handover_note,
        };
        self.act_as(by, id, action).await
    }

    /// Offers a remedy. Above the offerer's authority limit it waits for a supervisor's approval.
    pub async fn offer_remedy(
        &self,
        by: &Staff,
        id: CaseId,
        draft: &RemedyDraft,
    ) -> Result<Case, AppError> {
        let (kind, description, amount) = draft.parse()?;
        let authority = if by.role.approves_remedies() {
            RemedyAuthority::Unlimited
        } else {
            RemedyAuthority::UpTo(by.authority_limit.clone())
        };
        let action = Action::OfferRemedy {
            kind,
            description,
            amount,
            authority,
        };
        self.act_as(by, id, action).await
    }

    /// Closes a case with a root cause from the configured list and a lesson.
    pub async fn close(
        &self,
        by: &Staff,
        id: CaseId,
        draft: &CloseDraft,
    ) -> Result<Case, AppError> {
        let known: Vec<_> = self
            .store
            .root_causes()
            .await?
            .into_iter()
            .filter(|r| r.active)
            .map(|r| r.code)
            .collect();
        let action = draft.parse(&known)?;
        self.act_as(by, id, action).await
    }

    /// Records what the customer said through a channel staff handle for them (e.g. the phone).
    pub async fn record_customer_message(
        &self,
        by: &Staff,
        id: CaseId,
        action: Action,
    ) -> Result<Case, AppError> {
        if !matches!(action, Action::MessageFromCustomer { .. }) {
            return Err(AppError::Forbidden("not a customer message".to_owned()));
        }
        self.act_as(by, id, action).await
    }

    pub async fn customer(&self, _by: &Staff, id: CustomerId) -> Result<Customer, AppError> {
        Ok(self.store.customer(id).await?)
    }

    pub async fn update_customer(
        &self,
        _by: &Staff,
        id: CustomerId,
        draft: &CustomerProfileDraft,
    ) -> Result<Customer, AppError> {
        let mut customer = self.store.customer(id).await?;
        let profile = draft.parse(&customer)?;
        customer.update(profile, now());
        self.store.update_customer(&customer).await?;
        Ok(customer)
    }

    pub async fn root_causes(&self) -> Result<Vec<RootCause>, AppError> {
        Ok(self.store.root_causes().await?)
    }

    pub async fn list_staff(&self, _by: &Staff) -> Result<Vec<Staff>, AppError> {
        Ok(self.store.list_staff().await?)
    }
}
