//! The one place where domain errors become what crosses the IPC boundary.

use daicho_ledger::{FieldError, LedgerError};
use serde::Serialize;

/// An error as the UI receives it: a stable code, a Japanese message, and
/// for form input the fields that were wrong.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<LedgerError> for CommandError {
    fn from(error: LedgerError) -> Self {
        Self {
            code: error.code().to_string(),
            message: error.to_string(),
            fields: error.fields().to_vec(),
        }
    }
}

impl From<daicho_roster::ImportError> for CommandError {
    fn from(error: daicho_roster::ImportError) -> Self {
        match error {
            daicho_roster::ImportError::Ledger(e) => e.into(),
            other => Self {
                code: other.code().to_string(),
                message: other.to_string(),
                fields: Vec::new(),
            },
        }
    }
}

impl CommandError {
    pub fn ledger_closed() -> Self {
        Self {
            code: "ledger_closed".into(),
            message:
                "台帳が開かれていません。バックアップから復元するか、アプリを再起動してください。"
                    .into(),
            fields: Vec::new(),
        }
    }
}

pub type CmdResult<T> = Result<T, CommandError>;
