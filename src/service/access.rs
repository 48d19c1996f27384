//! What a use case acts on: one helper per kind of target loads it, places
//! it in its organisation (loaded once) and asks the policy, so that the use
//! cases never spell out "load, place, authorize" themselves. Lists ask
//! `visibility` instead.

use sea_orm::ConnectionTrait;

use crate::domain::application::Application;
use crate::domain::disclosure::Disclosure;
use crate::domain::files::{AttachedTo, Attachment};
use crate::domain::legal_challenge::LegalChallenge;
use crate::domain::organization::{OrgPlace, Organization};
use crate::domain::policy::{
    Access, Caller, Denial, Holder, Kind, Listing, Operation, Scope, Target,
};
use crate::domain::policy::{admit, authorize, reach};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::store;
use crate::store::disclosures::Shown;
use crate::store::visibility::{OrgScope, Visibility};

/// A target the caller may act on, with its organisation and the view the
/// policy gave.
pub struct Permitted<T> {
    pub item: T,
    pub organization: Organization,
    pub view: Access,
}

/// A denial as the caller hears it, naming what it asked for when that
/// answers as if it did not exist.
fn denied(denial: Denial, what: &'static str) -> AppError {
    match denial {
        Denial::NotFound => AppError::NotFound(what),
        other => other.into(),
    }
}

/// Asks the policy about `item` of `organization`, as `target` describes it.
fn permit<T>(
    caller: &Caller,
    operation: Operation,
    what: &'static str,
    item: T,
    organization: Organization,
    target: impl for<'p> FnOnce(&T, &'p OrgPlace) -> Target<'p>,
) -> AppResult<Permitted<T>> {
    let view = authorize(caller, operation, target(&item, &organization.place))
        .map_err(|d| denied(d, what))?;
    Ok(Permitted {
        item,
        organization,
        view,
    })
}

/// Asks the policy about something that belongs to no organisation.
pub fn deployment(caller: &Caller, operation: Operation) -> AppResult<()> {
    authorize(caller, operation, Target::Deployment).map_err(|d| denied(d, "对象"))?;
    Ok(())
}

async fn organization_of(db: &impl ConnectionTrait, id: i64) -> AppResult<Organization> {
    store::organizations::find(db, id)
        .await?
        .ok_or(AppError::NotFound("机构"))
}

/// What of an organisation an operation is about.
#[derive(Clone, Copy, Debug)]
pub enum Concerning {
    /// The organisation as the place where something is created.
    Itself,
    Statistics,
    AnnualReport {
        year_ended: bool,
    },
}

impl Concerning {
    fn target(self, place: &OrgPlace) -> Target<'_> {
        match self {
            Concerning::Itself => Target::Organization(place),
            Concerning::Statistics => Target::Statistics(place),
            Concerning::AnnualReport { year_ended } => Target::AnnualReport { place, year_ended },
        }
    }
}

/// An organisation, as the place where the operation happens.
pub async fn organization(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    id: i64,
    concerning: Concerning,
) -> AppResult<(Organization, Access)> {
    let organization = organization_of(db, id).await?;
    let view = authorize(caller, operation, concerning.target(&organization.place))
        .map_err(|d| denied(d, "机构"))?;
    Ok((organization, view))
}

/// How a disclosure is asked for.
pub enum DisclosureKey<'a> {
    Id(i64),
    IndexNo(&'a str),
}

pub async fn disclosure(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    key: DisclosureKey<'_>,
) -> AppResult<Permitted<Disclosure>> {
    let permitted = shown_disclosure(db, caller, operation, key).await?;
    Ok(Permitted {
        item: permitted.item.disclosure,
        organization: permitted.organization,
        view: permitted.view,
    })
}

