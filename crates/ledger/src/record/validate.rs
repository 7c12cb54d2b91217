//! Form validation: normalizes what the office typed and names each field
//! that cannot be saved, in Japanese, so the UI can show it at the field.

use chrono::{Datelike, NaiveDate};
use daicho_text::{collapse_spaces, normalize_kana, normalize_phone, normalize_postal};
use rusqlite::Connection;

use crate::record::customers::CustomerFields;
use crate::record::fields::Honorific;
use crate::record::rules::DISPLAY_NAME;
use crate::reference::statuses::Status;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::sql;

/// The stored customer being edited, if any.
#[derive(Clone, Copy)]
pub(crate) struct Editing {
    pub id: i64,
    pub status_id: Option<i64>,
}

/// Returns the record as it will be stored, or every problem at once.
/// On an edit, a retired status may stay on the record but cannot be newly
/// chosen, and the referrer may not lead back to the customer.
pub(crate) fn customer(
    conn: &Connection,
    input: &CustomerFields,
    editing: Option<Editing>,
    statuses: &[Status],
) -> Result<CustomerFields> {
    check(input).against(conn, input, editing, statuses)
}

/// A record with the checks made that need no ledger. An import makes them
/// on a second core ahead of its writes (`Checked::against` finishes them).
#[derive(Debug)]
pub(crate) struct Checked {
    fields: CustomerFields,
    errors: Vec<FieldError>,
}

pub(crate) fn check(input: &CustomerFields) -> Checked {
    let mut errors = Vec::new();
    let mut f = input.clone();
    names(input, &mut f, &mut errors);
    contact(input, &mut f, &mut errors);
    address(input, &mut f);
    dates_and_amounts(input, &mut f, &mut errors);
    Checked { fields: f, errors }
}

impl Checked {
    /// The fields as they will be stored if the checks pass.
    pub(crate) fn fields(&self) -> &CustomerFields {
        &self.fields
    }

    /// The record as it will be stored, once the references it names are
    /// found in the ledger, or every problem at once.
    pub(crate) fn against(
        mut self,
        conn: &Connection,
        input: &CustomerFields,
        editing: Option<Editing>,
        statuses: &[Status],
    ) -> Result<CustomerFields> {
        references(conn, input, editing, statuses, &mut self.errors)?;
        if self.errors.is_empty() {
            Ok(self.fields)
        } else {
            Err(LedgerError::Invalid(self.errors))
        }
    }
}

fn names(input: &CustomerFields, f: &mut CustomerFields, errors: &mut Vec<FieldError>) {
    f.family_name = collapse_spaces(&input.family_name);
    f.given_name = collapse_spaces(&input.given_name);
    if f.family_name.is_empty() {
        errors.push(FieldError::new(
            "family_name",
            "姓（または会社名）を入力してください。",
        ));
    }
    for (field, value, target) in [
        ("family_kana", &input.family_kana, &mut f.family_kana),
        ("given_kana", &input.given_kana, &mut f.given_kana),
    ] {
        *target = normalize_kana(value);
        if !target.chars().all(is_kana_char) {
            errors.push(FieldError::new(
                field,
                "フリガナはカタカナかひらがなで入力してください。",
            ));
        }
    }
    f.company = collapse_spaces(&input.company);
    f.department = collapse_spaces(&input.department);
    if f.honorific == Honorific::Onchu && f.company.is_empty() {
        errors.push(FieldError::new(
            "honorific",
            "敬称「御中」は会社名があるときに使います。",
        ));
    }
}

