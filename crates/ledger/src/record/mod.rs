//! The customer record: its fields, the customers table, validation,
//! households, the change log.

pub mod changelog;
pub mod columns;
pub mod completeness;
pub(crate) mod customer_labels;
pub mod customers;
pub(crate) mod erasures;
pub mod fields;
pub mod household;
pub(crate) mod rules;
pub(crate) mod search;
pub mod sensitive;
pub(crate) mod validate;
