//! What someone may ask of a case: the actions, and the customer's follow-up answers. Whether
//! the case allows an action now is decided in `decide`; who may ask, in the app.

use crate::attachment::AttachmentInfo;
use crate::case::RemedyKind;
use crate::event::StaffRef;
use crate::ids::{CommitmentId, RemedyId, ViewId};
use crate::kinds::CaseKind;
use crate::money::Money;
use crate::root_cause::RootCauseCode;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use time::Date;

/// The customer's answers after resolution. Any "no" reopens the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    /// Did everything go as expected?
    pub went_as_expected: bool,
    /// Have we delivered as promised?
    pub delivered_as_promised: bool,
    /// Have we met your expectations?
    pub met_expectations: bool,
    /// Satisfaction from 1 (very unhappy) to 5 (very happy).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub satisfaction: u8,
    pub comments: Option<Text>,
}

impl FollowUp {
    pub fn all_yes(&self) -> bool {
        self.went_as_expected && self.delivered_as_promised && self.met_expectations
    }
}

/// How much a staff member may grant without a supervisor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemedyAuthority {
    /// Supervisors and admins: may grant any remedy (and approve others').
    Unlimited,
    /// Up to this amount; `None` means no money may be granted without approval.
    UpTo(Option<Money>),
}

/// Something someone wants to do to a case.
#[derive(Clone, Debug)]
pub enum Action {
    Acknowledge {
        message: Text,
        respond_by: Option<Date>,
    },
    Investigate,
    MessageToCustomer {
        body: Text,
        await_customer: bool,
    },
    MessageFromCustomer {
        body: Text,
        /// The Message-ID of the email it came in, if it came by email.
        message_id: Option<String>,
        /// The files that came with it (stored with the change that records it).
        attachments: Vec<AttachmentInfo>,
    },
    AddNote {
        body: Text,
    },
    Assign {
        owner: Option<StaffRef>,
        team: Option<Text>,
        handover_note: Option<Text>,
    },
    ChangeKind {
        to: CaseKind,
    },
    RequestOperationsView {
        department: Text,
        question: Text,
    },
    GiveOperationsView {
        view_id: ViewId,
        answer: Text,
    },
    MakeCommitment {
        what: Text,
        how: Text,
        due: Date,
    },
    KeepCommitment {
        commitment_id: CommitmentId,
        note: Option<Text>,
    },
    MissCommitment {
        commitment_id: CommitmentId,
        note: Option<Text>,
    },
    OfferRemedy {
        kind: RemedyKind,
        description: Text,
        amount: Option<Money>,
        authority: RemedyAuthority,
    },
    ApproveRemedy {
        remedy_id: RemedyId,
        note: Option<Text>,
    },
    RefuseRemedy {
        remedy_id: RemedyId,
        reason: Text,
    },
    ProposeResolution {
        summary: Text,
    },
    AcceptResolution,
    RejectResolution {
        what_would_make_it_right: Text,
    },
    AnswerFollowUp(FollowUp),
    Close {
        root_cause: RootCauseCode,
        lesson: Option<Text>,
    },
    Reopen {
        reason: Text,
    },
    Decline {
        reason: Text,
    },
    Withdraw {
        reason: Option<Text>,
    },
    /// Ask a supervisor to step in; the case stays with its owner.
    RequestEscalation {
        reason: Text,
    },
    /// A supervisor answers a request to step in.
    AnswerEscalation {
        advice: Text,
    },
}

impl Action {
    /// A short name for messages: "cannot propose a resolution while ...".
    pub fn describe(&self) -> &'static str {
        use Action::*;
        match self {
            Acknowledge { .. } => "acknowledge the case",
            Investigate => "start investigating",
            MessageToCustomer { .. } => "write to the customer",
            MessageFromCustomer { .. } => "add the customer's message",
            AddNote { .. } => "add a note",
            Assign { .. } => "assign the case",
            ChangeKind { .. } => "change the kind of case",
            RequestOperationsView { .. } => "ask operations for their view",
            GiveOperationsView { .. } => "record operations' view",
            MakeCommitment { .. } => "make a commitment",
            KeepCommitment { .. } => "mark the commitment kept",
            MissCommitment { .. } => "mark the commitment missed",
            OfferRemedy { .. } => "offer a remedy",
            ApproveRemedy { .. } => "approve the remedy",
            RefuseRemedy { .. } => "refuse the remedy",
            ProposeResolution { .. } => "propose a resolution",
            AcceptResolution => "accept the resolution",
            RejectResolution { .. } => "reject the resolution",
            AnswerFollowUp(_) => "answer the follow-up",
            Close { .. } => "close the case",
            Reopen { .. } => "reopen the case",
            Decline { .. } => "decline the case",
            Withdraw { .. } => "withdraw the case",
            RequestEscalation { .. } => "ask a supervisor to step in",
            AnswerEscalation { .. } => "answer the request to step in",
        }
    }
}
