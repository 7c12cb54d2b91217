//! A ledger on a real network mount: an sshfs mount of a folder served by an
//! sshd of the test's own on a loopback port (a temporary host key and
//! authorized key, nothing of the machine's ssh setup used). `daicho`
//! refuses to open or create a ledger there, says which share it is, prints
//! the command that copies it to this PC, and that command works.
//!
//! Needs `sshd`, `sshfs` and a usable `/dev/fuse` (`scripts/setup.sh --test`
//! installs the packages); where a container forbids FUSE mounts the test
//! says so and stops.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const SSHD: &str = "/usr/sbin/sshd";

/// A folder served by our sshd and mounted with sshfs; unmounted and the
/// sshd stopped on drop.
struct Share {
    dir: tempfile::TempDir,
    sshd: Child,
}

impl Share {
    /// The folder as the server holds it.
    fn remote(&self) -> PathBuf {
        self.dir.path().join("remote")
    }

    /// The same folder through the network mount.
    fn mount(&self) -> PathBuf {
        self.dir.path().join("mnt")
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let _ = Command::new("fusermount3")
            .arg("-u")
            .arg(self.mount())
            .status()
            .or_else(|_| {
                Command::new("fusermount")
                    .arg("-u")
                    .arg(self.mount())
                    .status()
            });
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

fn skip(reason: &str) -> Option<Share> {
    eprintln!("skipped: {reason}");
    None
}

fn run(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Starts sshd and mounts its folder, or says why it cannot.
fn share() -> Option<Share> {
    if !Path::new("/dev/fuse").exists() {
        return skip("/dev/fuse がありません（FUSE が使えない環境）");
    }
    if !Path::new(SSHD).exists() || !run("sshfs", &["--version"]) {
        return skip("sshd か sshfs がありません（scripts/setup.sh --test で入ります）");
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for key in ["host_key", "user_key"] {
        let file = d.join(key).display().to_string();
        assert!(run(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", &file]
        ));
    }
    std::fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
    std::fs::create_dir(d.join("remote")).unwrap();
    std::fs::create_dir(d.join("mnt")).unwrap();
    let port = free_port();
    std::fs::write(
        d.join("sshd_config"),
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
             StrictModes no\nPidFile {pid}\nSubsystem sftp internal-sftp\n",
            host = d.join("host_key").display(),
            auth = d.join("authorized_keys").display(),
            pid = d.join("sshd.pid").display(),
        ),
    )
    .unwrap();
    // sshd started as root checks for its privilege-separation folder.
    let _ = std::fs::create_dir_all("/run/sshd");
    let sshd = Command::new(SSHD)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(d.join("sshd_config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let share = Share { dir, sshd };
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return skip("sshd が起動しませんでした");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let options = format!(
        "port={port},IdentityFile={},StrictHostKeyChecking=no,\
         UserKnownHostsFile=/dev/null,BatchMode=yes",
        share.dir.path().join("user_key").display()
    );
    let source = format!("{}@127.0.0.1:{}", user(), share.remote().display());
    let mount = share.mount().display().to_string();
    if !run("sshfs", &["-o", &options, &source, &mount]) {
        return skip(
            "sshfs でマウントできませんでした（この環境ではマウントが許可されていません）",
        );
    }
    Some(share)
}

fn daicho(data_home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .args(args)
        // The app's local data folder, where the copy goes.
        .env("XDG_DATA_HOME", data_home)
        .env_remove("DAICHO_DB")
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {} / {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_ledger_on_an_sshfs_mount_is_refused_and_copied_to_this_pc() {
    let Some(share) = share() else { return };
    let local = tempfile::tempdir().unwrap();
    let on_share = share.mount().join("daicho.sqlite3");
    let db = on_share.display().to_string();

    // A new ledger there: refused before anything is created.
    let out = daicho(local.path(), &["stats", "--db", &db, "--json"]);
    assert!(!out.status.success());
    let v = json(&out);
    assert_eq!(v["code"], "ledger_not_local");
    let message = v["message"].as_str().unwrap();
    let named = format!(
        "{} は {}@127.0.0.1:{}（fuse.sshfs）のネットワーク上のフォルダです",
        share.mount().display(),
        user(),
        share.remote().display()
    );
    assert!(message.starts_with(&named), "{message}");
    assert!(
        std::fs::read_dir(share.remote()).unwrap().next().is_none(),
        "nothing may be created on the share"
    );

    // An existing ledger there (put on the server's own disk): refused too,
    // with the command that copies it here.
    let served = share.remote().join("daicho.sqlite3");
    assert!(daicho(
        local.path(),
        &["stats", "--db", &served.display().to_string()]
    )
    .status
    .success());
    let before = std::fs::read(&served).unwrap();
    let out = daicho(local.path(), &["add", "--db", &db, "--family", "山田"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let target = local.path().join("jp.daicho.ledger").join("daicho.sqlite3");
    let command = format!("daicho backup --db \"{db}\" --out \"{}\"", target.display());
    assert!(stderr.contains(&command), "{stderr}");
    assert_eq!(
        std::fs::read(&served).unwrap(),
        before,
        "the shared ledger is untouched"
    );

    // The printed command copies it, and the copy opens as the default ledger.
    let out = daicho(
        local.path(),
        &[
            "backup",
            "--db",
            &db,
            "--out",
            &target.display().to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = daicho(local.path(), &["stats", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["customers"], 0);
}

#[test]
fn restoring_onto_a_share_is_refused_and_the_share_is_untouched() {
    let Some(share) = share() else { return };
    let local = tempfile::tempdir().unwrap();
    let backup = local.path().join("backup.sqlite3");
    let own = local.path().join("own.sqlite3").display().to_string();
    assert!(daicho(local.path(), &["stats", "--db", &own])
        .status
        .success());
    assert!(daicho(
        local.path(),
        &[
            "backup",
            "--db",
            &own,
            "--out",
            &backup.display().to_string()
        ]
    )
    .status
    .success());

    let db = share.mount().join("daicho.sqlite3").display().to_string();
    let out = daicho(
        local.path(),
        &[
            "restore",
            "--db",
            &db,
            &backup.display().to_string(),
            "--json",
        ],
    );
    assert_eq!(json(&out)["code"], "ledger_not_local");
    assert!(std::fs::read_dir(share.remote()).unwrap().next().is_none());
}
