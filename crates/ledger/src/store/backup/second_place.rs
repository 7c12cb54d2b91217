//! The second place: a folder on another disk (a USB drive, a NAS share)
//! that gets a verified copy of the ledger every day and before every
//! import, upgrade and restore. `backups/` sits beside the ledger, so the
//! disk failure, theft or ransomware that takes the ledger takes those too.
//!
//! A copy is written with SQLite's backup API to a temporary name in the
//! folder, reopened read-only and `PRAGMA integrity_check`ed, then renamed
//! into place and the folder synced; the newest `keep` are kept. The folder
//! is never created at copy time: a missing folder is an unplugged drive,
//! and creating it would write to the disk beneath the mount point.
//!
//! When the last copy was made is recorded beside the ledger
//! (`backups/second-place.json`), since an unplugged drive cannot say.
//! Whether that is too long ago is a pure rule of a date passed in
//! (`warning`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{check_with, copy_staged, list_in, remove_beyond, stamped_name, BackupInfo, Place};
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::kv::{self, Local};
use crate::store::ledger::Ledger;
use crate::store::location::{self, Location};

/// A copy older than this many days is reported, even when the place can
/// be reached (the copies are failing for another reason, or the app has
/// not been started).
pub const STALE_AFTER_DAYS: i64 = 2;
/// The most copies the second place may be set to keep.
pub const MAX_KEEP: u32 = 365;
const RECORD: &str = "second-place.json";
/// Every copy's name starts so; a shared folder's other files are never
/// counted or pruned.
const PREFIX: &str = "daicho-";

/// Whether the second place can take a copy now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Ready,
    /// The folder does not exist (a USB drive unplugged, a NAS offline).
    Missing,
    NotWritable,
    /// On the ledger's own disk, which the second place exists to outlive.
    SameDisk,
}

/// What Settings and Today show about the second place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SecondPlaceStatus {
    pub settings: SecondPlaceSettings,
    /// `None` when no folder is set.
    pub reach: Option<Reach>,
    /// A positive note when the folder is on a NAS or synced to the cloud.
    pub location_note: Option<String>,
    /// RFC 3339: the last verified copy into this folder.
    pub last_copy_at: Option<String>,
    /// The sentence to show, with what to do; `None` when all is well.
    pub warning: Option<String>,
}

/// The last copy made into the second place, kept beside the ledger.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    folder: String,
    copied_at: String,
}

/// Whether `folder` can take a copy of the ledger at `ledger_path` now.
pub fn reach(ledger_path: &Path, folder: &Path) -> Reach {
    if !folder.is_dir() {
        Reach::Missing
    } else if same_disk(super::folder_of(ledger_path), folder) {
        Reach::SameDisk
    } else if !writable(folder) {
        Reach::NotWritable
    } else {
        Reach::Ready
    }
}

/// Same device id on unix. Elsewhere (Windows) the same volume: the first
/// component of both canonical paths (`\\?\C:`, `\\?\UNC\nas\share`). A
/// folder whose disk cannot be read is not called the same.
fn same_disk(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        dev(a).is_some_and(|d| Some(d) == dev(b))
    }
    #[cfg(not(unix))]
    {
        let volume = |p: &Path| {
            let canonical = p.canonicalize().ok()?;
            let first = canonical.components().next()?;
            Some(first.as_os_str().to_ascii_lowercase())
        };
        volume(a).is_some_and(|v| Some(v) == volume(b))
    }
}

