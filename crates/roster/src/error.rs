//! Why a roster file was refused, in words the office can act on. Every
//! message names the file.

use daicho_ledger::{Coded, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{file}: ファイルが空です。")]
    Empty { file: String },
    #[error("{file}: この形式（.{extension}）は読み込めません。Excel（.xlsx .xlsm .xls）、OpenDocument（.ods）、CSV・TSV・テキスト（.csv .tsv .txt）を選んでください。")]
    Unsupported { file: String, extension: String },
    #[error("{file}: パスワードで保護されているため開けません。Excel でパスワードを解除して保存し直してから読み込んでください。")]
    Encrypted { file: String },
    #[error("{file}: ファイルが壊れているか、拡張子と中身が合っていません（{detail}）。")]
    Corrupt { file: String, detail: String },
    /// A limit set so that no file, damaged or made to harm, can exhaust the
    /// computer's memory or time (the limits are in `bounds`).
    #[error("{file}: {what}が読み込める上限（{limit}）を超えているため読み込みません。ファイルが壊れているか、名簿ではないデータが含まれています。名簿の部分だけを新しいファイルに保存してから読み込んでください。")]
    TooLarge {
        file: String,
        what: String,
        limit: String,
    },
    #[error("{file}: 見出し行（氏名・住所・電話などの列名）が見つかりません。1行目から30行目までに見出しがあるか確認してください。")]
    NoHeader { file: String },
    #[error("{file}: 文字コード「{encoding}」は扱えません。UTF-8、Shift_JIS（CP932）、UTF-16 のいずれかを指定してください。")]
    UnknownEncoding { file: String, encoding: String },
    #[error("{file} は既にあります。別の名前を指定するか、上書きを選んでください。")]
    Exists { file: String },
    #[error("{file}: 読み込めませんでした（{source}）。")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

impl Coded for RosterError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Empty { .. } => ErrorCode::RosterEmpty,
            Self::Unsupported { .. } => ErrorCode::RosterUnsupported,
            Self::Encrypted { .. } => ErrorCode::RosterEncrypted,
            Self::Corrupt { .. } => ErrorCode::RosterCorrupt,
            Self::TooLarge { .. } => ErrorCode::RosterTooLarge,
            Self::NoHeader { .. } => ErrorCode::RosterNoHeader,
            Self::UnknownEncoding { .. } => ErrorCode::RosterEncoding,
            Self::Exists { .. } => ErrorCode::FileExists,
            Self::Io { .. } => ErrorCode::Io,
        }
    }
}
