//! The outcome of running scripts: how many directives passed, and where
//! and why the others failed.

use std::fmt;

/// One directive that did not pass, or (as a note) passed with a remark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The script's path, as given to the runner.
    pub file: String,
    /// The 1-based line of the directive.
    pub line: usize,
    /// The directive's keyword, such as `assert_return`.
    pub directive: &'static str,
    /// Why it failed, in one paragraph.
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.directive, self.reason
        )
    }
}

/// Counts of directives that passed and failed.
///
/// Every directive counts once: each assertion, each invoke, each component
/// (definition or instantiation) and each `register`. A script that does not
/// parse counts as one failure at the line of the parse error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// How many directives passed.
    pub passed: usize,
    /// The directives that failed, in the order they ran.
    pub failures: Vec<Failure>,
    /// Directives that passed with a remark worth reading (none of the
    /// directives makes one today; the tests print any there are).
    pub notes: Vec<Failure>,
}

impl Report {
    /// How many directives failed.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// Whether every directive passed.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// Adds the counts and failures of `other` to this report.
    pub fn merge(&mut self, other: Report) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
        self.notes.extend(other.notes);
    }

    /// The summary line: `N passed, N failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed())
    }
}

impl fmt::Display for Report {
    /// Every failure on its own line (continuation lines indented), then
    /// the summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for failure in &self.failures {
            let text = failure.to_string();
            let mut lines = text.lines();
            if let Some(first) = lines.next() {
                writeln!(f, "{first}")?;
            }
            for line in lines {
                writeln!(f, "    {line}")?;
            }
        }
        write!(f, "{}", self.summary())
    }
}
