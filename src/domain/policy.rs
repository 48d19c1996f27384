//! Who may do what: docs/DESIGN.md's role table as one pure function.
//!
//! The use cases in `src/service` ask it before acting. The error rule is
//! encoded here too: what a caller may not read answers NOT_FOUND (so IDs
//! cannot be probed), what it may read but not change answers FORBIDDEN, and
//! anonymous callers of signed-in operations get UNAUTHENTICATED.

use super::organization::OrgPlace;
use super::user::Role;

/// A signed-in member of staff, as loaded from the database on each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub organization_id: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Published disclosures, organisations, categories, the calendar.
    ReadPublic,
    /// DRAFT and WITHDRAWN disclosures.
    ReadUnpublishedDisclosure,
    /// Create or update a disclosure.
    EditDisclosure,
    /// Publish or withdraw a disclosure.
    PublishDisclosure,
    /// Submit an application; `online` for the public form's channel.
    SubmitApplication {
        online: bool,
    },
    /// The staff view of an application.
    ReadApplication,
    /// Correction, consultation, fee and closing steps.
    ApplicationWorkflow,
    /// Extend (Art. 33) or override (Art. 35) a deadline.
    ChangeDeadline,
    ReadStatistics,
    /// See a user account of the organisation.
    ReadUser,
    /// Create a user with this role, reset its password or deactivate it.
    ManageUser {
        role: Role,
    },
    ManageOrganizations,
    ManageCalendar,
    /// Any signed-in user changes its own password.
    ChangeOwnPassword,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Full,
    /// Personal data masked (OVERSIGHT reading applications).
    Masked,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    Unauthenticated,
    NotFound,
    Forbidden,
}

/// Decides whether `caller` (None: anonymous) may perform `operation` on
/// something belonging to the organisation at `target` (None: nothing
/// organisation-specific).
pub fn authorize(
    caller: Option<&Actor>,
    operation: Operation,
    target: Option<&OrgPlace>,
) -> Result<Access, Denial> {
    use Operation::*;
    use Role::*;

    let Some(actor) = caller else {
        return match operation {
            ReadPublic | SubmitApplication { online: true } => Ok(Access::Full),
            ReadUnpublishedDisclosure | ReadApplication => Err(Denial::NotFound),
            _ => Err(Denial::Unauthenticated),
        };
    };
    if actor.role == Admin {
        return Ok(Access::Full);
    }
    let own = target.is_none_or(|t| t.id == actor.organization_id);
    let at_or_below = target.is_none_or(|t| t.is_at_or_below(actor.organization_id));
    let organization_staff = matches!(actor.role, Clerk | Approver | OrgAdmin);

    let allowed = match operation {
        ReadPublic | ChangeOwnPassword => return Ok(Access::Full),
        ReadUnpublishedDisclosure | ReadStatistics => {
            return readable(organization_staff && own || actor.role == Oversight && at_or_below);
        }
        ReadApplication => {
            return match actor.role {
                Oversight if at_or_below => Ok(Access::Masked),
                _ => readable(organization_staff && own),
            };
        }
        ReadUser => return readable(actor.role == OrgAdmin && own),
        EditDisclosure | SubmitApplication { .. } | ApplicationWorkflow => {
            organization_staff && own
        }
        PublishDisclosure | ChangeDeadline => actor.role == Approver && own,
        ManageUser { role } => {
            actor.role == OrgAdmin && own && matches!(role, Clerk | Approver | OrgAdmin)
        }
        ManageOrganizations | ManageCalendar => false,
    };
    if allowed {
        Ok(Access::Full)
    } else {
        Err(Denial::Forbidden)
    }
}

