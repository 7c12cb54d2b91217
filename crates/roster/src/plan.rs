//! A roster file as an import plan: for every sheet its table and column
//! mapping, the records it yields (same person twice in the file merged into
//! one), the rows skipped and why, and every warning with its place.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use daicho_ledger::import::{fill_empty, ImportRecord, MatchKeys, Matcher, RowRef, SavedMapping};
use daicho_ledger::Status;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::columns::{find_layout, header_key, suggest, Field, Layout};
use crate::error::RosterError;
use crate::normalize::{column_letter, normalize_row, CellWarning, Column, RowContext, RowOutcome};
use crate::read::{Cell, Sheet, Workbook};
use crate::status_map::{map_status, strip_dm_marker};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PlanOptions {
    /// Only these sheets (all when empty).
    pub sheets: Vec<String>,
    /// Header (as written) → field, overriding the suggestion; `None` keeps
    /// the column in the notes, `Field::Ignore` leaves it out.
    pub mapping: Option<BTreeMap<String, Option<Field>>>,
    /// Status value as written → status id, overriding the suggestion.
    pub status_values: BTreeMap<String, i64>,
    /// Text encoding of a CSV/TSV/TXT file (detected when `None`).
    pub encoding: Option<String>,
    /// Conflicts with the ledger where the user chose the file's value.
    pub take_incoming: Vec<FieldChoice>,
    /// Import business contacts (御中, 業者) as companies instead of
    /// skipping them.
    pub include_business: bool,
    /// The status of every row the file gives none (a file without a
    /// status column, such as an owners' household list).
    pub file_status: Option<i64>,
}

/// One field of one roster row whose value should replace the ledger's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FieldChoice {
    pub row: RowRef,
    pub field: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ColumnPlan {
    pub letter: String,
    /// The row of a customer's record the column is on: 0, or 1 for the
    /// second row of a ledger that writes each customer on two rows.
    pub line: u32,
    pub header: String,
    pub field: Option<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SheetPlan {
    pub name: String,
    /// 1-based row of the header (the lower row of a two-row header).
    pub header_row: u32,
    pub columns: Vec<ColumnPlan>,
    /// The status the sheet's name gives its rows, when it names one.
    pub status_from_name: Option<String>,
    /// Rows per customer (2 when フリガナ stands above 氏名 and so on).
    pub lines: u32,
    /// The first rows of the first few customers of a two-row sheet, so
    /// the preview can show which rows became one person.
    pub paired_rows: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SkippedRow {
    pub sheet: String,
    pub row: u32,
    pub reason: String,
}

/// A distinct status wording in the file and the status it will become.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StatusValue {
    pub value: String,
    pub status_id: Option<i64>,
    pub rows: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RosterPlan {
    pub file: String,
    pub encoding: Option<String>,
    pub sheets: Vec<SheetPlan>,
    /// Non-blank rows under the headers.
    pub rows: u32,
    pub records: Vec<ImportRecord>,
    /// Rows folded into an earlier row of the same person.
    pub merged_in_file: u32,
    pub skipped: Vec<SkippedRow>,
    pub warnings: Vec<CellWarning>,
    pub status_values: Vec<StatusValue>,
    /// The header layout, for finding a saved mapping again.
    pub header_signature: String,
    /// Every sheet of the file, read or not.
    pub all_sheets: Vec<String>,
    /// Columns with values that no field takes: their values are kept in
    /// the notes as 「見出し: 値」 unless the user maps or excludes them.
    pub unmapped: Vec<UnmappedColumn>,
    /// Whether a sheet has a status column; without one, every customer
    /// takes the status the user picks for the file (`file_status`).
    pub has_status_column: bool,
}

/// A column nobody mapped, with a few of its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UnmappedColumn {
    pub sheet: String,
    pub letter: String,
    pub header: String,
    pub samples: Vec<String>,
}

pub fn header_signature(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| header_key(h))
        .collect::<Vec<_>>()
        .join("|")
}

