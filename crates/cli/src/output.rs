//! What the CLI prints: JSON for automation, plain Japanese text for people.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use daicho_ledger::duplicates::DuplicatePair;
use daicho_ledger::ids::display;
use daicho_ledger::import::{ImportBatch, MatchKind};
use daicho_ledger::merge::MergeRecord;
use daicho_ledger::{Coded, Customer, ErrorCode, FieldError, LedgerError, LedgerStats};
use daicho_roster::{ImportError, RosterPlan};
use serde::Serialize;
use serde_json::json;

/// A customer as `daicho customers --json` prints it: flat, with the status
/// and labels by name.
#[derive(Serialize)]
struct CustomerJson<'a> {
    id: i64,
    family_name: &'a str,
    given_name: &'a str,
    family_kana: &'a str,
    given_kana: &'a str,
    honorific: &'a str,
    company: &'a str,
    department: &'a str,
    postal_code: &'a str,
    prefecture: &'a str,
    city: &'a str,
    address1: &'a str,
    address2: &'a str,
    phone: &'a str,
    mobile: &'a str,
    email: &'a str,
    birthday: Option<&'a str>,
    status: &'a str,
    grade: Option<&'static str>,
    labels: Vec<&'a str>,
    dm_opt_out: bool,
    created_at: &'a str,
    updated_at: &'a str,
}

impl<'a> From<&'a Customer> for CustomerJson<'a> {
    fn from(c: &'a Customer) -> Self {
        let f = &c.fields;
        Self {
            id: c.id,
            family_name: &f.family_name,
            given_name: &f.given_name,
            family_kana: &f.family_kana,
            given_kana: &f.given_kana,
            honorific: f.honorific.as_str(),
            company: &f.company,
            department: &f.department,
            postal_code: &f.postal_code,
            prefecture: &f.prefecture,
            city: &f.city,
            address1: &f.address1,
            address2: &f.address2,
            phone: &f.phone,
            mobile: &f.mobile,
            email: &f.email,
            birthday: f.birthday.as_deref(),
            status: &c.status,
            grade: f.grade.map(|g| g.as_str()),
            labels: c.labels.iter().map(|l| l.name.as_str()).collect(),
            dm_opt_out: f.dm_opt_out,
            created_at: &c.created_at,
            updated_at: &c.updated_at,
        }
    }
}

/// Writes to stdout; a closed pipe (`daicho … | head`) is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

pub(crate) fn print_json(value: &impl Serialize) {
    say!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON of plain data")
    );
}

#[derive(Serialize)]
struct StatusCountJson<'a> {
    status: &'a str,
    count: u32,
}

#[derive(Serialize)]
struct StatsJson<'a> {
    customers: u32,
    trashed: u32,
    by_status: Vec<StatusCountJson<'a>>,
}

pub fn stats(stats: &LedgerStats, json: bool) -> Result<(), Failure> {
    if json {
        let by_status = stats
            .by_status
            .iter()
            .map(|s| StatusCountJson {
                status: &s.status,
                count: s.count,
            })
            .collect();
        print_json(&StatsJson {
            customers: stats.customers,
            trashed: stats.trashed,
            by_status,
        });
    } else {
        say!(
            "顧客数: {} 件（ごみ箱 {} 件）",
            stats.customers,
            stats.trashed
        );
        for s in &stats.by_status {
            say!("  {:>6}  {}", s.count, s.status);
        }
    }
    Ok(())
}

pub fn customers(customers: &[Customer], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&customers.iter().map(CustomerJson::from).collect::<Vec<_>>());
    } else {
        for c in customers {
            let f = &c.fields;
            say!(
                "{:>6}  {} {}（{} {}）  〒{} {}{}{} {}  {}  [{}]",
                display(c.id),
                f.family_name,
                f.given_name,
                f.family_kana,
                f.given_kana,
                f.postal_code,
                f.prefecture,
                f.city,
                f.address1,
                f.address2,
                if f.mobile.is_empty() {
                    &f.phone
                } else {
                    &f.mobile
                },
                c.status
            );
        }
        say!("{} 件", customers.len());
    }
    Ok(())
}

