//! Who may act on a case. Every staff member may read every case (whoever picks a case up must
//! never ask the customer to repeat themselves); acting is kept to the case's team, its owner
//! and administrators, and some decisions to supervisors.

use crate::AppError;
use redress_domain::{Action, Case, Role, Staff};

/// Whether `by` may act on `case` at all: admins on every case, anyone on a case they own, a
/// case of their team or of no team; staff without a team on every case (small organisations
/// have no teams).
pub(crate) fn may_act(by: &Staff, case: &Case) -> Result<(), AppError> {
    let owns = case.owner.as_ref().is_some_and(|o| o.id == by.id);
    let team_allows = match (&case.team, &by.team) {
        (None, _) | (_, None) => true,
        (Some(case_team), Some(own)) => case_team == own,
    };
    if by.role == Role::Admin || owns || team_allows {
        return Ok(());
    }
    let team = case.team.as_ref().map(|t| t.as_str()).unwrap_or_default();
    Err(AppError::Forbidden(format!(
        "this case belongs to the {team} team: ask its owner or a supervisor"
    )))
}

/// Whether `by` may take `action` on `case`: `may_act`, and approving or refusing a remedy or
/// answering a request to step in are for supervisors and admins.
pub(crate) fn may_take(by: &Staff, case: &Case, action: &Action) -> Result<(), AppError> {
    let supervisors_only = matches!(
        action,
        Action::ApproveRemedy { .. }
            | Action::RefuseRemedy { .. }
            | Action::AnswerEscalation { .. }
    );
    if supervisors_only && !by.role.approves_remedies() {
        return Err(AppError::Forbidden(format!(
            "only a supervisor or an admin can {}",
            action.describe()
        )));
    }
    may_act(by, case)
}
