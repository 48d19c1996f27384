//! The command line. Every flag of `serve` can also come from the
//! environment; nothing else in the server reads environment variables.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/gongkai.db?mode=rwc";

#[derive(Parser, Debug)]
#[command(
    name = "gongkai",
    version,
    about = "GraphQL API for government information disclosure (政府信息公开)"
)]
pub struct Cli {
    /// How log lines are written: human text, or one JSON object per line.
    #[arg(
        long,
        global = true,
        env = "GONGKAI_LOG_FORMAT",
        value_enum,
        default_value_t
    )]
    pub log_format: crate::telemetry::LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once at start-up: the size of the serve arguments costs nothing.
#[expect(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run pending migrations, then serve the API.
    Serve(ServeArgs),
    /// Run pending migrations and exit.
    Migrate(DatabaseArgs),
    /// Create an organisation (how a fresh installation gets its district).
    CreateOrganization(CreateOrganizationArgs),
    /// Create a user; the password is read from standard input.
    CreateUser(CreateUserArgs),
    /// Print the GraphQL schema (SDL); schema.graphql is its output.
    ExportSchema,
    /// Fill a database with generated data.
    #[command(subcommand)]
    Seed(SeedCommand),
    /// The working calendar: import a year's notice, export a year.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Run the reminder sweep once now (as every server does each minute),
    /// then once more, and report what each did and cost.
    SweepReminders(DatabaseArgs),
    /// The file store: check it against the database, or sweep it once.
    #[command(subcommand)]
    Files(FilesCommand),
    /// Import a town's spreadsheets (台账), or write an empty template.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export an organisation's catalogue or ledger of a year as XLSX in
    /// the import templates (what `import` reads back).
    #[command(subcommand)]
    Export(ExportCommand),
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// The disclosures published in the year (主动公开目录).
    Disclosures(ExportArgs),
    /// The applications the year's report counts (依申请公开台账): received
    /// in it or carried over into it, each with its procedure.
    Applications(ExportArgs),
}

/// `gongkai export disclosures|applications`: run as the operator.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The organisation's code.
    #[arg(long)]
    pub organization: String,
    #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2200))]
    pub year: i32,
    /// Where to write it (default: <kind>-<code>-<year>.xlsx in the current folder).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum FilesCommand {
    /// Verify that every file row has its blob and every blob its hash;
    /// prints what is wrong and exits non-zero when anything is.
    Check(FilesArgs),
    /// Remove blobs without rows and unreferenced public uploads older than 24 h.
    Gc(FilesArgs),
}

#[derive(Args, Debug)]
pub struct FilesArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub files: FileStoreArgs,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Write the empty XLSX template of a kind, with its headers and one example row.
    Template(TemplateArgs),
    /// Check a catalogue of disclosures (XLSX or CSV) and, without errors
    /// and without --dry-run, import all of it in one transaction.
    Disclosures(ImportArgs),
    /// Check a ledger of applications (XLSX or CSV) and, without errors
    /// and without --dry-run, import all of it through the workflow.
    Applications(ImportArgs),
}

/// `gongkai import disclosures|applications`: run by whoever administers
/// the database, as the operator (any organisation, like ADMIN); imported
/// rows record no user.
#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The spreadsheet: XLSX, or CSV in UTF-8 or GB18030.
    pub file: PathBuf,
    /// The organisation's code; disclosures may name theirs in 发布机构代码,
    /// applications need it.
    #[arg(long)]
    pub organization: Option<String>,
    /// Check and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The text encoding of a CSV file.
    #[arg(long, value_enum, default_value_t = crate::spreadsheet::Encoding::Auto)]
    pub encoding: crate::spreadsheet::Encoding,
    /// The server's secret (as `serve`), so that applicants' keys match
    /// those of live intake; default: the one the database keeps.
    #[arg(long, env = "GONGKAI_JWT_SECRET", hide_env_values = true, value_parser = secret)]
    pub jwt_secret: Option<SecretString>,
}

/// Which template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateKind {
    /// The catalogue of proactive disclosures (主动公开目录).
    Disclosures,
    /// The ledger of applications (依申请公开台账).
    Applications,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    pub kind: TemplateKind,
    /// Where to write it (default: 模板-<kind>.xlsx in the current folder).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Replace the years a CSV file covers (columns date,kind,note) with its
    /// rows and recompute the open deadlines they move; all or nothing.
    Import(CalendarImportArgs),
    /// Print a year's entries as CSV that `calendar import` accepts.
    Export(CalendarExportArgs),
}

#[derive(Args, Debug)]
pub struct CalendarImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The CSV file, UTF-8: date (YYYY-MM-DD), kind (HOLIDAY or WORKDAY), note.
    pub file: PathBuf,
}

#[derive(Args, Debug)]
pub struct CalendarExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2200))]
    pub year: i32,
}