pub fn done(message: &str, file: &Path, json: bool) -> Result<(), Failure> {
    if json {
        print_json(&json!({"ok": true, "message": message, "file": file.display().to_string()}));
    } else {
        say!("{message}");
    }
    Ok(())
}

/// The backups in both places, newest first; the JSON is the app's list.
pub fn backups(backups: &[daicho_ledger::backup::BackupInfo], json: bool) -> Result<(), Failure> {
    use daicho_ledger::backup::Place;
    if json {
        print_json(&backups);
        return Ok(());
    }
    if backups.is_empty() {
        say!("バックアップはまだありません。");
    }
    for b in backups {
        let place = match b.place {
            Place::Beside => "台帳の横",
            Place::Second => "2か所目",
        };
        say!(
            "{}  {place}  {:>12} バイト  {}",
            b.created_at,
            b.size_bytes,
            b.path
        );
    }
    Ok(())
}

/// Anything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Export(#[from] daicho_mailing::export::ExportError),
    #[error(transparent)]
    Sync(#[from] daicho_sync::SyncError),
}

impl Coded for Failure {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Ledger(e) => e.code(),
            Self::Import(e) => e.code(),
            Self::Export(e) => e.code(),
            Self::Sync(e) => e.code(),
        }
    }

    fn fields(&self) -> &[FieldError] {
        match self {
            Self::Ledger(e) => e.fields(),
            Self::Import(e) => e.fields(),
            Self::Export(e) => e.fields(),
            Self::Sync(_) => &[],
        }
    }
}

impl Failure {
    /// The failure with a bare SQLite error from the ledger at `path`
    /// classified (`LedgerError::on_file`), wherever it is wrapped.
    pub fn on_file(self, path: &std::path::Path) -> Self {
        match self {
            Self::Ledger(e) => Self::Ledger(e.on_file(path)),
            Self::Import(ImportError::Ledger(e)) => {
                Self::Import(ImportError::Ledger(e.on_file(path)))
            }
            Self::Export(daicho_mailing::export::ExportError::Ledger(e)) => {
                Self::Export(daicho_mailing::export::ExportError::Ledger(e.on_file(path)))
            }
            other => other,
        }
    }
}

/// The one place a failure becomes what the CLI prints: with `--json`, the
/// app's `{code, message, fields}` on stdout; always the message on stderr.
pub fn error(error: &impl Coded, json: bool) {
    if json {
        print_json(
            &json!({"code": error.code(), "message": error.to_string(), "fields": error.fields()}),
        );
    }
    eprintln!("エラー: {error}");
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    sheet: &'a str,
    row: u32,
    reason: &'a str,
}

#[derive(Serialize)]
struct ImportJson<'a> {
    file: &'a str,
    rows: u32,
    created: u32,
    merged: u32,
    skipped: usize,
    warnings: usize,
    batch: Option<i64>,
    skipped_rows: Vec<SkippedJson<'a>>,
    warning_details: &'a [daicho_roster::CellWarning],
}

pub fn import(
    plan: &RosterPlan,
    created: u32,
    merged: u32,
    batch: Option<i64>,
    json: bool,
) -> Result<(), Failure> {
    if json {
        print_json(&ImportJson {
            file: &plan.file,
            rows: plan.rows,
            created,
            merged,
            skipped: plan.skipped.len(),
            warnings: plan.warnings.len(),
            batch,
            skipped_rows: plan
                .skipped
                .iter()
                .map(|s| SkippedJson {
                    sheet: &s.sheet,
                    row: s.row,
                    reason: &s.reason,
                })
                .collect(),
            warning_details: &plan.warnings,
        });
        return Ok(());
    }
    let mode = if batch.is_some() {
        "取り込みました"
    } else {
        "（試行のみ・台帳は変更していません）"
    };
    say!(
        "{}: {} 行を読み、新規 {} 件・統合 {} 件・スキップ {} 行・注意 {} 件 {mode}",
        plan.file,
        plan.rows,
        created,
        merged,
        plan.skipped.len(),
        plan.warnings.len()
    );
    if let Some(batch) = batch {
        let batch = display(batch);
        say!("取り込み番号: {batch}（取り消すには: daicho import-undo {batch}）");
    }
    for s in &plan.skipped {
        say!("  スキップ  {} {}行目: {}", s.sheet, s.row, s.reason);
    }
    for w in &plan.warnings {
        say!(
            "  注意      {} {}行目 {}: {}",
            w.sheet,
            w.row,
            w.column,
            w.message
        );
    }
    Ok(())
}

