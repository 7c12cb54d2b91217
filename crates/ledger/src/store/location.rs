//! Where the ledger may live. SQLite's WAL needs every process on one host
//! ("WAL does not work over a network filesystem", sqlite.org/wal.html),
//! network file systems break its locks (useovernet.html, howtocorrupt.html),
//! and sync clients copy a live database file by file. So the live ledger is
//! refused in a network or cloud-synced folder; a backup may go there.
//!
//! Each OS answers from its own records (Linux `/proc/self/mountinfo`,
//! Windows drive types and sync roots, macOS `statfs`). The probing is
//! behind `cfg(target_os)`; the decision is a pure function of what was read,
//! so every OS's decision is tested here from recorded inputs.

mod linux;
mod macos;
mod windows;

use std::path::{Path, PathBuf};

use serde::Serialize;

/// What kind of folder a path is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    Local,
    /// On another computer (a NAS, a Windows share, an sshfs mount).
    /// `description` names it for the office, e.g.
    /// 「Z: は \\nas\共有 のネットワークドライブです」.
    Network {
        description: String,
    },
    /// In a folder a sync client copies (OneDrive, Dropbox, iCloud Drive).
    CloudSynced {
        description: String,
    },
}

impl Location {
    pub fn is_local(&self) -> bool {
        matches!(self, Self::Local)
    }

    /// The sentence naming the place, when it is not local.
    pub fn description(&self) -> Option<&str> {
        match self {
            Self::Local => None,
            Self::Network { description } | Self::CloudSynced { description } => Some(description),
        }
    }
}

/// Classifies the folder that holds (or would hold) `path`: the nearest
/// existing folder on the way up, so a ledger not yet created is judged by
/// where it would be created. When the OS cannot tell, the answer is `Local`.
pub fn classify(path: &Path) -> Location {
    let Some(folder) = existing_folder(path) else {
        return Location::Local;
    };
    let verdict = probe(path, &folder);
    if !verdict.is_local() {
        return verdict;
    }
    cloud_root(&folder, &cloud_roots()).map_or(Location::Local, CloudRoot::location)
}

/// Where a ledger found on a share or in a synced folder is copied to on
/// this PC: the local ledger's own place when no ledger is there yet (the
/// app and the CLI then open it without being told), otherwise a new file
/// beside it.
pub fn local_copy_path() -> Option<PathBuf> {
    let default = crate::default_ledger_path()?;
    if !default.exists() {
        return Some(default);
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    Some(default.with_file_name(format!("daicho-copy-{stamp}.sqlite3")))
}

/// The nearest existing ancestor of `path` (itself included), resolved
/// through symbolic links, so a link into a share is judged by the share.
fn existing_folder(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    absolute
        .ancestors()
        .find(|p| p.exists())
        .and_then(|p| p.canonicalize().ok())
}

#[cfg(target_os = "linux")]
fn probe(_given: &Path, folder: &Path) -> Location {
    match std::fs::read_to_string("/proc/self/mountinfo") {
        Ok(mountinfo) => linux::decide(&mountinfo, folder),
        Err(_) => Location::Local,
    }
}

#[cfg(target_os = "macos")]
fn probe(_given: &Path, folder: &Path) -> Location {
    macos::statfs_facts(folder).map_or(Location::Local, |facts| macos::decide(&facts))
}

#[cfg(windows)]
fn probe(given: &Path, folder: &Path) -> Location {
    windows::decide(&windows::facts(given, folder))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn probe(_given: &Path, _folder: &Path) -> Location {
    Location::Local
}

/// A folder a sync client keeps copied to the cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CloudRoot {
    service: String,
    root: PathBuf,
}

impl CloudRoot {
    fn new(service: &str, root: PathBuf) -> Self {
        Self {
            service: service.to_string(),
            root,
        }
    }

    fn location(&self) -> Location {
        Location::CloudSynced {
            description: format!(
                "{} は {} で同期されるフォルダです",
                self.root.display(),
                self.service
            ),
        }
    }
}

/// The cloud folder `folder` is in, if any (roots compared resolved, as
/// `folder` is).
fn cloud_root<'a>(folder: &Path, roots: &'a [CloudRoot]) -> Option<&'a CloudRoot> {
    roots.iter().find(|r| folder.starts_with(&r.root))
}

