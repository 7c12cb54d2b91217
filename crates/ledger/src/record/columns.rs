//! The customer record's columns, declared once. `customer_columns!` in
//! `customers.rs` lists each field with its kind, its Japanese name and its
//! import rule; from that one list come the `CustomerFields` struct, the
//! column list of every statement, the parameters, the change-log texts, a
//! by-name `from_row`, the import's merge rule and which refused values an
//! import keeps in the notes. The UI gets the same list from the bindings
//! (`CUSTOMER_COLUMNS`). Adding a field is one line there and a migration.

use rusqlite::types::{FromSqlResult, ToSqlOutput, ValueRef};
use serde::Serialize;

/// What a column holds, as forms and files show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    /// YYYY-MM-DD, or none.
    Date,
    /// One of a closed vocabulary (`fields.rs`), stored as its code.
    Code,
    /// Yes or no, stored as 1 or 0.
    Flag,
    /// Another row's id (staff, status, customer, campaign).
    Id,
    Number,
}

/// How an import fills a column of a customer already in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportRule {
    /// Filled when empty; a different value is a conflict the user decides.
    Fill,
    /// Half of a name pair, filled with its partner (`import::take_split`).
    NamePair,
    /// A conflict whenever the values differ, even when one is empty.
    Replace,
    /// Yes from either side wins (a DM opt-out, a death, a move).
    Either,
    /// The incoming text is added below the existing one.
    Append,
    /// An import never sets it.
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct CustomerColumn {
    pub name: &'static str,
    pub kind: ColumnKind,
    /// As the form, the history and a disclosure name it.
    pub label: &'static str,
    pub import: ImportRule,
    /// A value the ledger refuses on import is kept in the notes.
    pub kept_in_notes: bool,
}

/// A closed vocabulary stored as its code (`fields::coded_enum!`).
pub trait Code: Sized + Copy + PartialEq {
    fn as_str(self) -> &'static str;
    fn parse(code: &str) -> Option<Self>;
}

/// A Rust value stored in one column: how it is written, read and shown.
pub trait ColumnValue: Sized + Clone + PartialEq {
    fn to_sql(&self) -> ToSqlOutput<'_>;
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self>;
    /// As the change log stores it; `None` for no value.
    fn text(&self) -> Option<String>;
    fn is_empty(&self) -> bool {
        self.text().is_none_or(|t| t.is_empty())
    }
    /// Takes the value out as text, leaving the column empty.
    fn take_text(&mut self) -> String;
    /// `below` added under this value (a text's lines); others keep theirs.
    fn joined(&self, below: &Self) -> Self {
        let _ = below;
        self.clone()
    }
}

fn text_of(value: ValueRef<'_>) -> FromSqlResult<String> {
    value.as_str().map(str::to_string)
}

impl ColumnValue for String {
    fn to_sql(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::from(self.as_str())
    }
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self> {
        text_of(value)
    }
    fn text(&self) -> Option<String> {
        Some(self.clone())
    }
    fn take_text(&mut self) -> String {
        std::mem::take(self)
    }
    fn joined(&self, below: &Self) -> Self {
        format!("{self}\n{below}")
    }
}

impl ColumnValue for Option<String> {
    fn to_sql(&self) -> ToSqlOutput<'_> {
        self.as_deref()
            .map_or(ToSqlOutput::from(rusqlite::types::Null), ToSqlOutput::from)
    }
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            other => text_of(other).map(Some),
        }
    }
    fn text(&self) -> Option<String> {
        self.clone()
    }
    fn take_text(&mut self) -> String {
        self.take().unwrap_or_default()
    }
}

impl ColumnValue for Option<i64> {
    fn to_sql(&self) -> ToSqlOutput<'_> {
        self.map_or(ToSqlOutput::from(rusqlite::types::Null), ToSqlOutput::from)
    }
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            other => other.as_i64().map(Some),
        }
    }
    fn text(&self) -> Option<String> {
        self.map(|v| v.to_string())
    }
    fn take_text(&mut self) -> String {
        self.take().map(|v| v.to_string()).unwrap_or_default()
    }
}

impl ColumnValue for bool {
    fn to_sql(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::from(*self)
    }
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_i64().map(|v| v != 0)
    }
    fn text(&self) -> Option<String> {
        Some(if *self { "1" } else { "0" }.into())
    }
    fn is_empty(&self) -> bool {
        !*self
    }
    fn take_text(&mut self) -> String {
        let text = self.text().unwrap_or_default();
        *self = false;
        text
    }
}

