//! The customer record: its fields, the customers table, validation,
//! households, the change log, and what acts on whole records (duplicates,
//! merge, erasure, disclosure).

pub mod changelog;
pub mod columns;
pub mod customers;
pub mod disclose;
pub mod duplicates;
pub mod erase;
pub mod fields;
pub mod household;
pub mod merge;
pub(crate) mod validate;
