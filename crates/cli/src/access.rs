//! `daicho staff …` and `daicho exports`: staff, their roles and PINs,
//! sign-in, and the export record, through the same `Ledger` calls as the
//! app's settings. Changing staff needs a 管理者 (`--as`).

use std::io::Write;
use std::path::Path;

use daicho_ledger::ids::display;
use daicho_ledger::{AccessSettings, FieldError, LedgerError, Role, Staff, StaffInput};

use crate::output::{print_json, Failure};
use crate::signin;

/// Writes to stdout; a closed pipe is not an error (as output.rs does).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(clap::Subcommand)]
pub enum StaffAction {
    /// 担当者を追加する（最初の一人は管理者になります）
    Add {
        name: String,
        /// 管理者・営業・事務・閲覧のみ
        #[arg(long, default_value = "営業")]
        role: String,
        /// フリガナ
        #[arg(long, default_value = "")]
        kana: String,
    },
    /// 担当者の権限を変える
    Role {
        name: String,
        /// 管理者・営業・事務・閲覧のみ
        role: String,
    },
    /// PIN を設定する（自分の PIN、または管理者が他の人の PIN を再設定）。新しい PIN は DAICHO_NEW_PIN から、なければ端末で入力
    Pin { name: String },
    /// サインインを使う（on）・使わない（off）
    SignIn { state: Switch },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// `daicho staff [ACTION]`: without an action, the list.
pub fn run(path: &Path, action: Option<&StaffAction>, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    match action {
        None => {}
        Some(StaffAction::Add { name, role, kana }) => {
            let input = StaffInput {
                id: None,
                name: name.clone(),
                kana: kana.clone(),
                active: true,
                role: role_named(role)?,
            };
            ledger.save_staff(&input)?;
        }
        Some(StaffAction::Role { name, role }) => {
            let member = staff_named(&ledger.staff()?, name)?;
            let input = StaffInput {
                id: Some(member.id),
                name: member.name,
                kana: member.kana,
                active: member.active,
                role: role_named(role)?,
            };
            ledger.save_staff(&input)?;
        }
        Some(StaffAction::Pin { name }) => {
            let member = staff_named(&ledger.staff()?, name)?;
            ledger.set_pin(member.id, &new_pin(&member.name)?)?;
        }
        Some(StaffAction::SignIn { state }) => {
            let settings = AccessSettings {
                sign_in_required: *state == Switch::On,
                ..ledger.access_settings()?
            };
            ledger.save_access_settings(&settings)?;
        }
    }
    list(
        &ledger.staff()?,
        ledger.access_settings()?.sign_in_required,
        json,
    );
    Ok(())
}

fn list(staff: &[Staff], sign_in: bool, json: bool) {
    if json {
        print_json(&serde_json::json!({ "sign_in_required": sign_in, "staff": staff }));
        return;
    }
    say!("サインイン: {}", if sign_in { "使う" } else { "使わない" });
    for s in staff {
        let pin = if s.has_pin {
            "PIN 設定済み"
        } else {
            "PIN なし"
        };
        let active = if s.active { "" } else { "（無効）" };
        let id = display(s.id);
        say!("{id:>4}  {}{active}  {}  {pin}", s.name, s.role.label());
    }
}

/// `daicho exports`: the export record, newest first.
pub fn exports(path: &Path, limit: u32, json: bool) -> Result<(), Failure> {
    let entries = signin::open(path)?.exports(limit)?;
    if json {
        print_json(&entries);
        return Ok(());
    }
    for e in &entries {
        say!(
            "{}  {}（{}）  {}  {} 人  {}  {}",
            e.at,
            e.staff_name,
            e.role,
            e.note.kind.label(),
            e.note.people,
            e.note.file_name,
            e.note.segment
        );
    }
    Ok(())
}

fn role_named(text: &str) -> Result<Role, Failure> {
    Role::parse(text.trim()).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
        Failure::Ledger(LedgerError::Conflict(format!(
            "権限「{text}」はありません。{} のどれかです。",
            names.join("・")
        )))
    })
}

/// The staff member of that name; spaces inside the name do not matter.
/// A name not found is told back with the active members' names.
pub(crate) fn staff_named(staff: &[Staff], name: &str) -> Result<Staff, Failure> {
    let bare = |s: &str| s.split_whitespace().collect::<String>();
    if let Some(found) = staff.iter().find(|s| bare(&s.name) == bare(name)) {
        return Ok(found.clone());
    }
    let names: Vec<&str> = staff
        .iter()
        .filter(|s| s.active)
        .map(|s| s.name.as_str())
        .collect();
    let message = format!("担当者「{name}」はいません（{}）。", names.join("・"));
    Err(LedgerError::Invalid(vec![FieldError::new("staff_id", message)]).into())
}

fn new_pin(name: &str) -> Result<String, Failure> {
    if let Ok(pin) = std::env::var("DAICHO_NEW_PIN") {
        return Ok(pin);
    }
    let asked = rpassword::prompt_password(format!("{name}さんの新しい PIN: "))
        .and_then(|pin| Ok((pin, rpassword::prompt_password("もう一度: ")?)));
    match asked {
        Ok((pin, again)) if pin == again => Ok(pin),
        Ok(_) => Err(conflict("2回の PIN が一致しません。")),
        Err(_) => Err(conflict(
            "新しい PIN を環境変数 DAICHO_NEW_PIN に設定するか、端末から実行して入力してください。",
        )),
    }
}

fn conflict(message: &str) -> Failure {
    Failure::Ledger(LedgerError::Conflict(message.to_string()))
}