/// An optional code: an unknown code (written by a later version) reads as
/// none rather than failing the whole record.
impl<C: Code> ColumnValue for Option<C> {
    fn to_sql(&self) -> ToSqlOutput<'_> {
        self.map_or(ToSqlOutput::from(rusqlite::types::Null), |c| {
            ToSqlOutput::from(c.as_str())
        })
    }
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            other => Ok(C::parse(other.as_str()?)),
        }
    }
    fn text(&self) -> Option<String> {
        self.map(|c| c.as_str().to_string())
    }
    fn take_text(&mut self) -> String {
        self.take()
            .map(|c| c.as_str().to_string())
            .unwrap_or_default()
    }
}

/// Visits each column of two records side by side (an existing record and
/// an incoming one); `customer_columns!` generates the walk.
pub trait ColumnVisitor {
    fn visit<T: ColumnValue>(&mut self, column: &CustomerColumn, mine: &mut T, theirs: &T);
}

/// Declares `CustomerFields` and everything derived from its column list.
/// A field's type is a name or `Option<Name>` (spelled out as identifiers,
/// which the `specta` derive can read where a `ty` fragment is opaque).
macro_rules! customer_columns {
    ($(
        $(#[$doc:meta])*
        $field:ident: $outer:ident $(<$inner:ident>)? =
            $kind:ident, $label:literal, $import:ident $(, $kept:ident)?;
    )*) => {
        /// Everything the office edits on a customer: the form's state.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[derive(serde::Serialize, serde::Deserialize, specta::Type)]
        pub struct CustomerFields {
            $( $(#[$doc])* pub $field: $outer $(<$inner>)?, )*
        }

        /// The columns in declaration order: the order of every statement.
        pub const CUSTOMER_COLUMNS: &[$crate::record::columns::CustomerColumn] = &[$(
            $crate::record::columns::CustomerColumn {
                name: stringify!($field),
                kind: $crate::record::columns::ColumnKind::$kind,
                label: $label,
                import: $crate::record::columns::ImportRule::$import,
                kept_in_notes: customer_columns!(@kept $($kept)?),
            },
        )*];

        impl CustomerFields {
            /// Each column's value as the change log stores it.
            pub(crate) fn texts(&self) -> Vec<Option<String>> {
                use $crate::record::columns::ColumnValue;
                vec![$( self.$field.text(), )*]
            }

            /// Each column's value as a statement parameter.
            pub(crate) fn sql_values(&self) -> Vec<rusqlite::types::ToSqlOutput<'_>> {
                use $crate::record::columns::ColumnValue;
                vec![$( self.$field.to_sql(), )*]
            }

            /// Reads the columns by name from a row that selected them.
            pub(crate) fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
                use $crate::record::columns::ColumnValue;
                let read = |name: &str| -> rusqlite::Result<rusqlite::types::ValueRef<'_>> {
                    row.get_ref(name)
                };
                let failed = |e: rusqlite::types::FromSqlError| {
                    rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                };
                Ok(Self {$(
                    $field: <$outer $(<$inner>)? as ColumnValue>::read(read(stringify!($field))?)
                        .map_err(failed)?,
                )*})
            }

            /// Takes the named column's value out as text (empty when unknown).
            pub(crate) fn take_text(&mut self, name: &str) -> String {
                use $crate::record::columns::ColumnValue;
                match name {
                    $( stringify!($field) => self.$field.take_text(), )*
                    _ => String::new(),
                }
            }

            /// Walks the columns of `self` beside those of `other`.
            pub(crate) fn visit_beside(
                &mut self,
                other: &Self,
                visitor: &mut impl $crate::record::columns::ColumnVisitor,
            ) {
                let mut columns = CUSTOMER_COLUMNS.iter();
                $(
                    let column = columns.next().expect("one column per field");
                    visitor.visit(column, &mut self.$field, &other.$field);
                )*
            }
        }
    };
    (@kept kept_in_notes) => { true };
    (@kept) => { false };
}

pub(crate) use customer_columns;

/// The column named `name`.
pub fn column(name: &str) -> Option<&'static CustomerColumn> {
    crate::record::customers::CUSTOMER_COLUMNS
        .iter()
        .find(|c| c.name == name)
}
