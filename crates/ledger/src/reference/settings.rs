//! Office-wide settings, kept in the ledger so that a backup carries them.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::store::access::Need;
use crate::store::error::Result;
use crate::store::kv::{get, put};
use crate::store::ledger::{Actor, Ledger};

pub(crate) const FIRST_RUN_DONE: &str = "first_run_done";
const AUTO_IMPORTANT_LABEL: &str = "auto_important_label";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Settings {
    /// New customers in an inquiry status get the label 重要顧客.
    pub auto_important_label: bool,
    /// The first-run screen (preset choice) has been completed.
    pub first_run_done: bool,
}

pub(crate) fn read(conn: &Connection) -> Result<Settings> {
    let flag = |key: &str, default: bool| -> Result<bool> {
        Ok(get(conn, key)?.map_or(default, |v| v == "true"))
    };
    Ok(Settings {
        auto_important_label: flag(AUTO_IMPORTANT_LABEL, true)?,
        first_run_done: flag(FIRST_RUN_DONE, false)?,
    })
}

impl Ledger {
    pub fn settings(&self) -> Result<Settings> {
        read(&self.conn)
    }

    /// Who a write made now is by: the staff member acting (signed in, or
    /// chosen in the app's header), working as a user.
    pub fn current_actor(&self) -> Result<Actor> {
        Ok(Actor::user(self.acting().and_then(|a| a.staff_id)))
    }

    pub fn save_settings(&mut self, settings: &Settings) -> Result<Settings> {
        self.write(Need::Settings, |tx| {
            put(
                tx,
                AUTO_IMPORTANT_LABEL,
                &settings.auto_important_label.to_string(),
            )?;
            put(tx, FIRST_RUN_DONE, &settings.first_run_done.to_string())?;
            read(tx)
        })
    }
}

pub(crate) const FOLLOW_UP: &str = "follow_up";

/// How the office follows customers up: contact rhythm per grade, the
/// after-care schedule after a handover, the reasons a deal is lost, and when
/// a record counts as stale. Stored as one JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FollowUpSettings {
    /// Days between contacts for grades A, B, C and D.
    pub rhythm_days: GradeRhythm,
    /// Inspections after a handover, in months (3, 6, 12, 24, 60, 120).
    pub aftercare_months: Vec<u32>,
    /// The choices asked for when a deal is lost.
    pub lost_reasons: Vec<String>,
    /// A record not updated for this many days is stale.
    pub stale_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct GradeRhythm {
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub d: u32,
}

impl Default for FollowUpSettings {
    /// A builder's rhythm (slower than seed 004's sales team) and the usual
    /// inspection schedule after handover.
    fn default() -> Self {
        Self {
            rhythm_days: GradeRhythm {
                a: 7,
                b: 14,
                c: 30,
                d: 90,
            },
            aftercare_months: vec![3, 6, 12, 24, 60, 120],
            lost_reasons: ["予算", "他社決定", "時期延期", "連絡不通", "その他"]
                .map(String::from)
                .to_vec(),
            stale_days: 30,
        }
    }
}

pub(crate) fn follow_up(conn: &Connection) -> Result<FollowUpSettings> {
    Ok(get(conn, FOLLOW_UP)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

impl Ledger {
    pub fn follow_up_settings(&self) -> Result<FollowUpSettings> {
        follow_up(&self.conn)
    }

    pub fn save_follow_up_settings(
        &mut self,
        input: &FollowUpSettings,
    ) -> Result<FollowUpSettings> {
        let mut errors = Vec::new();
        let r = input.rhythm_days;
        if [r.a, r.b, r.c, r.d].iter().any(|d| !(1..=3650).contains(d)) {
            errors.push(crate::FieldError::new(
                "rhythm_days",
                "連絡の間隔は1日から3650日の間で入力してください。",
            ));
        }
        let mut months = input.aftercare_months.clone();
        months.sort_unstable();
        months.dedup();
        if months.is_empty() || months.iter().any(|m| !(1..=600).contains(m)) {
            errors.push(crate::FieldError::new(
                "aftercare_months",
                "点検の時期は1か月から600か月の間で、1つ以上入力してください。",
            ));
        }
        let reasons: Vec<String> = input
            .lost_reasons
            .iter()
            .map(|r| daicho_text::collapse_spaces(r))
            .filter(|r| !r.is_empty())
            .collect();
        if reasons.is_empty() {
            errors.push(crate::FieldError::new(
                "lost_reasons",
                "失注理由を1つ以上入力してください。",
            ));
        }
        if !(1..=3650).contains(&input.stale_days) {
            errors.push(crate::FieldError::new(
                "stale_days",
                "未更新とみなす日数は1日から3650日の間で入力してください。",
            ));
        }
        if !errors.is_empty() {
            return Err(crate::LedgerError::Invalid(errors));
        }
        let clean = FollowUpSettings {
            rhythm_days: r,
            aftercare_months: months,
            lost_reasons: reasons,
            stale_days: input.stale_days,
        };
        self.write(Need::Settings, |tx| {
            put(
                tx,
                FOLLOW_UP,
                &serde_json::to_string(&clean).expect("settings serialize"),
            )?;
            follow_up(tx)
        })
    }
}

pub use crate::store::backup::second_place::SecondPlaceSettings;
