//! Where a case stands, and the only moves allowed between standings.

use crate::kinds::string_enum;

string_enum!(
    /// The status of a case. It changes only along `Status::can_move_to`.
    Status {
        New => "new",
        Acknowledged => "acknowledged",
        Investigating => "investigating",
        AwaitingCustomer => "awaiting_customer",
        AwaitingOperations => "awaiting_operations",
        ResolutionProposed => "resolution_proposed",
        Resolved => "resolved",
        Closed => "closed",
        Reopened => "reopened",
        Declined => "declined",
        Withdrawn => "withdrawn",
    }
);

impl Status {
    /// The statuses this one may move to.
    pub fn next(&self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[Acknowledged, Investigating, Declined, Withdrawn],
            Acknowledged | Reopened => &[
                Investigating,
                AwaitingCustomer,
                AwaitingOperations,
                ResolutionProposed,
                Declined,
                Withdrawn,
            ],
            Investigating => &[
                AwaitingCustomer,
                AwaitingOperations,
                ResolutionProposed,
                Declined,
                Withdrawn,
            ],
            AwaitingCustomer => &[
                Investigating,
                AwaitingOperations,
                ResolutionProposed,
                Declined,
                Withdrawn,
            ],
            AwaitingOperations => &[
                Investigating,
                AwaitingCustomer,
                ResolutionProposed,
                Declined,
                Withdrawn,
            ],
            ResolutionProposed => &[Resolved, Reopened, Investigating, Withdrawn],
            Resolved => &[Closed, Reopened],
            // Declined and withdrawn cases are closed with a root cause like any other.
            Declined | Withdrawn => &[Closed, Reopened],
            Closed => &[Reopened],
        }
    }

    pub fn can_move_to(&self, to: Status) -> bool {
        self.next().contains(&to)
    }

    /// Still being worked: someone owes the customer something.
    pub fn is_open(&self) -> bool {
        !matches!(
            self,
            Status::Resolved | Status::Closed | Status::Declined | Status::Withdrawn
        )
    }

    /// Statuses in which the case's work is over (it can still be reopened).
    pub fn is_finished(&self) -> bool {
        matches!(self, Status::Closed | Status::Declined | Status::Withdrawn)
    }

    /// What the customer is waiting for, in a few words, for queues and the customer's page.
    pub fn waiting_for(&self) -> &'static str {
        match self {
            Status::New => "a first answer",
            Status::Acknowledged | Status::Investigating | Status::Reopened => "us to put it right",
            Status::AwaitingCustomer => "nothing: we are waiting for the customer",
            Status::AwaitingOperations => "us to hear back from operations",
            Status::ResolutionProposed => "nothing: the customer is considering our proposal",
            Status::Resolved => "the follow-up: did we deliver as promised?",
            Status::Closed | Status::Declined | Status::Withdrawn => "nothing",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_path_is_allowed() {
        use Status::*;
        let path = [
            New,
            Acknowledged,
            Investigating,
            AwaitingOperations,
            ResolutionProposed,
            Resolved,
            Closed,
            Reopened,
            Investigating,
        ];
        for pair in path.windows(2) {
            assert!(pair[0].can_move_to(pair[1]), "{} -> {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn shortcuts_are_refused() {
        use Status::*;
        assert!(!New.can_move_to(Closed));
        assert!(!Closed.can_move_to(Resolved));
        assert!(!Resolved.can_move_to(Investigating));
        for s in Status::ALL {
            assert!(!s.can_move_to(*s), "{s} to itself");
        }
    }
}
