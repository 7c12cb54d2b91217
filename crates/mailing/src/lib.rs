//! DM lists for the printing company and label software: households and
//! joint names, the print layout, the checks before anything leaves the
//! office, the file formats, and the customer-barcode address number.

pub mod barcode;
pub mod checks;
pub mod customer_code;
pub mod disclosure;
pub mod export;
pub mod list;
pub mod partner_sheet;
pub mod print;
pub mod templates;
pub mod unfinished;
pub mod work_report;
pub mod write;

pub use list::{default_columns, Column, DmField, DmRow, ListOptions, Order};
pub use write::FileFormat;

use daicho_ledger::{Coded, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum MailingError {
    #[error("{file} は既にあります。上書きしてよいか確認してから、もう一度書き出してください。")]
    Exists { file: String },
    #[error("{file} に書き出せませんでした（{detail}）。台帳と既存のファイルはそのままです。")]
    Write { file: String, detail: String },
    #[error("条件に合うお客様がいないため、ファイルは作りませんでした（除外 {excluded} 人）。")]
    Empty { excluded: u32 },
}

impl Coded for MailingError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Exists { .. } => ErrorCode::FileExists,
            Self::Write { .. } => ErrorCode::WriteFailed,
            Self::Empty { .. } => ErrorCode::EmptyList,
        }
    }
}