/// Plans the import of a workbook, consuming it: each row is let go once
/// it is planned, so the file and its records are not held whole together.
pub fn plan(
    book: Workbook,
    statuses: &[Status],
    options: &PlanOptions,
) -> Result<RosterPlan, RosterError> {
    let out = RosterPlan {
        file: book.file_name.clone(),
        encoding: book.encoding.map(str::to_string),
        sheets: Vec::new(),
        rows: 0,
        records: Vec::new(),
        merged_in_file: 0,
        skipped: Vec::new(),
        warnings: book.warnings,
        status_values: Vec::new(),
        header_signature: String::new(),
        all_sheets: book.sheets.iter().map(|s| s.name.clone()).collect(),
        unmapped: Vec::new(),
        has_status_column: false,
    };
    let mut planner = Planner {
        statuses,
        options,
        out,
        matcher: Matcher::default(),
        status_cache: Mutex::new(HashMap::new()),
        status_counts: BTreeMap::new(),
    };
    for sheet in book.sheets.into_iter().filter(|s| is_chosen(s, options)) {
        planner.plan_sheet(sheet)?;
    }
    planner.finish()
}

/// A plan being built sheet by sheet. The matcher spans every sheet, so
/// the same person on two sheets becomes one record; each status wording
/// is mapped once for the whole file and counted for the preview.
struct Planner<'a> {
    statuses: &'a [Status],
    options: &'a PlanOptions,
    out: RosterPlan,
    matcher: Matcher,
    status_cache: Mutex<HashMap<String, Option<i64>>>,
    status_counts: BTreeMap<String, (Option<i64>, u32)>,
}

impl Planner<'_> {
    /// Finds the sheet's header, maps its columns, then plans its rows one
    /// customer at a time.
    fn plan_sheet(&mut self, mut sheet: Sheet) -> Result<(), RosterError> {
        if let Some(widest) = crate::columns::too_wide(&sheet) {
            return Err(RosterError::TooLarge {
                file: self.out.file.clone(),
                what: format!("シート「{}」の1行の列の数（{widest}列）", sheet.name),
                limit: format!("{}列", crate::columns::MAX_HEADER_COLUMNS),
            });
        }
        let Some(layout) = find_layout(&sheet) else {
            if sheet.rows.iter().any(|r| r.iter().any(|c| !c.is_empty())) {
                self.out.skipped.push(SkippedRow {
                    sheet: sheet.name.clone(),
                    row: 0,
                    reason: "見出し行が見つからないため、このシートは読み込みません".into(),
                });
            }
            return Ok(());
        };
        let body = std::mem::take(&mut sheet.rows).split_off(layout.header_row + 1);
        let records = records_of(body, layout.header_row as u32 + 2, &layout);
        let sample: Vec<Vec<Cell>> = records.iter().take(50).map(|(_, c)| c.clone()).collect();
        let columns = columns_of(&layout, &suggest(&layout, &sample), self.options);
        describe_columns(&mut self.out, &sheet.name, &layout, &columns, &sample);
        if self.out.header_signature.is_empty() {
            self.out.header_signature = header_signature(&layout.headers);
        }
        let sheet_status = map_status(&sheet.name, self.statuses)
            .filter(|s| header_key(&s.name) == header_key(&sheet.name));
        let status_column = columns
            .iter()
            .find(|c| c.field == Some(Field::Status))
            .map(|c| c.index);
        let surnames =
            crate::normalize::surnames_taught(&columns, records.iter().map(|(_, c)| c.as_slice()));
        let paired = match layout.lines {
            1 => Vec::new(),
            _ => records
                .iter()
                .take(PAIRS_SHOWN)
                .map(|(row, _)| *row)
                .collect(),
        };
        let mut rows = records.into_iter();
        loop {
            let mut group: Vec<(u32, Vec<Cell>)> = rows.by_ref().take(ROWS_AT_ONCE).collect();
            if group.is_empty() {
                break;
            }
            for cells in group.iter_mut().map(|(_, cells)| cells) {
                if let Some(cell) = status_column.and_then(|col| cells.get_mut(col)) {
                    self.correct_status(cell);
                }
            }
            let ctx = |row| RowContext {
                sheet: &sheet.name,
                row,
                columns: &columns,
                statuses: self.statuses,
                status_cache: &self.status_cache,
                sheet_status: sheet_status.map(|s| s.id).or(self.options.file_status),
                include_business: self.options.include_business,
                surnames: &surnames,
            };
            let normalized: Vec<(u32, RowOutcome, Vec<CellWarning>)> = group
                .into_par_iter()
                .map(|(row, cells)| {
                    let mut warnings = Vec::new();
                    let outcome = normalize_row(&ctx(row), &cells, &mut warnings);
                    (row, outcome, warnings)
                })
                .collect();
            for (row, outcome, warnings) in normalized {
                self.out.warnings.extend(warnings);
                self.take(outcome, &sheet.name, row);
            }
        }
        let sheet_plan = sheet_plan(&sheet.name, &layout, &columns, sheet_status, paired);
        self.out.sheets.push(sheet_plan);
        Ok(())
    }

    /// Counts a row's status wording, and applies the user's correction of
    /// it before the row is mapped (a DM stop written beside the wording
    /// is kept).
    fn correct_status(&mut self, cell: &mut Cell) {
        let (text, _) = strip_dm_marker(&cell.text());
        if text.is_empty() {
            return;
        }
        let statuses = self.statuses;
        let entry = self
            .status_counts
            .entry(text.clone())
            .or_insert_with(|| (map_status(&text, statuses).map(|s| s.id), 0));
        entry.1 += 1;
        let Some(id) = self.options.status_values.get(&text) else {
            return;
        };
        entry.0 = Some(*id);
        if let Some(status) = statuses.iter().find(|s| s.id == *id) {
            let dm = if cell.text().contains("DM") {
                "（DM不要）"
            } else {
                ""
            };
            *cell = Cell::Text(format!("{}{dm}", status.name));
        }
    }

    /// Adds a planned row: its record (merged into an earlier record of the
    /// same person), or the reason it was skipped. Blank rows are not
    /// counted.
    fn take(&mut self, outcome: RowOutcome, sheet: &str, row: u32) {
        match outcome {
            RowOutcome::Blank => {}
            RowOutcome::Skipped(reason) => {
                self.out.rows += 1;
                self.out.skipped.push(SkippedRow {
                    sheet: sheet.to_string(),
                    row,
                    reason,
                });
            }
            RowOutcome::Record(record) => {
                self.out.rows += 1;
                add_record(&mut self.out, &mut self.matcher, *record);
            }
        }
    }

    /// The plan once every sheet is read: the user's choices of the file's
    /// values over the ledger's attached to their records, and the status
    /// wordings listed.
    fn finish(self) -> Result<RosterPlan, RosterError> {
        let mut out = self.out;
        if out.sheets.is_empty() {
            return Err(RosterError::NoHeader { file: out.file });
        }
        for choice in &self.options.take_incoming {
            if let Some(record) = out
                .records
                .iter_mut()
                .find(|r| r.origin.contains(&choice.row))
            {
                record.overwrite.push(choice.field.clone());
            }
        }
        out.status_values = self
            .status_counts
            .into_iter()
            .map(|(value, (status_id, rows))| StatusValue {
                value,
                status_id,
                rows,
            })
            .collect();
        Ok(out)
    }
}

