//! Editing one customer from the command line, and the office's duties under
//! the personal information law: erasure (消去, 第35条) and disclosure
//! (開示, 第33条). Each goes through the same `Ledger` call as the app.

use std::path::Path;

use daicho_ledger::ids::display;
use daicho_ledger::{CustomerFields, Ledger};

use crate::output::{self, Failure};
use crate::signin;

/// Only the fields given change; everything else stays as stored.
#[derive(clap::Args)]
pub struct UpdateArgs {
    #[arg(value_parser = crate::id_arg)]
    id: i64,
    #[arg(long)]
    family: Option<String>,
    #[arg(long)]
    given: Option<String>,
    #[arg(long)]
    family_kana: Option<String>,
    #[arg(long)]
    given_kana: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    mobile: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    /// 1行の住所。都道府県・市区町村・それ以降に分けて保存します
    #[arg(long)]
    address: Option<String>,
    /// 建物名・部屋番号
    #[arg(long)]
    building: Option<String>,
    /// ステータス名
    #[arg(long)]
    status: Option<String>,
    /// 備考（今の備考を置き換えます）
    #[arg(long)]
    notes: Option<String>,
    /// DM を送らない
    #[arg(long, conflicts_with = "dm_opt_in")]
    dm_opt_out: bool,
    /// DM 不要を取り消す
    #[arg(long)]
    dm_opt_in: bool,
}

/// Sets `field` to `value` when the option was given.
fn set(field: &mut String, value: &Option<String>) {
    if let Some(value) = value {
        field.clone_from(value);
    }
}

fn edited(
    ledger: &Ledger,
    mut f: CustomerFields,
    args: &UpdateArgs,
) -> Result<CustomerFields, Failure> {
    set(&mut f.family_name, &args.family);
    set(&mut f.given_name, &args.given);
    set(&mut f.family_kana, &args.family_kana);
    set(&mut f.given_kana, &args.given_kana);
    set(&mut f.phone, &args.phone);
    set(&mut f.mobile, &args.mobile);
    set(&mut f.email, &args.email);
    set(&mut f.postal_code, &args.postal_code);
    set(&mut f.address2, &args.building);
    set(&mut f.notes, &args.notes);
    if let Some(line) = &args.address {
        // Read as `add` reads it, against the postal code now in force.
        let (address, _) = daicho_text::read_address(line, &f.address2, &f.postal_code);
        f.prefecture = address.prefecture;
        f.city = address.city;
        f.address1 = address.street;
        f.address2 = address.building;
    }
    if let Some(name) = &args.status {
        f.status_id = Some(crate::status_named(ledger, name)?);
    }
    if args.dm_opt_out || args.dm_opt_in {
        f.dm_opt_out = args.dm_opt_out;
    }
    Ok(f)
}

pub fn update(path: &Path, args: &UpdateArgs, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let fields = edited(&ledger, ledger.customer(args.id)?.fields, args)?;
    let actor = ledger.current_actor()?;
    let customer = ledger.update_customer(&actor, args.id, &fields)?;
    output::customers(std::slice::from_ref(&customer), json)
}

pub fn erase(path: &Path, id: i64, reason: &str, backup: bool, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let actor = ledger.current_actor()?;
    let report = ledger.erase_customer(&actor, id, reason)?;
    let fresh = if backup {
        Some(ledger.backup_now()?)
    } else {
        None
    };
    output::erasure(&report, fresh.as_ref(), json)
}

pub fn disclose(
    path: &Path,
    id: i64,
    out: &Path,
    replace: bool,
    json: bool,
) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let actor = ledger.current_actor()?;
    let outcome = daicho_mailing::disclosure::export_disclosure(
        &mut ledger,
        &actor,
        id,
        daicho_ledger::contacts::local_today(),
        out,
        replace,
    )?;
    output::done(
        &format!(
            "顧客 ID {} について台帳が持つ情報を {} に書き出し、\
             開示したことを履歴に記録しました。",
            display(id),
            outcome.file
        ),
        out,
        json,
    )
}
