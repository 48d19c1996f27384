//! Who may do what: docs/DESIGN.md's role table as pure functions, the only
//! place that decides by role.
//!
//! Use cases ask `authorize` before acting on one object and `reach` before
//! listing many. The error rule is encoded here too: what a caller may not
//! read answers NOT_FOUND (so IDs cannot be probed), what it may read but
//! not change answers FORBIDDEN, and anonymous callers of signed-in
//! operations get UNAUTHENTICATED (before the target is looked up where the
//! public can see nothing of its kind: `admit`).

use super::disclosure::DisclosureStatus;
use super::files::AttachmentKind;
use super::organization::OrgPlace;
use super::reminder::NotificationKind;
use super::user::Role;
use super::workflow::Step;

/// A signed-in member of staff, as loaded from the database on each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub organization_id: i64,
}

/// On whose behalf a use case runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The public: no token.
    Anonymous,
    SignedIn(Actor),
    /// The command line, run by whoever administers the database.
    Operator,
}

impl Caller {
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Caller::SignedIn(actor) => Some(actor),
            Caller::Anonymous | Caller::Operator => None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self, Caller::Anonymous)
    }

    /// The user recorded as having acted; None for the public and the operator.
    pub fn user_id(&self) -> Option<i64> {
        self.actor().map(|actor| actor.user_id)
    }
}

/// What an operation is about, with the facts the table reads. A new kind
/// of object (an attachment with its kind and its holder's status, a
/// notification) is a new variant and new rows in the tests; a new list is
/// a new `Listing`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// Nothing of one organisation: the organisation tree, the calendar.
    Deployment,
    /// An organisation as the place where something is created.
    Organization(&'a OrgPlace),
    Disclosure {
        place: &'a OrgPlace,
        status: DisclosureStatus,
    },
    Application(&'a OrgPlace),
    /// An existing user account, with its role.
    User {
        place: &'a OrgPlace,
        role: Role,
    },
    /// Completion figures of the organisation.
    Statistics(&'a OrgPlace),
    /// The annual report of a year; the report of a year that has ended is public.
    AnnualReport {
        place: &'a OrgPlace,
        year_ended: bool,
    },
    /// A file attached to a disclosure or an application of the organisation.
    Attachment {
        place: &'a OrgPlace,
        kind: AttachmentKind,
        holder: Holder,
    },
}

/// What an attachment is attached to, with the facts the table reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// A disclosure in this status; `hidden` when the attachment was hidden
    /// from the public on its own (`hideAttachment`).
    Disclosure {
        status: DisclosureStatus,
        hidden: bool,
    },
    Application,
}

/// The kinds of target: what can be decided before a target is looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Deployment,
    Organization,
    Disclosure,
    Application,
    User,
    Statistics,
    AnnualReport,
    Attachment,
}