/// The cloud folders of this user that exist, resolved.
fn cloud_roots() -> Vec<CloudRoot> {
    let mut roots = dropbox_roots();
    roots.extend(os_cloud_roots());
    roots
        .into_iter()
        .filter_map(|r| {
            let root = r.root.canonicalize().ok()?;
            Some(CloudRoot { root, ..r })
        })
        .collect()
}

/// Dropbox writes where its folders are in `info.json` (its help centre,
/// "How to programmatically find the Dropbox folder paths"): in `~/.dropbox`
/// on Linux and macOS, `%APPDATA%` or `%LOCALAPPDATA%\Dropbox` on Windows.
fn dropbox_roots() -> Vec<CloudRoot> {
    let mut files: Vec<PathBuf> = dirs::home_dir()
        .map(|h| h.join(".dropbox").join("info.json"))
        .into_iter()
        .collect();
    if cfg!(windows) {
        files.extend(
            [dirs::config_dir(), dirs::data_local_dir()]
                .into_iter()
                .flatten()
                .map(|d| d.join("Dropbox").join("info.json")),
        );
    }
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .flat_map(|text| dropbox_paths(&text))
        .map(|root| CloudRoot::new("Dropbox", root))
        .collect()
}

/// The folder paths in Dropbox's `info.json`: one per account
/// (`personal`, `business`), each with a `path`.
fn dropbox_paths(info_json: &str) -> Vec<PathBuf> {
    let Ok(serde_json::Value::Object(accounts)) = serde_json::from_str(info_json) else {
        return Vec::new();
    };
    accounts
        .values()
        .filter_map(|a| a.get("path")?.as_str())
        .map(PathBuf::from)
        .collect()
}

#[cfg(target_os = "linux")]
fn os_cloud_roots() -> Vec<CloudRoot> {
    let home = dirs::home_dir();
    let onedrive_config = dirs::config_dir()
        .and_then(|d| std::fs::read_to_string(d.join("onedrive").join("config")).ok());
    linux::cloud_roots(home.as_deref(), onedrive_config.as_deref())
}

#[cfg(target_os = "macos")]
fn os_cloud_roots() -> Vec<CloudRoot> {
    dirs::home_dir().map_or_else(Vec::new, |home| macos::cloud_roots(&home))
}

#[cfg(windows)]
fn os_cloud_roots() -> Vec<CloudRoot> {
    windows::cloud_roots()
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn os_cloud_roots() -> Vec<CloudRoot> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropbox_info_names_every_account() {
        let info = r#"{"personal": {"path": "/home/u/Dropbox", "host": 1, "is_team": false},
                       "business": {"path": "/home/u/Dropbox (工務店)", "host": 2}}"#;
        let mut paths = dropbox_paths(info);
        paths.sort();
        assert_eq!(
            paths,
            [
                PathBuf::from("/home/u/Dropbox"),
                PathBuf::from("/home/u/Dropbox (工務店)")
            ]
        );
        assert!(dropbox_paths("not json").is_empty());
    }

    #[test]
    fn a_folder_inside_a_cloud_root_is_synced_and_a_sibling_is_not() {
        let roots = [CloudRoot::new(
            "OneDrive",
            PathBuf::from("/home/u/OneDrive"),
        )];
        let inside = cloud_root(Path::new("/home/u/OneDrive/台帳"), &roots);
        assert_eq!(
            inside.map(CloudRoot::location),
            Some(Location::CloudSynced {
                description: "/home/u/OneDrive は OneDrive で同期されるフォルダです".into()
            })
        );
        assert!(cloud_root(Path::new("/home/u/OneDrive2"), &roots).is_none());
    }

    #[test]
    fn a_ledger_not_yet_created_is_judged_by_its_nearest_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("まだない").join("daicho.sqlite3");
        assert_eq!(
            existing_folder(&path),
            Some(dir.path().canonicalize().unwrap())
        );
    }

    #[test]
    fn the_test_folder_is_local() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            classify(&dir.path().join("daicho.sqlite3")),
            Location::Local
        );
    }
}
