//! One DM export from start to finish: the selection (segment minus
//! exclusions), households, checks, the file, and the record of it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;

use chrono::NaiveDate;
use daicho_ledger::dm::{Candidate, ExcludedPerson, Exclusion, MailingRecord};
use daicho_ledger::segments::Group;
use daicho_ledger::{Actor, Coded, ErrorCode, FieldError, Ledger, LedgerError, Need};
use serde::{Deserialize, Serialize};

use crate::checks::{CheckOptions, Checker, RowProblem};
use crate::list::{Column, DmRow, Households, ListOptions};
use crate::print::{self, PrintOptions};
use crate::write::{file_name, write_list, FileFormat, Staged};
use crate::MailingError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ExportRequest {
    /// What the list is of: a segment's name, or 全顧客.
    pub label: String,
    pub filter: Group,
    pub columns: Vec<Column>,
    pub list: ListOptions,
    pub checks: CheckOptions,
    pub format: FileFormat,
    pub campaign: String,
    /// The campaign the mailing belongs to, for its results.
    pub campaign_id: Option<i64>,
    /// Sheet, layout and sender for the formats printed in the office.
    #[serde(default)]
    pub print: PrintOptions,
}

impl ExportRequest {
    /// The columns the pass produces: the request's, or the print's own
    /// fixed set for the formats printed in the office.
    fn pass_columns(&self) -> Vec<Column> {
        match self.format.print_kind() {
            Some(_) => print::columns(),
            None => self.columns.clone(),
        }
    }

    /// Refuses print options that cannot print (a sheet off its paper, a
    /// start position past its labels), before the ledger is read.
    fn check_print(&self) -> Result<(), ExportError> {
        let refusal = self
            .format
            .print_kind()
            .and_then(|kind| print::refusal(kind, &self.print));
        match refusal {
            Some(message) => {
                Err(LedgerError::Invalid(vec![FieldError::new("print", &message)]).into())
            }
            None => Ok(()),
        }
    }
}

/// The list before it is written: what the export screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Prepared {
    /// How many pieces the file will have (one per household).
    pub rows: u32,
    /// The first rows as the file will have them, in the request's columns.
    pub preview: Vec<Vec<String>>,
    pub households_merged: u32,
    pub excluded: Vec<ExcludedPerson>,
    pub problems: Vec<RowProblem>,
}

impl Prepared {
    pub fn excluded_counts(&self) -> BTreeMap<Exclusion, u32> {
        let mut counts = BTreeMap::new();
        for person in &self.excluded {
            *counts.entry(person.reason).or_insert(0) += 1;
        }
        counts
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ExportOutcome {
    pub file: String,
    pub rows: u32,
    pub households_merged: u32,
    pub excluded: Vec<(Exclusion, u32)>,
    pub sha256: String,
    pub mailing_id: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Mailing(#[from] MailingError),
    #[error("書き出す前に確認が必要な項目が {} 件あります（{}）。内容を確かめて、置き換え・書き出しを承認してください。", .0.len(), summary(.0))]
    NeedsApproval(Vec<RowProblem>),
}

impl Coded for ExportError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Ledger(e) => e.code(),
            Self::Mailing(e) => e.code(),
            Self::NeedsApproval(_) => ErrorCode::NeedsApproval,
        }
    }

    fn fields(&self) -> &[FieldError] {
        match self {
            Self::Ledger(e) => e.fields(),
            Self::Mailing(_) | Self::NeedsApproval(_) => &[],
        }
    }
}

