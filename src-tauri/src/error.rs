//! The one place where domain errors become what crosses the IPC boundary.

use daicho_ledger::{Coded, ErrorCode, FieldError};
use serde::Serialize;

/// An error as the UI receives it: a code from the one list (a string union
/// in the bindings), a Japanese message, and for form input the fields that
/// were wrong.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// Any error of the domain crates (ledger, roster, mailing) as the UI sees it.
impl<E: Coded> From<E> for CommandError {
    fn from(error: E) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
            fields: error.fields().to_vec(),
        }
    }
}

impl CommandError {
    pub fn ledger_closed() -> Self {
        Self {
            code: ErrorCode::LedgerClosed,
            message:
                "台帳が開かれていません。バックアップから復元するか、アプリを再起動してください。"
                    .into(),
            fields: Vec::new(),
        }
    }
}

pub type CmdResult<T> = Result<T, CommandError>;
