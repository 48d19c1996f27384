//! How the command line shows the progress of long work (imports,
//! exports, `seed synthetic`): a bar with rows done, rate and time left on
//! a terminal (indicatif), and one plain line every few seconds, then a
//! last one, when standard error is not a terminal (CI, logs). The use
//! cases only count rows (`service::progress::Progress`).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::service::progress::Progress;

/// How often a plain line is written while a stage runs.
const EVERY: Duration = Duration::from_secs(5);

/// The progress of this process, on standard error.
pub fn on_stderr() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar(Mutex::new(None)))
    } else {
        Box::new(Lines::new(std::io::stderr(), EVERY))
    }
}

/// A bar on the terminal.
struct Bar(Mutex<Option<ProgressBar>>);

impl Progress for Bar {
    fn start(&self, stage: &str, rows: u64) {
        let bar = if rows == 0 {
            let spinner = ProgressBar::new_spinner();
            spinner.enable_steady_tick(Duration::from_millis(200));
            spinner
        } else {
            ProgressBar::new(rows).with_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:30}] {human_pos}/{human_len} rows, {per_sec}, ETA {eta}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            )
        };
        bar.set_message(stage.to_owned());
        if let Some(earlier) = self.0.lock().expect("not poisoned").replace(bar) {
            earlier.finish();
        }
    }

    fn advance(&self, rows: u64) {
        if let Some(bar) = &*self.0.lock().expect("not poisoned") {
            bar.inc(rows);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.lock().expect("not poisoned").take() {
            bar.finish();
        }
    }
}

/// Plain lines, for output that is not a terminal.
pub struct Lines<W> {
    state: Mutex<LineState<W>>,
    every: Duration,
}

struct LineState<W> {
    out: W,
    stage: String,
    total: u64,
    done: u64,
    started: Instant,
    written: Instant,
}

impl<W: Write + Send> Lines<W> {
    /// A line to `out` at most every `every` while a stage runs, and one at its end.
    pub fn new(out: W, every: Duration) -> Self {
        let now = Instant::now();
        Lines {
            state: Mutex::new(LineState {
                out,
                stage: String::new(),
                total: 0,
                done: 0,
                started: now,
                written: now,
            }),
            every,
        }
    }

    /// What was written (the tests read it).
    pub fn into_inner(self) -> W {
        self.state.into_inner().expect("not poisoned").out
    }
}

impl<W> LineState<W> {
    fn line(&self, finished: bool) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            self.done as f64 / seconds
        } else {
            0.0
        };
        let mut line = format!("{}: {}", self.stage, self.done);
        if self.total > 0 {
            line.push_str(&format!("/{}", self.total));
        }
        line.push_str(&format!(" rows, {rate:.0} rows/s"));
        if finished {
            line.push_str(&format!(", done in {seconds:.1} s"));
        } else if self.total > self.done && rate > 0.0 {
            let left = (self.total - self.done) as f64 / rate;
            line.push_str(&format!(", about {left:.0} s left"));
        }
        line
    }
}

impl<W: Write + Send> Progress for Lines<W> {
    fn start(&self, stage: &str, rows: u64) {
        let mut state = self.state.lock().expect("not poisoned");
        let now = Instant::now();
        state.stage = stage.to_owned();
        state.total = rows;
        state.done = 0;
        state.started = now;
        state.written = now;
    }

    fn advance(&self, rows: u64) {
        let mut state = self.state.lock().expect("not poisoned");
        state.done += rows;
        if state.written.elapsed() >= self.every {
            let line = state.line(false);
            // Progress is a courtesy: a closed stderr does not stop the work.
            let _ = writeln!(state.out, "{line}");
            state.written = Instant::now();
        }
    }

    fn finish(&self) {
        let mut state = self.state.lock().expect("not poisoned");
        let line = state.line(true);
        let _ = writeln!(state.out, "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_while_running_and_at_the_end() {
        // Every advance past the interval writes a line (0: every one).
        let lines = Lines::new(Vec::new(), Duration::ZERO);
        lines.start("checking", 3);
        lines.advance(1);
        lines.advance(2);
        lines.finish();
        lines.start("reading", 0);
        lines.finish();
        let text = String::from_utf8(lines.into_inner()).unwrap();
        let shown: Vec<&str> = text
            .lines()
            .map(|l| l.split(" rows").next().unwrap())
            .collect();
        assert_eq!(
            shown,
            [
                "checking: 1/3",
                "checking: 3/3",
                "checking: 3/3",
                "reading: 0"
            ]
        );
        assert!(text.lines().nth(2).unwrap().contains("done in"), "{text}");
        // A long interval: only the last line.
        let quiet = Lines::new(Vec::new(), Duration::from_secs(3600));
        quiet.start("writing", 2);
        quiet.advance(2);
        quiet.finish();
        let text = String::from_utf8(quiet.into_inner()).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("writing: 2/2 rows"), "{text}");
    }
}
