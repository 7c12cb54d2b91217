//! The ledger's errors, and the one list of error codes every part of
//! Daichō reports. Messages are Japanese because they are shown to the
//! office as they are; the code is the stable name the UI and CLI match on.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Every code an error of Daichō carries, whichever crate raised it: the UI
/// receives it typed (a string union in the bindings) and the CLI prints it
/// in `--json`. The wire form is the snake_case name (`LedgerTooNew` is
/// `ledger_too_new`); the UI and scripts compare those strings, so a
/// variant is never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Form input that breaks a rule; the fields say which.
    Invalid,
    NotFound,
    Conflict,
    /// The file was written by a newer version of the app.
    LedgerTooNew,
    NotALedger,
    /// On a network share or in a cloud-synced folder.
    LedgerNotLocal,
    LedgerCorrupt,
    /// Another program holds the ledger's lock.
    LedgerLocked,
    DiskFull,
    LedgerReadOnly,
    /// The OS refused a file operation (the message names the path).
    Io,
    /// A zero-byte file where a ledger should be.
    LedgerEmpty,
    /// A restore refused while another program has the ledger open.
    LedgerInUse,
    Cancelled,
    Database,
    Migration,
    /// The app could not open its ledger (restore or restart).
    LedgerClosed,
    RosterEmpty,
    RosterUnsupported,
    RosterEncrypted,
    RosterCorrupt,
    RosterTooLarge,
    RosterNoHeader,
    RosterEncoding,
    /// No saved column mapping by that name.
    NoSuchMapping,
    /// The destination exists and replacing it was not asked for.
    FileExists,
    WriteFailed,
    /// No customer left to write after the exclusions.
    EmptyList,
    /// The list has rows to check (replaced characters, lengths, banned
    /// words) that the user has not approved.
    NeedsApproval,
    /// The acting staff member's role does not allow it; the message names
    /// the roles that do.
    NotPermitted,
    /// Sign-in is on and nobody is signed in (or the app locked).
    SignInRequired,
    /// The PIN given does not match.
    WrongPin,
    /// Several PCs: the hub does not answer (this PC works on offline).
    HubUnreachable,
    /// The hub's certificate is not the one pinned when this PC joined.
    HubCertificate,
    /// A pairing code that is wrong, used or expired, or a PC the hub does
    /// not know (it left, or the hub was rebuilt).
    PairingRefused,
    /// This PC's ledger and the hub's are of different schema versions:
    /// the older one must be updated before changes travel.
    SchemaMismatch,
    /// A sync message that is truncated, corrupt or not what was asked.
    SyncCorrupt,
    /// This PC's copy differs from the hub's at the same place in the log:
    /// it is replaced with the hub's (the drifted one kept beside it).
    LedgerDrifted,
    /// The ledger is not part of an office's several PCs.
    NotJoined,
}

/// The wire form, as serde writes it: the variant names are its one spelling.
impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.serialize(f)
    }
}

/// So tests and callers compare a code with the string the UI sees.
impl PartialEq<&str> for ErrorCode {
    // Through the written form, so that the names stay spelled once; codes
    // are compared in tests and on failure, never in a hot loop.
    #[allow(clippy::cmp_owned)]
    fn eq(&self, other: &&str) -> bool {
        self.to_string() == *other
    }
}

/// An error the UI and the CLI report: its code, its message (`Display`)
/// and, for form input, the fields that were wrong. The app's
/// `CommandError` and the CLI's `--json` output are built from this alone.
pub trait Coded: fmt::Display {
    fn code(&self) -> ErrorCode;

    fn fields(&self) -> &[FieldError] {
        &[]
    }
}

