use std::process::ExitCode;

use clap::Parser;
use gongkai::config::Cli;

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
