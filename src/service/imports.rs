//! Importing a town's spreadsheets (台账; DESIGN.md, "Importing"): every
//! row is checked first (the domain's row checks, then what only the
//! database knows: rows imported before, index numbers taken), and only a
//! file without errors is applied — all of it, in one transaction.
//! Applications go through the deadline engine event by event, as when
//! entered live; disclosures keep their old 索引号 and the organisation's
//! own sequence moves past the numbers of its shape.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use sha2::{Digest, Sha256};

use crate::auth::keys::DataKeys;
use crate::domain::applicant::applicant_key;
use crate::domain::application::{Application, Event};
use crate::domain::calendar::{WorkingCalendar, china_date};
use crate::domain::deadline::Deadline;
use crate::domain::disclosure::Category;
use crate::domain::import::applications::{
    ApplicationContext, ApplicationRow, ImportedEvent, Reconciled, reconcile,
};
use crate::domain::import::cells::Cell;
use crate::domain::import::disclosures::{DisclosureContext, DisclosureRow};
use crate::domain::import::export::{application_row, disclosure_row};
use crate::domain::import::headers::{ColumnMap, EXTERNAL_NO, INDEX_NO, TITLE};
use crate::domain::import::{Change, Counts, ImportKind, Problem, Severity, change};
use crate::domain::intake::Intake;
use crate::domain::numbering;
use crate::domain::organization::Organization;
use crate::domain::policy::{Caller, Operation};
use crate::domain::query_code;
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::access::{self, Concerning};
use crate::service::progress::{Progress, Silent};
use crate::spreadsheet::{self, Encoding};
use crate::store;
use crate::store::applications::{NewApplication, NewEvent, StepChanges};
use crate::store::disclosures::NewDisclosure;
use crate::store::imports::{Provenance, Recorded};

/// What to import.
pub struct ImportRequest<'a> {
    pub kind: ImportKind,
    pub bytes: &'a [u8],
    pub encoding: Encoding,
    /// The organisation imported into; disclosures may instead name theirs
    /// row by row (发布机构代码), applications need it.
    pub organization_id: Option<i64>,
    /// Check and count, write nothing.
    pub dry_run: bool,
}

/// What happens (or would happen) to one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowChange {
    pub row: usize,
    /// The old number or index number it is matched by.
    pub key: String,
    pub change: Change,
}

/// The report of an import: every problem with its row and column, what
/// each row without error becomes, and the counts.
#[derive(Clone, Debug)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub file_sha256: String,
    pub problems: Vec<Problem>,
    pub rows: Vec<RowChange>,
    pub counts: Counts,
    /// Whether the rows were written: no error and not a dry run.
    pub applied: bool,
}

