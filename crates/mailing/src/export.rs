//! One DM export from start to finish: the selection (segment minus
//! exclusions), households, checks, the file, and the record of it.

use std::collections::BTreeMap;
use std::path::Path;

use daicho_ledger::dm::{ExcludedPerson, Exclusion, MailingRecord};
use daicho_ledger::segments::Group;
use daicho_ledger::{Actor, Ledger, LedgerError};
use serde::{Deserialize, Serialize};

use crate::checks::{check, CheckOptions, Problem, RowProblem};
use crate::list::{households, Column, DmRow, ListOptions};
use crate::write::{write_list, FileFormat};
use crate::MailingError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
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
}

/// The list before it is written: what the export screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Prepared {
    pub rows: Vec<DmRow>,
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

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Ledger(e) => e.code(),
            Self::Mailing(e) => e.code(),
            Self::NeedsApproval(_) => "needs_approval",
        }
    }
}

fn summary(problems: &[RowProblem]) -> String {
    problems
        .iter()
        .take(3)
        .map(|p| {
            let what = match &p.problem {
                Problem::NotInCp932 {
                    character,
                    replacement,
                } => format!("「{character}」は CP932 にないため「{replacement}」にします"),
                Problem::TooLong { limit, length } => format!("{length} 文字（上限 {limit}）"),
                Problem::BannedWord { word } => format!("印刷してはいけない語「{word}」"),
                Problem::PostalMismatch { expected } if expected.is_empty() => {
                    "日本郵便のデータにない郵便番号".to_string()
                }
                Problem::PostalMismatch { expected } => format!("郵便番号の地域は「{expected}」"),
            };
            format!("{}行目 {}: {what}", p.row, p.column)
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// How many rows the export screen shows before writing.
const PREVIEW_ROWS: usize = 20;

pub fn prepare(ledger: &Ledger, request: &ExportRequest) -> Result<Prepared, LedgerError> {
    let selection = ledger.dm_selection(&request.filter)?;
    let (rows, households_merged) = households(selection.included, &request.list);
    let problems = check(
        &rows,
        &request.columns,
        &request.checks,
        request.format == FileFormat::CsvCp932,
    );
    let preview = rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|r| request.columns.iter().map(|c| r.value(c.field)).collect())
        .collect();
    Ok(Prepared {
        rows,
        preview,
        households_merged,
        excluded: selection.excluded,
        problems,
    })
}

/// Writes the list and records the mailing. Refuses an empty list, and a
/// list with problems unless `approved` (the user has seen them).
pub fn export(
    ledger: &mut Ledger,
    actor: &Actor,
    request: &ExportRequest,
    dest: &Path,
    replace: bool,
    approved: bool,
) -> Result<ExportOutcome, ExportError> {
    let prepared = prepare(ledger, request)?;
    if prepared.rows.is_empty() {
        return Err(MailingError::Empty {
            excluded: prepared.excluded.len() as u32,
        }
        .into());
    }
    if !prepared.problems.is_empty() && !approved {
        return Err(ExportError::NeedsApproval(prepared.problems));
    }
    let (mut staged, sha256) = write_list(
        dest,
        &prepared.rows,
        &request.columns,
        request.format,
        replace,
    )?;
    let file_name = dest.file_name().map_or_else(
        || dest.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let segment = format!(
        "{} {}",
        request.label,
        serde_json::to_string(&request.filter).unwrap_or_default()
    );
    let record = MailingRecord {
        campaign: request.campaign.clone(),
        campaign_id: request.campaign_id,
        segment,
        format: request.format.as_str().into(),
        file_name,
        rows: prepared.rows.len() as u32,
        sha256: sha256.clone(),
    };
    let recipients: Vec<i64> = prepared
        .rows
        .iter()
        .flat_map(|r| r.customer_ids.iter().copied())
        .collect();
    // The file goes in place inside the record's transaction: if the ledger
    // refuses the record (locked, disk full), the folder is left as it was.
    let mailing_id = ledger.record_mailing(actor, &record, &recipients, || {
        staged.put_in_place().map_err(|source| LedgerError::Io {
            path: dest.to_path_buf(),
            source,
        })
    })?;
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
