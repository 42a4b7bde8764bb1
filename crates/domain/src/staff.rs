//! Staff members, their role and the authority they hold.

use crate::contact::EmailAddress;
use crate::event::StaffRef;
use crate::ids::StaffId;
use crate::kinds::string_enum;
use crate::money::Money;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

string_enum!(
    /// What a staff member may do: agents work cases; supervisors also approve remedies beyond an
    /// agent's authority and see their team's work; admins also manage the organisation's setup.
    Role {
        Agent => "agent",
        Supervisor => "supervisor",
        Admin => "admin",
    }
);

impl Role {
    pub fn approves_remedies(&self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staff {
    pub id: StaffId,
    pub name: Text,
    pub email: EmailAddress,
    pub role: Role,
    pub team: Option<Text>,
    /// The largest remedy this person may grant without a supervisor's approval.
    pub authority_limit: Option<Money>,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

impl Staff {
    pub fn as_ref(&self) -> StaffRef {
        StaffRef {
            id: self.id,
            name: self.name.as_str().to_owned(),
        }
    }
}

/// A staff member to be created.
#[derive(Clone, Debug)]
pub struct NewStaff {
    pub name: Text,
    pub email: EmailAddress,
    pub role: Role,
    pub team: Option<Text>,
    pub authority_limit: Option<Money>,
}

impl NewStaff {
    pub fn into_staff(self, now: OffsetDateTime) -> Staff {
        Staff {
            id: StaffId::new(),
            name: self.name,
            email: self.email,
            role: self.role,
            team: self.team,
            authority_limit: self.authority_limit,
            active: true,
            created_at: now,
        }
    }
}
