//! Root causes: why a complaint happened, recorded at closing so complaints become lessons.
//! The list is configurable; it starts with the causes the seeds name.

use serde::{Deserialize, Serialize};

/// A root cause's stable code, e.g. `procedure_causes_pain`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "product_defect"))]
#[serde(transparent)]
pub struct RootCauseCode(String);

impl RootCauseCode {
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        if !code.is_empty()
            && code.len() <= 64
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            Ok(Self(code.to_owned()))
        } else {
            Err("must be a root cause code such as product_defect")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RootCause {
    pub code: RootCauseCode,
    pub label: String,
    pub active: bool,
}

impl RootCause {
    /// The list a new installation starts with.
    pub const DEFAULTS: &'static [(&'static str, &'static str)] = &[
        ("product_defect", "Product or service defect"),
        ("procedure_causes_pain", "A procedure that causes pain"),
        (
            "communication_lacking",
            "Information lacking or wrong in our communications",
        ),
        ("staff_training", "Staff needing training or supervision"),
        ("inconsistency", "Inconsistency"),
        ("outdated_policy", "An outdated policy"),
        (
            "expectation_mismatch",
            "Expectation mismatch: what we promise is poorly communicated",
        ),
        (
            "promise_not_delivered",
            "Failure to deliver what was promised",
        ),
        ("outside_offering", "Outside our offering"),
        ("no_fault_found", "No fault found"),
    ];
}