#[derive(Subcommand, Debug)]
pub enum SeedCommand {
    /// Realistic, deterministic data at province scale, for benchmarks:
    /// a district (code SYN) with organisations and disclosures below it.
    Synthetic(SyntheticArgs),
}

#[derive(Args, Debug)]
pub struct SyntheticArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Organisations, the district included.
    #[arg(long, default_value_t = 300)]
    pub organizations: usize,
    #[arg(long, default_value_t = 1_000_000)]
    pub disclosures: usize,
    #[arg(long, default_value_t = 100_000)]
    pub applications: usize,
    /// The random seed: the same seed gives the same data.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// sqlite://path?mode=rwc or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_parser = parse_database_url)]
    pub database_url: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Connections to the database at most (default: 4 per core, 4–32, for
    /// PostgreSQL; 8 for a SQLite file).
    #[arg(long, env = "GONGKAI_DATABASE_POOL", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_pool: Option<u32>,
    /// A PostgreSQL streaming replica of the database (repeatable, or
    /// comma-separated): the public catalogue, publishedAnnualReports and
    /// the completion statistics are read there; a signed-in user's other
    /// reads and every write go to --database-url. A replica that fails is
    /// skipped until it answers again.
    #[arg(
        long = "read-database-url",
        env = "GONGKAI_READ_DATABASE_URLS",
        value_delimiter = ',',
        hide_env_values = true,
        value_parser = parse_replica_url
    )]
    pub read_database_urls: Vec<String>,
    /// Address to listen on.
    #[arg(long, env = "GONGKAI_BIND", default_value = "127.0.0.1:8000")]
    pub bind: SocketAddr,
    /// Address of the Prometheus metrics (`GET /metrics`); off by default,
    /// and never on the public address.
    #[arg(long, env = "GONGKAI_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
    /// Load the demo dataset (番禺区, 南村镇, demo users) into an empty database.
    #[arg(long)]
    pub demo: bool,
    /// HS256 signing key, at least 32 bytes; without it one is generated and kept in the database.
    /// The keyed hashes of query codes and document numbers derive from it too.
    #[arg(long, env = "GONGKAI_JWT_SECRET", hide_env_values = true, value_parser = secret)]
    pub jwt_secret: Option<SecretString>,
    /// The signing key before a rotation: tokens it signed still verify until
    /// they expire; new ones are signed with --jwt-secret.
    #[arg(
        long,
        env = "GONGKAI_PREVIOUS_JWT_SECRET",
        hide_env_values = true,
        value_parser = secret,
        requires = "jwt_secret"
    )]
    pub previous_jwt_secret: Option<SecretString>,
    /// Browser origins allowed to call the API (CORS), comma-separated; none by default.
    #[arg(
        long = "cors-origin",
        env = "GONGKAI_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Reverse proxies whose X-Forwarded-For is trusted, comma-separated.
    #[arg(
        long = "trusted-proxy",
        env = "GONGKAI_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,
    /// Seconds a request may run before it is cut off.
    #[arg(long, env = "GONGKAI_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub request_timeout: u64,
    #[command(flatten)]
    pub files: FileStoreArgs,
    /// The largest file `POST /files` accepts, in bytes (50 MiB by default).
    #[arg(long, env = "GONGKAI_MAX_FILE_SIZE", default_value_t = crate::domain::files::DEFAULT_MAX_FILE_BYTES, value_parser = clap::value_parser!(u64).range(1..=(4u64 << 30)))]
    pub max_file_size: u64,
    /// Seconds between reminder sweeps (each instance also sweeps at start-up).
    #[arg(long, env = "GONGKAI_REMINDER_SWEEP_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub reminder_sweep_interval: u64,
    /// Seconds between file sweeps (each instance also sweeps at start-up):
    /// blobs without rows and public uploads never referenced, after 24 h.
    #[arg(long, env = "GONGKAI_FILE_SWEEP_INTERVAL", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub file_sweep_interval: u64,
    /// Let webhooks point at loopback, private and link-local addresses
    /// (tests, intranet deployments); refused by default (SSRF).
    #[arg(long, env = "GONGKAI_ALLOW_PRIVATE_WEBHOOKS")]
    pub allow_private_webhooks: bool,
}

/// Where uploaded files are kept, and how to reach an S3-compatible service.
#[derive(Args, Debug, Clone, Default)]
pub struct FileStoreArgs {
    /// file:///FOLDER or s3://BUCKET/PREFIX (path-style); by default the
    /// folder `files` beside the SQLite database (data/files).
    #[arg(long, env = "GONGKAI_FILE_STORE")]
    pub file_store: Option<String>,
    /// The S3-compatible service's endpoint, e.g. http://127.0.0.1:9000.
    #[arg(long, env = "AWS_ENDPOINT_URL", hide = true)]
    pub aws_endpoint_url: Option<String>,
    #[arg(long, env = "AWS_REGION", hide = true)]
    pub aws_region: Option<String>,
    #[arg(long, env = "AWS_ACCESS_KEY_ID", hide = true, hide_env_values = true)]
    pub aws_access_key_id: Option<String>,
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide = true, hide_env_values = true, value_parser = secret)]
    pub aws_secret_access_key: Option<SecretString>,
}

