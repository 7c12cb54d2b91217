//! The office's own lists for after-care requests (categories, causes,
//! partners) and the request settings (warranty periods, the DM exclusion).

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::followups::requests::warranty::CategoryWarranty;
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::kv::{get, put};
use crate::store::ledger::Ledger;
use crate::store::sql;

/// Which editable list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RequestList {
    /// 分類: 雨漏り・水回り・建具 …
    Category,
    /// 原因: 施工・材料・設計 …
    Cause,
    /// 協力業者
    Partner,
}

impl RequestList {
    /// The table; one of the crate's own names, never text from outside.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Self::Category => "request_categories",
            Self::Cause => "request_causes",
            Self::Partner => "partners",
        }
    }

    /// The request's field that holds an entry of this list.
    pub fn field(self) -> &'static str {
        match self {
            Self::Category => "category_id",
            Self::Cause => "cause_id",
            Self::Partner => "partner_id",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Category => "分類",
            Self::Cause => "原因",
            Self::Partner => "協力業者",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ListEntry {
    pub id: i64,
    pub name: String,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ListEntryInput {
    pub id: Option<i64>,
    pub name: String,
    pub retired: bool,
}

pub(crate) fn entries(conn: &Connection, list: RequestList) -> Result<Vec<ListEntry>> {
    let sql = format!(
        "SELECT id, name, retired FROM {} ORDER BY position, id",
        list.table()
    );
    sql::rows(conn, &sql, [], |r| {
        Ok(ListEntry {
            id: r.get(0)?,
            name: r.get(1)?,
            retired: r.get(2)?,
        })
    })
}

/// The entry with this id, if it is in use (not retired).
pub(crate) fn active(conn: &Connection, list: RequestList, id: i64) -> Result<Option<ListEntry>> {
    Ok(entries(conn, list)?
        .into_iter()
        .find(|e| e.id == id && !e.retired))
}

/// The entry of that name or id (as the CLI is given), in use.
pub(crate) fn find(conn: &Connection, list: RequestList, name: &str) -> Result<Option<ListEntry>> {
    let name = daicho_text::collapse_spaces(name);
    Ok(entries(conn, list)?
        .into_iter()
        .find(|e| !e.retired && (e.name == name || e.id.to_string() == name)))
}

pub(crate) const REQUEST_SETTINGS: &str = "service_requests";

/// How the office handles after-care requests. Stored as one JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RequestSettings {
    /// The office's own warranty per category, in years from handover
    /// (the statutory 10 years for 雨漏り and 構造 apply regardless).
    pub warranty_years: Vec<CategoryWarranty>,
    /// Leave customers with an open request out of DM lists.
    pub exclude_open_from_dm: bool,
}

impl Default for RequestSettings {
    /// Two years for finishes and fittings, the usual 工務店 warranty.
    fn default() -> Self {
        Self {
            warranty_years: ["水回り", "建具", "設備", "外装", "内装"]
                .map(|category| CategoryWarranty {
                    category: category.to_string(),
                    years: 2,
                })
                .to_vec(),
            exclude_open_from_dm: true,
        }
    }
}

pub(crate) fn settings(conn: &Connection) -> Result<RequestSettings> {
    Ok(get(conn, REQUEST_SETTINGS)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

fn clean_settings(input: &RequestSettings) -> Result<RequestSettings> {
    let mut periods: Vec<CategoryWarranty> = Vec::new();
    for w in &input.warranty_years {
        let category = daicho_text::collapse_spaces(&w.category);
        if category.is_empty() || !(1..=100).contains(&w.years) {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "warranty_years",
                format!(
                    "保証期間（{}）は1年から100年の間で入力してください。",
                    w.category
                ),
            )]));
        }
        periods.retain(|p| p.category != category);
        periods.push(CategoryWarranty {
            category,
            years: w.years,
        });
    }
    Ok(RequestSettings {
        warranty_years: periods,
        exclude_open_from_dm: input.exclude_open_from_dm,
    })
}

/// A renamed category keeps the office's warranty period: the settings name
/// categories by name.
fn rename_warranty_in(tx: &Transaction, old: &str, new: &str) -> Result<()> {
    let mut current = settings(tx)?;
    if old == new || !current.warranty_years.iter().any(|w| w.category == old) {
        return Ok(());
    }
    current.warranty_years.retain(|w| w.category != new);
    for w in &mut current.warranty_years {
        if w.category == old {
            w.category = new.to_string();
        }
    }
    let json = serde_json::to_string(&current).expect("settings serialize");
    put(tx, REQUEST_SETTINGS, &json)
}

impl Ledger {
    pub fn request_list(&self, list: RequestList) -> Result<Vec<ListEntry>> {
        entries(&self.conn, list)
    }

    /// Adds, renames or retires an entry of one of the request lists.
    pub fn save_request_list_entry(
        &mut self,
        list: RequestList,
        input: &ListEntryInput,
    ) -> Result<Vec<ListEntry>> {
        let name = daicho_text::collapse_spaces(&input.name);
        if name.is_empty() {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "name",
                format!("{}の名前を入力してください。", list.label()),
            )]));
        }
        let table = list.table();
        self.write(Need::Settings, |tx| {
            sql::name_free(tx, table, list.label(), &name, input.id)?;
            match input.id {
                Some(id) => {
                    let before = entries(tx, list)?.into_iter().find(|e| e.id == id);
                    let sql = format!("UPDATE {table} SET name = ?2, retired = ?3 WHERE id = ?1");
                    let n = tx.execute(&sql, params![id, name, input.retired])?;
                    sql::found(n, list.label(), id)?;
                    if let (RequestList::Category, Some(before)) = (list, before) {
                        rename_warranty_in(tx, &before.name, &name)?;
                    }
                }
                None => {
                    let sql = format!(
                        "INSERT INTO {table} (id, name, retired, position)
                         VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM {table}))"
                    );
                    let id = ids::next_id(tx, table)?;
                    tx.execute(&sql, params![id, name, input.retired])?;
                }
            }
            entries(tx, list)
        })
    }

    /// The entry in use with this name (or id, as the CLI is given it); an
    /// error names the value and the choices otherwise.
    pub fn request_list_entry(&self, list: RequestList, name: &str) -> Result<ListEntry> {
        if let Some(found) = find(&self.conn, list, name)? {
            return Ok(found);
        }
        let names: Vec<String> = entries(&self.conn, list)?
            .into_iter()
            .filter(|e| !e.retired)
            .map(|e| e.name)
            .collect();
        Err(LedgerError::Invalid(vec![FieldError::new(
            list.field(),
            format!(
                "{}「{name}」は一覧にありません（{}）。",
                list.label(),
                names.join("・")
            ),
        )]))
    }

    pub fn request_settings(&self) -> Result<RequestSettings> {
        settings(&self.conn)
    }

    pub fn save_request_settings(&mut self, input: &RequestSettings) -> Result<RequestSettings> {
        let clean = clean_settings(input)?;
        let json = serde_json::to_string(&clean).expect("settings serialize");
        self.write(Need::Settings, |tx| {
            put(tx, REQUEST_SETTINGS, &json)?;
            settings(tx)
        })
    }
}
