//! Errors of a whole import: the file, the ledger, or a named mapping.

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Roster(#[from] crate::RosterError),
    #[error(transparent)]
    Ledger(#[from] daicho_ledger::LedgerError),
    #[error("「{0}」という名前の列の対応付けは保存されていません。")]
    NoSuchMapping(String),
}

impl ImportError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Roster(e) => e.code(),
            Self::Ledger(e) => e.code(),
            Self::NoSuchMapping(_) => "no_such_mapping",
        }
    }
}