/// A sheet's columns, each taking the field the user mapped its header to
/// (a saved or edited mapping replaces the suggestion whole), or else the
/// suggested one.
fn columns_of(layout: &Layout, suggested: &[Option<Field>], options: &PlanOptions) -> Vec<Column> {
    layout
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let field = match &options.mapping {
                Some(mapping) => mapping.get(header).copied().flatten(),
                None => suggested[index],
            };
            let (place, line) = layout.place(index);
            Column {
                index,
                place,
                line: line as u32,
                header: header.clone(),
                field,
            }
        })
        .collect()
}

/// What the preview shows of a planned sheet.
fn sheet_plan(
    name: &str,
    layout: &Layout,
    columns: &[Column],
    status: Option<&Status>,
    paired_rows: Vec<u32>,
) -> SheetPlan {
    SheetPlan {
        name: name.to_string(),
        header_row: layout.header_row as u32 + 1,
        columns: columns
            .iter()
            .map(|c| ColumnPlan {
                letter: column_letter(c.place),
                line: c.line,
                header: c.header.clone(),
                field: c.field,
            })
            .collect(),
        status_from_name: status.map(|s| s.name.clone()),
        lines: layout.lines as u32,
        paired_rows,
    }
}

/// Values of a column shown in the preview.
const SAMPLES_SHOWN: usize = 3;

