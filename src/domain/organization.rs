//! Organisations: districts and the towns, streets and departments below them.

use super::contact::OrganizationContact;
use super::workflow::stored_enum;
use crate::error::{AppError, AppResult};

stored_enum!(
    OrganizationKind {
        District = "DISTRICT",
        Town = "TOWN",
        Street = "STREET",
        Department = "DEPARTMENT",
    }
);

/// An organisation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    pub id: i64,
    /// Short and unique; in tracking and index numbers (PYNC).
    pub code: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub parent_id: Option<i64>,
    pub place: OrgPlace,
    pub contact: OrganizationContact,
}

/// Where an organisation stands in its tree: its own id and every ancestor's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgPlace {
    pub id: i64,
    /// From the root down to and including the organisation itself.
    pub lineage: Vec<i64>,
}

impl OrgPlace {
    /// True when this organisation is `ancestor` or lies below it.
    pub fn is_at_or_below(&self, ancestor: i64) -> bool {
        self.lineage.contains(&ancestor)
    }
}

/// A new organisation as asked for, checked before it is stored.
#[derive(Clone, Debug)]
pub struct NewOrganization {
    pub code: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub has_parent: bool,
}

impl NewOrganization {
    /// The code appears in tracking and index numbers (PYNC-2026-00012), so it
    /// is short and plain: 2–16 capital letters or digits, starting with a letter.
    pub fn validate(mut self) -> AppResult<Self> {
        self.code = self.code.trim().to_owned();
        self.name = self.name.trim().to_owned();
        let code_ok = (2..=16).contains(&self.code.len())
            && self.code.starts_with(|c: char| c.is_ascii_uppercase())
            && self
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !code_ok {
            return Err(AppError::bad_input(
                "code",
                "机构代码应为2到16位大写字母或数字，并以字母开头",
            ));
        }
        if self.name.is_empty() || self.name.chars().count() > 100 || has_control_chars(&self.name)
        {
            return Err(AppError::bad_input("name", "机构名称应为1到100个字"));
        }
        match (self.kind, self.has_parent) {
            (OrganizationKind::District, true) => Err(AppError::bad_input(
                "parentId",
                "区人民政府是一棵机构树的根，不能有上级机构",
            )),
            (OrganizationKind::District, false) | (_, true) => Ok(self),
            (_, false) => Err(AppError::bad_input(
                "parentId",
                "镇、街道和部门须有上级机构",
            )),
        }
    }
}

pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(code: &str, name: &str, kind: OrganizationKind, has_parent: bool) -> NewOrganization {
        NewOrganization {
            code: code.into(),
            name: name.into(),
            kind,
            has_parent,
        }
    }

    #[test]
    fn validation() {
        use OrganizationKind::*;
        // (code, name, kind, has parent, refused field)
        let cases = [
            ("PYNC", "南村镇", Town, true, None),
            (" PY ", "番禺区", District, false, None),
            ("PY2", "番禺区", District, false, None),
            ("py", "番禺区", District, false, Some("code")),
            ("P", "番禺区", District, false, Some("code")),
            ("2PY", "番禺区", District, false, Some("code")),
            ("PY-NC", "南村镇", Town, true, Some("code")),
            ("PYNC", "", Town, true, Some("name")),
            ("PYNC", "南村\u{7}镇", Town, true, Some("name")),
            ("PY", "番禺区", District, true, Some("parentId")),
            ("PYNC", "南村镇", Town, false, Some("parentId")),
            ("PYSFJ", "区司法局", Department, false, Some("parentId")),
        ];
        for (code, name, kind, has_parent, refused) in cases {
            let field = match new(code, name, kind, has_parent).validate() {
                Ok(_) => None,
                Err(AppError::BadUserInput { field, .. }) => Some(field),
                Err(other) => panic!("unexpected {other:?}"),
            };
            assert_eq!(field.as_deref(), refused, "{code} {name} {kind:?}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        crate::domain::workflow::tests::round_trips::<OrganizationKind>();
    }

    #[test]
    fn at_or_below() {
        let nancun = OrgPlace {
            id: 5,
            lineage: vec![1, 5],
        };
        assert!(nancun.is_at_or_below(1));
        assert!(nancun.is_at_or_below(5));
        assert!(!nancun.is_at_or_below(2));
    }
}