fn summary(problems: &[RowProblem]) -> String {
    problems
        .iter()
        .take(3)
        .map(|p| {
            let what = p.problem.describe();
            format!("{}行目 {}: {what}", p.row, p.column)
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// How many rows the export screen shows before writing.
const PREVIEW_ROWS: usize = 20;

/// One pass over the list without holding it: the filter's candidates from
/// the ledger in postal-code order, folded into households, each row
/// checked and handed to `each` with its cells in the request's columns.
/// Returns everything but the rows.
fn pass(
    ledger: &Ledger,
    request: &ExportRequest,
    today: NaiveDate,
    mut each: impl FnMut(&DmRow, Vec<String>) -> Result<(), ExportError>,
) -> Result<Prepared, ExportError> {
    request.check_print()?;
    let columns = request.pass_columns();
    let mut checker = Checker::new(
        &columns,
        &request.checks,
        request.format == FileFormat::CsvCp932,
    );
    let printed = request
        .format
        .print_kind()
        .map(|kind| (kind, &request.print));
    let mut summary = Prepared {
        rows: 0,
        preview: Vec::new(),
        households_merged: 0,
        excluded: Vec::new(),
        problems: Vec::new(),
    };
    let mut row_out = |row: DmRow| -> Result<(), ExportError> {
        summary.rows += 1;
        let cells: Vec<String> = columns.iter().map(|c| row.value(c.field)).collect();
        checker.check(summary.rows, &row, &cells, &mut summary.problems);
        if let Some((kind, options)) = printed {
            let piece = print::Piece::of(&cells);
            for (column, value, problem) in print::problems(kind, options, &piece) {
                summary.problems.push(RowProblem {
                    row: summary.rows,
                    customer_id: row.customer_ids[0],
                    column: column.into(),
                    value,
                    problem,
                });
            }
        }
        if summary.preview.len() < PREVIEW_ROWS {
            summary.preview.push(cells.clone());
        }
        each(&row, cells)
    };
    let mut households = Households::new(&request.list);
    let mut excluded = Vec::new();
    let (scanner, candidates) = scan(ledger, request, today)?;
    let folded = candidates
        .into_iter()
        .flatten()
        .try_for_each(|candidate| match candidate {
            Candidate::Included(person) => households.push(person, &mut row_out),
            Candidate::Excluded(person) => {
                excluded.push(person);
                Ok(())
            }
        });
    // Dropping the receiver (above) stops a scan this side gave up on.
    let scanned = scanner.join().unwrap_or(Err(LedgerError::Cancelled));
    folded?;
    scanned?;
    let households_merged = households.finish(&mut row_out)?;
    excluded.sort_by_key(|p| p.customer_id);
    Ok(Prepared {
        households_merged,
        excluded,
        ..summary
    })
}

/// The thread reading the ledger, and the batches it sends.
type Scan = (
    std::thread::JoinHandle<Result<(), LedgerError>>,
    mpsc::Receiver<Vec<Candidate>>,
);

/// The filter's candidates read on their own connection and thread, in
/// batches: the ledger's decoding runs beside the folding and writing.
fn scan(ledger: &Ledger, request: &ExportRequest, today: NaiveDate) -> Result<Scan, LedgerError> {
    let reader = ledger.reader()?;
    let filter = request.filter.clone();
    let (to_pass, candidates) = mpsc::sync_channel(BATCHES_IN_FLIGHT);
    let scanner = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH);
        reader.dm_candidates(&filter, today, |candidate| -> Result<(), LedgerError> {
            batch.push(candidate);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                to_pass.send(full).map_err(|_| LedgerError::Cancelled)?;
            }
            Ok(())
        })?;
        to_pass.send(batch).map_err(|_| LedgerError::Cancelled)
    });
    Ok((scanner, candidates))
}

/// The list as it would be written, its filter measured on `today`.
pub fn prepare(
    ledger: &Ledger,
    request: &ExportRequest,
    today: NaiveDate,
) -> Result<Prepared, ExportError> {
    pass(ledger, request, today, |_, _| Ok(()))
}