/// What the preview says about a sheet's columns: those nobody mapped (with
/// a few values), whether a status column exists, and a warning where a
/// column's values look like phone numbers, dates or postal codes but it is
/// read as something else.
fn describe_columns(
    out: &mut RosterPlan,
    sheet: &str,
    layout: &Layout,
    columns: &[Column],
    sample: &[Vec<Cell>],
) {
    out.has_status_column |= columns.iter().any(|c| c.field == Some(Field::Status));
    for column in columns {
        let values: Vec<String> = sample
            .iter()
            .filter_map(|r| r.get(column.index))
            .map(Cell::text)
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            continue;
        }
        let letter = column_letter(column.place);
        let Some(field) = column.field else {
            out.unmapped.push(UnmappedColumn {
                sheet: sheet.to_string(),
                letter,
                header: column.header.clone(),
                samples: values.into_iter().take(SAMPLES_SHOWN).collect(),
            });
            continue;
        };
        if let Some(kind) = crate::columns::looks_like(&values).filter(|k| !k.fits(field)) {
            out.warnings.push(CellWarning {
                sheet: sheet.to_string(),
                row: layout.header_row as u32 + 1,
                column: format!("{letter}列（{}）", column.header),
                message: format!(
                    "値が{}のように見えますが、この列は別の項目として読みます。\
                     割り当てを確かめてください。",
                    kind.name()
                ),
            });
        }
    }
}

/// Rows normalized at once on every core before they are merged into the
/// plan in order: enough for each core to stay busy, few enough that the
/// rows' cells and their records are not all held together.
const ROWS_AT_ONCE: usize = 1024;

/// How many customers of a two-row sheet the preview shows paired.
const PAIRS_SHOWN: usize = 5;

/// The sheet's rows below the header as records, each with its first row
/// (1-based). On a two-row sheet a row joins the one above it when it holds
/// values only in the second row's columns (氏名, 建物名, 携帯); a row that
/// holds anything else starts the next customer, so a missing second row
/// loses no one.
fn records_of(rows: Vec<Vec<Cell>>, first_row: u32, layout: &Layout) -> Vec<(u32, Vec<Cell>)> {
    let numbered = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (first_row + i as u32, r));
    if layout.lines < 2 {
        return numbered.collect();
    }
    let width = layout.width;
    let second: Vec<bool> = (0..width)
        .map(|c| !layout.headers[width + c].is_empty())
        .collect();
    let continues = |cells: &[Cell]| {
        let filled: Vec<usize> = (0..cells.len()).filter(|&c| !cells[c].is_empty()).collect();
        !filled.is_empty() && filled.iter().all(|&c| second.get(c) == Some(&true))
    };
    let mut out: Vec<(u32, Vec<Cell>)> = Vec::new();
    let mut open = false;
    for (row, mut cells) in numbered {
        if open && continues(&cells) {
            let record = &mut out.last_mut().expect("an open record").1;
            cells.resize(width, Cell::Empty);
            record.truncate(width);
            record.extend(cells);
            open = false;
            continue;
        }
        cells.resize(width, Cell::Empty);
        open = cells.iter().any(|c| !c.is_empty());
        let mut record = cells;
        record.resize(2 * width, Cell::Empty);
        out.push((row, record));
    }
    out
}

/// The same person twice in one file (different spacing or width) becomes
/// one record; differing values are reported, the first row's kept.
fn add_record(out: &mut RosterPlan, matcher: &mut Matcher, record: ImportRecord) {
    let keys = MatchKeys::of(&record.fields);
    let position = matcher.find(&keys).map(|i| i as usize);
    match position {
        Some(index) => {
            let earlier = &mut out.records[index];
            let conflicts = fill_empty(&mut earlier.fields, &record.fields, &[]);
            let origin = record.origin[0].clone();
            for c in conflicts {
                out.warnings.push(CellWarning {
                    sheet: origin.sheet.clone(),
                    row: origin.row,
                    column: c.field.clone(),
                    message: format!(
                        "{}行目と同じ人ですが値が違います（{} / {}）。先の行の値を使います。",
                        earlier.origin[0].row, c.existing, c.incoming
                    ),
                });
            }
            earlier.origin.push(origin);
            if earlier.members.is_empty() {
                earlier.members = record.members;
            }
            out.merged_in_file += 1;
        }
        None => {
            matcher.add(out.records.len() as i64, &keys);
            out.records.push(record);
        }
    }
}