impl Target<'_> {
    pub fn kind(&self) -> Kind {
        match self {
            Target::Deployment => Kind::Deployment,
            Target::Organization(_) => Kind::Organization,
            Target::Disclosure { .. } => Kind::Disclosure,
            Target::Application(_) => Kind::Application,
            Target::User { .. } => Kind::User,
            Target::Statistics(_) => Kind::Statistics,
            Target::AnnualReport { .. } => Kind::AnnualReport,
            Target::Attachment { .. } => Kind::Attachment,
        }
    }

    fn place(&self) -> Option<&OrgPlace> {
        match *self {
            Target::Deployment => None,
            Target::Organization(place)
            | Target::Application(place)
            | Target::Statistics(place)
            | Target::Disclosure { place, .. }
            | Target::User { place, .. }
            | Target::AnnualReport { place, .. }
            | Target::Attachment { place, .. } => Some(place),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// See the target (one object; lists ask `reach`).
    Read,
    /// Draft a disclosure in the organisation, or change one.
    EditDisclosure,
    /// Publish or withdraw a disclosure.
    PublishDisclosure,
    /// Submit an application to the organisation; `online` for the public form's channel.
    SubmitApplication {
        online: bool,
    },
    /// Correction, consultation, fee and closing steps, a new query code,
    /// reviews and lawsuits.
    ApplicationWorkflow,
    /// Extend (Art. 33) or override (Art. 35) a deadline.
    ChangeDeadline,
    /// Enter table 二's figures of the organisation.
    EnterFigures,
    /// Freeze and publish the organisation's annual report of a year (Art. 49).
    PublishAnnualReport,
    /// Create a user with this role in the organisation.
    CreateUser {
        role: Role,
    },
    /// Reset the user's password or deactivate it.
    ManageUser,
    ManageOrganizations,
    ManageCalendar,
    /// Upload a file (`POST /files`); the public only within its quota.
    UploadFile,
    /// Download an attachment through the applicant's signed link from the
    /// tracking view (the link proves the caller is the applicant).
    ReadThroughTracking,
    /// Set the organisation's reminder thresholds, manage its webhooks.
    ManageReminders,
    /// Import a spreadsheet (台账) of disclosures or applications into the organisation.
    ImportSpreadsheet,
    /// Export the organisation's catalogue or ledger of a year in the import
    /// templates: the ledger carries applicants' personal data unmasked, so
    /// it goes to those who may bring it in (never to OVERSIGHT, whose view
    /// of applications is masked).
    ExportSpreadsheet,
    /// Change the organisation's contact details (its 公开指南's office,
    /// address, hours, phone, fax, e-mail).
    EditOrganizationContact,
}

impl Operation {
    /// The operation a workflow step is: changing the deadline is an APPROVER's act.
    pub fn of_step(step: Step) -> Operation {
        match step {
            Step::Extend | Step::Override => Operation::ChangeDeadline,
            _ => Operation::ApplicationWorkflow,
        }
    }
}

/// How much of a target the caller sees.
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

/// The part of the decision that needs only the kind of target. Of the
/// kinds the public sees nothing of (applications, users, statistics), an
/// anonymous caller is told to sign in before any target is looked up.
/// Of the others it must hear NOT_FOUND for what it may not see, exactly as
/// for what does not exist, so those are looked up first.
pub fn admit(caller: &Caller, kind: Kind) -> Result<(), Denial> {
    use Kind::*;
    match (caller, kind) {
        (Caller::Anonymous, Application | User | Statistics) => Err(Denial::Unauthenticated),
        _ => Ok(()),
    }
}

/// Decides whether `caller` may perform `operation` on `target`, and with
/// what view of it.
pub fn authorize(
    caller: &Caller,
    operation: Operation,
    target: Target<'_>,
) -> Result<Access, Denial> {
    admit(caller, target.kind())?;
    match caller {
        Caller::Operator => Ok(Access::Full),
        Caller::Anonymous => anonymous(operation, target),
        Caller::SignedIn(actor) => signed_in(actor, operation, target),
    }
}

/// What `admit` let through: an unpublished disclosure answers as if it
/// did not exist; of what is public, the public reads it and submits
/// applications online, and must sign in for anything else.
fn anonymous(operation: Operation, target: Target<'_>) -> Result<Access, Denial> {
    // The applicant reads the organ's reply, and nothing else it was sent
    // or it sent in, through the tracking view's link.
    if let (
        Operation::ReadThroughTracking,
        Target::Attachment {
            kind: AttachmentKind::ReplyNotice,
            holder: Holder::Application,
            ..
        },
    ) = (operation, target)
    {
        return Ok(Access::Full);
    }
    if !is_public(target) {
        return Err(match target {
            Target::Disclosure { .. } | Target::Attachment { .. } => Denial::NotFound,
            _ => Denial::Unauthenticated,
        });
    }
    match operation {
        Operation::Read | Operation::SubmitApplication { online: true } | Operation::UploadFile => {
            Ok(Access::Full)
        }
        _ => Err(Denial::Unauthenticated),
    }
}

/// What everybody may read.
fn is_public(target: Target<'_>) -> bool {
    matches!(
        target,
        Target::Deployment
            | Target::Organization(_)
            | Target::Disclosure {
                status: DisclosureStatus::Published,
                ..
            }
            | Target::AnnualReport {
                year_ended: true,
                ..
            }
            | Target::Attachment {
                kind: AttachmentKind::Document,
                holder: Holder::Disclosure {
                    status: DisclosureStatus::Published,
                    hidden: false,
                },
                ..
            }
    )
}

fn signed_in(actor: &Actor, operation: Operation, target: Target<'_>) -> Result<Access, Denial> {
    use Role::*;
    if actor.role == Admin {
        return Ok(Access::Full);
    }
    let view = sees(actor, target)?;
    let own = target.place().is_none_or(|p| p.id == actor.organization_id);
    let organization_staff = matches!(actor.role, Clerk | Approver | OrgAdmin);
    let allowed = match operation {
        Operation::Read | Operation::ReadThroughTracking => return Ok(view),
        Operation::UploadFile => organization_staff,
        Operation::EditDisclosure
        | Operation::SubmitApplication { .. }
        | Operation::ApplicationWorkflow
        | Operation::EnterFigures => organization_staff && own,
        Operation::PublishDisclosure
        | Operation::ChangeDeadline
        | Operation::PublishAnnualReport => actor.role == Approver && own,
        Operation::CreateUser { role } => actor.role == OrgAdmin && own && org_admin_manages(role),
        Operation::ManageUser => match target {
            Target::User { role, .. } => actor.role == OrgAdmin && own && org_admin_manages(role),
            _ => false,
        },
        Operation::ManageReminders
        | Operation::ImportSpreadsheet
        | Operation::ExportSpreadsheet
        | Operation::EditOrganizationContact => actor.role == OrgAdmin && own,
        Operation::ManageOrganizations | Operation::ManageCalendar => false,
    };
    if allowed {
        Ok(view)
    } else {
        Err(Denial::Forbidden)
    }
}

/// An ORG_ADMIN manages the organisation's own roles, not oversight or ADMIN.
fn org_admin_manages(role: Role) -> bool {
    matches!(role, Role::Clerk | Role::Approver | Role::OrgAdmin)
}

/// What a member of staff (not ADMIN) may see of a target; NOT_FOUND when nothing.
fn sees(actor: &Actor, target: Target<'_>) -> Result<Access, Denial> {
    let own = target.place().is_none_or(|p| p.id == actor.organization_id);
    let at_or_below = target
        .place()
        .is_none_or(|p| p.is_at_or_below(actor.organization_id));
    let organization_staff = matches!(actor.role, Role::Clerk | Role::Approver | Role::OrgAdmin);
    let oversight = actor.role == Role::Oversight && at_or_below;
    match target {
        target if is_public(target) => Ok(Access::Full),
        Target::Application(_) if oversight => Ok(Access::Masked),
        Target::Application(_) => readable(organization_staff && own),
        Target::User { .. } => readable(actor.role == Role::OrgAdmin && own),
        Target::Attachment {
            kind: AttachmentKind::IdentityProof,
            ..
        } => readable(organization_staff && own),
        _ => readable(organization_staff && own || oversight),
    }
}

fn readable(allowed: bool) -> Result<Access, Denial> {
    if allowed {
        Ok(Access::Full)
    } else {
        Err(Denial::NotFound)
    }
}

/// What a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    Disclosures,
    Applications,
    Statistics,
    /// Reminders (which kinds: `notification_kinds`).
    Notifications,
}

