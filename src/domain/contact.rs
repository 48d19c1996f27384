//! An organisation's contact details as its 公开指南 gives them (Art. 12:
//! the office that handles disclosure, its address, hours, phone, fax and
//! e-mail), checked before they are stored.

use super::applicant::{check_email, check_text};
use super::problems::Problems;
use crate::error::{AppError, AppResult};

/// Every part is optional: an organisation exists before its administrator
/// fills them in, and the guide leaves out what is not given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrganizationContact {
    /// 受理机构, e.g. 南村镇党政综合办公室.
    pub office_name: Option<String>,
    pub office_address: Option<String>,
    pub office_hours: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
}

const NAME_CHARS: usize = 100;
const ADDRESS_CHARS: usize = 200;
const HOURS_CHARS: usize = 200;
/// An office number as printed, with its area code and an extension.
const NUMBER_CHARS: usize = 40;

impl OrganizationContact {
    /// Trims every part (empty means not given) and checks all of them,
    /// answering every invalid field at once.
    pub fn validate(self) -> AppResult<Self> {
        let mut problems = Problems::default();
        let checked = OrganizationContact {
            office_name: problems
                .take(check_text(
                    "officeName",
                    self.office_name.as_deref(),
                    NAME_CHARS,
                    false,
                ))
                .flatten(),
            office_address: problems
                .take(check_text(
                    "officeAddress",
                    self.office_address.as_deref(),
                    ADDRESS_CHARS,
                    false,
                ))
                .flatten(),
            office_hours: problems
                .take(check_text(
                    "officeHours",
                    self.office_hours.as_deref(),
                    HOURS_CHARS,
                    false,
                ))
                .flatten(),
            phone: problems
                .take(office_number(
                    "phone",
                    self.phone.as_deref(),
                    "电话号码格式有误，如 020-84771234 或 020-84771234转801",
                ))
                .flatten(),
            fax: problems
                .take(office_number(
                    "fax",
                    self.fax.as_deref(),
                    "传真号码格式有误，如 020-84771235",
                ))
                .flatten(),
            email: problems
                .take(
                    self.email
                        .as_deref()
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .map(check_email)
                        .transpose(),
                )
                .flatten(),
        };
        problems.finish()?;
        Ok(checked)
    }
}

/// An office phone or fax number as people print it: digits with spaces,
/// dashes, brackets or a leading +, and an extension after 转. Government
/// hotlines are short (12345), so five digits suffice.
fn office_number(field: &str, raw: Option<&str>, message: &str) -> AppResult<Option<String>> {
    let Some(number) = raw.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let (main, extension_ok) = match number.split_once('转') {
        Some((main, extension)) => (
            main,
            !extension.is_empty() && extension.chars().all(|c| c.is_ascii_digit()),
        ),
        None => (number, true),
    };
    let main_ok = main.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit()
            || matches!(c, ' ' | '-' | '(' | ')' | '（' | '）')
            || (c == '+' && i == 0)
    });
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if main_ok
        && extension_ok
        && (5..=20).contains(&digits)
        && number.chars().count() <= NUMBER_CHARS
    {
        Ok(Some(number.to_owned()))
    } else {
        Err(AppError::bad_input(field, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::problems::fields_of;

    fn contact(phone: &str, fax: &str, email: &str) -> OrganizationContact {
        OrganizationContact {
            office_name: Some(" 南村镇党政综合办公室 ".into()),
            office_address: Some("广州市番禺区南村镇南村村兴南大道1号".into()),
            office_hours: Some("工作日 9:00-12:00，14:00-17:30".into()),
            phone: Some(phone.into()),
            fax: Some(fax.into()),
            email: Some(email.into()),
        }
    }

    #[test]
    fn numbers_as_offices_print_them() {
        // (phone, accepted)
        let cases = [
            ("020-84771234", true),
            ("(020) 8477 1234", true),
            ("（020）84771234", true),
            ("020-84771234转801", true),
            ("+86 20 8477 1234", true),
            ("12345", true),
            ("13812345678", true),
            ("1234", false),
            ("020-8477-ABCD", false),
            ("020-84771234转", false),
            ("020-84771234转8a", false),
            ("020+84771234", false),
            ("020-84771234 <script>", false),
            ("123456789012345678901", false),
        ];
        for (phone, accepted) in cases {
            let checked = office_number("phone", Some(phone), "错");
            assert_eq!(checked.is_ok(), accepted, "{phone}");
        }
        assert_eq!(office_number("fax", Some("  "), "错").unwrap(), None);
    }

    #[test]
    fn every_bad_field_is_named_and_the_rest_trimmed() {
        let checked = contact("020-84771234", "", "gkb@panyu.gov.cn")
            .validate()
            .unwrap();
        assert_eq!(checked.office_name.as_deref(), Some("南村镇党政综合办公室"));
        assert_eq!(checked.fax, None);

        let err = OrganizationContact {
            office_address: Some("地".repeat(201)),
            office_hours: Some("9:00\u{7}".into()),
            ..contact("电话", "fax", "not-an-address")
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields_of(&err),
            ["officeAddress", "officeHours", "phone", "fax", "email"]
        );
        assert_eq!(
            OrganizationContact::default().validate().unwrap(),
            OrganizationContact::default()
        );
    }
}
