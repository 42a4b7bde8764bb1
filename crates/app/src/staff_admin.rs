//! Managing staff: creating members and their API tokens (from the command line for now).

use crate::{App, AppError, now};
use redress_domain::{ApiToken, EmailAddress, Invalid, Money, NewStaff, Role, Staff, Text};

impl App {
    /// Creates a staff member and their first API token, which is returned once.
    pub async fn add_staff(
        &self,
        name: &str,
        email: &str,
        role: &str,
        team: Option<&str>,
        authority_limit: Option<(&str, &str)>,
    ) -> Result<(Staff, ApiToken), AppError> {
        let mut errors = Invalid::default();
        let name = Text::check(&mut errors, "name", name, Text::SHORT);
        let email = EmailAddress::parse(email)
            .map_err(|m| errors.add("email", m))
            .ok();
        let role = Role::parse(role).or_else(|| {
            errors.add("role", format!("must be one of: {}", Role::choices()));
            None
        });
        let team = Text::optional(&mut errors, "team", team, Text::SHORT);
        let authority_limit = match authority_limit {
            None => None,
            Some((amount, currency)) => match Money::parse(amount, currency) {
                Ok(m) => Some(m),
                Err((field, msg)) => {
                    errors.add(format!("authority_limit.{field}"), msg);
                    None
                }
            },
        };
        let (Some(name), Some(email), Some(role)) = (name, email, role) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let staff = NewStaff {
            name,
            email,
            role,
            team,
            authority_limit,
        }
        .into_staff(now());
        let token = ApiToken::generate();
        self.store.add_staff(&staff, &token.digest()).await?;
        tracing::info!(staff = %staff.id, role = %staff.role, "staff member added");
        Ok((staff, token))
    }
}