/// Whose records beyond the public ones a list reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The public records alone (PUBLISHED disclosures).
    PublishedOnly,
    /// Those of this organisation.
    Own(i64),
    /// Those of this organisation and of every organisation below it.
    Subtree(i64),
    Everything,
}

impl Scope {
    /// Whether the non-public records of the organisation at `place` are within reach.
    pub fn includes(self, place: &OrgPlace) -> bool {
        match self {
            Scope::PublishedOnly => false,
            Scope::Own(id) => place.id == id,
            Scope::Subtree(id) => place.is_at_or_below(id),
            Scope::Everything => true,
        }
    }
}

/// Over what a list reaches, and with what view of each item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reach {
    pub scope: Scope,
    pub view: Access,
}

/// The list-sized answer of the same table: what `authorize` would allow
/// for `Read` on each item, as one scope (the matrix test checks both agree).
pub fn reach(caller: &Caller, listing: Listing) -> Result<Reach, Denial> {
    use Role::*;
    let full = |scope| {
        Ok(Reach {
            scope,
            view: Access::Full,
        })
    };
    let actor = match caller {
        Caller::Operator => return full(Scope::Everything),
        Caller::Anonymous => {
            return match listing {
                Listing::Disclosures => full(Scope::PublishedOnly),
                Listing::Applications | Listing::Statistics | Listing::Notifications => {
                    Err(Denial::Unauthenticated)
                }
            };
        }
        Caller::SignedIn(actor) => actor,
    };
    match (actor.role, listing) {
        (Admin, _) => full(Scope::Everything),
        (Clerk | Approver | OrgAdmin, _) => full(Scope::Own(actor.organization_id)),
        (Oversight, Listing::Applications) => Ok(Reach {
            scope: Scope::Subtree(actor.organization_id),
            view: Access::Masked,
        }),
        (Oversight, Listing::Disclosures | Listing::Statistics | Listing::Notifications) => {
            full(Scope::Subtree(actor.organization_id))
        }
    }
}

