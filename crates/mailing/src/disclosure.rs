//! The disclosure workbook (個人情報保護法 第33条 開示): one sheet per part of
//! what the ledger holds about one person, written staged and renamed into
//! place inside the transaction that records the disclosure in their history.

use chrono::NaiveDate;
use std::path::Path;

use daicho_ledger::changelog::HistoryKind;
use daicho_ledger::disclose::{field_label, shown_value, Disclosure};
use daicho_ledger::tasks::TaskKind;
use daicho_ledger::{Actor, Ledger, Need};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use crate::export::ExportError;
use crate::write::{file_name, stage_hashed, xlsx_detail};

/// The sheets, in the order the workbook holds them.
pub const SHEETS: [&str; 9] = [
    "基本情報",
    "家族",
    "対応履歴",
    "案件",
    "次回対応・点検",
    "アフター対応",
    "ラベル・リスト",
    "DM送付",
    "変更履歴",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DisclosureOutcome {
    pub file: String,
    pub customer_id: i64,
}

/// Adds a sheet of text cells (nothing the person wrote can become a
/// formula, and it is shown as written: see `write`) under a bold, frozen
/// header.
fn sheet(
    book: &mut Workbook,
    name: &str,
    titles: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name(name)?;
    let bold = Format::new().set_bold();
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
        sheet.set_column_width(col as u16, 18.0)?;
    }
    for (r, cells) in rows.iter().enumerate() {
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 1, col as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn history_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.history
        .iter()
        .map(|h| {
            let (kind, field, old, new) = match h.kind {
                HistoryKind::Field => (
                    "項目の変更",
                    field_label(&h.field).to_string(),
                    shown_value(&h.field, h.old_value.as_deref()),
                    shown_value(&h.field, h.new_value.as_deref()),
                ),
                HistoryKind::Status => (
                    "ステータス",
                    String::new(),
                    text(&h.old_value),
                    text(&h.new_value),
                ),
                HistoryKind::Mailing => {
                    ("DM送付", String::new(), String::new(), text(&h.new_value))
                }
                HistoryKind::Contact => ("対応", h.field.clone(), String::new(), String::new()),
            };
            vec![
                h.at.clone(),
                text(&h.staff_name),
                kind.into(),
                field,
                old,
                new,
                h.note.clone(),
            ]
        })
        .collect()
}

/// The workbook: each sheet's titles beside the rows that fill them.
fn build(d: &Disclosure) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let [record, household, contacts, projects, tasks, requests, labels, mailings, history] =
        SHEETS;
    let member_titles = ["氏名", "フリガナ", "続柄", "生年月日", "連名"];
    let contact_titles = ["日時", "種類", "担当者", "内容"];
    let project_titles = [
        "種類",
        "案件名",
        "金額（円）",
        "契約日",
        "着工日",
        "完成日",
        "引渡日",
    ];
    let task_titles = ["種類", "期日", "内容", "完了日時", "完了者"];
    let mailing_titles = ["送付日時", "キャンペーン", "ファイル"];
    let history_titles = ["日時", "担当者", "種類", "項目", "変更前", "変更後", "メモ"];
    sheet(&mut book, record, &["項目", "内容"], record_rows(d))?;
    sheet(&mut book, household, &member_titles, member_rows(d))?;
    sheet(&mut book, contacts, &contact_titles, contact_rows(d))?;
    sheet(&mut book, projects, &project_titles, project_rows(d))?;
    sheet(&mut book, tasks, &task_titles, task_rows(d))?;
    sheet(&mut book, requests, &REQUEST_TITLES, request_rows(d))?;
    sheet(&mut book, labels, &["種類", "名前"], label_rows(d))?;
    sheet(&mut book, mailings, &mailing_titles, mailing_rows(d))?;
    sheet(&mut book, history, &history_titles, history_rows(d))?;
    Ok(book)
}

const REQUEST_TITLES: [&str; 8] = [
    "受付日",
    "種類",
    "お申し出の内容",
    "状況",
    "担当者",
    "原因",
    "対応内容",
    "完了日",
];

fn request_rows(d: &Disclosure) -> Vec<Vec<String>> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    d.requests
        .iter()
        .map(|r| {
            vec![
                r.received_on.clone(),
                r.category.clone(),
                r.complaint.clone(),
                r.status.label().to_string(),
                text(&r.staff_name),
                text(&r.cause),
                r.resolution.clone(),
                text(&r.closed_on),
            ]
        })
        .collect()
}

fn record_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.record
        .iter()
        .map(|l| vec![l.label.clone(), l.value.clone()])
        .collect()
}

fn member_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.customer
        .members
        .iter()
        .map(|m| {
            let joint = if m.joint_name { "はい" } else { "いいえ" };
            vec![
                m.name.clone(),
                m.kana.clone(),
                m.relation.clone(),
                text(&m.birthday),
                joint.into(),
            ]
        })
        .collect()
}

fn contact_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.contacts
        .iter()
        .map(|c| {
            vec![
                c.at.clone(),
                c.kind.clone(),
                text(&c.staff_name),
                c.note.clone(),
            ]
        })
        .collect()
}

fn project_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.projects
        .iter()
        .map(|p| {
            vec![
                shown_value("project_kind", Some(p.kind.as_str())),
                p.title.clone(),
                p.amount_yen.map(|a| a.to_string()).unwrap_or_default(),
                text(&p.contract_on),
                text(&p.start_on),
                text(&p.completion_on),
                text(&p.handover_on),
            ]
        })
        .collect()
}

fn task_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.tasks
        .iter()
        .map(|t| {
            let kind = match t.kind {
                TaskKind::NextAction => "次回対応",
                TaskKind::Inspection => "点検",
            };
            vec![
                kind.into(),
                t.due_on.clone(),
                t.title.clone(),
                text(&t.done_at),
                text(&t.done_by),
            ]
        })
        .collect()
}

/// The person's labels, then the static lists they are on.
fn label_rows(d: &Disclosure) -> Vec<Vec<String>> {
    let named = d
        .customer
        .labels
        .iter()
        .map(|l| vec!["ラベル".into(), l.name.clone()]);
    let listed = d
        .lists
        .iter()
        .map(|name| vec!["リスト".into(), name.clone()]);
    named.chain(listed).collect()
}

fn mailing_rows(d: &Disclosure) -> Vec<Vec<String>> {
    d.mailings
        .iter()
        .map(|m| {
            vec![
                m.exported_at.clone(),
                m.campaign.clone(),
                m.file_name.clone(),
            ]
        })
        .collect()
}

/// Writes everything held about customer `id` to `dest` (an existing file
/// only when `replace`) and records the disclosure in their history. The
/// file is put in place inside the transaction that records it: a failure
/// leaves neither the file nor the record.
pub fn export_disclosure(
    ledger: &mut Ledger,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    dest: &Path,
    replace: bool,
) -> Result<DisclosureOutcome, ExportError> {
    ledger.require(Need::Disclose)?;
    let disclosure = ledger.disclosure(id, today)?;
    let (mut staged, sha256) = stage_hashed(dest, replace, |tmp| {
        build(&disclosure)
            .and_then(|mut book| book.save(tmp))
            .map_err(xlsx_detail)
    })?;
    ledger.record_disclosure(actor, id, &file_name(dest), &sha256, || staged.place())?;
    staged.keep();
    Ok(DisclosureOutcome {
        file: dest.display().to_string(),
        customer_id: id,
    })
}
