//! Sync's errors: what went wrong between this PC and the hub, in the
//! office's words, with a code from the one list (`ErrorCode`).

use daicho_ledger::{Coded, ErrorCode, LedgerError};

use crate::wire::WireError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("親機（{url}）に接続できません（{detail}）。このPCではオフラインのまま作業を続けられます。変更は親機につながったときに送ります。")]
    Unreachable { url: String, detail: String },
    #[error("親機（{url}）の証明書が、このPCを登録したときのものと違います。親機になりすましている機器がある可能性があるため、送受信しません。親機を作り直した場合は、このPCをつなぎ直してください。")]
    Certificate { url: String },
    #[error("{0}")]
    Pairing(String),
    #[error("このPCの台帳（版 {ours}）と親機の台帳（版 {hub}）の版が違うため、変更を送受信しません。{}このPCでの作業は続けられ、変更は更新後に送ります。", if .ours < .hub { "このPCのアプリを更新してください。" } else { "親機のアプリを先に更新してください。" })]
    SchemaMismatch { ours: i64, hub: i64 },
    #[error(
        "親機とのやりとりが途中で壊れました（{0}）。何も反映していません。もう一度同期します。"
    )]
    Corrupt(String),
    #[error(
        "この台帳は親機につながっていません。設定の「複数台で使う」から親機につないでください。"
    )]
    NotJoined,
    /// The hub could not start serving: its address is taken, or its
    /// certificate in the hub's database does not load.
    #[error("このPCで親機を始められません（{0}）。")]
    Serve(String),
    /// mDNS cannot run on this PC's network (no interface takes
    /// multicast).
    #[error("同じネットワークの親機を探せません（{0}）。親機のPC名かアドレスを入力してください。")]
    Discovery(String),
    #[error("{}", .0.message)]
    Remote(WireError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl Coded for SyncError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unreachable { .. } => ErrorCode::HubUnreachable,
            Self::Certificate { .. } => ErrorCode::HubCertificate,
            Self::Pairing(_) => ErrorCode::PairingRefused,
            Self::SchemaMismatch { .. } => ErrorCode::SchemaMismatch,
            Self::Corrupt(_) => ErrorCode::SyncCorrupt,
            Self::NotJoined => ErrorCode::NotJoined,
            Self::Serve(_) => ErrorCode::Io,
            Self::Discovery(_) => ErrorCode::HubUnreachable,
            Self::Remote(wire) => wire.code,
            Self::Ledger(e) => e.code(),
        }
    }
}

impl SyncError {
    /// A failure that the next try may not meet: the hub is away, or a
    /// message was cut. Sync goes on trying; anything else stops it.
    pub fn is_transient(&self) -> bool {
        // A ledger busy with a long write, or a full disk, here or at the
        // hub, passes too: sync must not stop for good on either.
        let passing =
            |code: ErrorCode| matches!(code, ErrorCode::LedgerLocked | ErrorCode::DiskFull);
        match self {
            Self::Unreachable { .. } | Self::Corrupt(_) => true,
            Self::Ledger(e) => passing(e.code()),
            Self::Remote(wire) => passing(wire.code),
            _ => false,
        }
    }

    /// The form it crosses the wire in (the hub answering a PC).
    pub fn to_wire(&self) -> WireError {
        WireError {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

impl From<WireError> for SyncError {
    fn from(wire: WireError) -> Self {
        Self::Remote(wire)
    }
}