impl ImportReport {
    fn new(kind: ImportKind, file_sha256: String) -> Self {
        ImportReport {
            kind,
            file_sha256,
            problems: Vec::new(),
            rows: Vec::new(),
            counts: Counts::default(),
            applied: false,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    fn count(&mut self) {
        let of = |change| self.rows.iter().filter(|r| r.change == change).count();
        self.counts.created = of(Change::Create);
        self.counts.updated = of(Change::Update);
        self.counts.unchanged = of(Change::Unchanged);
        self.counts.errors = self.problems.iter().filter(|p| p.is_error()).count();
        self.counts.warnings = self.problems.len() - self.counts.errors;
        self.problems.sort_by_key(|p| p.row);
    }
}

/// Reads, checks and (unless a dry run, and only without errors) applies
/// a spreadsheet. FORBIDDEN when the caller may not import into an
/// organisation the file concerns.
pub async fn import(
    db: &DatabaseConnection,
    keys: &DataKeys,
    caller: &Caller,
    request: ImportRequest<'_>,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> AppResult<ImportReport> {
    let kind = request.kind;
    let mut report = ImportReport::new(kind, hex::encode(Sha256::digest(request.bytes)));
    let organization = match request.organization_id {
        Some(id) => Some(permitted(db, caller, id).await?),
        None if kind == ImportKind::Applications => {
            return Err(AppError::bad_input(
                "organizationId",
                "导入依申请公开台账须指定机构",
            ));
        }
        None => None,
    };
    progress.start("reading", 0);
    let table = spreadsheet::read(request.bytes, request.encoding);
    progress.finish();
    let table = match table {
        Ok(table) => table,
        Err(message) => {
            report
                .problems
                .push(Problem::new(1, None, Severity::Error, message));
            report.count();
            return Ok(report);
        }
    };
    report.counts.rows = table.rows.len();
    let (map, problems) = ColumnMap::match_headers(kind.columns(), &table.headers);
    report.problems.extend(problems);
    let provenance = Provenance {
        imported_by: caller.user_id(),
        file_sha256: &report.file_sha256.clone(),
        now,
    };
    let today = china_date(now);
    // Rows are read only after the headers are known good: a missing
    // column would otherwise repeat on every row.
    if report.has_errors() {
        report.count();
        return Ok(report);
    }
    let within = Within {
        map: &map,
        today,
        progress,
    };
    let plan = match kind {
        ImportKind::Disclosures => {
            let organizations = store::organizations::list(db).await?;
            let plan = check_disclosures(
                db,
                caller,
                &within,
                &table.rows,
                organization.as_ref(),
                &organizations,
                &mut report,
            )
            .await?;
            Plan::Disclosures(plan, organizations)
        }
        ImportKind::Applications => {
            let organization = organization.expect("applications name their organisation");
            let calendar = store::calendar::load(db).await?;
            let plan = check_applications(
                db,
                &within,
                &table.rows,
                &organization,
                &calendar,
                &mut report,
            )
            .await?;
            Plan::Applications(plan, Box::new(organization), calendar)
        }
    };
    report.count();
    if report.has_errors() || request.dry_run {
        return Ok(report);
    }
    let txn = store::begin_write(db).await?;
    match plan {
        Plan::Disclosures(plan, organizations) => {
            progress.start("writing", plan.len() as u64);
            apply_disclosures(&txn, plan, &organizations, &provenance, progress).await?
        }
        Plan::Applications(plan, organization, calendar) => {
            progress.start("writing", plan.len() as u64);
            let target = Target {
                keys,
                organization: &organization,
                calendar: &calendar,
            };
            apply_applications(&txn, &target, plan, &provenance, progress).await?
        }
    }
    txn.commit().await?;
    progress.finish();
    report.applied = true;
    Ok(report)
}

/// `import` of a file uploaded with `POST /files` (the staff app): the
/// caller must be allowed to import into the organisation before the file
/// is even read.
pub async fn import_upload(
    services: &Services,
    caller: &Caller,
    file_id: i64,
    kind: ImportKind,
    organization_id: i64,
    dry_run: bool,
    now: DateTime<Utc>,
) -> AppResult<ImportReport> {
    permitted(&services.db, caller, organization_id).await?;
    let bytes = super::files::uploaded_bytes(services, caller, file_id).await?;
    let request = ImportRequest {
        kind,
        bytes: &bytes,
        encoding: Encoding::Auto,
        organization_id: Some(organization_id),
        dry_run,
    };
    import(&services.db, &services.keys, caller, request, now, &Silent).await
}

/// An organisation the caller may import into.
async fn permitted(db: &DatabaseConnection, caller: &Caller, id: i64) -> AppResult<Organization> {
    let (organization, _) = access::organization(
        db,
        caller,
        Operation::ImportSpreadsheet,
        id,
        Concerning::Itself,
    )
    .await?;
    Ok(organization)
}

/// What every row is checked within: the file's columns, the day, who watches.
struct Within<'a> {
    map: &'a ColumnMap,
    today: chrono::NaiveDate,
    progress: &'a dyn Progress,
}

/// Where applications are written: the organisation, its calendar, the keys of intake.
struct Target<'a> {
    keys: &'a DataKeys,
    organization: &'a Organization,
    calendar: &'a WorkingCalendar,
}

/// (The organisation is boxed: with its contact details it is the largest part.)
enum Plan {
    Disclosures(Vec<Planned<DisclosureRow>>, Vec<Organization>),
    Applications(
        Vec<Planned<ApplicationRow>>,
        Box<Organization>,
        WorkingCalendar,
    ),
}

/// A checked row and what applying it does.
struct Planned<R> {
    row: R,
    action: Action,
}

enum Action {
    Create,
    /// Rewrite the target recorded before; for applications, append these events.
    Update {
        recorded: Recorded,
        events: Vec<ImportedEvent>,
    },
}