#[derive(Args, Debug)]
pub struct CreateOrganizationArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// Code of the parent organisation (not for a DISTRICT).
    #[arg(long)]
    pub parent: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateUserArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub display_name: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Code of the user's organisation.
    #[arg(long)]
    pub organization: String,
    /// Read the password from standard input (the only way: never on the command line).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KindArg {
    District,
    Town,
    Street,
    Department,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleArg {
    Clerk,
    Approver,
    OrgAdmin,
    Oversight,
    Admin,
}

/// Secrets stay wrapped, so that no `Debug` of the configuration prints them.
fn secret(value: &str) -> Result<SecretString, String> {
    Ok(SecretString::from(value))
}

fn parse_database_url(url: &str) -> Result<String, String> {
    let known = ["sqlite:", "postgres://", "postgresql://"];
    if known.iter().any(|scheme| url.starts_with(scheme)) {
        Ok(url.to_owned())
    } else {
        Err("expected sqlite://PATH?mode=rwc or postgres://USER@HOST/DB".to_owned())
    }
}

/// Replicas are PostgreSQL standbys (a SQLite file has none).
fn parse_replica_url(url: &str) -> Result<String, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url.to_owned())
    } else {
        Err("expected postgres://USER@HOST/DB (a streaming replica)".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        for (url, ok) in [
            ("sqlite://data/gongkai.db?mode=rwc", true),
            ("sqlite::memory:", true),
            ("postgres://postgres@127.0.0.1/test", true),
            ("mysql://root@localhost/db", false),
            ("data/gongkai.db", false),
        ] {
            assert_eq!(parse_database_url(url).is_ok(), ok, "{url}");
        }
    }

    #[test]
    fn calendar_commands_parse() {
        let import = Cli::try_parse_from([
            "gongkai",
            "calendar",
            "import",
            "2027.csv",
            "--database-url",
            "sqlite::memory:",
        ])
        .unwrap();
        assert!(matches!(
            import.command,
            Command::Calendar(CalendarCommand::Import(ref args))
                if args.file == std::path::Path::new("2027.csv")
                    && args.database.database_url == "sqlite::memory:"
        ));
        let export =
            Cli::try_parse_from(["gongkai", "calendar", "export", "--year", "2026"]).unwrap();
        assert!(matches!(
            export.command,
            Command::Calendar(CalendarCommand::Export(ref args)) if args.year == 2026
        ));
        for refused in [
            &["gongkai", "calendar", "import"][..],
            &["gongkai", "calendar", "export"],
            &["gongkai", "calendar", "export", "--year", "1800"],
        ] {
            assert!(Cli::try_parse_from(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn secrets_never_print() {
        let cli = Cli::try_parse_from([
            "gongkai",
            "serve",
            "--jwt-secret",
            "current-secret-of-at-least-32-bytes",
            "--previous-jwt-secret",
            "previous-secret-of-at-least-32-bytes",
        ])
        .unwrap();
        let printed = format!("{cli:?}");
        assert!(!printed.contains("current-secret"), "{printed}");
        assert!(!printed.contains("previous-secret"), "{printed}");
        assert!(
            Cli::try_parse_from(["gongkai", "serve", "--previous-jwt-secret", "x"]).is_err(),
            "a previous secret needs the current one"
        );
    }

    #[test]
    fn the_pool_size_is_optional_and_positive() {
        let pool = |extra: &[&str]| {
            let args = [&["gongkai", "serve"][..], extra].concat();
            Cli::try_parse_from(args).map(|cli| match cli.command {
                Command::Serve(args) => args.database_pool,
                _ => unreachable!(),
            })
        };
        assert_eq!(pool(&[]).unwrap(), None);
        assert_eq!(pool(&["--database-pool", "12"]).unwrap(), Some(12));
        assert!(pool(&["--database-pool", "0"]).is_err());
    }

    #[test]
    fn read_replicas_are_repeatable_or_comma_separated_and_postgres_only() {
        let replicas = |extra: &[&str]| {
            let args = [&["gongkai", "serve"][..], extra].concat();
            Cli::try_parse_from(args).map(|cli| match cli.command {
                Command::Serve(args) => args.read_database_urls,
                _ => unreachable!(),
            })
        };
        assert!(replicas(&[]).unwrap().is_empty());
        let a = "postgres://reader@10.0.0.2/gk";
        let b = "postgresql://reader@10.0.0.3/gk";
        let both = vec![a.to_owned(), b.to_owned()];
        assert_eq!(
            replicas(&["--read-database-url", a, "--read-database-url", b]).unwrap(),
            both
        );
        assert_eq!(
            replicas(&["--read-database-url", &format!("{a},{b}")]).unwrap(),
            both
        );
        assert!(replicas(&["--read-database-url", "sqlite://copy.db"]).is_err());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
