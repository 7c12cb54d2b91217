//! Signing in (サインイン): who a connection acts for. Off by default, as a
//! one-person office needs it: the ledger then acts for the staff member
//! last chosen on this PC (or its first 管理者). When the office turns it on,
//! each person signs in with their own PIN, switching needs the other
//! person's PIN, and the app locks (signs out) after the idle time.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::reference::staff;
use crate::store::access::{may, roles_with, Acting, Need, Policy, Role, Session};
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::kv::{get, local_get, local_put, put, Local};
use crate::store::ledger::Ledger;

const ACCESS: &str = "access";

/// The office's choices about access, stored as one JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct AccessSettings {
    /// Each person signs in with their PIN; the app locks when idle.
    pub sign_in_required: bool,
    /// Minutes without a key or a click before the app locks (sign-in on).
    pub idle_lock_minutes: u32,
    /// 営業 may export the lists they can see.
    pub sales_may_export: bool,
    /// The roles that see birthdays, family members and 社外秘 notes.
    pub sensitive_roles: Vec<Role>,
}

impl Default for AccessSettings {
    fn default() -> Self {
        Self {
            sign_in_required: false,
            idle_lock_minutes: 10,
            sales_may_export: Policy::default().sales_may_export,
            sensitive_roles: vec![Role::Admin, Role::Sales],
        }
    }
}

impl AccessSettings {
    pub fn policy(&self) -> Policy {
        Policy {
            sales_may_export: self.sales_may_export,
        }
    }
}

/// What the UI shows and hides: who is acting and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SessionInfo {
    /// None while signed out.
    pub acting: Option<Acting>,
    pub sign_in_required: bool,
    pub idle_lock_minutes: u32,
    pub may: Vec<Need>,
    /// Birthdays, family members and 社外秘 notes are shown.
    pub sees_sensitive: bool,
}

/// One line of the table of who may do what, as Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AccessRule {
    pub need: Need,
    pub action: String,
    pub roles: Vec<Role>,
}