/// Rows of the same file with the same key: the first one stands, the others are errors.
fn duplicate(seen: &mut HashMap<String, usize>, key: &str, row: usize) -> Option<usize> {
    match seen.get(key) {
        Some(first) => Some(*first),
        None => {
            seen.insert(key.to_owned(), row);
            None
        }
    }
}

async fn check_disclosures(
    db: &DatabaseConnection,
    caller: &Caller,
    within: &Within<'_>,
    rows: &[Vec<Cell>],
    organization: Option<&Organization>,
    organizations: &[Organization],
    report: &mut ImportReport,
) -> AppResult<Vec<Planned<DisclosureRow>>> {
    let codes: HashMap<String, i64> = organizations
        .iter()
        .map(|o| (o.code.clone(), o.id))
        .collect();
    let categories = store::categories::list(db).await?;
    let context = DisclosureContext {
        default_organization: organization.map(|o| o.code.as_str()),
        organizations: &codes,
        categories: &categories,
        today: within.today,
    };
    let mut checked = Vec::new();
    let mut seen = HashMap::new();
    within.progress.start("checking", rows.len() as u64);
    for (index, cells) in rows.iter().enumerate() {
        within.progress.advance(1);
        let number = index + 2;
        let (row, problems) =
            crate::domain::import::disclosures::check(within.map, cells, number, &context);
        report.problems.extend(problems);
        let Some(row) = row else { continue };
        if let Some(first) = duplicate(&mut seen, &row.key, number) {
            let column = if row.index_no.is_some() {
                INDEX_NO
            } else {
                TITLE
            };
            report.problems.push(Problem::error(
                number,
                column,
                format!("与第{first}行重复（同一索引号或同一标题和发布日期）"),
            ));
            continue;
        }
        checked.push(row);
    }
    within.progress.finish();
    // Every organisation the rows publish for must be one the caller may import into.
    let concerned: BTreeSet<i64> = checked.iter().map(|r| r.organization_id).collect();
    for id in &concerned {
        if organization.is_none_or(|o| o.id != *id) {
            permitted(db, caller, *id).await?;
        }
    }
    let concerned: Vec<i64> = concerned.into_iter().collect();
    let recorded = store::imports::recorded(db, ImportKind::Disclosures, &concerned).await?;
    let index_nos: Vec<&str> = checked
        .iter()
        .filter_map(|r| r.index_no.as_deref())
        .collect();
    let holders = store::imports::index_no_holders(db, &index_nos).await?;
    let stored = StoredDisclosures {
        context: &context,
        organizations,
        categories: &categories,
    };
    let mut planned = Vec::new();
    for row in checked {
        let earlier = recorded.get(&(row.organization_id, row.key.clone()));
        let holder = row.index_no.as_deref().and_then(|no| holders.get(no));
        // A disclosure exported from here comes back with its index number:
        // the one holding it is that row when it already says the same.
        let same_as_stored = match holder.or(earlier.map(|e| &e.target_id)) {
            Some(id) if earlier.is_none_or(|e| e.fingerprint != row.fingerprint) => {
                stored.fingerprint(db, *id, row.row).await? == Some(row.fingerprint.clone())
            }
            _ => false,
        };
        if let Some(index_no) = &row.index_no
            && let Some(holder) = holder
            && earlier.is_none_or(|e| e.target_id != *holder)
            && !same_as_stored
        {
            report.problems.push(Problem::error(
                row.row,
                INDEX_NO,
                format!("索引号 {index_no} 已被目录中的另一条信息使用"),
            ));
            continue;
        }
        let found = if same_as_stored {
            Change::Unchanged
        } else {
            change(earlier.map(|e| e.fingerprint.as_str()), &row.fingerprint)
        };
        report.rows.push(RowChange {
            row: row.row,
            key: row.key.clone(),
            change: found,
        });
        let action = match (found, earlier) {
            (Change::Unchanged, _) => continue,
            (Change::Update, Some(recorded)) => Action::Update {
                recorded: recorded.clone(),
                events: Vec::new(),
            },
            _ => Action::Create,
        };
        planned.push(Planned { row, action });
    }
    Ok(planned)
}

/// What a stored disclosure is checked as, to compare it with a row.
struct StoredDisclosures<'a> {
    context: &'a DisclosureContext<'a>,
    organizations: &'a [Organization],
    categories: &'a [Category],
}

