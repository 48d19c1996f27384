use std::process::ExitCode;

use clap::Parser;
use gongkai::config::Cli;

/// A request allocates and frees many small values (rows, GraphQL values,
/// JSON); under glibc's malloc a third of a listing's CPU went to the
/// allocator, and its per-thread arenas held 140 MB after a load test.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    gongkai::telemetry::init(cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("gongkai: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(gongkai::commands::run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongkai: {e}");
            ExitCode::FAILURE
        }
    }
}
