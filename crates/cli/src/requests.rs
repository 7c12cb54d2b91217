//! `daicho requests` and `daicho request add|update|close|sheet`: after-care requests
//! (アフター・クレーム対応) from the command line, through the same `Ledger`
//! calls as the app. Names (分類, 原因, 協力業者, 受付方法) are given in
//! Japanese as the office's lists spell them; a wrong one is named back.

use std::io::Write;
use std::path::{Path, PathBuf};

use daicho_ledger::contacts::local_today;
use daicho_ledger::ids::display;
use daicho_ledger::requests::{
    channel_named, RequestClose, RequestFilter, RequestInput, RequestList, ServiceRequest, Urgency,
};
use daicho_ledger::views::requests::RequestFigures;
use daicho_ledger::{FieldError, LedgerError};
use daicho_mailing::partner_sheet::export_partner_sheet;

use crate::access::staff_named;
use crate::output::{print_json, section, Failure};
use crate::signin;

/// Writes to stdout; a closed pipe is not an error (as output.rs does).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(clap::Subcommand)]
pub enum RequestAction {
    /// アフター依頼を受け付ける
    Add(AddArgs),
    /// 受付済みのアフター依頼の協力業者・費用・緊急度・期日・担当者を変える
    Update(UpdateArgs),
    /// アフター依頼を完了にする（原因と対応内容を記録）
    Close(CloseArgs),
    /// 協力業者に送る、未完了のアフター依頼の一覧（.xlsx）を書き出す
    Sheet(SheetArgs),
}

#[derive(clap::Args)]
pub struct AddArgs {
    #[arg(value_parser = crate::id_arg)]
    customer_id: i64,
    /// 分類（雨漏り・水回り・建具・設備・外装・内装・構造・その他 など、設定の一覧から）
    #[arg(long)]
    category: String,
    /// お客様のお話（内容）
    #[arg(long)]
    note: String,
    /// 対象の案件（住まい）の ID
    #[arg(long, value_parser = crate::id_arg)]
    project: Option<i64>,
    /// 期日（YYYY-MM-DD）
    #[arg(long)]
    due: Option<String>,
    /// 受付方法（電話・来店・点検・メール・その他。既定: 電話）
    #[arg(long)]
    channel: Option<String>,
}

/// Only the options given change; an empty value clears that field.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true)
    .args(["partner", "cost", "urgency", "due", "staff"])))]
pub struct UpdateArgs {
    #[arg(value_parser = crate::id_arg)]
    id: i64,
    /// 協力業者（設定の一覧から。"" で外す）
    #[arg(long)]
    partner: Option<String>,
    /// 費用（円。"" で消す）
    #[arg(long)]
    cost: Option<String>,
    /// 緊急度（通常・急ぎ・緊急）
    #[arg(long)]
    urgency: Option<String>,
    /// 期日（YYYY-MM-DD。"" で消す）
    #[arg(long)]
    due: Option<String>,
    /// 担当者の氏名（"" で外す）
    #[arg(long)]
    staff: Option<String>,
}

#[derive(clap::Args)]
pub struct CloseArgs {
    #[arg(value_parser = crate::id_arg)]
    id: i64,
    /// 原因（施工・材料・設計・使用方法・経年・その他 など）
    #[arg(long)]
    cause: String,
    /// 対応内容
    #[arg(long)]
    note: String,
    /// 協力業者（設定の一覧から）
    #[arg(long)]
    partner: Option<String>,
}

#[derive(clap::Args)]
pub struct SheetArgs {
    /// 協力業者（設定の一覧から）
    #[arg(long)]
    partner: String,
    /// 書き出す .xlsx ファイル
    #[arg(long)]
    out: PathBuf,
    /// 既にあるファイルを置き換える
    #[arg(long)]
    replace: bool,
}

/// `daicho requests [--open]`
pub fn list(path: &Path, open: bool, json: bool) -> Result<(), Failure> {
    let filter = RequestFilter {
        open,
        ..RequestFilter::default()
    };
    let requests = signin::open(path)?.requests(&filter, local_today())?;
    if json {
        print_json(&requests);
        return Ok(());
    }
    for r in &requests {
        line(r);
    }
    Ok(())
}

pub fn run(path: &Path, action: &RequestAction, json: bool) -> Result<(), Failure> {
    let request = match action {
        RequestAction::Add(args) => add(path, args)?,
        RequestAction::Update(args) => update(path, args)?,
        RequestAction::Close(args) => close(path, args)?,
        RequestAction::Sheet(args) => return sheet(path, args, json),
    };
    if json {
        print_json(&request);
    } else {
        line(&request);
    }
    Ok(())
}

fn add(path: &Path, args: &AddArgs) -> Result<ServiceRequest, Failure> {
    let mut ledger = signin::open(path)?;
    let today = local_today();
    let input = RequestInput {
        customer_id: args.customer_id,
        project_id: args.project,
        received_on: today.to_string(),
        channel: match &args.channel {
            Some(text) => channel_named(text)?,
            None => Default::default(),
        },
        category_id: ledger
            .request_list_entry(RequestList::Category, &args.category)?
            .id,
        complaint: args.note.clone(),
        due_on: args.due.clone(),
        ..RequestInput::default()
    };
    Ok(ledger.create_request(&ledger.current_actor()?, &input, today)?)
}

