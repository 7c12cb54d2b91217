//! The plan a preview showed, kept for the commit that follows: the app
//! previews a roster, the user looks and presses 取り込む, and reading and
//! planning the same file again was a third of the import (100,000 rows:
//! 1.6 s of 4.4 s). The kept plan is used only while nothing it was made
//! from has changed: the file (size, modification time and SHA-256 of its
//! bytes), the options, the mapping asked for, and what the plan read from
//! the ledger (its statuses and the saved mapping it applied).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use daicho_ledger::import::ImportOutcome;

use sha2::{Digest, Sha256};

use crate::plan::{plan_read, LedgerInputs, PlanOptions, Planned, RosterPlan};
use crate::session::ImportProgress;
use crate::ImportError;

/// At most one plan: the last one previewed.
#[derive(Default)]
pub struct PlanCache {
    kept: Option<Kept>,
    made: u32,
}

struct Kept {
    request: Request,
    /// `None` when the file could not be stamped: the plan is never reused.
    stamp: Option<FileStamp>,
    planned: Planned,
}

/// What the caller asked to plan.
#[derive(PartialEq)]
struct Request {
    path: PathBuf,
    options: PlanOptions,
    mapping_name: Option<String>,
}

/// The file as it was when it was planned.
#[derive(PartialEq)]
struct FileStamp {
    len: u64,
    modified: SystemTime,
    sha256: [u8; 32],
}

impl FileStamp {
    /// `None` when the file cannot be read: planning it then says why.
    fn of(path: &Path) -> Option<Self> {
        let mut file = std::fs::File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut file, &mut hasher).ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok()?,
            sha256: hasher.finalize().into(),
        })
    }
}

impl PlanCache {
    /// The plan of `path` as `plan_file` makes it, with the saved mapping's
    /// name: the kept one when nothing it was made from has changed, else a
    /// new one, which is kept in its place.
    pub fn plan(
        &mut self,
        path: &Path,
        ledger: &daicho_ledger::Ledger,
        options: PlanOptions,
        mapping_name: Option<&str>,
    ) -> Result<(&RosterPlan, Option<String>), ImportError> {
        let request = Request {
            path: path.to_path_buf(),
            options,
            mapping_name: mapping_name.map(str::to_string),
        };
        let stamp = FileStamp::of(path);
        if !self.holds(&request, stamp.as_ref(), ledger)? {
            // The old plan is let go before the new one is made.
            self.kept = None;
            let planned = plan_read(path, ledger, request.options.clone(), mapping_name)?;
            self.made += 1;
            self.kept = Some(Kept {
                request,
                stamp,
                planned,
            });
        }
        let planned = &self.kept.as_ref().expect("kept just above").planned;
        let saved = planned.inputs.saved.as_ref().map(|s| s.name.clone());
        Ok((&planned.plan, saved))
    }

    /// How many plans were made (files read and planned), for the tests
    /// and the benchmark.
    pub fn plans_made(&self) -> u32 {
        self.made
    }

    /// Imports `path` as `session::commit` does, from the kept plan when it
    /// still holds, and lets the plan go once the import is done (a cancel
    /// or a failure keeps it for another try).
    #[allow(clippy::too_many_arguments)]
    pub fn commit(
        &mut self,
        path: &Path,
        ledger: &mut daicho_ledger::Ledger,
        actor: &daicho_ledger::Actor,
        options: PlanOptions,
        mapping_name: Option<&str>,
        cancel: &AtomicBool,
        report: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportOutcome, ImportError> {
        let (plan, _) = self.plan(path, ledger, options, mapping_name)?;
        let outcome = crate::session::commit(ledger, actor, plan, cancel, report)?;
        self.forget();
        Ok(outcome)
    }

    /// Lets the kept plan go (its records are most of the memory an import
    /// holds).
    pub fn forget(&mut self) {
        self.kept = None;
    }

    fn holds(
        &self,
        request: &Request,
        stamp: Option<&FileStamp>,
        ledger: &daicho_ledger::Ledger,
    ) -> Result<bool, ImportError> {
        let Some(kept) = &self.kept else {
            return Ok(false);
        };
        if kept.request != *request || stamp.is_none() || kept.stamp.as_ref() != stamp {
            return Ok(false);
        }
        let layout = kept.planned.layout.as_deref();
        let now = LedgerInputs::read(ledger, request.mapping_name.as_deref(), layout)?;
        Ok(now == kept.planned.inputs)
    }
}
