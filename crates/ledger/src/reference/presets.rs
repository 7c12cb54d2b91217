//! The status lists a new ledger can start with (domain.md, seeds 000 and 001).

use serde::{Deserialize, Serialize};

use crate::reference::labels;
use crate::reference::settings;
use crate::reference::statuses::{self, Stage};
use crate::store::access::Need;
use crate::store::error::Result;
use crate::store::ledger::Ledger;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// 工務店: open-house inquiries through owners (seed 000).
    Builder,
    /// リフォーム会社: the seven customer ranks (seed 001).
    Renovation,
}

type StatusSeed = (&'static str, Stage, bool, &'static str);

const BUILDER: &[StatusSeed] = &[
    ("見学会からの新規引合い", Stage::Inquiry, true, "#0284c7"),
    ("WEBからの新規引合い", Stage::Inquiry, true, "#0ea5e9"),
    ("リアルな新規引合い", Stage::Inquiry, true, "#38bdf8"),
    ("商談中", Stage::Negotiation, true, "#ea580c"),
    ("管理客", Stage::Nurture, true, "#ca8a04"),
    ("契約", Stage::Contract, true, "#16a34a"),
    ("新築OB客", Stage::Owner, true, "#7c3aed"),
    ("リフォームOB客", Stage::Owner, true, "#a855f7"),
    ("その他OB", Stage::Owner, true, "#c084fc"),
    ("停止", Stage::Stopped, false, "#6b7280"),
];

const RENOVATION: &[StatusSeed] = &[
    ("情報収集顧客", Stage::Inquiry, true, "#0ea5e9"),
    ("休眠顧客", Stage::Owner, true, "#94a3b8"),
    ("見込み顧客", Stage::Negotiation, true, "#ea580c"),
    ("失注顧客", Stage::Lost, true, "#b91c1c"),
    ("契約顧客", Stage::Contract, true, "#16a34a"),
    ("紹介顧客", Stage::Owner, true, "#7c3aed"),
    ("離反顧客", Stage::Stopped, false, "#6b7280"),
];

/// The label new inquiries get automatically.
pub const IMPORTANT_LABEL: &str = "重要顧客";

const LABELS: &[(&str, &str)] = &[
    (IMPORTANT_LABEL, "#dc2626"),
    ("キーマン", "#2563eb"),
    ("紹介者", "#7c3aed"),
    ("土地あり", "#16a34a"),
    ("要注意", "#f59e0b"),
];

impl Preset {
    fn statuses(self) -> &'static [StatusSeed] {
        match self {
            Self::Builder => BUILDER,
            Self::Renovation => RENOVATION,
        }
    }
}

/// A brand-new ledger starts with the builder preset and the usual labels.
/// A new ledger gets the builder's statuses and the standard labels.
pub(crate) fn seed_if_empty(ledger: &mut Ledger) -> Result<()> {
    // Checked before taking the write lock: opening a ledger that another
    // program is writing must still work for reading.
    let seeded: i64 = ledger
        .conn
        .query_row("SELECT count(*) FROM statuses", [], |r| r.get(0))?;
    if seeded > 0 {
        return Ok(());
    }
    ledger.write_as_system(|tx| {
        let count: i64 = tx.query_row("SELECT count(*) FROM statuses", [], |r| r.get(0))?;
        if count > 0 {
            return Ok(());
        }
        for (name, stage, dm, color) in Preset::Builder.statuses() {
            statuses::insert(tx, name, *stage, *dm, color)?;
        }
        for (name, color) in LABELS {
            labels::insert(tx, name, color)?;
        }
        Ok(())
    })
}

impl Ledger {
    /// Replaces the status list with a preset. Only possible while no customer
    /// uses a status, i.e. on the first-run screen.
    pub fn apply_preset(&mut self, preset: Preset) -> Result<Vec<statuses::Status>> {
        self.write(Need::Settings, |tx| {
            // A ledger that already holds customers (made by `daicho sample`
            // or an import before the app's first start) keeps the statuses
            // they are in; the first run then only finishes.
            let customers: i64 =
                tx.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
            if customers > 0 {
                crate::store::kv::put(tx, settings::FIRST_RUN_DONE, "true")?;
                return statuses::list_in(tx);
            }
            tx.execute("DELETE FROM status_history", [])?;
            tx.execute("DELETE FROM statuses", [])?;
            for (name, stage, dm, color) in preset.statuses() {
                statuses::insert(tx, name, *stage, *dm, color)?;
            }
            crate::store::kv::put(tx, settings::FIRST_RUN_DONE, "true")?;
            statuses::list_in(tx)
        })
    }
}
