//! Who the command acts as: `--as NAME`, or the ledger's first 管理者. With
//! sign-in on, the PIN comes from `DAICHO_PIN` or is asked on the terminal.
//! Every command opens its ledger here, so each one is checked against the
//! role of the person it acts for.

use std::path::Path;
use std::sync::OnceLock;

use daicho_ledger::{Ledger, LedgerError};

use crate::output::Failure;

static ACTING_AS: OnceLock<Option<String>> = OnceLock::new();

/// Set once, from the command line, before any command runs.
pub fn act_as(name: Option<String>) {
    let _ = ACTING_AS.set(name);
}

/// Opens the ledger at `path` acting for the chosen staff member.
pub fn open(path: &Path) -> Result<Ledger, Failure> {
    let mut ledger = Ledger::open(path)?;
    let name = match ACTING_AS.get().cloned().flatten() {
        Some(name) => name,
        None => match ledger.first_admin()? {
            // A ledger without staff: the office itself, as before roles.
            admin if admin.staff_id.is_none() => return Ok(ledger),
            admin => admin.name,
        },
    };
    let pin = if ledger.access_settings()?.sign_in_required {
        Some(pin_for(&name)?)
    } else {
        None
    };
    ledger.sign_in_as(&name, pin.as_deref())?;
    Ok(ledger)
}

fn pin_for(name: &str) -> Result<String, Failure> {
    if let Ok(pin) = std::env::var("DAICHO_PIN") {
        return Ok(pin);
    }
    rpassword::prompt_password(format!("{name}さんの PIN: ")).map_err(|_| {
        Failure::Ledger(LedgerError::Conflict(format!(
            "サインインが有効な台帳です。{name}さんの {PIN_NEEDED}"
        )))
    })
}

const PIN_NEEDED: &str =
    "PIN を環境変数 DAICHO_PIN に設定するか、端末から実行して入力してください。";
