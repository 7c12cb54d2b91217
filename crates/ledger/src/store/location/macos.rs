//! macOS: `statfs(2)` of the folder. The kernel marks local file systems
//! with `MNT_LOCAL`; smbfs, nfs, afpfs and webdav are named as well, in case
//! a file system sets the flag on a share.

// Built everywhere so the decision is tested on every OS; only macOS calls it.
#![cfg_attr(not(target_os = "macos"), allow(dead_code))]

use std::path::Path;

use super::{CloudRoot, Location};

const NETWORK_TYPES: &[&str] = &["smbfs", "nfs", "afpfs", "webdav"];

/// The fields of `struct statfs` the decision needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatfsFacts {
    /// `f_flags & MNT_LOCAL != 0`.
    pub local_flag: bool,
    /// `f_fstypename`, e.g. `apfs`, `smbfs`.
    pub fs_type: String,
    /// `f_mntfromname`, e.g. `//u@nas._smb._tcp.local/共有`.
    pub mounted_from: String,
    /// `f_mntonname`, e.g. `/Volumes/共有`.
    pub mounted_on: String,
}

pub(super) fn decide(facts: &StatfsFacts) -> Location {
    if facts.local_flag && !NETWORK_TYPES.contains(&facts.fs_type.as_str()) {
        return Location::Local;
    }
    Location::Network {
        description: format!(
            "{} は {}（{}）のネットワーク上のフォルダです",
            facts.mounted_on, facts.mounted_from, facts.fs_type
        ),
    }
}

#[cfg(target_os = "macos")]
pub(super) fn statfs_facts(folder: &Path) -> Option<StatfsFacts> {
    use std::ffi::{CStr, CString};
    use std::os::unix::ffi::OsStrExt;

    let c_path = CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut buf = std::mem::MaybeUninit::<libc::statfs>::zeroed();
    // SAFETY: `c_path` is NUL-terminated and `buf` is a `statfs` the call fills.
    if unsafe { libc::statfs(c_path.as_ptr(), buf.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statfs returned 0, so it wrote the whole struct.
    let st = unsafe { buf.assume_init() };
    let text = |field: &[libc::c_char]| {
        // SAFETY: the kernel NUL-terminates these fixed-size name fields.
        unsafe { CStr::from_ptr(field.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    };
    Some(StatfsFacts {
        local_flag: st.f_flags & (libc::MNT_LOCAL as u32) != 0,
        fs_type: text(&st.f_fstypename),
        mounted_from: text(&st.f_mntfromname),
        mounted_on: text(&st.f_mntonname),
    })
}

/// iCloud Drive (`~/Library/Mobile Documents`) and the File Provider
/// folders every current sync client uses (`~/Library/CloudStorage/<name>`:
/// OneDrive-…, Dropbox, GoogleDrive-…), each named by its folder.
pub(super) fn cloud_roots(home: &Path) -> Vec<CloudRoot> {
    let library = home.join("Library");
    let providers = std::fs::read_dir(library.join("CloudStorage"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| CloudRoot::new(&e.file_name().to_string_lossy(), e.path()));
    std::iter::once(CloudRoot::new(
        "iCloud Drive",
        library.join("Mobile Documents"),
    ))
    .chain(providers)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(local_flag: bool, fs_type: &str, from: &str, on: &str) -> StatfsFacts {
        StatfsFacts {
            local_flag,
            fs_type: fs_type.into(),
            mounted_from: from.into(),
            mounted_on: on.into(),
        }
    }

    #[test]
    fn an_smb_share_is_network_and_named() {
        let share = facts(
            false,
            "smbfs",
            "//u@nas._smb._tcp.local/共有",
            "/Volumes/共有",
        );
        assert_eq!(
            decide(&share).description(),
            Some(
                "/Volumes/共有 は //u@nas._smb._tcp.local/共有（smbfs）\
                 のネットワーク上のフォルダです"
            )
        );
    }

    #[test]
    fn the_local_flag_decides_and_a_named_share_type_overrides_it() {
        assert!(decide(&facts(true, "apfs", "/dev/disk3s5", "/System/Volumes/Data")).is_local());
        assert!(!decide(&facts(false, "osxfuse", "sshfs@server", "/Volumes/srv")).is_local());
        assert!(!decide(&facts(true, "nfs", "nas:/share", "/Volumes/nas")).is_local());
    }

    #[test]
    fn icloud_drive_is_a_cloud_root() {
        let roots = cloud_roots(Path::new("/Users/u"));
        assert_eq!(
            roots[0],
            CloudRoot::new("iCloud Drive", "/Users/u/Library/Mobile Documents".into())
        );
    }
}
