//! Export templates and check settings as the ledger keeps them.

use daicho_ledger::dm::StoredTemplate;
use daicho_ledger::{Ledger, LedgerError};
use serde::{Deserialize, Serialize};

use crate::checks::CheckOptions;
use crate::list::Column;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Template {
    pub name: String,
    pub columns: Vec<Column>,
}

pub fn templates(ledger: &Ledger) -> Result<Vec<Template>, LedgerError> {
    Ok(ledger
        .export_templates()?
        .into_iter()
        .filter_map(|t| {
            Some(Template {
                columns: serde_json::from_str(&t.columns).ok()?,
                name: t.name,
            })
        })
        .collect())
}

pub fn template_named(ledger: &Ledger, name: &str) -> Result<Option<Template>, LedgerError> {
    Ok(templates(ledger)?.into_iter().find(|t| t.name == name))
}

pub fn save_template(ledger: &mut Ledger, template: &Template) -> Result<(), LedgerError> {
    if template.columns.is_empty() {
        return Err(LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
            "columns",
            "書き出す列を1つ以上選んでください。",
        )]));
    }
    let columns = serde_json::to_string(&template.columns).expect("columns serialize");
    ledger.save_export_template(&StoredTemplate {
        name: template.name.clone(),
        columns,
    })
}

/// The office's check settings, or the defaults.
pub fn check_options(ledger: &Ledger) -> Result<CheckOptions, LedgerError> {
    Ok(ledger
        .dm_checks()?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub fn save_check_options(ledger: &mut Ledger, options: &CheckOptions) -> Result<(), LedgerError> {
    ledger.save_dm_checks(&serde_json::to_string(options).expect("options serialize"))
}