/// The request's fields as they stand, for an edit of some of them.
fn input_of(r: &ServiceRequest) -> RequestInput {
    RequestInput {
        customer_id: r.customer_id,
        project_id: r.project_id,
        contact_id: None,
        received_on: r.received_on.clone(),
        channel: r.channel,
        category_id: r.category_id,
        complaint: r.complaint.clone(),
        urgency: r.urgency,
        staff_id: r.staff_id,
        due_on: r.due_on.clone(),
        partner_id: r.partner_id,
        cost_yen: r.cost_yen,
    }
}

fn invalid(field: &str, message: String) -> Failure {
    LedgerError::Invalid(vec![FieldError::new(field, message)]).into()
}

/// Some(text) unless the option was given empty (which clears the field).
fn given(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

/// 通常・急ぎ・緊急, or their codes.
fn urgency_named(text: &str) -> Result<Urgency, Failure> {
    let text = text.trim();
    Urgency::ALL
        .iter()
        .copied()
        .find(|u| u.as_str() == text || u.label() == text)
        .ok_or_else(|| {
            let labels: Vec<&str> = Urgency::ALL.iter().map(|u| u.label()).collect();
            invalid(
                "urgency",
                format!("緊急度「{text}」はありません（{}）。", labels.join("・")),
            )
        })
}

/// Yen as an office types it: 38000, 38,000, ３８０００円.
fn yen(text: &str) -> Result<i64, Failure> {
    let digits: String = daicho_text::fold_width(text)
        .chars()
        .filter(|c| !matches!(c, ',' | '円') && !c.is_whitespace())
        .collect();
    digits.parse().map_err(|_| {
        invalid(
            "cost_yen",
            format!("費用は円の金額で入力してください（例: 38000）: 「{text}」"),
        )
    })
}

fn update(path: &Path, args: &UpdateArgs) -> Result<ServiceRequest, Failure> {
    let mut ledger = signin::open(path)?;
    let today = local_today();
    let mut input = input_of(&ledger.request(args.id, today)?.request);
    if let Some(text) = &args.partner {
        input.partner_id = match given(text) {
            Some(name) => Some(ledger.request_list_entry(RequestList::Partner, name)?.id),
            None => None,
        };
    }
    if let Some(text) = &args.cost {
        input.cost_yen = given(text).map(yen).transpose()?;
    }
    if let Some(text) = &args.urgency {
        input.urgency = urgency_named(text)?;
    }
    if let Some(text) = &args.due {
        input.due_on = given(text).map(String::from);
    }
    if let Some(text) = &args.staff {
        input.staff_id = given(text)
            .map(|name| staff_named(&ledger.staff()?, name).map(|s| s.id))
            .transpose()?;
    }
    let actor = ledger.current_actor()?;
    Ok(ledger.update_request(&actor, args.id, &input, today)?)
}

fn close(path: &Path, args: &CloseArgs) -> Result<ServiceRequest, Failure> {
    let mut ledger = signin::open(path)?;
    let partner_id = match &args.partner {
        Some(name) => Some(ledger.request_list_entry(RequestList::Partner, name)?.id),
        None => None,
    };
    let close = RequestClose {
        cause_id: ledger
            .request_list_entry(RequestList::Cause, &args.cause)?
            .id,
        resolution: args.note.clone(),
        partner_id,
        ..RequestClose::default()
    };
    let actor = ledger.current_actor()?;
    Ok(ledger.close_request(&actor, args.id, &close, local_today())?)
}

/// `daicho request sheet --partner NAME --out FILE`: the partner's open
/// requests as of today.
fn sheet(path: &Path, args: &SheetArgs, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let partner = ledger.request_list_entry(RequestList::Partner, &args.partner)?;
    let rows = export_partner_sheet(
        &mut ledger,
        &partner,
        local_today(),
        &args.out,
        args.replace,
    )?;
    if json {
        print_json(&serde_json::json!({ "rows": rows, "file": args.out }));
    } else {
        say!("{} に {rows} 件を書き出しました。", args.out.display());
    }
    Ok(())
}

/// One request on one line: id, status, dates, customer, category, what.
fn line(r: &ServiceRequest) {
    let due = r.due_on.as_deref().unwrap_or("-");
    let late = if r.overdue { "（期日超過）" } else { "" };
    say!(
        "{:>5}  {}  受付 {}  期日 {due}{late}  {}様  {}  {}",
        display(r.id),
        r.status.label(),
        r.received_on,
        r.customer_name,
        r.category,
        r.complaint
    );
}

/// The request figures of `daicho dashboard`.
pub fn figures(f: &RequestFigures) {
    section("アフター依頼（受付・完了）", f.months.is_empty());
    for m in &f.months {
        say!(
            "  {}  受付 {:>4} 件  完了 {:>4} 件",
            m.month,
            m.received,
            m.closed
        );
    }
    let days = |d: Option<u32>| d.map_or("-".to_string(), |d| format!("{d} 日"));
    say!(
        "  完了までの日数  中央値 {}  90% {}",
        days(f.median_days),
        days(f.p90_days)
    );
    for (title, rows) in [
        ("アフター依頼の分類別", &f.by_category),
        ("アフター依頼の原因別", &f.by_cause),
    ] {
        section(title, rows.is_empty());
        for row in rows {
            say!("  {:>6} 件  {}", row.count, row.name);
        }
    }
}
