//! Exports under way, noted outside their folders. A staged file holds names
//! and addresses in the clear, and an export killed while writing it leaves
//! it in whatever folder the user chose, which nothing else records (the
//! ledger learns of an export only when it is done). So each export notes
//! its staged file's path in the app's own data folder while it writes, and
//! removes the note when it ends either way; the next start of the app or
//! of `daicho` finds the notes a kill left and clears those folders.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::write::sweep_left_behind;

/// The note of one export under way; dropping it removes the note.
pub(crate) struct Note(Option<PathBuf>);

impl Note {
    /// Notes `staged` in the user's data folder. Best effort: an export
    /// whose note cannot be written still runs (its own next export to the
    /// folder clears what a kill left).
    pub(crate) fn take(staged: &Path) -> Self {
        Self(notes_dir().and_then(|dir| write_note(&dir, staged)))
    }
}

impl Drop for Note {
    fn drop(&mut self) {
        if let Some(note) = &self.0 {
            let _ = std::fs::remove_file(note);
        }
    }
}

/// Clears the folders of exports a kill interrupted (`sweep_left_behind`:
/// staged files untouched for ten minutes) and drops the notes whose staged
/// file is gone. A note whose file is still fresh stays for a later sweep.
pub fn sweep_unfinished() {
    if let Some(dir) = notes_dir() {
        sweep_notes(&dir);
    }
}

/// Beside the ledger's default place: per user, never in a shared folder.
fn notes_dir() -> Option<PathBuf> {
    Some(daicho_ledger::default_ledger_path()?.with_file_name("exports-in-progress"))
}

fn write_note(dir: &Path, staged: &Path) -> Option<PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    // A path that is not Unicode cannot be written back faithfully.
    let text = staged.to_str()?;
    std::fs::create_dir_all(dir).ok()?;
    let name = format!(
        "{}-{}.txt",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let note = dir.join(name);
    std::fs::write(&note, text).ok()?;
    Some(note)
}

fn sweep_notes(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for note in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        let Ok(text) = std::fs::read_to_string(&note) else {
            continue;
        };
        let staged = PathBuf::from(text);
        if let Some(folder) = staged.parent() {
            sweep_left_behind(folder);
        }
        if !staged.exists() {
            let _ = std::fs::remove_file(&note);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn age(path: &Path, minutes: u64) {
        let then = SystemTime::now() - Duration::from_secs(minutes * 60);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(then)
            .unwrap();
    }

    #[test]
    fn a_note_left_by_a_kill_clears_its_folder_once_the_file_is_stale() {
        let notes = tempfile::tempdir().unwrap();
        let chosen = tempfile::tempdir().unwrap();
        let staged = chosen.path().join(".dm.xlsx.partial");
        std::fs::write(&staged, "山田 太郎").unwrap();
        // A kill: the note is never dropped.
        std::mem::forget(Note(write_note(notes.path(), &staged)));

        sweep_notes(notes.path());
        assert!(staged.exists(), "an export may still be writing it");
        assert_eq!(std::fs::read_dir(notes.path()).unwrap().count(), 1);

        age(&staged, 11);
        sweep_notes(notes.path());
        assert!(!staged.exists());
        assert_eq!(std::fs::read_dir(notes.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_export_that_ends_removes_its_note() {
        let notes = tempfile::tempdir().unwrap();
        drop(Note(write_note(
            notes.path(),
            Path::new("/tmp/.a.csv.partial"),
        )));
        assert_eq!(std::fs::read_dir(notes.path()).unwrap().count(), 0);
    }
}
