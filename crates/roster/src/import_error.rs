//! Errors of a whole import: the file, the ledger, or a named mapping.

use daicho_ledger::{Coded, ErrorCode, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Roster(#[from] crate::RosterError),
    #[error(transparent)]
    Ledger(#[from] daicho_ledger::LedgerError),
    #[error("「{0}」という名前の列の対応付けは保存されていません。")]
    NoSuchMapping(String),
}

impl Coded for ImportError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Roster(e) => e.code(),
            Self::Ledger(e) => e.code(),
            Self::NoSuchMapping(_) => ErrorCode::NoSuchMapping,
        }
    }

    fn fields(&self) -> &[FieldError] {
        match self {
            Self::Ledger(e) => e.fields(),
            Self::Roster(_) | Self::NoSuchMapping(_) => &[],
        }
    }
}