fn contact(input: &CustomerFields, f: &mut CustomerFields, errors: &mut Vec<FieldError>) {
    f.postal_code = optional(&input.postal_code, normalize_postal).unwrap_or_else(|| {
        errors.push(FieldError::new(
            "postal_code",
            "郵便番号は7桁の数字で入力してください（例: 154-0015）。",
        ));
        input.postal_code.clone()
    });
    for (field, value, target) in [
        ("phone", &input.phone, &mut f.phone),
        ("mobile", &input.mobile, &mut f.mobile),
    ] {
        *target = optional(value, keep_or_normalize_phone).unwrap_or_else(|| {
            errors.push(FieldError::new(
                field,
                "電話番号は市外局番からの数字で入力してください（例: 03-1234-5678）。",
            ));
            value.clone()
        });
    }
    f.email = daicho_text::fold_width(input.email.trim());
    if !f.email.is_empty() && !looks_like_email(&f.email) {
        errors.push(FieldError::new(
            "email",
            "メールアドレスの形式が正しくありません（例: taro@example.jp）。",
        ));
    }
}

fn address(input: &CustomerFields, f: &mut CustomerFields) {
    let text = |s: &str| collapse_spaces(&daicho_text::fold_width(s));
    f.prefecture = text(&input.prefecture);
    f.city = text(&input.city);
    // Block numbers in the one form (一丁目2番3号 is 1-2-3), the town
    // protected where Japan Post lists it for the municipality.
    let prefecture = (!f.prefecture.is_empty()).then_some(f.prefecture.as_str());
    let municipality = daicho_text::municipality::find_at_start(&f.city, prefecture)
        .filter(|found| found.len == f.city.len())
        .and_then(|found| found.unique());
    f.address1 = daicho_text::street::canonical_street(
        &daicho_text::address::fold_address(&input.address1),
        municipality.as_ref(),
    );
    f.address2 = daicho_text::address::fold_address(&input.address2);
    f.source = text(&input.source);
    f.mail_returned_reason = input.mail_returned_reason.trim().to_string();
    f.notes = input.notes.trim().to_string();
}

fn dates_and_amounts(input: &CustomerFields, f: &mut CustomerFields, errors: &mut Vec<FieldError>) {
    for (field, value, label) in [
        ("birthday", &input.birthday, "生年月日"),
        ("mail_returned_on", &input.mail_returned_on, "返送日"),
    ] {
        if let Some(message) = value.as_deref().and_then(|d| date_problem(d, label)) {
            errors.push(FieldError::new(field, message));
        }
    }
    f.birthday = input.birthday.clone().filter(|d| !d.trim().is_empty());
    f.mail_returned_on = input
        .mail_returned_on
        .clone()
        .filter(|d| !d.trim().is_empty());
    if input.budget_man_yen.is_some_and(|b| b < 0) {
        errors.push(FieldError::new(
            "budget_man_yen",
            "予算は0以上の金額（万円）で入力してください。",
        ));
    }
}

/// The staff member, status, referrer and campaign named must exist.
fn references(
    conn: &Connection,
    input: &CustomerFields,
    editing: Option<Editing>,
    statuses: &[Status],
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    let missing = |table, id: Option<i64>| -> Result<bool> {
        Ok(match id {
            Some(id) => !sql::exists(conn, table, id)?,
            None => false,
        })
    };
    if missing("staff", input.staff_id)? {
        errors.push(FieldError::new(
            "staff_id",
            "選ばれた担当者が見つかりません。",
        ));
    }
    if let Some(problem) = status_problem(input.status_id, editing, statuses) {
        errors.push(FieldError::new("status_id", problem));
    }
    if let Some(referrer) = input.referrer_id {
        if let Some(message) = referral_problem(conn, editing.map(|e| e.id), referrer)? {
            errors.push(FieldError::new("referrer_id", message));
        }
    }
    if missing("campaigns", input.campaign_id)? {
        errors.push(FieldError::new(
            "campaign_id",
            "選ばれたキャンペーンが見つかりません。",
        ));
    }
    Ok(())
}

