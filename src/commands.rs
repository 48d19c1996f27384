//! What each subcommand does.

use std::io::{Read, Write};

use crate::clock::{Clock, SystemClock};
use crate::config::{
    CalendarCommand, Command, CreateOrganizationArgs, CreateUserArgs, ExportCommand, FilesCommand,
    ImportArgs, ImportCommand, KindArg, RoleArg, SeedCommand, ServeArgs, TemplateArgs,
    TemplateKind,
};
use crate::demo;
use crate::domain::calendar_file;
use crate::domain::import::ImportKind;
use crate::domain::organization::{NewOrganization, Organization, OrganizationKind};
use crate::domain::policy::Caller;
use crate::domain::user::Role;
use crate::error::AppError;
use crate::seed::{self, SyntheticSize};
use crate::service::accounts::{self, UserRequest};
use crate::service::progress::Progress;
use crate::service::{calendar, files, organizations};
use crate::spreadsheet;
use crate::startup::{App, StartupError, open_database, open_file_store};
use crate::store;
use crate::{api, auth::password::PasswordHasher};

pub async fn run(command: Command) -> Result<(), StartupError> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(args) => open_database(&args.database_url).await.map(|_| ()),
        Command::CreateOrganization(args) => create_organization(args).await,
        Command::CreateUser(args) => create_user(args).await,
        Command::Seed(SeedCommand::Synthetic(args)) => {
            let db = open_database(&args.database.database_url).await?;
            let size = SyntheticSize {
                organizations: args.organizations,
                disclosures: args.disclosures,
                applications: args.applications,
                seed: args.seed,
            };
            let started = std::time::Instant::now();
            seed::synthetic(&db, size, SystemClock.now(), &*crate::progress::on_stderr())
                .await
                .map_err(command_error)?;
            println!(
                "synthetic data loaded in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::ExportSchema => {
            print!("{}", api::sdl());
            Ok(())
        }
        Command::Calendar(command) => {
            calendar_command(command, &SystemClock, &mut std::io::stdout()).await
        }
        Command::Import(ImportCommand::Template(args)) => write_template(args),
        Command::Import(ImportCommand::Disclosures(args)) => {
            import_command(
                ImportKind::Disclosures,
                args,
                &SystemClock,
                &*crate::progress::on_stderr(),
                &mut std::io::stdout(),
            )
            .await
        }
        Command::Import(ImportCommand::Applications(args)) => {
            import_command(
                ImportKind::Applications,
                args,
                &SystemClock,
                &*crate::progress::on_stderr(),
                &mut std::io::stdout(),
            )
            .await
        }
        Command::Export(command) => {
            export_command(
                command,
                &*crate::progress::on_stderr(),
                &mut std::io::stdout(),
            )
            .await
        }
        Command::SweepReminders(args) => sweep_reminders(args).await,
        Command::Files(command) => {
            files_command(command, &SystemClock, &mut std::io::stdout()).await
        }
    }
}

