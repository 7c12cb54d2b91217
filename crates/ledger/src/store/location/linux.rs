//! Linux: the mount a folder is on, from `/proc/self/mountinfo` (proc(5)),
//! and whether its file system type reaches another computer. `statfs`
//! alone cannot tell: every FUSE file system reports one magic number, so
//! sshfs and a local NTFS disk (ntfs-3g, `fuseblk`) look the same there;
//! mountinfo names the FUSE subtype and the source to show the office.

// Built everywhere so the decision is tested on every OS; only Linux calls it.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::path::{Path, PathBuf};

use super::{CloudRoot, Location};

/// File system types that live on another computer: the kernel's network
/// file systems, and FUSE file systems (`fuse.<subtype>`) that talk to a
/// server. A FUSE type not listed (ntfs-3g's `fuseblk`, exfat) is a local disk.
const NETWORK_TYPES: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ncpfs",
    "9p",
    "ceph",
    "afs",
    "glusterfs",
    "lustre",
    "davfs",
    "gvfsd-fuse",
    "fuse.sshfs",
    "fuse.rclone",
    "fuse.gvfsd-fuse",
    "fuse.s3fs",
    "fuse.davfs",
    "fuse.glusterfs",
];

/// One line of mountinfo, the fields the decision needs.
#[derive(Debug, PartialEq, Eq)]
struct Mount {
    mount_point: PathBuf,
    fs_type: String,
    source: String,
}

/// Where `folder` (absolute, resolved) sits, from the text of mountinfo.
pub(super) fn decide(mountinfo: &str, folder: &Path) -> Location {
    match mount_of(mountinfo, folder) {
        Some(m) if NETWORK_TYPES.contains(&m.fs_type.as_str()) => Location::Network {
            description: format!(
                "{} は {}（{}）のネットワーク上のフォルダです",
                m.mount_point.display(),
                m.source,
                m.fs_type
            ),
        },
        _ => Location::Local,
    }
}

/// The mount holding `folder`: the longest mount point containing it; of
/// two on the same point, the later line, which is mounted over the earlier.
fn mount_of(mountinfo: &str, folder: &Path) -> Option<Mount> {
    mountinfo
        .lines()
        .filter_map(parse_line)
        .filter(|m| folder.starts_with(&m.mount_point))
        .max_by_key(|m| m.mount_point.components().count())
}

/// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw`:
/// the mount point is the fifth field; after the lone `-`, the type and the
/// source.
fn parse_line(line: &str) -> Option<Mount> {
    let (before, after) = line.split_once(" - ")?;
    let mount_point = before.split(' ').nth(4)?;
    let mut after = after.split(' ');
    let fs_type = after.next()?;
    let source = after.next()?;
    Some(Mount {
        mount_point: PathBuf::from(unescape(mount_point)),
        fs_type: unescape(fs_type),
        source: unescape(source),
    })
}

/// mountinfo writes space, tab, newline and backslash as `\ooo` octal.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)))
            .map(|d| d.iter().fold(0u32, |n, b| n * 8 + u32::from(b - b'0')));
        match octal.and_then(|n| u8::try_from(n).ok()) {
            Some(byte) => {
                out.push(byte);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The folders Linux sync clients keep: `~/Dropbox` (Dropbox, Maestral) and
/// the OneDrive client's `sync_dir` (abraunegg/onedrive, default
/// `~/OneDrive`). rclone and gvfs mounts are found as mounts instead.
pub(super) fn cloud_roots(home: Option<&Path>, onedrive_config: Option<&str>) -> Vec<CloudRoot> {
    let Some(home) = home else {
        return Vec::new();
    };
    let onedrive = onedrive_config
        .and_then(onedrive_sync_dir)
        .map_or_else(|| home.join("OneDrive"), |dir| expand_home(&dir, home));
    vec![
        CloudRoot::new("Dropbox", home.join("Dropbox")),
        CloudRoot::new("OneDrive", onedrive),
    ]
}

/// `sync_dir = "~/OneDrive"` from the OneDrive client's config file.
fn onedrive_sync_dir(config: &str) -> Option<String> {
    config.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "sync_dir").then(|| value.trim().trim_matches('"').to_string())
    })
}

fn expand_home(dir: &str, home: &Path) -> PathBuf {
    match dir.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None => PathBuf::from(dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded from a machine with a NAS over NFS, a Windows share, an sshfs
    /// mount, a local NTFS disk through ntfs-3g and a tmpfs over a share.
    const MOUNTINFO: &str = "\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
61 27 0:52 / /mnt/nas rw,relatime shared:40 - nfs4 nas:/share rw,vers=4.2
62 27 0:53 / /mnt/共有\\040フォルダ rw,relatime - cifs //nas/共有 rw,vers=3.1.1
63 27 0:54 / /home/u/remote rw,nosuid,nodev - fuse.sshfs u@server:/srv rw,user_id=1000
64 27 8:17 / /media/u/USB rw,nosuid - fuseblk /dev/sdb1 rw,user_id=0
65 61 0:55 / /mnt/nas/scratch rw - tmpfs tmpfs rw
66 27 0:56 / /home/u/gdrive rw - fuse.rclone gdrive: rw
";

    fn at(path: &str) -> Location {
        decide(MOUNTINFO, Path::new(path))
    }

    #[test]
    fn an_nfs_share_is_named_by_its_source_and_type() {
        assert_eq!(
            at("/mnt/nas/daicho"),
            Location::Network {
                description: "/mnt/nas は nas:/share（nfs4）のネットワーク上のフォルダです".into()
            }
        );
    }

    #[test]
    fn escaped_mount_points_match_their_real_names() {
        assert_eq!(
            at("/mnt/共有 フォルダ/台帳").description(),
            Some("/mnt/共有 フォルダ は //nas/共有（cifs）のネットワーク上のフォルダです")
        );
    }

    #[test]
    fn network_fuse_types_are_network_and_a_local_fuse_disk_is_local() {
        assert!(!at("/home/u/remote/x").is_local());
        assert!(!at("/home/u/gdrive").is_local());
        assert!(at("/media/u/USB/台帳").is_local());
    }

    #[test]
    fn the_longest_mount_point_wins() {
        assert!(at("/mnt/nas/scratch/x").is_local());
        assert!(at("/home/u").is_local());
        // A sibling whose name only starts like the mount point.
        assert!(at("/mnt/nas2").is_local());
    }

    #[test]
    fn a_later_mount_over_the_same_point_hides_the_earlier() {
        let text = format!("{MOUNTINFO}70 27 0:60 / /mnt/nas rw - ext4 /dev/sdc1 rw\n");
        assert!(decide(&text, Path::new("/mnt/nas/daicho")).is_local());
    }

    #[test]
    fn unreadable_lines_are_skipped() {
        assert!(decide("garbage\n\n", Path::new("/")).is_local());
    }

    #[test]
    fn the_onedrive_clients_sync_dir_is_read_from_its_config() {
        let home = Path::new("/home/u");
        let roots = cloud_roots(Some(home), Some("# comment\nsync_dir = \"~/クラウド\"\n"));
        assert_eq!(roots[1].root, PathBuf::from("/home/u/クラウド"));
        let roots = cloud_roots(Some(home), None);
        assert_eq!(roots[1].root, PathBuf::from("/home/u/OneDrive"));
    }
}