/// Writes and removes a probe file: permissions alone miss a drive mounted
/// read-only or a share that refuses writes.
fn writable(folder: &Path) -> bool {
    let probe = folder.join(format!(".daicho-probe-{}", std::process::id()));
    let created = std::fs::File::create(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    created
}

/// The positive note for a place on another computer or in a synced folder:
/// the live ledger may not live there, a backup may.
pub fn location_note(folder: &Path) -> Option<String> {
    match location::classify(folder) {
        Location::Local => None,
        Location::Network { description } => Some(format!(
            "NAS（ネットワーク上のフォルダ）です。バックアップ先として使えます（{description}）。"
        )),
        Location::CloudSynced { description } => Some(format!(
            "クラウドと同期されるフォルダです。バックアップ先として使えます（{description}）。\
             コピーがクラウドに届くのは同期が終わってからです。"
        )),
    }
}

/// The warning for a second place at `folder` that is `reach`ed now and last
/// took a copy on `last_copy` (local date), as of `today`; `None` when the
/// last copy is at most `STALE_AFTER_DAYS` old and the place is ready.
pub fn warning(
    folder: &str,
    reach: Reach,
    last_copy: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<String> {
    let days = last_copy.map(|d| (today - d).num_days());
    let stale = days.is_none_or(|d| d > STALE_AFTER_DAYS);
    if reach == Reach::Ready && !stale {
        return None;
    }
    let headline = match days {
        None => "2か所目のバックアップがまだできていません".to_string(),
        Some(d) if stale => format!("2か所目のバックアップが{d}日間できていません"),
        Some(_) => "2か所目のバックアップ先に今はコピーできません".to_string(),
    };
    let (why, what_to_do) = obstacle(folder, reach);
    Some(format!("{headline}（{why}）。{what_to_do}"))
}

/// What stands between `folder` and a copy, and what the office can do.
fn obstacle(folder: &str, reach: Reach) -> (String, &'static str) {
    match reach {
        Reach::Ready => (
            folder.to_string(),
            "「今すぐバックアップ」を押してください。\
             失敗するときは表示される理由を確かめてください。",
        ),
        Reach::Missing => (
            format!("{folder} が見つかりません"),
            "USBメモリや外付けディスクをつなぐか、\
             NASに接続してから「今すぐバックアップ」を押してください\
             （次にアプリを起動したときにも自動でコピーします）。",
        ),
        Reach::NotWritable => (
            format!("{folder} に書き込めません"),
            "USBメモリの書き込み禁止スイッチや、\
             フォルダの権限を確かめてから「今すぐバックアップ」を押してください。",
        ),
        Reach::SameDisk => (
            format!("{folder} は台帳と同じディスクです"),
            "設定 → バックアップで、別のディスク・USBメモリ・NASのフォルダを選び直してください。",
        ),
    }
}

/// The status of the second place set in `settings`, as of `today`.
pub fn status(
    ledger_path: &Path,
    settings: &SecondPlaceSettings,
    today: NaiveDate,
) -> SecondPlaceStatus {
    let Some(folder) = settings.folder.as_deref() else {
        return SecondPlaceStatus {
            settings: settings.clone(),
            reach: None,
            location_note: None,
            last_copy_at: None,
            warning: None,
        };
    };
    let reach = reach(ledger_path, Path::new(folder));
    let last = last_copy(ledger_path, folder);
    let last_day = last.as_deref().and_then(local_date);
    SecondPlaceStatus {
        settings: settings.clone(),
        reach: Some(reach),
        location_note: location_note(Path::new(folder)),
        warning: warning(folder, reach, last_day, today),
        last_copy_at: last,
    }
}

/// The copies in the folder the last copy went to, newest first. Read from
/// the record beside the ledger, so a ledger that cannot be opened can still
/// be restored from there.
pub fn list(ledger_path: &Path) -> Vec<BackupInfo> {
    read_record(ledger_path).map_or_else(Vec::new, |r| {
        list_in(Path::new(&r.folder), Place::Second, is_ours)
    })
}

fn is_ours(file_name: &str) -> bool {
    file_name.starts_with(PREFIX)
}

/// A copy before an import, upgrade or restore: made when the place is set
/// and ready, skipped otherwise (the status then warns), since an unplugged
/// drive must not stop the office's work.
pub(crate) fn copy_if_reachable(conn: &Connection, ledger_path: &Path, kind: &str) {
    let Ok(chosen) = second_place(conn) else {
        return;
    };
    if let Some(folder) = chosen.folder.as_deref() {
        if reach(ledger_path, Path::new(folder)) == Reach::Ready {
            let _ = copy(conn, ledger_path, &chosen, kind);
        }
    }
}

/// Copies, verifies and keeps the newest `settings.keep` in the second place.
fn copy(
    conn: &Connection,
    ledger_path: &Path,
    chosen: &SecondPlaceSettings,
    kind: &str,
) -> Result<BackupInfo> {
    let folder = chosen.folder.as_deref().ok_or_else(|| {
        LedgerError::Conflict(
            "2か所目のバックアップ先が設定されていません。設定 → バックアップで選んでください。"
                .into(),
        )
    })?;
    let dir = Path::new(folder);
    let found = reach(ledger_path, dir);
    if found != Reach::Ready {
        let (why, what_to_do) = obstacle(folder, found);
        return Err(LedgerError::Conflict(format!(
            "2か所目にバックアップできません（{why}）。{what_to_do}"
        )));
    }
    let dest = dir.join(stamped_name(kind));
    copy_staged(conn, &dest, |tmp| {
        check_with(tmp, "integrity_check").map_err(|_| {
            LedgerError::Conflict(format!(
                "{folder} に書いたコピーを検査したところ、\
                 正しく読み戻せませんでした（コピーは残していません）。\
                 USBメモリやディスクの故障が考えられます。別の媒体をお試しください。"
            ))
        })
    })?;
    remove_beyond(list_in(dir, Place::Second, is_ours), chosen.keep as usize)?;
    write_record(
        ledger_path,
        &Record {
            folder: folder.to_string(),
            copied_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        },
    )?;
    list_in(dir, Place::Second, is_ours)
        .into_iter()
        .find(|b| Path::new(&b.path) == dest)
        .ok_or_else(|| {
            LedgerError::Conflict("2か所目のバックアップを作成できませんでした。".into())
        })
}

/// When the last copy into `folder` was made (RFC 3339).
fn last_copy(ledger_path: &Path, folder: &str) -> Option<String> {
    read_record(ledger_path)
        .filter(|r| r.folder == folder)
        .map(|r| r.copied_at)
}

fn local_date(rfc3339: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
}

fn record_path(ledger_path: &Path) -> PathBuf {
    super::backup_dir(ledger_path).join(RECORD)
}

fn read_record(ledger_path: &Path) -> Option<Record> {
    let text = std::fs::read_to_string(record_path(ledger_path)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Written to a temporary name and renamed, so a crash leaves the old record.
fn write_record(ledger_path: &Path, record: &Record) -> Result<()> {
    let path = record_path(ledger_path);
    let dir = super::folder_of(&path);
    std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
    let tmp = dir.join(format!(".{RECORD}.partial"));
    let text = serde_json::to_string(record).expect("record serializes");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(LedgerError::io(&path))
}

impl Ledger {
    pub fn second_place_settings(&self) -> Result<SecondPlaceSettings> {
        second_place(&self.conn)
    }

    /// Saves the second place. A folder is refused unless it exists, can be
    /// written and is on another disk than the ledger; a network or cloud
    /// folder is accepted (`location_note` says so). An empty folder clears it.
    pub fn save_second_place(
        &mut self,
        input: &SecondPlaceSettings,
    ) -> Result<SecondPlaceSettings> {
        let folder = input
            .folder
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        let mut errors = Vec::new();
        if let Some(f) = folder {
            if let Some(problem) = refusal(self.path(), Path::new(f)) {
                errors.push(FieldError::new("folder", problem));
            }
        }
        if !(1..=MAX_KEEP).contains(&input.keep) {
            errors.push(FieldError::new(
                "keep",
                format!("残す数は1から{MAX_KEEP}の間で入力してください。"),
            ));
        }
        if !errors.is_empty() {
            return Err(LedgerError::Invalid(errors));
        }
        let clean = SecondPlaceSettings {
            folder: folder.map(String::from),
            keep: input.keep,
        };
        self.write(Need::Backup, |tx| {
            put_second_place(tx, &clean)?;
            second_place(tx)
        })
    }

    pub fn second_place_status(&self, today: NaiveDate) -> Result<SecondPlaceStatus> {
        Ok(status(self.path(), &self.second_place_settings()?, today))
    }

    /// Makes a verified copy in the second place now (the button, the CLI).
    pub fn backup_to_second_place(&self) -> Result<BackupInfo> {
        copy(&self.conn, self.path(), &self.second_place_settings()?, "")
    }

    /// The start-up copy: when a place is set and has had no copy on
    /// `today` yet. A place that cannot be reached is an error to log; the
    /// status warns the office.
    pub fn second_place_if_due(&self, today: NaiveDate) -> Result<Option<BackupInfo>> {
        let chosen = self.second_place_settings()?;
        let Some(folder) = chosen.folder.as_deref() else {
            return Ok(None);
        };
        let last = last_copy(self.path(), folder).and_then(|t| local_date(&t));
        if last.is_some_and(|d| d >= today) {
            return Ok(None);
        }
        self.backup_to_second_place().map(Some)
    }

    /// Before an import writes: a copy in the second place if it is ready.
    pub(crate) fn second_place_before_import(&self) {
        copy_if_reachable(&self.conn, self.path(), "-before-import");
    }
}

/// Why `folder` cannot be the second place for the ledger at `ledger_path`.
fn refusal(ledger_path: &Path, folder: &Path) -> Option<String> {
    let shown = folder.display();
    if !folder.is_absolute() {
        return Some(format!(
            "{shown} はフォルダの場所として読めません。「参照」から選んでください。"
        ));
    }
    match reach(ledger_path, folder) {
        Reach::Ready => None,
        Reach::Missing => Some(format!(
            "フォルダ {shown} が見つかりません。USBメモリなどをつないでから選んでください。"
        )),
        Reach::NotWritable => Some(format!("フォルダ {shown} に書き込めません。")),
        Reach::SameDisk => Some(format!(
            "{shown} は台帳と同じディスクにあります。ディスクの故障や盗難、\
             ランサムウェアでは台帳と一緒に失われるため、2か所目には使えません。\
             USBメモリ・外付けディスク・NASのフォルダを選んでください。"
        )),
    }
}

/// The second place for backups: a folder on another disk (a USB drive, a
/// NAS share) that gets a verified copy every day (`backup::second_place`).
/// Stored as one JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SecondPlaceSettings {
    /// The folder as the office chose it; `None` until one is chosen.
    pub folder: Option<String>,
    /// How many copies the folder keeps, the newest.
    pub keep: u32,
}

impl Default for SecondPlaceSettings {
    fn default() -> Self {
        Self {
            folder: None,
            keep: crate::store::backup::KEEP as u32,
        }
    }
}

pub(crate) fn second_place(conn: &Connection) -> Result<SecondPlaceSettings> {
    Ok(kv::local_get(conn, Local::SecondPlace)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

pub(crate) fn put_second_place(
    tx: &rusqlite::Transaction,
    value: &SecondPlaceSettings,
) -> Result<()> {
    kv::local_put(
        tx,
        Local::SecondPlace,
        &serde_json::to_string(value).expect("settings serialize"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_ready_place_copied_within_two_days_is_quiet() {
        for last in ["2025-06-10", "2025-06-09", "2025-06-08"] {
            assert_eq!(
                warning(
                    "E:\\daicho",
                    Reach::Ready,
                    Some(day(last)),
                    day("2025-06-10")
                ),
                None
            );
        }
    }

    #[test]
    fn three_days_without_a_copy_is_said_with_the_count() {
        let text = warning(
            "E:\\daicho",
            Reach::Missing,
            Some(day("2025-06-07")),
            day("2025-06-10"),
        )
        .unwrap();
        assert!(
            text.starts_with(
                "2か所目のバックアップが3日間できていません（E:\\daicho が見つかりません）。"
            ),
            "{text}"
        );
        assert!(text.contains("USBメモリ"), "{text}");
    }

    #[test]
    fn an_unplugged_drive_is_said_at_once() {
        let text = warning(
            "E:\\daicho",
            Reach::Missing,
            Some(day("2025-06-10")),
            day("2025-06-10"),
        )
        .unwrap();
        assert!(text.contains("今はコピーできません"), "{text}");
    }

    #[test]
    fn a_place_never_copied_to_is_said() {
        let text = warning("/mnt/nas", Reach::Ready, None, day("2025-06-10")).unwrap();
        assert!(text.contains("まだできていません"), "{text}");
    }
}