fn readable(allowed: bool) -> Result<Access, Denial> {
    if allowed {
        Ok(Access::Full)
    } else {
        Err(Denial::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation::*;

    // The tree: district 1 with town 5 below it; district 2 elsewhere.
    const DISTRICT: i64 = 1;
    const TOWN: i64 = 5;

    fn place(id: i64) -> OrgPlace {
        let lineage = match id {
            TOWN => vec![DISTRICT, TOWN],
            other => vec![other],
        };
        OrgPlace { id, lineage }
    }

    fn actor(role: Role, organization_id: i64) -> Actor {
        Actor {
            user_id: 1,
            role,
            organization_id,
        }
    }

    const F: Result<Access, Denial> = Ok(Access::Full);
    const M: Result<Access, Denial> = Ok(Access::Masked);
    const U: Result<Access, Denial> = Err(Denial::Unauthenticated);
    const N: Result<Access, Denial> = Err(Denial::NotFound);
    const X: Result<Access, Denial> = Err(Denial::Forbidden);

    /// DESIGN.md's role table for a target in the town. Columns: public,
    /// CLERK/APPROVER/ORG_ADMIN of the town, the same of another town (3),
    /// OVERSIGHT of the district, OVERSIGHT of the other district, ADMIN.
    #[test]
    fn the_role_table() {
        use Role::*;
        let callers: [Option<Actor>; 11] = [
            None,
            Some(actor(Clerk, TOWN)),
            Some(actor(Approver, TOWN)),
            Some(actor(OrgAdmin, TOWN)),
            Some(actor(Clerk, 3)),
            Some(actor(Approver, 3)),
            Some(actor(OrgAdmin, 3)),
            Some(actor(Oversight, DISTRICT)),
            Some(actor(Oversight, 2)),
            Some(actor(Admin, 2)),
            Some(actor(Oversight, TOWN)),
        ];
        #[rustfmt::skip]
        let table: [(Operation, [Result<Access, Denial>; 11]); 16] = [
            //                                         pub C  A  OA  C3 A3 OA3 OvD Ov2 Adm OvT
            (ReadPublic,                               [F, F, F, F,  F, F, F,  F,  F,  F,  F]),
            (ReadUnpublishedDisclosure,                [N, F, F, F,  N, N, N,  F,  N,  F,  F]),
            (EditDisclosure,                           [U, F, F, F,  X, X, X,  X,  X,  F,  X]),
            (PublishDisclosure,                        [U, X, F, X,  X, X, X,  X,  X,  F,  X]),
            (SubmitApplication { online: true },       [F, F, F, F,  X, X, X,  X,  X,  F,  X]),
            (SubmitApplication { online: false },      [U, F, F, F,  X, X, X,  X,  X,  F,  X]),
            (ReadApplication,                          [N, F, F, F,  N, N, N,  M,  N,  F,  M]),
            (ApplicationWorkflow,                      [U, F, F, F,  X, X, X,  X,  X,  F,  X]),
            (ChangeDeadline,                           [U, X, F, X,  X, X, X,  X,  X,  F,  X]),
            (ReadStatistics,                           [U, F, F, F,  N, N, N,  F,  N,  F,  F]),
            (ReadUser,                                 [U, N, N, F,  N, N, N,  N,  N,  F,  N]),
            (ManageUser { role: Clerk },               [U, X, X, F,  X, X, X,  X,  X,  F,  X]),
            (ManageUser { role: Oversight },           [U, X, X, X,  X, X, X,  X,  X,  F,  X]),
            (ManageOrganizations,                      [U, X, X, X,  X, X, X,  X,  X,  F,  X]),
            (ManageCalendar,                           [U, X, X, X,  X, X, X,  X,  X,  F,  X]),
            (ChangeOwnPassword,                        [U, F, F, F,  F, F, F,  F,  F,  F,  F]),
        ];
        let target = place(TOWN);
        for (operation, expected) in table {
            for (caller, want) in callers.iter().zip(expected) {
                assert_eq!(
                    authorize(caller.as_ref(), operation, Some(&target)),
                    want,
                    "{operation:?} by {caller:?}"
                );
            }
        }
    }

    #[test]
    fn org_admin_manages_only_organization_roles() {
        let admin = actor(Role::OrgAdmin, TOWN);
        for (role, allowed) in [
            (Role::Clerk, true),
            (Role::Approver, true),
            (Role::OrgAdmin, true),
            (Role::Oversight, false),
            (Role::Admin, false),
        ] {
            let decision = authorize(Some(&admin), ManageUser { role }, Some(&place(TOWN)));
            assert_eq!(decision.is_ok(), allowed, "{role:?}");
        }
    }

    #[test]
    fn oversight_reaches_down_not_up() {
        let town_oversight = actor(Role::Oversight, TOWN);
        assert_eq!(
            authorize(
                Some(&town_oversight),
                ReadStatistics,
                Some(&place(DISTRICT))
            ),
            N
        );
        assert_eq!(
            authorize(Some(&town_oversight), ReadStatistics, Some(&place(TOWN))),
            F
        );
    }
}
