//! Identifiers. Time-ordered UUIDv7, so that "newest first" is index order and ids reveal nothing
//! a customer could enumerate (the public reference and tracking token are separate, see `secret`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh identifier, ordered by creation time.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A case: one complaint, inquiry, compliment or suggestion and its whole story.
    CaseId
);
id_type!(
    /// A customer, recognised across cases by email address or phone number.
    CustomerId
);
id_type!(
    /// A staff member.
    StaffId
);
id_type!(
    /// A commitment made on a case.
    CommitmentId
);
id_type!(
    /// A remedy offered on a case.
    RemedyId
);
id_type!(
    /// A request for operations' view on a case.
    ViewId
);
id_type!(
    /// A file a customer sent with their case.
    AttachmentId
);
id_type!(
    /// A message that arrived by email, kept as it came.
    MailId
);
