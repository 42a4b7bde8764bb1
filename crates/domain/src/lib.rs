//! The customer-care domain of Redress: what a case, a customer and a staff member are, the
//! story a case keeps (its timeline), and the rules for how a case may move. Nothing here does IO:
//! the store persists these values and the app decides who may do what.

mod action;
mod attachment;
mod case;
mod contact;
mod customer;
mod decide;
mod event;
mod ids;
mod intake;
mod kinds;
mod money;
mod root_cause;
mod secret;
mod staff;
mod status;
mod text;
mod validation;

#[cfg(test)]
mod rules_tests;

pub use action::{Action, FollowUp, RemedyAuthority};
pub use attachment::{Attachment, AttachmentInfo, AttachmentType, size_in_words};
pub use case::{
    Attention, Case, Commitment, CommitmentState, Escalation, OperationsView, Remedy, RemedyKind,
    RemedyStatus, Subject,
};
pub use contact::{EmailAddress, PhoneNumber};
pub use customer::{ContactChannel, Customer, CustomerProfile, ImportantDate, NewCustomer};
pub use decide::{CaseError, Refusal};
pub use event::{Actor, Event, EventKind, StaffRef, Visibility};
pub use ids::{AttachmentId, CaseId, CommitmentId, CustomerId, MailId, RemedyId, StaffId, ViewId};
pub use intake::{Intake, IntakeDraft};
pub use kinds::{CaseKind, Channel};
pub use money::{Currency, Money};
pub use root_cause::{RootCause, RootCauseCode};
pub use secret::{
    ApiToken, CaseRef, PasswordHash, SessionToken, SetupToken, TokenDigest, TrackingToken,
};
pub use staff::{NewStaff, Role, Staff};
pub use status::Status;
pub use text::{Language, Text};
pub use validation::{FieldError, Invalid};
