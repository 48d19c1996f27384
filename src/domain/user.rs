//! Staff accounts: roles and the rules for names and passwords.

use super::problems::Problems;
use super::workflow::stored_enum;
use crate::error::{AppError, AppResult};

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 128;

stored_enum!(
    /// What a member of staff may do (see `policy`).
    Role {
        /// 经办人: registers and processes applications, drafts disclosures.
        Clerk = "CLERK",
        /// 负责人: may also extend deadlines and publish disclosures.
        Approver = "APPROVER",
        /// Manages the users of its organisation.
        OrgAdmin = "ORG_ADMIN",
        /// Reads statistics and masked applications at or below its organisation.
        Oversight = "OVERSIGHT",
        /// Everything, including organisations and the working calendar.
        Admin = "ADMIN",
    }
);

/// A user account as stored (its password hash stays in the store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: i64,
    pub active: bool,
    /// Raised on password change and deactivation, revoking older tokens.
    pub token_version: i32,
}

/// Usernames are compared case-insensitively: stored trimmed and lower-case.
pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
}

impl NewUser {
    /// The account normalised, or every invalid field at once (with the
    /// password's, when one is given).
    pub fn validate(self, password: Option<&str>) -> AppResult<Self> {
        let mut problems = Problems::default();
        let username = normalize_username(&self.username);
        let username_ok = (3..=64).contains(&username.len())
            && username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !username_ok {
            problems.add(
                "username",
                "用户名应为3到64位字母、数字、下划线、点或连字符",
            );
        }
        let display_name = self.display_name.trim().to_owned();
        if display_name.is_empty()
            || display_name.chars().count() > 100
            || display_name.chars().any(char::is_control)
        {
            problems.add("displayName", "姓名应为1到100个字");
        }
        if let Some(password) = password {
            problems.take(validate_new_password(password, "password"));
        }
        problems.finish()?;
        Ok(Self {
            username,
            display_name,
        })
    }
}

pub fn validate_new_password(password: &str, field: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            field,
            format!("密码至少需要{MIN_PASSWORD_CHARS}个字符"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            field,
            format!("密码不能超过{MAX_PASSWORD_CHARS}个字符"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        crate::domain::workflow::tests::round_trips::<Role>();
    }

    #[test]
    fn usernames() {
        let cases = [
            ("nancun_clerk", Some("nancun_clerk")),
            ("  Zhang.Wei ", Some("zhang.wei")),
            ("ab", None),
            ("张伟", None),
            ("a b c", None),
        ];
        for (input, expected) in cases {
            let checked = NewUser {
                username: input.into(),
                display_name: "张伟".into(),
            }
            .validate(None);
            assert_eq!(
                checked.ok().map(|u| u.username).as_deref(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn every_invalid_field_of_an_account_at_once() {
        let err = NewUser {
            username: "张伟".into(),
            display_name: " ".into(),
        }
        .validate(Some("short"))
        .unwrap_err();
        assert_eq!(
            crate::domain::problems::fields_of(&err),
            ["username", "displayName", "password"]
        );
    }

    #[test]
    fn passwords_need_ten_characters() {
        let cases = [
            ("123456789", false),
            ("1234567890", true),
            ("公开公开公开公开公开", true),
            (&"x".repeat(129), false),
        ];
        for (password, ok) in cases {
            assert_eq!(
                validate_new_password(password, "password").is_ok(),
                ok,
                "{password}"
            );
        }
    }
}