/// A retired status may stay on the record it is on, never be newly chosen.
fn status_problem(
    id: Option<i64>,
    editing: Option<Editing>,
    statuses: &[Status],
) -> Option<String> {
    let id = id?;
    let current_status = editing.and_then(|e| e.status_id);
    match statuses.iter().find(|s| s.id == id) {
        Some(status) if status.retired && current_status != Some(id) => Some(format!(
            "「{}」は廃止されたステータスのため選べません。",
            status.name
        )),
        Some(_) => None,
        None => Some("選ばれたステータスが見つかりません。".into()),
    }
}

/// A referrer must exist and must not have been referred, directly or
/// through others, by the customer itself (A → B → A).
fn referral_problem(
    conn: &Connection,
    own_id: Option<i64>,
    referrer: i64,
) -> Result<Option<String>> {
    if Some(referrer) == own_id {
        return Ok(Some("自分自身を紹介者にはできません。".into()));
    }
    let chain: Vec<(i64, String)> = sql::rows(
        conn,
        &format!(
            "WITH RECURSIVE up(id, depth) AS (
                 SELECT ?1, 0
                 UNION SELECT c.referrer_id, up.depth + 1
                 FROM customers c JOIN up ON c.id = up.id
                 WHERE c.referrer_id IS NOT NULL AND up.depth < 10000
             )
             SELECT c.id, {DISPLAY_NAME} FROM up JOIN customers c ON c.id = up.id
             ORDER BY up.depth"
        ),
        [referrer],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if chain.is_empty() {
        return Ok(Some("選ばれた紹介者が見つかりません。".into()));
    }
    if let Some(at) = chain.iter().position(|(id, _)| Some(*id) == own_id) {
        let names: Vec<&str> = chain[..at].iter().map(|(_, n)| n.as_str()).collect();
        return Ok(Some(format!(
            "紹介のつながりが輪になります（この顧客 → {} → この顧客）。紹介者を見直してください。",
            names.join(" → ")
        )));
    }
    Ok(None)
}

/// A number already written as normalization writes it (0466-12-3456) is
/// kept as it is; formatting it again would give the same text.
fn keep_or_normalize_phone(value: &str) -> Option<String> {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let formatted = value.starts_with('0')
        && value.chars().all(|c| c.is_ascii_digit() || c == '-')
        && value.matches('-').count() == 2
        && !value.contains("--")
        && !value.ends_with('-')
        && (digits == 10 || digits == 11);
    if formatted {
        Some(value.to_string())
    } else {
        normalize_phone(value)
    }
}

/// A YYYY-MM-DD date, if it is one.
pub(crate) fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// Empty stays empty; anything else must parse.
fn optional(value: &str, parse: fn(&str) -> Option<String>) -> Option<String> {
    if value.trim().is_empty() {
        Some(String::new())
    } else {
        parse(value)
    }
}

fn is_kana_char(c: char) -> bool {
    matches!(c, 'ァ'..='ヺ' | 'ー' | '・' | 'ヽ' | 'ヾ' | ' ')
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.chars().all(|c| c.is_ascii_graphic())
}

/// A date must be YYYY-MM-DD, real, and not in the future.
pub(crate) fn date_problem(value: &str, label: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(date) if date > chrono::Local::now().date_naive() => {
            Some(format!("{label}が未来の日付になっています。"))
        }
        Ok(date) if date.year() < 1900 => Some(format!("{label}の年が古すぎます。")),
        Ok(_) => None,
        Err(_) => Some(format!(
            "{label}は正しい日付で入力してください（例: 1980-04-01）。"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        assert!(looks_like_email("taro@example.jp"));
        assert!(!looks_like_email("taro@example"));
        assert!(!looks_like_email("taro example@x.jp"));
        assert!(!looks_like_email("@x.jp"));
    }

    #[test]
    fn dates() {
        assert_eq!(date_problem("1980-04-01", "生年月日"), None);
        assert!(date_problem("1980-02-30", "生年月日").is_some());
        assert!(date_problem("2999-01-01", "生年月日").is_some());
        assert!(date_problem("1980/4/1", "生年月日").is_some());
    }
}