impl StoredDisclosures<'_> {
    /// The fingerprint of disclosure `id` as the row export writes for it.
    async fn fingerprint(
        &self,
        db: &DatabaseConnection,
        id: i64,
        row: usize,
    ) -> AppResult<Option<String>> {
        let Some(disclosure) = store::disclosures::find(db, id).await? else {
            return Ok(None);
        };
        let organization = self
            .organizations
            .iter()
            .find(|o| o.id == disclosure.organization_id);
        let category = self
            .categories
            .iter()
            .find(|c| c.id == disclosure.category_id);
        let (Some(organization), Some(category)) = (organization, category) else {
            return Ok(None);
        };
        let cells = disclosure_row(&disclosure, &organization.code, category);
        let map = ColumnMap::template(ImportKind::Disclosures.columns());
        let (checked, _) =
            crate::domain::import::disclosures::check(&map, &cells, row, self.context);
        Ok(checked.map(|c| c.fingerprint))
    }
}

/// The sequence number of an index number of gongkai's own shape for
/// `code` (`PYNC/2025-00012` → (2025, 12)).
fn own_index_no(code: &str, index_no: &str) -> Option<(i32, i32)> {
    let rest = index_no.strip_prefix(code)?.strip_prefix('/')?;
    let (year, sequence) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(year) && digits(sequence)).then_some(())?;
    Some((year.parse().ok()?, sequence.parse().ok()?))
}

async fn apply_disclosures(
    txn: &DatabaseTransaction,
    plan: Vec<Planned<DisclosureRow>>,
    organizations: &[Organization],
    provenance: &Provenance<'_>,
    progress: &dyn Progress,
) -> AppResult<()> {
    let code_of: HashMap<i64, &str> = organizations
        .iter()
        .map(|o| (o.id, o.code.as_str()))
        .collect();
    // Old numbers of gongkai's shape first move the counters past them, so
    // that numbers assigned below (and after the import) never collide.
    let mut highest: HashMap<String, i32> = HashMap::new();
    for planned in &plan {
        let row = &planned.row;
        if let Some((year, sequence)) = row
            .index_no
            .as_deref()
            .and_then(|no| own_index_no(&row.organization_code, no))
        {
            let scope = numbering::index_no_scope(row.organization_id, year);
            let top = highest.entry(scope).or_default();
            *top = (*top).max(sequence);
        }
    }
    for (scope, sequence) in &highest {
        store::sequences::raise_to(txn, scope, *sequence).await?;
    }
    for Planned { row, action } in plan {
        progress.advance(1);
        let new = NewDisclosure {
            organization_id: row.organization_id,
            category_id: row.category_id,
            content: row.content,
        };
        match action {
            Action::Create => {
                let index = match row.index_no {
                    Some(old) => old,
                    None => {
                        let year = row.published_on.year();
                        let scope = numbering::index_no_scope(row.organization_id, year);
                        let sequence = store::sequences::next(txn, &scope).await?;
                        let code = code_of.get(&row.organization_id).copied().unwrap_or("");
                        numbering::index_no(code, year, sequence)
                    }
                };
                let stored = store::disclosures::insert_published(
                    txn,
                    new,
                    index,
                    row.published_on,
                    provenance.now,
                )
                .await?;
                store::imports::record(
                    txn,
                    ImportKind::Disclosures,
                    row.organization_id,
                    &row.key,
                    stored.id,
                    &row.fingerprint,
                    provenance,
                )
                .await?;
            }
            Action::Update { recorded, .. } => {
                store::disclosures::replace_content(txn, recorded.target_id, new, provenance.now)
                    .await?;
                store::imports::record_update(txn, recorded.id, &row.fingerprint, provenance)
                    .await?;
            }
        }
    }
    Ok(())
}

/// What intake recorded of an application, to reconcile a row with it.
fn intake_of(application: &Application) -> Intake {
    Intake {
        applicant: application.applicant.clone(),
        description: application.description.clone(),
        channel: application.channel,
        received_on: application.received_on,
    }
}

