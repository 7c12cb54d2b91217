//! What only the roles the office chooses see (Settings → 権限とサインイン):
//! birthdays, family members and 社外秘 notes. Declared here once; a read
//! for anyone else comes back with them blank (and says so), a write by
//! them keeps the stored values, and no DM column reads them.

use crate::record::changelog::HistoryEntry;
use crate::record::customers::{Customer, CustomerFields};

/// The change-log names of the sensitive fields; "members" is the family.
pub const SENSITIVE_FIELDS: [&str; 3] = ["birthday", "confidential_notes", "members"];

/// What a read shows in place of a hidden value in the history.
const HIDDEN: &str = "（非表示）";

/// The customer as a role without the right sees them.
pub(crate) fn mask(customer: &mut Customer) {
    customer.fields.birthday = None;
    customer.fields.confidential_notes.clear();
    customer.members.clear();
    customer.sensitive_hidden = true;
}

/// An edit by such a role: what they could not see stays as stored.
pub(crate) fn keep_stored(input: &CustomerFields, stored: &CustomerFields) -> CustomerFields {
    CustomerFields {
        birthday: stored.birthday.clone(),
        confidential_notes: stored.confidential_notes.clone(),
        ..input.clone()
    }
}

pub(crate) fn mask_history(entries: &mut [HistoryEntry]) {
    for entry in entries
        .iter_mut()
        .filter(|e| SENSITIVE_FIELDS.contains(&e.field.as_str()))
    {
        for value in [&mut entry.old_value, &mut entry.new_value] {
            if value.is_some() {
                *value = Some(HIDDEN.to_string());
            }
        }
    }
}