pub fn batches(batches: &[ImportBatch], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&batches);
    } else {
        for b in batches {
            let undone = if b.undone_at.is_some() {
                "（取り消し済み）"
            } else {
                ""
            };
            say!(
                "{:>4}  {}  {}  新規 {} 件・統合 {} 件{undone}",
                display(b.id),
                b.imported_at,
                b.file_name,
                b.created,
                b.merged
            );
        }
    }
    Ok(())
}

/// `daicho duplicates`: each pair with why it matched.
pub fn duplicates(pairs: &[DuplicatePair], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&pairs);
        return Ok(());
    }
    for p in pairs {
        let reasons: Vec<&str> = p
            .reasons
            .iter()
            .map(|r| match r {
                MatchKind::NamePhone => "氏名と電話番号",
                MatchKind::NameAddress => "氏名と住所",
                MatchKind::Email => "メールアドレス",
            })
            .collect();
        say!(
            "{:>6} {}  ⇔ {:>6} {}  （{}が同じ）",
            display(p.a.id),
            p.a.name,
            display(p.b.id),
            p.b.name,
            reasons.join("・")
        );
    }
    say!("重複の候補 {} 組", pairs.len());
    Ok(())
}

pub fn merges(records: &[MergeRecord], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&records);
        return Ok(());
    }
    for m in records {
        let undone = if m.undone_at.is_some() {
            "（取り消し済み）"
        } else {
            ""
        };
        say!(
            "{:>4}  {}  {} {} を {} に統合{undone}",
            display(m.id),
            m.merged_at,
            display(m.merged_id),
            m.merged_name,
            display(m.kept_id)
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct DmJson<'a> {
    rows: u32,
    households_merged: u32,
    excluded: BTreeMap<&'static str, u32>,
    file: &'a str,
    sha256: &'a str,
    mailing: i64,
}

pub fn dm(outcome: &daicho_mailing::export::ExportOutcome, json: bool) -> Result<(), Failure> {
    let excluded: BTreeMap<&'static str, u32> = outcome
        .excluded
        .iter()
        .map(|(reason, n)| (reason_code(*reason), *n))
        .collect();
    if json {
        print_json(&DmJson {
            rows: outcome.rows,
            households_merged: outcome.households_merged,
            excluded,
            file: &outcome.file,
            sha256: &outcome.sha256,
            mailing: outcome.mailing_id,
        });
    } else {
        say!(
            "{} に {} 通分を書き出しました（世帯まとめ {} 件）。",
            outcome.file,
            outcome.rows,
            outcome.households_merged
        );
        for (reason, n) in &outcome.excluded {
            say!("  除外 {}: {} 人", reason.label(), n);
        }
    }
    Ok(())
}

fn reason_code(reason: daicho_ledger::dm::Exclusion) -> &'static str {
    use daicho_ledger::dm::Exclusion::*;
    match reason {
        OptOut => "dm_opt_out",
        StatusForbids => "status_no_dm",
        MailReturned => "mail_returned",
        DeceasedOrMoved => "deceased_or_moved",
        NoUsableAddress => "no_usable_address",
        OpenRequest => "open_request",
    }
}

pub fn segments(segments: &[daicho_ledger::segments::Segment], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&segments);
    } else {
        for s in segments {
            say!("{:>4}  {}", display(s.id), s.name);
        }
    }
    Ok(())
}

