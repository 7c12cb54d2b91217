//! The customer record: its fields, the customers table, validation,
//! households, the change log.

pub mod changelog;
pub mod columns;
pub(crate) mod customer_labels;
pub mod customers;
pub mod fields;
pub mod household;
pub(crate) mod validate;
