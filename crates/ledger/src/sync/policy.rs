//! The office's conflict policies, field by field: what the hub puts in
//! effect when two PCs changed the same field of the same row from the
//! same starting value. Declared here once; the hub applies them
//! (`hub::settle`).

/// What the hub does with a field both sides changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// Follows from the rest of the row (the time of the last change, the
    /// search key): recomputed, never a conflict.
    Derived,
    /// A DM stop, deceased or moved flag: once set on any PC, sync never
    /// undoes it (a stop request must stick, APPI); a one-line notice.
    Sticky,
    /// Free text: both texts are kept.
    Notes,
    /// The later arrival at the hub is put in effect and a conflict card
    /// shows both values for a person to decide.
    Arrival,
}

pub(crate) fn of(table: &str, column: &str) -> Policy {
    match (table, column) {
        (_, "updated_at") | ("customers", "search_key") => Policy::Derived,
        ("customers", "dm_opt_out" | "deceased" | "moved") => Policy::Sticky,
        ("customers", "notes" | "confidential_notes") | ("contacts", "note") => Policy::Notes,
        _ => Policy::Arrival,
    }
}

/// Both texts of a note, each kept whole: what each side added to the
/// common start follows it, or, when both rewrote it, one after the other.
pub(crate) fn both_texts(base: &str, a: &str, b: &str) -> String {
    let join = |first: &str, second: &str| {
        if first.is_empty() || second.is_empty() || first.ends_with('\n') {
            format!("{first}{second}")
        } else {
            format!("{first}\n{second}")
        }
    };
    match (a.strip_prefix(base), b.strip_prefix(base)) {
        (Some(added_a), Some(added_b)) => {
            let added_b = added_b.strip_prefix('\n').unwrap_or(added_b);
            join(&format!("{base}{added_a}"), added_b)
        }
        _ => join(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_additions_to_one_note_keep_the_start_once() {
        assert_eq!(
            both_texts(
                "見学会に来場",
                "見学会に来場\n土地あり",
                "見学会に来場\n予算3000万"
            ),
            "見学会に来場\n土地あり\n予算3000万"
        );
    }

    #[test]
    fn two_rewrites_keep_both_whole() {
        assert_eq!(both_texts("古い", "Aの文", "Bの文"), "Aの文\nBの文");
        assert_eq!(both_texts("", "A", "B"), "A\nB");
    }

    #[test]
    fn the_policies_name_the_sticky_flags() {
        assert_eq!(of("customers", "dm_opt_out"), Policy::Sticky);
        assert_eq!(of("customers", "phone"), Policy::Arrival);
        assert_eq!(of("projects", "updated_at"), Policy::Derived);
    }
}