async fn check_applications(
    db: &DatabaseConnection,
    within: &Within<'_>,
    rows: &[Vec<Cell>],
    organization: &Organization,
    calendar: &WorkingCalendar,
    report: &mut ImportReport,
) -> AppResult<Vec<Planned<ApplicationRow>>> {
    let context = ApplicationContext {
        organization_id: organization.id,
        calendar,
        today: within.today,
    };
    let recorded =
        store::imports::recorded(db, ImportKind::Applications, &[organization.id]).await?;
    let mut seen = HashMap::new();
    let mut checked = Vec::new();
    within.progress.start("checking", rows.len() as u64);
    for (index, cells) in rows.iter().enumerate() {
        within.progress.advance(1);
        let number = index + 2;
        let (row, problems) =
            crate::domain::import::applications::check(within.map, cells, number, &context);
        report.problems.extend(problems);
        let Some(row) = row else { continue };
        if let Some(first) = duplicate(&mut seen, &row.external_no, number) {
            report.problems.push(Problem::error(
                number,
                EXTERNAL_NO,
                format!("原登记编号与第{first}行重复"),
            ));
            continue;
        }
        checked.push(row);
    }
    within.progress.finish();
    // A ledger exported from here names the applications entered live by
    // their tracking numbers.
    let unrecorded: Vec<&str> = checked
        .iter()
        .filter(|row| !recorded.contains_key(&(organization.id, row.external_no.clone())))
        .map(|row| row.external_no.as_str())
        .collect();
    let live = store::applications::by_tracking_nos(db, organization.id, &unrecorded).await?;
    let mut planned = Vec::new();
    for row in checked {
        let earlier = recorded.get(&(organization.id, row.external_no.clone()));
        let found = change(earlier.map(|e| e.fingerprint.as_str()), &row.fingerprint);
        let action = match (found, earlier) {
            (Change::Unchanged, _) => None,
            (Change::Update, Some(recorded)) => {
                let application = store::applications::find(db, recorded.target_id)
                    .await?
                    .ok_or_else(|| AppError::internal("an imported application vanished"))?;
                let events = store::applications::events(db, application.id).await?;
                if exported_fingerprint(&application, &events, &context, row.row)
                    == Some(row.fingerprint.clone())
                {
                    // Continued live since, and the row says what is stored.
                    report.rows.push(RowChange {
                        row: row.row,
                        key: row.external_no.clone(),
                        change: Change::Unchanged,
                    });
                    continue;
                }
                let steps: Vec<_> = events.into_iter().map(|e| (e.kind, e.on)).collect();
                match reconcile(&row, &intake_of(&application), &steps) {
                    Reconciled::Append(events) => Some(Action::Update {
                        recorded: recorded.clone(),
                        events,
                    }),
                    Reconciled::Refused(column, message) => {
                        report
                            .problems
                            .push(Problem::error(row.row, column, message));
                        continue;
                    }
                }
            }
            _ => match live.get(&row.external_no) {
                Some(application) => {
                    let events = store::applications::events(db, application.id).await?;
                    if exported_fingerprint(application, &events, &context, row.row)
                        != Some(row.fingerprint.clone())
                    {
                        report.problems.push(Problem::error(
                            row.row,
                            EXTERNAL_NO,
                            "该编号是在系统中登记的申请，与表中内容不同；请在系统中办理，不能通过导入修改",
                        ));
                        continue;
                    }
                    report.rows.push(RowChange {
                        row: row.row,
                        key: row.external_no.clone(),
                        change: Change::Unchanged,
                    });
                    continue;
                }
                None => Some(Action::Create),
            },
        };
        report.rows.push(RowChange {
            row: row.row,
            key: row.external_no.clone(),
            change: found,
        });
        if let Some(action) = action {
            planned.push(Planned { row, action });
        }
    }
    Ok(planned)
}

/// The fingerprint of a stored application as the row export writes for it.
fn exported_fingerprint(
    application: &Application,
    events: &[Event],
    context: &ApplicationContext<'_>,
    row: usize,
) -> Option<String> {
    let (cells, _) = application_row(application, events);
    let map = ColumnMap::template(ImportKind::Applications.columns());
    crate::domain::import::applications::check(&map, &cells, row, context)
        .0
        .map(|checked| checked.fingerprint)
}

/// The keyed hash of the applicant's document number, as intake keeps it.
fn key_of(keys: &DataKeys, intake: &Intake) -> Option<String> {
    let applicant = &intake.applicant;
    applicant
        .id_type
        .zip(applicant.id_number.as_deref())
        .map(|(kind, number)| applicant_key(&keys.applicant, kind, number))
}