/// One invalid form field, reported next to that field in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("入力内容に誤りがあります: {}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" / "))]
    Invalid(Vec<FieldError>),
    #[error("{entity}（ID {}）が見つかりません。", crate::store::ids::display(*.id))]
    NotFound { entity: &'static str, id: i64 },
    #[error("{0}")]
    Conflict(String),
    /// This PC's copy is not the hub's: the hub's log does not apply to it.
    #[error("{0}")]
    Drifted(String),
    #[error("台帳ファイル {path} はこのアプリより新しい版（スキーマ {found}、対応は {supported} まで）で作られています。アプリを更新してください。ファイルには手を加えていません。")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path} は顧客台帳のファイルではありません。ファイルには手を加えていません。")]
    NotALedger { path: PathBuf },
    #[error("{description}。台帳ファイル {path} をネットワーク上や同期されるフォルダに置いたまま使うと、書き込みが重なったときや同期のときに台帳が壊れることがあるため、開きません（ファイルには手を加えていません）。このPCのフォルダにコピーして、コピーを開いてください。複数のPCで同じ台帳を使う方法は今後の版で用意します。")]
    NotLocal { path: PathBuf, description: String },
    #[error("台帳ファイル {path} は壊れている部分があるため読めません。ファイルには手を加えていません。バックアップから復元してください。")]
    Corrupt { path: PathBuf },
    #[error("台帳ファイル {path} は他のプログラムが使用中です。しばらく待ってからもう一度お試しください。")]
    Locked { path: PathBuf },
    #[error("ディスクの空き容量が足りないため、台帳 {path} に書き込めませんでした。変更は保存していません（台帳は元のままです）。空き容量を増やしてからもう一度お試しください。")]
    DiskFull { path: PathBuf },
    #[error("台帳 {path} に書き込む権限がないか、読み取り専用の場所にあります。変更は保存していません（台帳は元のままです）。")]
    ReadOnly { path: PathBuf },
    #[error("ファイル操作に失敗しました（{path}）: {}。", LedgerError::describe_io(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("台帳ファイル {path} は空（0 バイト）です。空のファイルを新しい台帳にはしません（ファイルには手を加えていません）。バックアップから復元するか、新しい台帳を作るならこのファイルを削除してからもう一度お試しください。")]
    Empty { path: PathBuf },
    #[error("台帳ファイル {path} を他のプログラム（アプリや別の daicho）が開いているため、復元しませんでした。開いたまま置き換えると、そのプログラムがこのあと保存する変更が失われるためです。台帳には手を加えていません。アプリなどを閉じてから、もう一度復元してください。")]
    InUse { path: PathBuf },
    #[error("取り込みを中止しました。台帳は取り込み前のままです。")]
    Cancelled,
    #[error("{name}さん（{role}）には「{action}」の権限がありません。{allowed}ができます。台帳には手を加えていません。")]
    NotPermitted {
        action: &'static str,
        name: String,
        role: &'static str,
        allowed: String,
    },
    #[error("サインインしてください。サインインが有効な台帳は、サインインした担当者だけが使えます（一定時間操作がないとロックします）。")]
    SignedOut,
    #[error("{name}さんの PIN が違います。")]
    WrongPin { name: String },
    #[error("データベースの処理に失敗しました: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("台帳の更新（マイグレーション）に失敗しました: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

impl Coded for LedgerError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(_) => ErrorCode::Invalid,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Drifted(_) => ErrorCode::LedgerDrifted,
            Self::TooNew { .. } => ErrorCode::LedgerTooNew,
            Self::NotALedger { .. } => ErrorCode::NotALedger,
            Self::NotLocal { .. } => ErrorCode::LedgerNotLocal,
            Self::Corrupt { .. } => ErrorCode::LedgerCorrupt,
            Self::Locked { .. } => ErrorCode::LedgerLocked,
            Self::DiskFull { .. } => ErrorCode::DiskFull,
            Self::ReadOnly { .. } => ErrorCode::LedgerReadOnly,
            Self::Io { .. } => ErrorCode::Io,
            Self::Empty { .. } => ErrorCode::LedgerEmpty,
            Self::InUse { .. } => ErrorCode::LedgerInUse,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::NotPermitted { .. } => ErrorCode::NotPermitted,
            Self::SignedOut => ErrorCode::SignInRequired,
            Self::WrongPin { .. } => ErrorCode::WrongPin,
            Self::Sqlite(_) => ErrorCode::Database,
            Self::Migration(_) => ErrorCode::Migration,
        }
    }

    fn fields(&self) -> &[FieldError] {
        match self {
            Self::Invalid(fields) => fields,
            _ => &[],
        }
    }
}

impl LedgerError {
    /// The OS's failure in the office's words: the common ones in Japanese
    /// (the message it comes in names the path), the rest as the OS said.
    pub fn describe_io(error: &std::io::Error) -> String {
        use std::io::ErrorKind as K;
        #[cfg(windows)]
        if matches!(error.raw_os_error(), Some(32 | 33)) {
            // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
            return "他のプログラムが使用中です".into();
        }
        let text = match error.kind() {
            K::NotFound => "ファイルまたはフォルダがありません",
            K::PermissionDenied => "アクセスする権限がありません",
            K::AlreadyExists => "同じ名前のファイルが既にあります",
            K::StorageFull => "ディスクの空き容量が足りません",
            K::QuotaExceeded => "ディスクの使用量の上限に達しています",
            K::ReadOnlyFilesystem => "読み取り専用の場所です",
            K::FileTooLarge => "ファイルが大きすぎます",
            K::ResourceBusy => "他のプログラムが使用中です",
            K::NotADirectory => "フォルダではないものがパスの途中にあります",
            K::IsADirectory => "ファイルではなくフォルダです",
            K::DirectoryNotEmpty => "フォルダが空ではありません",
            K::CrossesDevices => "別のドライブへは移動できません",
            K::InvalidFilename => "ファイル名が長すぎるか、使えない文字を含んでいます",
            K::StaleNetworkFileHandle => "ネットワーク上のファイルに接続できなくなりました",
            K::UnexpectedEof => "ファイルが途中で終わっています",
            _ => return format!("システムのエラー: {error}"),
        };
        text.into()
    }

    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn a_code_reads_as_the_string_the_ui_receives() {
        for (code, wire) in [
            (ErrorCode::NotALedger, "not_a_ledger"),
            (ErrorCode::LedgerTooNew, "ledger_too_new"),
            (ErrorCode::Io, "io"),
        ] {
            assert_eq!(code.to_string(), wire);
            assert_eq!(code, wire);
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{wire}\""));
        }
    }
}
