//! Windows: a folder is on the network when it resolves to a UNC path (a
//! mapped drive `Z:` resolves to `\\?\UNC\nas\共有\…`) or its volume's drive
//! type is `DRIVE_REMOTE`; `WNetGetConnectionW` names the share a drive
//! letter maps to. It is cloud-synced when the Cloud Files API places it
//! under a sync root (OneDrive, Dropbox, iCloud, Box), when it or a folder
//! above it carries a cloud-file attribute (placeholders, pinned or
//! unpinned), or when it is under a client's own root (the `OneDrive*`
//! variables, Dropbox's `info.json`, Google Drive's root list).
//!
//! The bundled SQLite treats only a `\\` path as network (`winIsUNCPath`), so
//! a mapped drive would otherwise get the locking SQLite says does not work
//! on network file systems.

// Built everywhere so the decision is tested on every OS; only Windows calls it.
#![cfg_attr(not(windows), allow(dead_code))]

use super::Location;

/// What Windows says about a folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct WindowsFacts {
    /// The path as given, made absolute (`Z:\台帳\daicho.sqlite3`).
    pub given: String,
    /// The folder resolved by `canonicalize` (`\\?\UNC\nas\共有\台帳`).
    pub resolved: String,
    /// `GetDriveTypeW` of the folder's volume is `DRIVE_REMOTE`.
    pub remote_drive: bool,
    /// `WNetGetConnectionW` of the given path's drive letter (`\\nas\共有`).
    pub mapped_to: Option<String>,
    /// The folder or one above it has a cloud-file attribute.
    pub cloud_attributes: bool,
    /// The provider of the Cloud Files sync root holding the folder.
    pub sync_provider: Option<String>,
}

pub(super) fn decide(facts: &WindowsFacts) -> Location {
    let share = unc_share(&facts.resolved).or_else(|| unc_share(&facts.given));
    if facts.remote_drive || share.is_some() {
        return Location::Network {
            description: network_description(facts, share),
        };
    }
    let folder = plain(&facts.resolved);
    let description = match (&facts.sync_provider, facts.cloud_attributes) {
        (Some(provider), _) => format!("{folder} は {provider} で同期されるフォルダです"),
        (None, true) => format!("{folder} はクラウドと同期されるフォルダです"),
        (None, false) => return Location::Local,
    };
    Location::CloudSynced { description }
}

/// 「Z: は \\nas\共有 のネットワークドライブです」 for a mapped drive,
/// 「\\nas\共有 はネットワーク上の共有フォルダです」 for a share path.
fn network_description(facts: &WindowsFacts, share: Option<String>) -> String {
    let share = facts.mapped_to.clone().or(share);
    match (drive_letter(&facts.given), share) {
        (Some(drive), Some(share)) => format!("{drive} は {share} のネットワークドライブです"),
        (Some(drive), None) => format!("{drive} はネットワークドライブです"),
        (None, Some(share)) => format!("{share} はネットワーク上の共有フォルダです"),
        (None, None) => format!("{} はネットワーク上のフォルダです", plain(&facts.given)),
    }
}

/// `Z:` from `Z:\…` or `\\?\Z:\…`.
fn drive_letter(path: &str) -> Option<String> {
    let path = path.strip_prefix(r"\\?\").unwrap_or(path);
    let mut chars = path.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic() => {
            Some(format!("{}:", letter.to_ascii_uppercase()))
        }
        _ => None,
    }
}

