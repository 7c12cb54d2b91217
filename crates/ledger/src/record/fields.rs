//! The closed vocabularies of a customer record, stored as short codes.

use rusqlite::types::{FromSqlResult, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use crate::record::columns::ColumnValue;

/// A serde enum that is stored in SQLite as its snake_case code. Attributes
/// on the enum and its variants pass through, so an enum with a natural
/// default says `#[derive(Default)]` and marks the variant `#[default]`.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$variant_meta:meta])* $variant:ident => $code:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
        pub enum $name { $($(#[$variant_meta])* #[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == code)
            }
        }

        impl $crate::record::columns::Code for $name {
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(code: &str) -> Option<Self> {
                $name::parse(code)
            }
        }
    };
}

coded_enum!(
    /// 様 for a person, 御中 for a company; never both.
    #[derive(Default)]
    Honorific { #[default] Sama => "様", Onchu => "御中" }
);

/// Always set: an unknown code (from a later version) reads as 様.
impl ColumnValue for Honorific {
    fn to_sql(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::from(self.as_str())
    }
    fn read(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Self::parse(value.as_str()?).unwrap_or_default())
    }
    fn text(&self) -> Option<String> {
        Some(self.as_str().to_string())
    }
    fn take_text(&mut self) -> String {
        std::mem::take(self).as_str().to_string()
    }
}

coded_enum!(Gender { Male => "male", Female => "female", Other => "other" });
coded_enum!(
    /// 見込み度: how hot a prospect is.
    Grade { A => "A", B => "B", C => "C", D => "D" }
);
coded_enum!(
    /// 建築時期: when the customer plans to build.
    BuildTiming {
        Now => "now",
        WithinYear => "within_year",
        TwoThreeYears => "two_three_years",
        Undecided => "undecided",
    }
);
coded_enum!(
    /// 土地: whether the customer has land to build on.
    Land { Owned => "owned", NoLand => "none", Searching => "searching" }
);
coded_enum!(
    /// 案件の種類.
    ProjectKind { NewBuild => "new_build", Renovation => "renovation", Other => "other" }
);

/// For the other closed vocabularies stored as codes (after-care requests).
pub(crate) use coded_enum;