/// Records `events` after the application's clock `deadline`, each with the clock after it.
async fn record_events(
    txn: &DatabaseTransaction,
    application_id: i64,
    deadline: &mut Deadline,
    events: Vec<ImportedEvent>,
    calendar: &WorkingCalendar,
    provenance: &Provenance<'_>,
) -> AppResult<()> {
    for imported in events {
        deadline.record(&imported.event, calendar)?;
        let event = NewEvent {
            kind: imported.event.kind,
            on: imported.event.on,
            override_due_on: None,
            actor_id: provenance.imported_by,
            note: imported.note,
        };
        store::applications::append_event(txn, application_id, event, deadline, provenance.now)
            .await?;
    }
    Ok(())
}

async fn apply_applications(
    txn: &DatabaseTransaction,
    target: &Target<'_>,
    plan: Vec<Planned<ApplicationRow>>,
    provenance: &Provenance<'_>,
    progress: &dyn Progress,
) -> AppResult<()> {
    let Target {
        keys,
        organization,
        calendar,
    } = *target;
    let now = provenance.now;
    for Planned { row, action } in plan {
        progress.advance(1);
        let changes = StepChanges {
            reply: row.reply.clone(),
            fee_yuan: row.fee_yuan,
        };
        match action {
            Action::Create => {
                let year = row.intake.received_on.year();
                let scope = numbering::tracking_no_scope(organization.id, year);
                let sequence = store::sequences::next(txn, &scope).await?;
                let tracking_no = numbering::tracking_no(&organization.code, year, sequence);
                // The applicant gets a query code when staff reissue one.
                let hash = query_code::hash(&keys.query_code, &query_code::generate());
                let mut deadline = Deadline::received(row.intake.received_on, calendar);
                let new = NewApplication {
                    organization_id: organization.id,
                    tracking_no,
                    query_code_hash: hash,
                    applicant_key: key_of(keys, &row.intake),
                    intake: row.intake,
                    client_request: None,
                    external_no: Some(row.external_no.clone()),
                };
                let stored = store::applications::insert(
                    txn,
                    new,
                    &deadline,
                    calendar,
                    provenance.imported_by,
                    now,
                )
                .await?;
                record_events(
                    txn,
                    stored.id,
                    &mut deadline,
                    row.events,
                    calendar,
                    provenance,
                )
                .await?;
                store::applications::save_state(
                    txn,
                    stored.id,
                    stored.version,
                    &deadline,
                    calendar,
                    changes,
                    now,
                )
                .await?;
                store::imports::record(
                    txn,
                    ImportKind::Applications,
                    organization.id,
                    &row.external_no,
                    stored.id,
                    &row.fingerprint,
                    provenance,
                )
                .await?;
            }
            Action::Update { recorded, events } => {
                let id = recorded.target_id;
                let locked = store::applications::find_for_update(txn, id).await?;
                let recorded_events = store::applications::events(txn, id).await?;
                let mut deadline = locked.deadline(&recorded_events, calendar)?;
                record_events(txn, id, &mut deadline, events, calendar, provenance).await?;
                store::applications::replace_intake(
                    txn,
                    id,
                    &row.intake,
                    key_of(keys, &row.intake),
                )
                .await?;
                store::applications::save_state(
                    txn,
                    id,
                    locked.version,
                    &deadline,
                    calendar,
                    changes,
                    now,
                )
                .await?;
                store::imports::record_update(txn, recorded.id, &row.fingerprint, provenance)
                    .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::own_index_no;

    #[test]
    fn index_numbers_of_gongkais_shape() {
        assert_eq!(own_index_no("PYNC", "PYNC/2025-00012"), Some((2025, 12)));
        assert_eq!(own_index_no("PYNC", "PYNC/2025-7"), Some((2025, 7)));
        assert_eq!(own_index_no("PYNC", "PYN/2025-00012"), None);
        assert_eq!(own_index_no("PYNC", "OLD/2025-003"), None);
        assert_eq!(own_index_no("PYNC", "PYNC/2025-0001a"), None);
        assert_eq!(own_index_no("PYNC", "PYNC/二〇二五-1"), None);
    }
}