fn is_chosen(sheet: &Sheet, options: &PlanOptions) -> bool {
    options.sheets.is_empty() || options.sheets.contains(&sheet.name)
}

/// The header layout a plan would report as `header_signature`, found
/// without planning: the first chosen sheet that has a header.
fn layout_signature(book: &Workbook, options: &PlanOptions) -> Option<String> {
    book.sheets
        .iter()
        .filter(|s| is_chosen(s, options))
        .find_map(find_layout)
        .map(|layout| header_signature(&layout.headers))
}

/// Column suggestions of a saved mapping, keyed by header as written.
pub fn mapping_of(plan: &RosterPlan) -> BTreeMap<String, Option<Field>> {
    plan.sheets
        .iter()
        .flat_map(|s| s.columns.iter().map(|c| (c.header.clone(), c.field)))
        .collect()
}

/// What a saved mapping holds: each column's field and the status wordings
/// the user corrected once (「見込B」 → 商談中), so the next file of the same
/// layout needs neither again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedChoices {
    pub columns: BTreeMap<String, Option<Field>>,
    #[serde(default)]
    pub status_values: BTreeMap<String, i64>,
}

impl SavedChoices {
    /// Reads what `to_json` wrote, or a mapping saved before status
    /// wordings were saved with it (the column map alone).
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok().or_else(|| {
            let columns = serde_json::from_str(text).ok()?;
            Some(SavedChoices {
                columns,
                status_values: BTreeMap::new(),
            })
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a map of strings serializes")
    }
}

/// Reads a file and plans its import, applying a saved mapping: the one
/// named, or else one saved earlier for a file with the same header layout.
pub fn plan_file(
    path: &std::path::Path,
    ledger: &daicho_ledger::Ledger,
    options: PlanOptions,
    mapping_name: Option<&str>,
) -> Result<(RosterPlan, Option<String>), crate::ImportError> {
    let planned = plan_read(path, ledger, options, mapping_name)?;
    Ok((planned.plan, planned.inputs.saved.map(|s| s.name)))
}

/// What a plan read from the ledger: the statuses, and the saved mapping it
/// applied.
#[derive(Debug, PartialEq)]
pub(crate) struct LedgerInputs {
    statuses: Vec<Status>,
    pub(crate) saved: Option<SavedMapping>,
}

impl LedgerInputs {
    /// The saved mapping is the one named, or else the newest saved for the
    /// file's header layout.
    pub(crate) fn read(
        ledger: &daicho_ledger::Ledger,
        mapping_name: Option<&str>,
        layout: Option<&str>,
    ) -> Result<Self, crate::ImportError> {
        let saved = match (mapping_name, layout) {
            (Some(name), _) => Some(
                ledger
                    .mapping_named(name)?
                    .ok_or_else(|| crate::ImportError::NoSuchMapping(name.to_string()))?,
            ),
            (None, Some(signature)) => ledger.mapping_for_layout(signature)?,
            (None, None) => None,
        };
        Ok(Self {
            statuses: ledger.statuses()?,
            saved,
        })
    }
}

/// A plan with what it was made from besides the file.
pub(crate) struct Planned {
    pub(crate) plan: RosterPlan,
    /// The header layout the saved mapping was looked for under.
    pub(crate) layout: Option<String>,
    pub(crate) inputs: LedgerInputs,
}

pub(crate) fn plan_read(
    path: &std::path::Path,
    ledger: &daicho_ledger::Ledger,
    mut options: PlanOptions,
    mapping_name: Option<&str>,
) -> Result<Planned, crate::ImportError> {
    let book = crate::read::read(path, options.encoding.as_deref())?;
    let layout = layout_signature(&book, &options);
    let inputs = LedgerInputs::read(ledger, mapping_name, layout.as_deref())?;
    if let Some(choices) = inputs
        .saved
        .as_ref()
        .and_then(|s| SavedChoices::from_json(&s.mapping))
    {
        if options.mapping.is_none() {
            options.mapping = Some(choices.columns);
        }
        if options.status_values.is_empty() {
            options.status_values = choices.status_values;
        }
    }
    Ok(Planned {
        plan: plan(book, &inputs.statuses, &options)?,
        layout,
        inputs,
    })
}
