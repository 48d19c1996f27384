//! Collecting every invalid field of an input before answering, so that a
//! clerk on a phone fixes them all in one round trip (issue 15 §4). A check
//! runs as before and returns its first error; `Problems` keeps going.

use crate::error::{AppError, AppResult, FieldProblem};

#[derive(Debug, Default)]
pub struct Problems {
    fields: Vec<FieldProblem>,
    /// A failure that is not about one field (none of the checks has one
    /// today); it wins over the field problems.
    other: Option<AppError>,
}

impl Problems {
    /// The value of a check that passed; None (and the problem noted) when
    /// it did not.
    pub fn take<T>(&mut self, checked: AppResult<T>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(err) => {
                self.note(err);
                None
            }
        }
    }

    pub fn note(&mut self, err: AppError) {
        match err {
            AppError::BadUserInput { field, message } => {
                self.fields.push(FieldProblem { field, message })
            }
            AppError::InvalidFields(problems) => self.fields.extend(problems),
            other => {
                self.other.get_or_insert(other);
            }
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields.push(FieldProblem {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.other.is_none()
    }

    /// Ok when every check passed; otherwise every problem at once.
    pub fn finish(self) -> AppResult<()> {
        if let Some(other) = self.other {
            return Err(other);
        }
        if self.fields.is_empty() {
            return Ok(());
        }
        Err(AppError::bad_inputs(self.fields))
    }
}

/// The fields an input error names, in order (for tests).
pub fn fields_of(err: &AppError) -> Vec<&str> {
    match err {
        AppError::BadUserInput { field, .. } => vec![field.as_str()],
        AppError::InvalidFields(problems) => problems.iter().map(|p| p.field.as_str()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_problem_is_a_bad_input_several_are_listed() {
        let ok: AppResult<()> = Problems::default().finish();
        assert!(ok.is_ok());

        let mut one = Problems::default();
        assert_eq!(one.take(Ok::<_, AppError>(3)), Some(3));
        assert_eq!(one.take::<()>(Err(AppError::bad_input("phone", "x"))), None);
        let err = one.finish().unwrap_err();
        assert!(matches!(err, AppError::BadUserInput { .. }), "{err:?}");
        assert_eq!(fields_of(&err), ["phone"]);

        let mut several = Problems::default();
        several.note(AppError::bad_input("idNumber", "x"));
        several.add("phone", "y");
        several.note(AppError::bad_inputs(vec![
            FieldProblem {
                field: "a".into(),
                message: "1".into(),
            },
            FieldProblem {
                field: "b".into(),
                message: "2".into(),
            },
        ]));
        assert!(!several.is_empty());
        let err = several.finish().unwrap_err();
        assert_eq!(fields_of(&err), ["idNumber", "phone", "a", "b"]);

        let mut mixed = Problems::default();
        mixed.add("phone", "y");
        mixed.note(AppError::Forbidden);
        assert!(matches!(mixed.finish(), Err(AppError::Forbidden)));
    }
}