/// Of the notifications within reach, the kinds a caller hears of (the
/// list and the live stream alike); None: every kind. OVERSIGHT follows
/// the organisations below it for what went wrong or is owed to the
/// public, not for their daily work.
pub fn notification_kinds(caller: &Caller) -> Option<&'static [NotificationKind]> {
    const OVERSIGHT: &[NotificationKind] =
        &[NotificationKind::Overdue, NotificationKind::AnnualReportDue];
    match caller.actor().map(|a| a.role) {
        Some(Role::Oversight) => Some(OVERSIGHT),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DisclosureStatus::{Draft, Published, Withdrawn};
    use Operation::*;

    // The tree: district 1 with town 5 below it; district 2 and town 3 elsewhere.
    const DISTRICT: i64 = 1;
    const TOWN: i64 = 5;

    fn place(id: i64) -> OrgPlace {
        let lineage = match id {
            TOWN => vec![DISTRICT, TOWN],
            other => vec![other],
        };
        OrgPlace { id, lineage }
    }

    fn actor(role: Role, organization_id: i64) -> Caller {
        Caller::SignedIn(Actor {
            user_id: 1,
            role,
            organization_id,
        })
    }

    /// Columns: public, CLERK/APPROVER/ORG_ADMIN of the town, the same of
    /// another town (3), OVERSIGHT of the district, OVERSIGHT of the other
    /// district, ADMIN (of the other district), OVERSIGHT of the town, the
    /// command-line operator.
    fn callers() -> [Caller; 12] {
        use Role::*;
        [
            Caller::Anonymous,
            actor(Clerk, TOWN),
            actor(Approver, TOWN),
            actor(OrgAdmin, TOWN),
            actor(Clerk, 3),
            actor(Approver, 3),
            actor(OrgAdmin, 3),
            actor(Oversight, DISTRICT),
            actor(Oversight, 2),
            actor(Admin, 2),
            actor(Oversight, TOWN),
            Caller::Operator,
        ]
    }

    type Decision = Result<Access, Denial>;
    const F: Decision = Ok(Access::Full);
    const M: Decision = Ok(Access::Masked);
    const U: Decision = Err(Denial::Unauthenticated);
    const N: Decision = Err(Denial::NotFound);
    const X: Decision = Err(Denial::Forbidden);

    /// DESIGN.md's role table for targets in the town.
    #[test]
    fn the_role_table() {
        let town = place(TOWN);
        let org = Target::Organization(&town);
        let other_town = place(3);
        let other_org = Target::Organization(&other_town);
        let disclosure = |status| Target::Disclosure {
            place: &town,
            status,
        };
        let application = Target::Application(&town);
        let user = |role| Target::User { place: &town, role };
        let report = |year_ended| Target::AnnualReport {
            place: &town,
            year_ended,
        };
        #[rustfmt::skip]
        let attachment = |kind, holder| Target::Attachment {
            place: &town,
            kind,
            holder,
        };
        let document = |status, hidden| {
            attachment(
                AttachmentKind::Document,
                Holder::Disclosure { status, hidden },
            )
        };
        let filed = |kind| attachment(kind, Holder::Application);
        use AttachmentKind::{ApplicationForm, Correspondence, IdentityProof, ReplyNotice};
        #[rustfmt::skip]
        let table: [(Operation, Target, [Decision; 12]); 46] = [
            //                                                                   pub C  A  OA  C3 A3 OA3 OvD Ov2 Adm OvT Op
            (Read,                            Target::Deployment,               [F, F, F, F,  F, F, F,  F,  F,  F,  F,  F]),
            (Read,                            org,                              [F, F, F, F,  F, F, F,  F,  F,  F,  F,  F]),
            (Read,                            disclosure(Published),            [F, F, F, F,  F, F, F,  F,  F,  F,  F,  F]),
            (Read,                            disclosure(Draft),                [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            disclosure(Withdrawn),            [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (EditDisclosure,                  org,                              [U, F, F, F,  X, X, X,  X,  X,  F,  X,  F]),
            (EditDisclosure,                  disclosure(Draft),                [N, F, F, F,  N, N, N,  X,  N,  F,  X,  F]),
            (EditDisclosure,                  disclosure(Published),            [U, F, F, F,  X, X, X,  X,  X,  F,  X,  F]),
            (PublishDisclosure,               disclosure(Draft),                [N, X, F, X,  N, N, N,  X,  N,  F,  X,  F]),
            (PublishDisclosure,               disclosure(Published),            [U, X, F, X,  X, X, X,  X,  X,  F,  X,  F]),
            (SubmitApplication { online: true },  org,                          [F, F, F, F,  X, X, X,  X,  X,  F,  X,  F]),
            (SubmitApplication { online: false }, org,                          [U, F, F, F,  X, X, X,  X,  X,  F,  X,  F]),
            (Read,                            application,                      [U, F, F, F,  N, N, N,  M,  N,  F,  M,  F]),
            (ApplicationWorkflow,             application,                      [U, F, F, F,  N, N, N,  X,  N,  F,  X,  F]),
            (ChangeDeadline,                  application,                      [U, X, F, X,  N, N, N,  X,  N,  F,  X,  F]),
            (Read,                            Target::Statistics(&town),        [U, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            report(false),                    [U, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            report(true),                     [F, F, F, F,  F, F, F,  F,  F,  F,  F,  F]),
            (PublishAnnualReport,             report(true),                     [U, X, F, X,  X, X, X,  X,  X,  F,  X,  F]),
            (PublishAnnualReport,             report(false),                    [U, X, F, X,  N, N, N,  X,  N,  F,  X,  F]),
            (EnterFigures,                    org,                              [U, F, F, F,  X, X, X,  X,  X,  F,  X,  F]),
            (CreateUser { role: Role::Clerk },     org,                         [U, X, X, F,  X, X, X,  X,  X,  F,  X,  F]),
            (CreateUser { role: Role::OrgAdmin },  org,                         [U, X, X, F,  X, X, X,  X,  X,  F,  X,  F]),
            (CreateUser { role: Role::Oversight }, org,                         [U, X, X, X,  X, X, X,  X,  X,  F,  X,  F]),
            (Read,                            user(Role::Clerk),                [U, N, N, F,  N, N, N,  N,  N,  F,  N,  F]),
            (ManageUser,                      user(Role::Clerk),                [U, N, N, F,  N, N, N,  N,  N,  F,  N,  F]),
            (ManageUser,                      user(Role::Oversight),            [U, N, N, X,  N, N, N,  N,  N,  F,  N,  F]),
            (ManageOrganizations,             Target::Deployment,               [U, X, X, X,  X, X, X,  X,  X,  F,  X,  F]),
            (ManageCalendar,                  Target::Deployment,               [U, X, X, X,  X, X, X,  X,  X,  F,  X,  F]),
            // DESIGN.md's table of files.
            (UploadFile,                      Target::Deployment,               [F, F, F, F,  F, F, F,  X,  X,  F,  X,  F]),
            (Read,                            document(Published, false),       [F, F, F, F,  F, F, F,  F,  F,  F,  F,  F]),
            (Read,                            document(Published, true),        [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            document(Draft, false),           [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            document(Withdrawn, false),       [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            filed(ApplicationForm),           [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            filed(Correspondence),            [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            filed(ReplyNotice),               [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (Read,                            filed(IdentityProof),             [N, F, F, F,  N, N, N,  N,  N,  F,  N,  F]),
            (ReadThroughTracking,             filed(ReplyNotice),               [F, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (ReadThroughTracking,             filed(ApplicationForm),           [N, F, F, F,  N, N, N,  F,  N,  F,  F,  F]),
            (ReadThroughTracking,             filed(IdentityProof),             [N, F, F, F,  N, N, N,  N,  N,  F,  N,  F]),
            (ManageReminders,                 org,                              [U, X, X, F,  X, X, X,  X,  X,  F,  X,  F]),
            (ImportSpreadsheet,               org,                              [U, X, X, F,  X, X, X,  X,  X,  F,  X,  F]),
            (ExportSpreadsheet,               org,                              [U, X, X, F,  X, X, X,  X,  X,  F,  X,  F]),
            (EditOrganizationContact,         org,                              [U, X, X, F,  X, X, X,  X,  X,  F,  X,  F]),
            (EditOrganizationContact,         other_org,                        [U, X, X, X,  X, X, F,  X,  X,  F,  X,  F]),
        ];
        for (operation, target, expected) in table {
            for (caller, want) in callers().iter().zip(expected) {
                assert_eq!(
                    authorize(caller, operation, target),
                    want,
                    "{operation:?} on {target:?} by {caller:?}"
                );
            }
        }
    }

    /// What each list reaches, with the same columns as the role table.
    #[test]
    fn the_reach_table() {
        let reach_of = |scope, view| Ok(Reach { scope, view });
        let published = reach_of(Scope::PublishedOnly, Access::Full);
        let own = |id| reach_of(Scope::Own(id), Access::Full);
        let below = |id, view| reach_of(Scope::Subtree(id), view);
        let all = reach_of(Scope::Everything, Access::Full);
        let u = Err(Denial::Unauthenticated);
        use Access::{Full, Masked};
        #[rustfmt::skip]
        let table: [(Listing, [Result<Reach, Denial>; 12]); 4] = [
            (Listing::Disclosures,  [published, own(TOWN), own(TOWN), own(TOWN), own(3), own(3), own(3),
                                     below(DISTRICT, Full), below(2, Full), all, below(TOWN, Full), all]),
            (Listing::Applications, [u, own(TOWN), own(TOWN), own(TOWN), own(3), own(3), own(3),
                                     below(DISTRICT, Masked), below(2, Masked), all, below(TOWN, Masked), all]),
            (Listing::Statistics,   [u, own(TOWN), own(TOWN), own(TOWN), own(3), own(3), own(3),
                                     below(DISTRICT, Full), below(2, Full), all, below(TOWN, Full), all]),
            (Listing::Notifications, [u, own(TOWN), own(TOWN), own(TOWN), own(3), own(3), own(3),
                                     below(DISTRICT, Full), below(2, Full), all, below(TOWN, Full), all]),
        ];
        for (listing, expected) in table {
            for (caller, want) in callers().iter().zip(expected) {
                assert_eq!(reach(caller, listing), want, "{listing:?} by {caller:?}");
            }
        }
    }

    /// A list shows exactly the items `authorize` lets the caller read, with
    /// the same view: for every signed-in caller and every organisation.
    #[test]
    fn reach_agrees_with_authorize() {
        let places = [place(DISTRICT), place(TOWN), place(2), place(3)];
        let item = |listing, place| match listing {
            Listing::Disclosures => Target::Disclosure {
                place,
                status: Draft,
            },
            Listing::Applications => Target::Application(place),
            Listing::Statistics | Listing::Notifications => Target::Statistics(place),
        };
        for caller in callers().iter().filter(|c| !c.is_anonymous()) {
            for listing in [
                Listing::Disclosures,
                Listing::Applications,
                Listing::Statistics,
                Listing::Notifications,
            ] {
                let reach = reach(caller, listing).expect("staff reach something");
                for place in &places {
                    let listed = reach.scope.includes(place).then_some(reach.view);
                    let read = authorize(caller, Read, item(listing, place)).ok();
                    assert_eq!(listed, read, "{listing:?} of {place:?} by {caller:?}");
                }
            }
        }
    }

    /// An anonymous caller is told to sign in before a target is looked up
    /// exactly for the kinds of which it may read nothing, and then for
    /// every target of the kind alike.
    #[test]
    fn admit_is_the_kind_part_of_authorize() {
        let town = place(TOWN);
        let targets = [
            Target::Deployment,
            Target::Organization(&town),
            Target::Disclosure {
                place: &town,
                status: Published,
            },
            Target::Disclosure {
                place: &town,
                status: Draft,
            },
            Target::Application(&town),
            Target::User {
                place: &town,
                role: Role::Clerk,
            },
            Target::Statistics(&town),
            Target::AnnualReport {
                place: &town,
                year_ended: true,
            },
            Target::AnnualReport {
                place: &town,
                year_ended: false,
            },
            Target::Attachment {
                place: &town,
                kind: AttachmentKind::Document,
                holder: Holder::Disclosure {
                    status: Published,
                    hidden: false,
                },
            },
            Target::Attachment {
                place: &town,
                kind: AttachmentKind::IdentityProof,
                holder: Holder::Application,
            },
        ];
        let operations = [
            Read,
            EditDisclosure,
            PublishDisclosure,
            SubmitApplication { online: true },
            SubmitApplication { online: false },
            ApplicationWorkflow,
            ChangeDeadline,
            EnterFigures,
            PublishAnnualReport,
            CreateUser { role: Role::Clerk },
            ManageUser,
            ManageOrganizations,
            ManageCalendar,
            UploadFile,
            ReadThroughTracking,
            ManageReminders,
            ImportSpreadsheet,
            ExportSpreadsheet,
            EditOrganizationContact,
        ];
        let public = Caller::Anonymous;
        for kind in targets.iter().map(Target::kind) {
            let of_kind: Vec<_> = targets.iter().filter(|t| t.kind() == kind).collect();
            let sees_some = of_kind
                .iter()
                .any(|t| authorize(&public, Read, **t).is_ok());
            for operation in operations {
                let admitted = admit(&public, kind);
                assert_eq!(admitted.is_ok(), sees_some, "{operation:?} {kind:?}");
                if let Err(denial) = admitted {
                    for target in &of_kind {
                        assert_eq!(authorize(&public, operation, **target), Err(denial));
                    }
                }
            }
        }
    }

    /// Which kinds of notification each caller of the columns hears of.
    #[test]
    fn the_notification_kinds_table() {
        let only = Some(&[NotificationKind::Overdue, NotificationKind::AnnualReportDue][..]);
        #[rustfmt::skip]
        let expected = [None, None, None, None, None, None, None, only, only, None, only, None];
        for (caller, want) in callers().iter().zip(expected) {
            assert_eq!(notification_kinds(caller), want, "{caller:?}");
        }
    }

    #[test]
    fn oversight_reaches_down_not_up() {
        let town_oversight = actor(Role::Oversight, TOWN);
        let district = place(DISTRICT);
        assert_eq!(
            authorize(&town_oversight, Read, Target::Statistics(&district)),
            N
        );
        assert!(!Scope::Subtree(TOWN).includes(&district));
        assert!(Scope::Subtree(DISTRICT).includes(&place(TOWN)));
    }

    #[test]
    fn deadline_steps_need_an_approver() {
        for (step, operation) in [
            (Step::Extend, ChangeDeadline),
            (Step::Override, ChangeDeadline),
            (Step::RequestCorrection, ApplicationWorkflow),
            (
                Step::Close(super::super::workflow::Outcome::Disclosed),
                ApplicationWorkflow,
            ),
        ] {
            assert_eq!(Operation::of_step(step), operation, "{step:?}");
        }
    }
}