pub(crate) fn access(conn: &Connection) -> Result<AccessSettings> {
    Ok(get(conn, ACCESS)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// Who a PC acts for when nobody signs in: the member chosen on it, else the
/// first 管理者, else (no staff yet) the office itself.
fn default_acting(conn: &Connection) -> Result<Acting> {
    let chosen = local_get(conn, Local::CurrentStaff)?.and_then(|v| v.parse::<i64>().ok());
    let members = staff::acting_candidates(conn)?;
    let pick = chosen
        .and_then(|id| members.iter().find(|m| m.staff_id == Some(id)))
        .or_else(|| members.iter().find(|m| m.role == Role::Admin))
        .or(members.first());
    Ok(pick.cloned().unwrap_or_else(Acting::office))
}

fn hash_pin(pin: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand_core::OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| LedgerError::Conflict(format!("PIN を保存できませんでした: {e}")))
}

fn pin_matches(stored: &str, pin: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

/// A PIN is at least four characters: digits or a password, as the office likes.
fn check_pin(pin: &str) -> Result<()> {
    if pin.chars().count() < 4 {
        return Err(LedgerError::Invalid(vec![FieldError::new(
            "pin",
            "PIN は4文字以上で入力してください。",
        )]));
    }
    Ok(())
}

impl Ledger {
    /// Sets who the connection acts for as it opens: nobody when sign-in is
    /// on, else the PC's default.
    pub(crate) fn resume_session(&mut self) -> Result<()> {
        let settings = access(&self.conn)?;
        self.session = if settings.sign_in_required {
            Session::SignedOut
        } else {
            Session::Acting(default_acting(&self.conn)?, settings.policy())
        };
        Ok(())
    }

    pub fn acting(&self) -> Option<&Acting> {
        match &self.session {
            Session::Acting(acting, _) => Some(acting),
            Session::SignedOut => None,
        }
    }

    pub fn session_info(&self) -> Result<SessionInfo> {
        let settings = access(&self.conn)?;
        let policy = settings.policy();
        let acting = self.acting().cloned();
        let may = acting.as_ref().map_or_else(Vec::new, |a| {
            Need::ALL
                .into_iter()
                .filter(|n| may(a.role, *n, policy))
                .collect()
        });
        let sees_sensitive = self.sees_sensitive()?;
        Ok(SessionInfo {
            acting,
            sign_in_required: settings.sign_in_required,
            idle_lock_minutes: settings.idle_lock_minutes,
            may,
            sees_sensitive,
        })
    }

    /// Who may do what under the office's current choices.
    pub fn access_rules(&self) -> Result<Vec<AccessRule>> {
        let policy = access(&self.conn)?.policy();
        Ok(Need::ALL
            .into_iter()
            .map(|need| AccessRule {
                need,
                action: need.action().to_string(),
                roles: roles_with(need, policy),
            })
            .collect())
    }

    /// The active members, as one may sign in as them (the sign-in
    /// screen's names; nothing else about them).
    pub fn sign_in_choices(&self) -> Result<Vec<Acting>> {
        staff::acting_candidates(&self.conn)
    }

    /// Whether the person acting sees birthdays, family members and 社外秘
    /// notes (`record::sensitive`).
    pub fn sees_sensitive(&self) -> Result<bool> {
        let roles = access(&self.conn)?.sensitive_roles;
        Ok(self.acting().is_some_and(|a| roles.contains(&a.role)))
    }

    /// The refusal of a change to what the person acting may not see.
    pub(crate) fn refuse_sensitive(&self) -> LedgerError {
        let roles = access(&self.conn)
            .map(|s| s.sensitive_roles)
            .unwrap_or_default();
        let acting = self.acting().cloned().unwrap_or_else(Acting::office);
        acting.refused("家族・生年月日・社外秘メモの閲覧と変更", &roles)
    }

    pub fn access_settings(&self) -> Result<AccessSettings> {
        access(&self.conn)
    }

    /// Turning sign-in on needs the 管理者 doing it to have a PIN, so that
    /// nobody is locked out of their own ledger.
    pub fn save_access_settings(&mut self, input: &AccessSettings) -> Result<SessionInfo> {
        let acting = self.require(Need::Staff)?.clone();
        if !(1..=480).contains(&input.idle_lock_minutes) {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "idle_lock_minutes",
                "ロックまでの時間は1分から480分の間で入力してください。",
            )]));
        }
        if input.sign_in_required && !staff::has_pin(&self.conn, acting.staff_id)? {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "sign_in_required",
                "サインインを有効にする前に、担当者として登録し、自分の PIN を設定してください。",
            )]));
        }
        let mut clean = input.clone();
        clean
            .sensitive_roles
            .sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
        clean.sensitive_roles.dedup();
        self.write(Need::Staff, |tx| {
            let json = serde_json::to_string(&clean).expect("settings serialize");
            put(tx, ACCESS, &json)
        })?;
        self.session = Session::Acting(acting, clean.policy());
        self.session_info()
    }

    /// Acts for `staff_id` from now on (the app's sign-in and its staff
    /// picker). With sign-in on, their PIN must match; with it off, the
    /// choice is remembered for the next start.
    pub fn sign_in(&mut self, staff_id: i64, pin: Option<&str>) -> Result<SessionInfo> {
        if !self.act_as(staff_id, pin)? {
            self.write_as_system(|tx| local_put(tx, Local::CurrentStaff, &staff_id.to_string()))?;
        }
        self.session_info()
    }

    /// Acts for `staff_id` for this connection only. Returns whether sign-in
    /// is on (and so the PIN was checked).
    fn act_as(&mut self, staff_id: i64, pin: Option<&str>) -> Result<bool> {
        let settings = access(&self.conn)?;
        let member = staff::acting_candidates(&self.conn)?
            .into_iter()
            .find(|m| m.staff_id == Some(staff_id))
            .ok_or(LedgerError::NotFound {
                entity: "担当者",
                id: staff_id,
            })?;
        if settings.sign_in_required {
            let stored = staff::pin_hash(&self.conn, staff_id)?.ok_or_else(|| {
                LedgerError::Conflict(format!(
                    "{}さんの PIN がまだ設定されていません。管理者に設定してもらってください。",
                    member.name
                ))
            })?;
            if !pin.is_some_and(|p| pin_matches(&stored, p)) {
                return Err(LedgerError::WrongPin { name: member.name });
            }
        }
        self.session = Session::Acting(member, settings.policy());
        Ok(settings.sign_in_required)
    }

    /// Keeps the session true after a member is saved: their new name or
    /// role, or the first member of a new office taking over from it.
    pub(crate) fn refresh_acting(&mut self, saved: &staff::Staff) {
        if let Session::Acting(acting, _) = &mut self.session {
            if acting.staff_id == Some(saved.id) || acting.staff_id.is_none() && saved.active {
                *acting = Acting {
                    staff_id: Some(saved.id),
                    name: saved.name.clone(),
                    role: saved.role,
                };
            }
        }
    }

    /// After the file under the connection was replaced (a restore), the
    /// person who did it carries on when the restored ledger has them (same
    /// id and name, active); otherwise the ledger's own rule applies.
    pub fn carry_on_as(&mut self, acting: &Acting) -> Result<()> {
        let policy = access(&self.conn)?.policy();
        let same = staff::acting_candidates(&self.conn)?
            .into_iter()
            .find(|m| m.staff_id == acting.staff_id && m.name == acting.name);
        match same {
            Some(member) => self.session = Session::Acting(member, policy),
            None if acting.staff_id.is_none() => self.resume_session()?,
            None => self.session = Session::SignedOut,
        }
        Ok(())
    }

    /// Acts by name for this connection only (the CLI's `--as`): nothing is
    /// written, so a read stays a read.
    pub fn sign_in_as(&mut self, name: &str, pin: Option<&str>) -> Result<()> {
        let id = staff::id_named(&self.conn, name.trim())?.ok_or_else(|| {
            LedgerError::Conflict(format!("担当者「{name}」は登録されていません。"))
        })?;
        self.act_as(id, pin).map(drop)
    }

    /// The first active 管理者 (the CLI without `--as`), or the office in a
    /// ledger without staff.
    pub fn first_admin(&self) -> Result<Acting> {
        let members = staff::acting_candidates(&self.conn)?;
        Ok(members
            .into_iter()
            .find(|m| m.role == Role::Admin)
            .unwrap_or_else(Acting::office))
    }

    /// Locks: nobody acts until someone signs in again. Only with sign-in
    /// on; without it there is nobody to sign in as.
    pub fn lock(&mut self) -> Result<SessionInfo> {
        if access(&self.conn)?.sign_in_required {
            self.session = Session::SignedOut;
        }
        self.session_info()
    }

    /// Sets a PIN: one's own, or anyone's by a 管理者 (a forgotten PIN is
    /// reset this way).
    pub fn set_pin(&mut self, staff_id: i64, pin: &str) -> Result<()> {
        let own = self.acting().is_some_and(|a| a.staff_id == Some(staff_id));
        if !own {
            self.require(Need::Staff)?;
        }
        check_pin(pin)?;
        let hash = hash_pin(pin)?;
        let acting = self.acting().and_then(|a| a.staff_id);
        // The PIN is the office's: every PC signs the person in with it.
        self.write_recorded(acting, |tx| staff::set_pin_hash_in(tx, staff_id, &hash))
    }
}