/// The print's first page as the DM screen shows it (a PNG data URL),
/// drawn from the same PDF the export would write.
pub fn print_preview(
    ledger: &Ledger,
    request: &ExportRequest,
    today: NaiveDate,
) -> Result<String, ExportError> {
    let Some(kind) = request.format.print_kind() else {
        return Err(LedgerError::Invalid(vec![FieldError::new(
            "format",
            "プレビューはラベルとはがきの印刷だけです。",
        )])
        .into());
    };
    let first_page = match kind {
        print::Kind::Labels => {
            let sheet = print::sheet_of(&request.print);
            (sheet.labels_per_sheet() + 1).saturating_sub(request.print.start_at) as usize
        }
        print::Kind::Postcard => 1,
    };
    let mut rows = Vec::with_capacity(first_page);
    let prepared = pass(ledger, request, today, |_, cells| {
        if rows.len() < first_page {
            rows.push(cells);
        }
        Ok(())
    })?;
    ready(prepared, true)?;
    let failed = |detail| MailingError::Write {
        file: "プレビュー".into(),
        detail,
    };
    let pieces = rows.iter().map(|c| print::Piece::of(c));
    let pdf = print::render(kind, &request.print, pieces).map_err(failed)?;
    Ok(print::preview::first_page_data_url(pdf).map_err(failed)?)
}

/// Rows travel from the ledger pass to the file writer in batches of this
/// many, and at most `BATCHES_IN_FLIGHT` batches wait: the list is never
/// held whole, and the two threads rarely wait for each other.
const BATCH: usize = 512;
const BATCHES_IN_FLIGHT: usize = 8;

/// Writes the list (its filter measured on `today`) and records the
/// mailing. Refuses an empty list, and a list with problems unless
/// `approved` (the user has seen them).
///
/// The file is written on its own thread while this one reads the ledger,
/// folds households and checks rows: on two cores the export takes little
/// longer than writing the file alone.
pub fn export(
    ledger: &mut Ledger,
    actor: &Actor,
    request: &ExportRequest,
    today: NaiveDate,
    dest: &Path,
    replace: bool,
    approved: bool,
) -> Result<ExportOutcome, ExportError> {
    ledger.require(Need::Export)?;
    // Told before the ledger is read; the writer checks again when it starts.
    if dest.exists() && !replace {
        return Err(MailingError::Exists {
            file: dest.display().to_string(),
        }
        .into());
    }
    let (to_writer, writer) = start_writer(request, dest, replace);
    let (passed, recipients) = feed(ledger, request, today, to_writer);
    let prepared = match passed.and_then(|prepared| ready(prepared, approved)) {
        Ok(prepared) => prepared,
        Err(e) => {
            // Joined so that the writer's staged file is gone before the
            // error is told.
            let _ = writer.join();
            return Err(e);
        }
    };
    let record = mailing_record(request, dest, prepared.rows);
    let (mailing_id, staged, sha256) =
        record_and_place(ledger, actor, &record, recipients, writer, dest)?;
    staged.keep();
    Ok(ExportOutcome {
        file: dest.display().to_string(),
        rows: record.rows,
        households_merged: prepared.households_merged,
        excluded: prepared.excluded_counts().into_iter().collect(),
        sha256,
        mailing_id,
    })
}

/// The thread writing the list's file: the staged file and its SHA-256.
type Writer = std::thread::JoinHandle<Result<(Staged, String), MailingError>>;

/// Starts the file's writer: it writes rows as they come, until the
/// channel closes.
fn start_writer(
    request: &ExportRequest,
    dest: &Path,
    replace: bool,
) -> (mpsc::SyncSender<Vec<Vec<String>>>, Writer) {
    let (to_writer, from_pass) = mpsc::sync_channel::<Vec<Vec<String>>>(BATCHES_IN_FLIGHT);
    let (dest, columns, format) = (dest.to_path_buf(), request.pass_columns(), request.format);
    let print = request.print.clone();
    let writer = std::thread::spawn(move || {
        write_list(
            &dest,
            &columns,
            format,
            &print,
            replace,
            from_pass.into_iter().flatten(),
        )
    });
    (to_writer, writer)
}

