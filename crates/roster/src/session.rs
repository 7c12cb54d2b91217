//! An import as the app runs it: a preview that the screen can show (the
//! plan without its possibly huge record list, plus what the ledger will do
//! with it), then the commit with progress that can be cancelled.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use daicho_ledger::import::{
    Conflict, Disposition, FileCounts, ImportOutcome, ImportRecord, RowRef,
};
use daicho_ledger::{Actor, Ledger, LedgerError};
use serde::{Deserialize, Serialize};

use crate::normalize::CellWarning;
use crate::plan::{RosterPlan, SheetPlan, SkippedRow, StatusValue, UnmappedColumn};

/// How many records the preview shows as they will be saved.
const SAMPLE_ROWS: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RowConflict {
    pub row: RowRef,
    pub conflict: Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ImportPreview {
    pub file: String,
    pub encoding: Option<String>,
    pub sheets: Vec<SheetPlan>,
    /// Every sheet of the file, read or not (to choose which to import).
    pub all_sheets: Vec<String>,
    pub rows: u32,
    /// Distinct people the file holds.
    pub records: u32,
    pub merged_in_file: u32,
    pub new_customers: u32,
    pub merged_with_ledger: u32,
    pub skipped: Vec<SkippedRow>,
    pub warnings: Vec<CellWarning>,
    pub conflicts: Vec<RowConflict>,
    pub status_values: Vec<StatusValue>,
    pub header_signature: String,
    pub saved_mapping: Option<String>,
    pub sample: Vec<ImportRecord>,
    /// Columns nobody mapped, with a few of their values.
    pub unmapped: Vec<UnmappedColumn>,
    /// Whether the file says each customer's status (else the user picks one).
    pub has_status_column: bool,
}

pub fn preview(
    ledger: &Ledger,
    plan: &RosterPlan,
    saved_mapping: Option<String>,
) -> Result<ImportPreview, LedgerError> {
    let dispositions = ledger.preview_import(&plan.records)?;
    let mut conflicts = Vec::new();
    let mut merged = 0;
    for (record, disposition) in plan.records.iter().zip(&dispositions) {
        if let Disposition::Merge {
            conflicts: found, ..
        } = disposition
        {
            merged += 1;
            let row = record.origin[0].clone();
            conflicts.extend(found.iter().map(|c| RowConflict {
                row: row.clone(),
                conflict: c.clone(),
            }));
        }
    }
    Ok(ImportPreview {
        file: plan.file.clone(),
        encoding: plan.encoding.clone(),
        sheets: plan.sheets.clone(),
        all_sheets: plan.all_sheets.clone(),
        rows: plan.rows,
        records: plan.records.len() as u32,
        merged_in_file: plan.merged_in_file,
        new_customers: plan.records.len() as u32 - merged,
        merged_with_ledger: merged,
        skipped: plan.skipped.clone(),
        warnings: plan.warnings.clone(),
        conflicts,
        status_values: plan.status_values.clone(),
        header_signature: plan.header_signature.clone(),
        saved_mapping,
        sample: plan.records.iter().take(SAMPLE_ROWS).cloned().collect(),
        unmapped: plan.unmapped.clone(),
        has_status_column: plan.has_status_column,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
    pub rows_per_second: f64,
    pub seconds_left: f64,
}

/// Progress reports at most every 100 ms (the screen wants four a second or
/// more) and always at the end.
const REPORT_EVERY: Duration = Duration::from_millis(100);

pub fn commit(
    ledger: &mut Ledger,
    actor: &Actor,
    plan: &RosterPlan,
    cancel: &AtomicBool,
    report: &mut dyn FnMut(ImportProgress),
) -> Result<ImportOutcome, LedgerError> {
    let started = Instant::now();
    let mut last = started;
    let counts = FileCounts {
        rows: plan.rows,
        skipped: plan.skipped.len() as u32,
        warnings: plan.warnings.len() as u32,
    };
    ledger.import_records(
        actor,
        &plan.file,
        &plan.records,
        counts,
        &mut |done, total| {
            let now = Instant::now();
            if now.duration_since(last) >= REPORT_EVERY || done == total {
                last = now;
                let elapsed = now.duration_since(started).as_secs_f64().max(1e-6);
                let rate = done as f64 / elapsed;
                let left = if rate > 0.0 {
                    (total - done) as f64 / rate
                } else {
                    0.0
                };
                report(ImportProgress {
                    done: done as u32,
                    total: total as u32,
                    rows_per_second: rate,
                    seconds_left: left,
                });
            }
            !cancel.load(Ordering::Relaxed)
        },
    )
}

/// Reads, plans and imports a file in one go, without progress or cancel
/// (the CLI, scripts and tests).
pub fn import_file(
    ledger: &mut Ledger,
    actor: &Actor,
    path: &std::path::Path,
    options: crate::PlanOptions,
    mapping_name: Option<&str>,
) -> Result<(RosterPlan, ImportOutcome), crate::ImportError> {
    let (plan, _) = crate::plan_file(path, ledger, options, mapping_name)?;
    let outcome = commit(ledger, actor, &plan, &AtomicBool::new(false), &mut |_| {})?;
    Ok((plan, outcome))
}