/// `gongkai files check|gc` on `clock`, writing its report to `out`. A
/// check that finds a problem fails (non-zero exit).
pub async fn files_command(
    command: FilesCommand,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> Result<(), StartupError> {
    let (FilesCommand::Check(args) | FilesCommand::Gc(args)) = &command;
    let db = open_database(&args.database.database_url).await?;
    let blobs = open_file_store(&args.files, &args.database.database_url)?;
    let written = match command {
        FilesCommand::Check(_) => {
            let report = files::check(&db, &blobs).await.map_err(command_error)?;
            for problem in &report.problems {
                writeln!(out, "{problem}")
                    .map_err(|e| StartupError::Command(format!("cannot write: {e}")))?;
            }
            let summary = format!(
                "{} file rows, {} blobs; {} problem(s); {} blob(s) without rows and {} unfinished upload(s) for the sweep",
                report.files,
                report.blobs,
                report.problems.len(),
                report.unreferenced_blobs,
                report.leftovers
            );
            if !report.problems.is_empty() {
                return Err(StartupError::Command(summary));
            }
            writeln!(out, "{summary}")
        }
        FilesCommand::Gc(_) => {
            let swept = files::sweep(&db, &blobs, clock.now())
                .await
                .map_err(command_error)?;
            writeln!(
                out,
                "removed {} unreferenced public upload(s), {} blob(s) without rows, {} unfinished upload(s)",
                swept.pending_files, swept.blobs, swept.leftovers
            )
        }
    };
    written.map_err(|e| StartupError::Command(format!("cannot write the output: {e}")))
}

impl From<TemplateKind> for ImportKind {
    fn from(kind: TemplateKind) -> Self {
        match kind {
            TemplateKind::Disclosures => ImportKind::Disclosures,
            TemplateKind::Applications => ImportKind::Applications,
        }
    }
}

/// `gongkai import template …`: the empty XLSX with one example row.
fn write_template(args: TemplateArgs) -> Result<(), StartupError> {
    let kind = ImportKind::from(args.kind);
    let path = args
        .output
        .unwrap_or_else(|| format!("模板-{}.xlsx", kind.sheet_name()).into());
    let bytes = spreadsheet::template(kind)
        .map_err(|e| StartupError::Command(format!("cannot build the template: {e}")))?;
    std::fs::write(&path, bytes)
        .map_err(|e| StartupError::Command(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// `gongkai import disclosures|applications FILE` on `clock`: the report
/// (every problem with its row and column) and the summary to `out`;
/// without errors and without `--dry-run`, the whole file is imported.
/// Fails (non-zero exit) when the file has an error. The command acts as
/// the operator: any organisation, as ADMIN would.
pub async fn import_command(
    kind: ImportKind,
    args: ImportArgs,
    clock: &dyn Clock,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<(), StartupError> {
    use crate::service::imports::{self, ImportRequest};
    let path = args.file.display().to_string();
    let bytes = std::fs::read(&args.file)
        .map_err(|e| StartupError::Command(format!("cannot read {path}: {e}")))?;
    let db = open_database(&args.database.database_url).await?;
    let secret = match &args.jwt_secret {
        Some(secret) => secrecy::ExposeSecret::expose_secret(secret)
            .as_bytes()
            .to_vec(),
        None => crate::startup::stored_secret(&db).await?,
    };
    let keys = crate::auth::keys::DataKeys::derive(&secret);
    let organization_id = match &args.organization {
        Some(code) => Some(organization_by_code(&db, code).await?.id),
        None => None,
    };
    let request = ImportRequest {
        kind,
        bytes: &bytes,
        encoding: args.encoding,
        organization_id,
        dry_run: args.dry_run,
    };
    let report = imports::import(
        &db,
        &keys,
        &Caller::Operator,
        request,
        clock.now(),
        progress,
    )
    .await
    .map_err(command_error)?;
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| StartupError::Command(format!("cannot write: {e}")))
    };
    for problem in &report.problems {
        write(out, format!("{path} {problem}"))?;
    }
    let counts = &report.counts;
    let (create, update) = if report.applied {
        ("created", "updated")
    } else {
        ("would create", "would update")
    };
    let summary = format!(
        "{path}: {} rows read, {create} {}, {update} {}, unchanged {}, errors {}, warnings {}",
        counts.rows,
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.errors,
        counts.warnings
    );
    if report.has_errors() {
        return Err(StartupError::Command(format!(
            "{summary}\nnothing was imported: correct the rows above and run again"
        )));
    }
    write(out, summary)?;
    if report.applied && counts.created + counts.updated == 0 {
        write(
            out,
            "every row is as imported before: nothing changed".to_owned(),
        )
    } else if report.applied {
        write(
            out,
            format!("imported (file SHA-256 {})", report.file_sha256),
        )
    } else {
        write(out, "dry run: nothing was written".to_owned())
    }
}

/// `gongkai export disclosures|applications`: the organisation's catalogue
/// or ledger of the year as XLSX in the import template, to `--out`; the
/// steps the template cannot hold are listed (and left out).
pub async fn export_command(
    command: ExportCommand,
    progress: &dyn Progress,
    out: &mut dyn Write,
) -> Result<(), StartupError> {
    use crate::service::exports::{self, ExportRequest};
    let (kind, args) = match command {
        ExportCommand::Disclosures(args) => (ImportKind::Disclosures, args),
        ExportCommand::Applications(args) => (ImportKind::Applications, args),
    };
    let db = open_database(&args.database.database_url).await?;
    let organization = organization_by_code(&db, &args.organization).await?;
    let request = ExportRequest {
        kind,
        organization_id: organization.id,
        year: args.year,
    };
    let exported = exports::export(&db, &Caller::Operator, request, progress)
        .await
        .map_err(command_error)?;
    let path = args.out.unwrap_or_else(|| exported.filename.clone().into());
    std::fs::write(&path, &exported.bytes)
        .map_err(|e| StartupError::Command(format!("cannot write {}: {e}", path.display())))?;
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| StartupError::Command(format!("cannot write: {e}")))
    };
    for step in &exported.left_out {
        write(out, format!("left out: {step}"))?;
    }
    write(
        out,
        format!("wrote {} rows to {}", exported.rows, path.display()),
    )
}

/// The organisation with this code, or the command's error.
async fn organization_by_code(
    db: &sea_orm::DatabaseConnection,
    code: &str,
) -> Result<Organization, StartupError> {
    store::organizations::find_by_code(db, code)
        .await
        .map_err(command_error)?
        .ok_or_else(|| StartupError::Command(format!("no organisation has the code {code}")))
}

/// `gongkai sweep-reminders`: two sweeps, each with its time, the
/// applications it looked at, the reminders it created and the SQL
/// statements it sent (BENCHMARKS.md).
async fn sweep_reminders(args: crate::config::DatabaseArgs) -> Result<(), StartupError> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut db = open_database(&args.database_url).await?;
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    for run in ["first", "second"] {
        let before = statements.load(Ordering::SeqCst);
        let started = std::time::Instant::now();
        let swept = crate::service::reminders::sweep(&db, SystemClock.now())
            .await
            .map_err(command_error)?;
        println!(
            "{run} sweep: {:.3} s, {} applications looked at, {} reminders created, {} statements",
            started.elapsed().as_secs_f64(),
            swept.applications,
            swept.created.len(),
            statements.load(Ordering::SeqCst) - before
        );
    }
    Ok(())
}