/// `\\nas\共有` from `\\?\UNC\nas\共有\…` or `\\nas\共有\…`.
fn unc_share(path: &str) -> Option<String> {
    let rest = path
        .strip_prefix(r"\\?\UNC\")
        .or_else(|| path.strip_prefix(r"\\").filter(|r| !r.starts_with(r"?\")))?;
    let mut parts = rest.split('\\').filter(|p| !p.is_empty());
    let (server, share) = (parts.next()?, parts.next()?);
    Some(format!(r"\\{server}\{share}"))
}

/// The path without the `\\?\` prefix `canonicalize` adds, as Explorer shows it.
fn plain(path: &str) -> String {
    match path.strip_prefix(r"\\?\UNC\") {
        Some(rest) => format!(r"\\{rest}"),
        None => path.strip_prefix(r"\\?\").unwrap_or(path).to_string(),
    }
}

#[cfg(windows)]
pub(super) use probe::{cloud_roots, facts};

#[cfg(windows)]
mod probe {
    use std::os::windows::ffi::{OsStrExt, OsStringExt};
    use std::path::{Path, PathBuf};

    use windows_sys::Win32::Foundation::NO_ERROR;
    use windows_sys::Win32::NetworkManagement::WNet::WNetGetConnectionW;
    use windows_sys::Win32::Storage::CloudFilters::{
        CfGetSyncRootInfoByPath, CF_SYNC_ROOT_INFO_PROVIDER, CF_SYNC_ROOT_PROVIDER_INFO,
    };
    use windows_sys::Win32::Storage::FileSystem::{
        GetDriveTypeW, GetFileAttributesW, GetVolumePathNameW, FILE_ATTRIBUTE_OFFLINE,
        FILE_ATTRIBUTE_PINNED, FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS, FILE_ATTRIBUTE_RECALL_ON_OPEN,
        FILE_ATTRIBUTE_UNPINNED, INVALID_FILE_ATTRIBUTES,
    };
    use windows_sys::Win32::System::WindowsProgramming::DRIVE_REMOTE;

    use super::{drive_letter, plain, WindowsFacts};
    use crate::store::location::CloudRoot;

    /// Attributes the Cloud Files API and sync clients put on what they manage.
    const CLOUD_ATTRIBUTES: u32 = FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS
        | FILE_ATTRIBUTE_RECALL_ON_OPEN
        | FILE_ATTRIBUTE_PINNED
        | FILE_ATTRIBUTE_UNPINNED
        | FILE_ATTRIBUTE_OFFLINE;

    fn wide(text: &std::ffi::OsStr) -> Vec<u16> {
        text.encode_wide().chain(std::iter::once(0)).collect()
    }

    fn from_wide(buf: &[u16]) -> String {
        let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
        std::ffi::OsString::from_wide(&buf[..end])
            .to_string_lossy()
            .into_owned()
    }

    pub fn facts(given: &Path, folder: &Path) -> WindowsFacts {
        let given = std::path::absolute(given)
            .unwrap_or_else(|_| given.to_path_buf())
            .to_string_lossy()
            .into_owned();
        WindowsFacts {
            mapped_to: drive_letter(&given).and_then(|d| mapped_share(&d)),
            given,
            resolved: folder.to_string_lossy().into_owned(),
            remote_drive: drive_type(folder) == Some(DRIVE_REMOTE),
            cloud_attributes: folder
                .ancestors()
                .any(|p| attributes(p) & CLOUD_ATTRIBUTES != 0),
            sync_provider: sync_provider(folder),
        }
    }

    fn drive_type(folder: &Path) -> Option<u32> {
        let path = wide(folder.as_os_str());
        let mut root = [0u16; 1024];
        // SAFETY: `path` is NUL-terminated; `root` is writable for its length.
        let ok = unsafe { GetVolumePathNameW(path.as_ptr(), root.as_mut_ptr(), root.len() as u32) };
        // SAFETY: `root` now holds a NUL-terminated volume path.
        (ok != 0).then(|| unsafe { GetDriveTypeW(root.as_ptr()) })
    }

    fn mapped_share(drive: &str) -> Option<String> {
        let local = wide(std::ffi::OsStr::new(drive));
        let mut remote = [0u16; 1024];
        let mut len = remote.len() as u32;
        // SAFETY: `local` is NUL-terminated; `remote` holds `len` characters.
        let status = unsafe { WNetGetConnectionW(local.as_ptr(), remote.as_mut_ptr(), &mut len) };
        (status == NO_ERROR).then(|| from_wide(&remote))
    }

    fn attributes(path: &Path) -> u32 {
        let path = wide(path.as_os_str());
        // SAFETY: `path` is NUL-terminated.
        let found = unsafe { GetFileAttributesW(path.as_ptr()) };
        if found == INVALID_FILE_ATTRIBUTES {
            0
        } else {
            found
        }
    }

    fn sync_provider(folder: &Path) -> Option<String> {
        let path = wide(folder.as_os_str());
        // SAFETY: all-zero is a valid value of this plain C struct.
        let mut info: CF_SYNC_ROOT_PROVIDER_INFO = unsafe { std::mem::zeroed() };
        let mut returned = 0u32;
        // SAFETY: `path` is NUL-terminated; `info` is writable for its size.
        let result = unsafe {
            CfGetSyncRootInfoByPath(
                path.as_ptr(),
                CF_SYNC_ROOT_INFO_PROVIDER,
                (&mut info as *mut CF_SYNC_ROOT_PROVIDER_INFO).cast(),
                std::mem::size_of::<CF_SYNC_ROOT_PROVIDER_INFO>() as u32,
                &mut returned,
            )
        };
        (result >= 0).then(|| from_wide(&info.ProviderName))
    }

    /// OneDrive sets `OneDrive`, `OneDriveConsumer` and `OneDriveCommercial`
    /// to its folders; Google Drive for desktop lists its synced folders and
    /// its virtual drive in `%LOCALAPPDATA%\Google\DriveFS\root_preference_sqlite.db`.
    pub fn cloud_roots() -> Vec<CloudRoot> {
        let onedrive = ["OneDrive", "OneDriveConsumer", "OneDriveCommercial"]
            .into_iter()
            .filter_map(std::env::var_os)
            .filter(|v| !v.is_empty())
            .map(|v| CloudRoot::new("OneDrive", PathBuf::from(v)));
        onedrive.chain(google_drive_roots()).collect()
    }

    fn google_drive_roots() -> Vec<CloudRoot> {
        let Some(db) = dirs::data_local_dir()
            .map(|d| d.join(r"Google\DriveFS\root_preference_sqlite.db"))
            .filter(|p| p.is_file())
        else {
            return Vec::new();
        };
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        let Ok(conn) = rusqlite::Connection::open_with_flags(db, flags) else {
            return Vec::new();
        };
        let sql = "SELECT last_seen_absolute_path FROM roots
                   UNION ALL SELECT last_mount_point FROM media WHERE fs_type = 10";
        let paths: Vec<String> = conn
            .prepare(sql)
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, Option<String>>(0))?
                    .filter_map(|r| r.transpose())
                    .collect()
            })
            .unwrap_or_default();
        paths
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| CloudRoot::new("Google ドライブ", PathBuf::from(plain(p))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapped_drive_is_named_with_its_share() {
        let facts = WindowsFacts {
            given: r"Z:\台帳\daicho.sqlite3".into(),
            resolved: r"\\?\UNC\nas\共有\台帳".into(),
            remote_drive: true,
            mapped_to: Some(r"\\nas\共有".into()),
            ..Default::default()
        };
        assert_eq!(
            decide(&facts).description(),
            Some(r"Z: は \\nas\共有 のネットワークドライブです")
        );
    }

    #[test]
    fn a_resolved_unc_path_is_network_even_when_the_drive_type_says_otherwise() {
        let facts = WindowsFacts {
            given: r"y:\daicho.sqlite3".into(),
            resolved: r"\\?\UNC\nas2\事務\".into(),
            ..Default::default()
        };
        assert_eq!(
            decide(&facts).description(),
            Some(r"Y: は \\nas2\事務 のネットワークドライブです")
        );
    }

    #[test]
    fn a_share_path_is_named_by_its_share() {
        let facts = WindowsFacts {
            given: r"\\nas\共有\台帳\daicho.sqlite3".into(),
            resolved: r"\\?\UNC\nas\共有\台帳".into(),
            remote_drive: true,
            ..Default::default()
        };
        assert_eq!(
            decide(&facts).description(),
            Some(r"\\nas\共有 はネットワーク上の共有フォルダです")
        );
    }

    #[test]
    fn a_sync_root_or_cloud_attribute_is_cloud_synced() {
        let synced = WindowsFacts {
            given: r"C:\Users\u\OneDrive\台帳".into(),
            resolved: r"\\?\C:\Users\u\OneDrive\台帳".into(),
            sync_provider: Some("OneDrive".into()),
            ..Default::default()
        };
        assert_eq!(
            decide(&synced),
            Location::CloudSynced {
                description: r"C:\Users\u\OneDrive\台帳 は OneDrive で同期されるフォルダです"
                    .into()
            }
        );
        let placeholder = WindowsFacts {
            cloud_attributes: true,
            sync_provider: None,
            ..synced
        };
        assert!(matches!(decide(&placeholder), Location::CloudSynced { .. }));
    }

    #[test]
    fn a_local_disk_is_local() {
        let facts = WindowsFacts {
            given: r"C:\Users\u\AppData\Local\jp.daicho.ledger\daicho.sqlite3".into(),
            resolved: r"\\?\C:\Users\u\AppData\Local\jp.daicho.ledger".into(),
            ..Default::default()
        };
        assert!(decide(&facts).is_local());
    }

    #[test]
    fn shares_and_letters_are_read_from_every_prefix() {
        assert_eq!(unc_share(r"\\?\UNC\srv\s\a").as_deref(), Some(r"\\srv\s"));
        assert_eq!(unc_share(r"\\srv\s").as_deref(), Some(r"\\srv\s"));
        assert_eq!(unc_share(r"\\?\C:\x"), None);
        assert_eq!(unc_share(r"\\srv"), None);
        assert_eq!(drive_letter(r"\\?\d:\x").as_deref(), Some("D:"));
        assert_eq!(drive_letter(r"\\srv\s"), None);
    }
}
