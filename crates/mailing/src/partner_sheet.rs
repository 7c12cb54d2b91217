//! The sheet a partner (協力業者) is sent: their open after-care requests,
//! one a row, with what they need to call the owner and go to the house.
//! Text cells throughout, so nothing an owner said becomes a formula and a
//! phone number keeps its leading zero.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use daicho_ledger::requests::{ListEntry, RequestFilter, ServiceRequest};
use daicho_ledger::{CustomerFields, ExportKind, ExportNote, Ledger};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::export::ExportError;
use crate::write::{place_recorded, xlsx_detail};

/// The columns and their widths, in the order the partner reads them.
const COLUMNS: [(&str, f64); 8] = [
    ("受付日", 12.0),
    ("お客様", 16.0),
    ("住所", 40.0),
    ("電話", 16.0),
    ("種類", 10.0),
    ("お申し出の内容", 50.0),
    ("期日", 12.0),
    ("担当", 12.0),
];

/// The row of the column titles; the title row is above it.
const HEADER_ROW: u32 = 1;

/// One request as the partner reads it, with the owner's address and phone.
fn cells(request: &ServiceRequest, owner: &CustomerFields) -> [String; 8] {
    let street = [&owner.prefecture, &owner.city, &owner.address1]
        .map(String::as_str)
        .concat();
    let address = [street.as_str(), &owner.address2]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let phones = [&owner.phone, &owner.mobile]
        .iter()
        .filter(|phone| !phone.is_empty())
        .map(|phone| phone.as_str())
        .collect::<Vec<_>>()
        .join(" / ");
    [
        request.received_on.clone(),
        request.customer_name.clone(),
        address,
        phones,
        request.category.clone(),
        request.complaint.clone(),
        request.due_on.clone().unwrap_or_default(),
        request.staff_name.clone().unwrap_or_default(),
    ]
}

fn title(sheet: &mut Worksheet, partner: &str, today: NaiveDate) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let text = format!(
        "{partner} 御中　未完了のアフター依頼（{} 現在）",
        today.format("%Y年%-m月%-d日")
    );
    sheet.write_string_with_format(0, 0, &text, &bold)?;
    for (col, (name, width)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *name, &bold)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

fn build(partner: &str, today: NaiveDate, rows: &[[String; 8]]) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("アフター依頼")?;
    title(sheet, partner, today)?;
    for (i, cells) in rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string(row, col as u16, value)?;
        }
    }
    if !rows.is_empty() {
        let last = HEADER_ROW + rows.len() as u32;
        sheet.autofilter(HEADER_ROW, 0, last, COLUMNS.len() as u16 - 1)?;
    }
    Ok(book)
}

/// Writes `partner`'s open requests as of `today` to `dest`, through a
/// temporary file renamed into place; an existing file is kept unless
/// `replace`. Returns how many requests it holds.
pub fn export_partner_sheet(
    ledger: &mut Ledger,
    partner: &ListEntry,
    today: NaiveDate,
    dest: &Path,
    replace: bool,
) -> Result<u32, ExportError> {
    let filter = RequestFilter {
        open: true,
        partner_id: Some(partner.id),
        ..RequestFilter::default()
    };
    let requests = ledger.requests(&filter, today)?;
    let rows = requests
        .iter()
        .map(|r| Ok(cells(r, &ledger.customer(r.customer_id)?.fields)))
        .collect::<Result<Vec<_>, ExportError>>()?;
    let people: BTreeSet<i64> = requests.iter().map(|r| r.customer_id).collect();
    let note = ExportNote {
        kind: ExportKind::PartnerSheet,
        file_name: String::new(),
        people: people.len() as u32,
        segment: partner.name.clone(),
        sha256: String::new(),
    };
    place_recorded(ledger, dest, replace, note, |tmp| {
        build(&partner.name, today, &rows)
            .and_then(|mut book| book.save(tmp))
            .map_err(xlsx_detail)
    })?;
    Ok(rows.len() as u32)
}