/// `gongkai calendar …` on `clock`, writing its report or its CSV to `out`
/// (the tests run it at their server's instant and read what it wrote).
pub async fn calendar_command(
    command: CalendarCommand,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> Result<(), StartupError> {
    let written = match command {
        CalendarCommand::Import(args) => {
            let path = args.file.display().to_string();
            let text = std::fs::read_to_string(&args.file)
                .map_err(|e| StartupError::Command(format!("cannot read {path}: {e}")))?;
            // Every row is checked before the database is even opened.
            let file = calendar_file::read(&text).map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(|e| format!("  {path} {e}")).collect();
                StartupError::Command(format!(
                    "{path}: nothing was imported; {} row(s) refused:\n{}",
                    errors.len(),
                    lines.join("\n")
                ))
            })?;
            let db = open_database(&args.database.database_url).await?;
            let imported = calendar::import(&db, &Caller::Operator, &file, clock.now())
                .await
                .map_err(command_error)?;
            let years: Vec<String> = imported.years.iter().map(i32::to_string).collect();
            writeln!(
                out,
                "imported {} days replacing the calendar of {}; {} open deadlines recalculated",
                imported.days,
                years.join(", "),
                imported.moved_deadlines
            )
        }
        CalendarCommand::Export(args) => {
            let db = open_database(&args.database.database_url).await?;
            let days = calendar::days_of_year(&db, args.year)
                .await
                .map_err(command_error)?;
            if days.is_empty() {
                return Err(StartupError::Command(format!(
                    "the calendar holds no day of {}: that year is not announced",
                    args.year
                )));
            }
            out.write_all(calendar_file::write(&days).as_bytes())
        }
    };
    written.map_err(|e| StartupError::Command(format!("cannot write the output: {e}")))
}

async fn serve(args: ServeArgs) -> Result<(), StartupError> {
    let app = App::build(&args).await?;
    if args.demo {
        println!("Demo accounts (demo mode only):");
        for account in &demo::ACCOUNTS {
            println!(
                "  {:<16} {:<20} {:<9} {}",
                account.username,
                account.password,
                account.role.as_str(),
                account.organization
            );
        }
    }
    println!("gongkai listening on http://{}/graphql", app.local_addr());
    app.run_until(shutdown_signal())
        .await
        .map_err(|e| StartupError::Command(format!("server stopped: {e}")))
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("a SIGTERM handler can be installed");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down: finishing in-flight requests");
}

fn command_error(err: AppError) -> StartupError {
    StartupError::Command(match &err {
        AppError::BadUserInput { field, message } => format!("{field}: {message}"),
        AppError::InvalidFields(problems) => problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Internal(cause) => format!("internal error: {cause}"),
        other => other.to_string(),
    })
}

async fn create_organization(args: CreateOrganizationArgs) -> Result<(), StartupError> {
    let db = open_database(&args.database.database_url).await?;
    let parent_id = match &args.parent {
        Some(code) => Some(organization_by_code(&db, code).await?.id),
        None => None,
    };
    let kind = match args.kind {
        KindArg::District => OrganizationKind::District,
        KindArg::Town => OrganizationKind::Town,
        KindArg::Street => OrganizationKind::Street,
        KindArg::Department => OrganizationKind::Department,
    };
    let new = NewOrganization {
        code: args.code,
        name: args.name,
        kind,
        has_parent: parent_id.is_some(),
    };
    let org = organizations::create(&db, &Caller::Operator, new, parent_id, SystemClock.now())
        .await
        .map_err(command_error)?;
    println!("created organisation {} ({})", org.code, org.id);
    Ok(())
}

async fn create_user(args: CreateUserArgs) -> Result<(), StartupError> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|e| {
            StartupError::Command(format!("cannot read the password from standard input: {e}"))
        })?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let db = open_database(&args.database.database_url).await?;
    let org = organization_by_code(&db, &args.organization).await?;
    let role = match args.role {
        RoleArg::Clerk => Role::Clerk,
        RoleArg::Approver => Role::Approver,
        RoleArg::OrgAdmin => Role::OrgAdmin,
        RoleArg::Oversight => Role::Oversight,
        RoleArg::Admin => Role::Admin,
    };
    let request = UserRequest {
        username: args.username,
        display_name: args.display_name,
        password,
        role,
        organization_id: org.id,
    };
    let user = accounts::create_user(
        &db,
        &PasswordHasher::default(),
        &Caller::Operator,
        request,
        SystemClock.now(),
    )
    .await
    .map_err(command_error)?;
    println!("created user {} ({})", user.username, user.id);
    Ok(())
}