/// `disclosure`, with its category too; the disclosure, its organisation
/// and its category are read in one statement.
pub async fn shown_disclosure(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    key: DisclosureKey<'_>,
) -> AppResult<Permitted<Shown>> {
    const WHAT: &str = "公开信息";
    admit(caller, Kind::Disclosure)?;
    let found = match key {
        DisclosureKey::Id(id) => store::disclosures::find_shown(db, id).await?,
        DisclosureKey::IndexNo(index_no) => {
            store::disclosures::find_shown_by_index_no(db, index_no).await?
        }
    };
    let item = found.ok_or(AppError::NotFound(WHAT))?;
    let organization = item.organization.clone();
    permit(
        caller,
        operation,
        WHAT,
        item,
        organization,
        |item, place| Target::Disclosure {
            place,
            status: item.disclosure.status,
        },
    )
}

pub async fn application(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    id: i64,
) -> AppResult<Permitted<Application>> {
    const WHAT: &str = "申请";
    admit(caller, Kind::Application)?;
    let item = store::applications::find(db, id)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let organization = organization_of(db, item.organization_id).await?;
    permit(caller, operation, WHAT, item, organization, |_, place| {
        Target::Application(place)
    })
}

pub async fn user(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    id: i64,
) -> AppResult<Permitted<User>> {
    const WHAT: &str = "用户";
    admit(caller, Kind::User)?;
    let item = store::users::find(db, id)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let organization = organization_of(db, item.organization_id).await?;
    permit(
        caller,
        operation,
        WHAT,
        item,
        organization,
        |item, place| Target::User {
            place,
            role: item.role,
        },
    )
}

/// A review or lawsuit, judged as the application it is about.
pub async fn legal_challenge(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    id: i64,
) -> AppResult<Permitted<LegalChallenge>> {
    const WHAT: &str = "复议或诉讼记录";
    admit(caller, Kind::Application)?;
    let item = store::legal_challenges::find(db, id)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let application = store::applications::find(db, item.application_id)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let organization = organization_of(db, application.organization_id).await?;
    permit(caller, operation, WHAT, item, organization, |_, place| {
        Target::Application(place)
    })
}

/// An attachment, judged by its kind and what it hangs on (the holder's
/// organisation and, for a disclosure, its status and whether the file was
/// hidden on its own).
pub async fn attachment(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    item: Attachment,
) -> AppResult<Permitted<Attachment>> {
    const WHAT: &str = "文件";
    admit(caller, Kind::Attachment).map_err(|d| denied(d, WHAT))?;
    let (organization_id, holder) = match item.to {
        AttachedTo::Disclosure(id) => {
            let disclosure = store::disclosures::find(db, id)
                .await?
                .ok_or(AppError::NotFound(WHAT))?;
            let holder = Holder::Disclosure {
                status: disclosure.status,
                hidden: item.hidden_reason.is_some(),
            };
            (disclosure.organization_id, holder)
        }
        AttachedTo::Application(id) => {
            let application = store::applications::find(db, id)
                .await?
                .ok_or(AppError::NotFound(WHAT))?;
            (application.organization_id, Holder::Application)
        }
    };
    let organization = organization_of(db, organization_id).await?;
    permit(
        caller,
        operation,
        WHAT,
        item,
        organization,
        |item, place| Target::Attachment {
            place,
            kind: item.kind,
            holder,
        },
    )
}

/// What a list may show the caller, as the store filters it, and the view
/// of each item.
pub async fn visibility(
    db: &impl ConnectionTrait,
    caller: &Caller,
    listing: Listing,
) -> AppResult<(Visibility, Access)> {
    let reach = reach(caller, listing)?;
    let visibility = match reach.scope {
        Scope::PublishedOnly => Visibility::PublishedOnly,
        Scope::Own(id) => Visibility::PublishedOrWithin(OrgScope::One(id)),
        Scope::Subtree(id) => {
            let organization = organization_of(db, id).await?;
            Visibility::PublishedOrWithin(OrgScope::below(&organization.place))
        }
        Scope::Everything => Visibility::Everything,
    };
    Ok((visibility, reach.view))
}