pub fn today(today: &daicho_ledger::today::Today, json: bool) -> Result<(), Failure> {
    if json {
        let items: Vec<_> = today.sections.iter().flat_map(|s| &s.items).collect();
        let totals: BTreeMap<String, u32> = today
            .sections
            .iter()
            .map(|s| {
                (
                    serde_json::to_value(s.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    s.total,
                )
            })
            .collect();
        print_json(&json!({"on": today.on, "totals": totals, "items": items}));
        return Ok(());
    }
    use daicho_ledger::today::TodayKind;
    say!("{} の予定", today.on);
    for section in &today.sections {
        let title = match section.kind {
            TodayKind::Overdue => "連絡が遅れている顧客",
            TodayKind::NextAction => "期日の来た次回対応",
            TodayKind::Inspection => "今月の点検",
            TodayKind::Birthday => "今月の誕生日",
            TodayKind::Anniversary => "今月の引渡し記念日",
            TodayKind::Ungraded => "見込み度が未設定の新規引合い",
            TodayKind::RequestOverdue => "期日を過ぎたアフター依頼",
            TodayKind::RequestMine => "自分が担当のアフター依頼",
        };
        say!("■ {title}: {} 件", section.total);
        for item in &section.items {
            say!(
                "  [{}] {}  {}  {}",
                display(item.customer_id),
                item.customer_name,
                item.date.as_deref().unwrap_or(""),
                item.detail
            );
        }
    }
    Ok(())
}

pub fn contacts(contacts: &[daicho_ledger::contacts::Contact], json: bool) -> Result<(), Failure> {
    if json {
        print_json(&contacts);
    } else {
        for c in contacts {
            say!(
                "{}  {}  {}  {}",
                c.at,
                c.kind,
                c.staff_name.as_deref().unwrap_or("—"),
                c.note
            );
        }
    }
    Ok(())
}

/// What an erasure removed, in words (counts of zero left out).
fn held_summary(held: &daicho_ledger::erase::Held) -> String {
    let parts = [
        ("家族", held.members),
        ("対応履歴", held.contacts),
        ("案件", held.projects),
        ("次回対応・点検", held.tasks),
        ("アフター対応", held.requests),
        ("ラベル", held.labels),
        ("リスト", held.lists),
        ("DM送付記録", held.mailings),
        ("ステータス履歴", held.status_moves),
        ("変更履歴", held.change_rows),
        ("統合の記録", held.merges),
    ];
    let named: Vec<String> = parts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what} {n} 件"))
        .collect();
    if named.is_empty() {
        "顧客の記録のみ".into()
    } else {
        format!("顧客の記録と、{}", named.join("・"))
    }
}

pub fn erasure(
    report: &daicho_ledger::erase::ErasureReport,
    fresh: Option<&daicho_ledger::backup::BackupInfo>,
    json: bool,
) -> Result<(), Failure> {
    if json {
        print_json(&json!({"erasure": report, "fresh_backup": fresh}));
        return Ok(());
    }
    let e = &report.erasure;
    say!(
        "顧客 ID {} を消去しました（{}、理由: {}）。",
        display(e.customer_id),
        e.erased_at,
        e.reason
    );
    say!("  消去した内容: {}", held_summary(&report.removed));
    if report.removed.referred > 0 {
        say!(
            "  この方が紹介したお客様 {} 人の紹介者は「{}」と表示されます。",
            report.removed.referred,
            daicho_ledger::erase::ERASED_NAME
        );
    }
    if report.scrubbed {
        say!("  台帳ファイルを書き直し、消した内容が空き領域や WAL に残らないようにしました。");
    } else {
        say!("  注意: 台帳ファイルの書き直しができませんでした（他のプログラムが台帳を読んでいる可能性があります）。アプリを閉じてから、同じコマンドをもう一度実行してください。");
    }
    if !report.backups.is_empty() {
        say!(
            "  次のバックアップにはこの方の情報がまだ残っています。\
             新しいバックアップが {} 件たまると古い順に削除されます:",
            report.backups_kept
        );
        for b in &report.backups {
            say!("    {}  {}", b.created_at, b.file_name);
        }
    }
    match fresh {
        Some(b) => say!("  消去後の台帳をバックアップしました: {}", b.file_name),
        None => say!(
            "  消去後の台帳をすぐにバックアップするには --backup を付けて実行するか、\
             アプリの「今すぐバックアップ」を使ってください。"
        ),
    }
    Ok(())
}