/// The ledger pass, its rows sent to the writer in batches; the channel
/// is closed at the end, which tells the writer the list is complete.
/// Returns the pass's summary and every recipient's customer id.
fn feed(
    ledger: &Ledger,
    request: &ExportRequest,
    today: NaiveDate,
    to_writer: mpsc::SyncSender<Vec<Vec<String>>>,
) -> (Result<Prepared, ExportError>, Vec<i64>) {
    let mut recipients = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    let passed = pass(ledger, request, today, |row, cells| {
        recipients.extend_from_slice(&row.customer_ids);
        batch.push(cells);
        if batch.len() == BATCH {
            // A closed channel means the writer stopped; its error is told below.
            let _ = to_writer.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
        }
        Ok(())
    });
    let _ = to_writer.send(batch);
    (passed, recipients)
}

/// Refuses an empty list, and a list with problems the user has not
/// approved.
fn ready(prepared: Prepared, approved: bool) -> Result<Prepared, ExportError> {
    if prepared.rows == 0 {
        return Err(MailingError::Empty {
            excluded: prepared.excluded.len() as u32,
        }
        .into());
    }
    if !prepared.problems.is_empty() && !approved {
        return Err(ExportError::NeedsApproval(prepared.problems));
    }
    Ok(prepared)
}

/// What the ledger keeps of the mailing: the campaign, the segment as the
/// user named it with its filter, the file and its row count.
fn mailing_record(request: &ExportRequest, dest: &Path, rows: u32) -> MailingRecord {
    let file_name = file_name(dest);
    let segment = MailingRecord::segment_text(
        &request.label,
        &serde_json::to_string(&request.filter).unwrap_or_default(),
    );
    MailingRecord {
        campaign: request.campaign.clone(),
        campaign_id: request.campaign_id,
        segment,
        format: request.format.as_str().into(),
        file_name,
        rows,
    }
}

/// Records the mailing and its recipients, and puts the file in place
/// inside the record's transaction: if the ledger refuses the record
/// (locked, disk full), the folder is left as it was. The recipients are
/// written while the writer finishes the file. Returns the mailing's id
/// and the placed file with its SHA-256.
fn record_and_place(
    ledger: &mut Ledger,
    actor: &Actor,
    record: &MailingRecord,
    recipients: Vec<i64>,
    writer: Writer,
    dest: &Path,
) -> Result<(i64, Staged, String), ExportError> {
    let mut written: Option<(Staged, String)> = None;
    let mut write_failure: Option<MailingError> = None;
    let recorded = ledger.record_mailing(actor, record, recipients, || {
        let (mut staged, sha256) = match join(writer, dest) {
            Ok(done) => done,
            Err(failure) => {
                write_failure = Some(failure);
                // Only rolls the record back; the writer's error is told.
                return Err(LedgerError::Cancelled);
            }
        };
        let placed = staged.place();
        written = Some((staged, sha256.clone()));
        placed.map(|()| sha256)
    });
    if let Some(failure) = write_failure {
        return Err(failure.into());
    }
    let mailing_id = recorded?;
    let (staged, sha256) = written.expect("the file was written when the record was committed");
    Ok((mailing_id, staged, sha256))
}

fn join(writer: Writer, dest: &Path) -> Result<(Staged, String), MailingError> {
    writer.join().unwrap_or_else(|_| {
        Err(MailingError::Write {
            file: dest.display().to_string(),
            detail: "書き出し処理が異常終了しました".into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Problem;

    #[test]
    fn a_look_alike_is_named_by_its_code_point() {
        let problem = RowProblem {
            row: 4,
            customer_id: 1,
            column: "氏名".into(),
            value: "𠮷田 一郎".into(),
            problem: Problem::NotInCp932 {
                character: "𠮷".into(),
                replacement: "吉".into(),
            },
        };
        assert_eq!(
            summary(&[problem]),
            "4行目 氏名: 「𠮷」（U+20BB7）は CP932 にないため「吉」にします"
        );
    }
}
