//! Collecting every error of one item, so that a single compile reports
//! them all.

use syn::Error;

/// Errors found so far in one item.
#[derive(Default)]
pub struct Errors(Option<Error>);

impl Errors {
    /// Records an error.
    pub fn push(&mut self, error: Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Records several errors.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = Error>) {
        for error in errors {
            self.push(error);
        }
    }

    /// The value of `result`, or `None` with its error recorded.
    pub fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// `Ok(value)` if no error was recorded, else all of them.
    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }
}