/// The 分析 screen's figures; the JSON is the app's `Dashboard` as it is.
pub fn dashboard(board: &daicho_ledger::dashboard::Dashboard, json: bool) -> Result<(), Failure> {
    if json {
        print_json(board);
        return Ok(());
    }
    say!("分析 {} 〜 {}", board.from, board.to);
    section("月別の目標と実績（実績 / 目標）", board.months.is_empty());
    for m in &board.months {
        let (a, t) = (&m.actual, &m.target);
        say!(
            "  {}  引合い {} / {}  商談開始 {} / {}  契約 {} / {}  契約金額 {} / {}",
            m.month,
            a.inquiries,
            t.inquiries,
            a.negotiations,
            t.negotiations,
            a.contracts,
            t.contracts,
            yen(a.amount_yen),
            yen(t.amount_yen)
        );
    }
    section(
        "段階の移り変わり（期間内の引合い）",
        board.funnel.is_empty(),
    );
    let first = board.funnel.first().map_or(0, |f| f.customers);
    for step in &board.funnel {
        let percent = (step.customers * 100).checked_div(first).unwrap_or(0);
        say!(
            "  {:>6} 人（{percent:>3}%）  {}",
            step.customers,
            stage_label(step.stage)
        );
    }
    section("失注理由", board.lost_reasons.is_empty());
    for reason in &board.lost_reasons {
        say!("  {:>6} 件  {}", reason.count, reason.name);
    }
    for (title, rows) in [
        ("反響元別", &board.by_source),
        ("キャンペーン別", &board.by_campaign),
    ] {
        section(
            &format!("{title}（引合い・契約・契約金額）"),
            rows.is_empty(),
        );
        for row in rows {
            say!(
                "  {:>6} 件  {:>6} 件  {:>16}  {}",
                row.inquiries,
                row.contracts,
                yen(row.amount_yen),
                row.name
            );
        }
    }
    section("ステータス別の顧客数（現在）", board.by_status.is_empty());
    for s in &board.by_status {
        say!("  {:>6} 人  {}", s.count, s.status);
    }
    crate::requests::figures(&board.requests);
    section("担当者別の対応件数", board.contacts.is_empty());
    for c in &board.contacts {
        say!("  {}  {:>6} 件  {}", c.day, c.count, c.staff);
    }
    Ok(())
}

/// A section's heading, and a line saying so when it has nothing to show.
pub(crate) fn section(title: &str, empty: bool) {
    say!("■ {title}");
    if empty {
        say!("  （なし）");
    }
}

/// The stage names the 分析 screen shows.
fn stage_label(stage: daicho_ledger::Stage) -> &'static str {
    use daicho_ledger::Stage::*;
    match stage {
        Inquiry => "引合い",
        Negotiation => "商談",
        Nurture => "育成",
        Contract => "契約",
        Owner => "OB",
        Stopped => "停止",
        Lost => "失注",
    }
}

/// An amount as the office writes it: 32,000,000円.
fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{grouped}円")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DM export refused by the ledger's form rules tells the fields, as
    /// the app does (they were dropped here once).
    #[test]
    fn an_export_keeps_its_ledger_errors_fields() {
        let invalid =
            || LedgerError::Invalid(vec![FieldError::new("name", "名前を入力してください。")]);
        let export = Failure::Export(daicho_mailing::export::ExportError::Ledger(invalid()));
        assert_eq!(export.fields(), Failure::Ledger(invalid()).fields());
        assert_eq!(export.fields().len(), 1);
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
        assert_eq!(yen(1_000), "1,000円");
        assert_eq!(yen(32_000_000), "32,000,000円");
        assert_eq!(yen(-1_234_567), "-1,234,567円");
    }
}
