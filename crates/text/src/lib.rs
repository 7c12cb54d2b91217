//! Japanese text rules for the ledger: width folding, kana, search keys,
//! postal codes, phone numbers and address splitting.
//!
//! Everything here is pure and has no I/O, so the ledger, the importers and
//! the CLI share one definition of "the same text".

pub mod address;
pub mod cell;
pub mod date;
pub mod kana;
pub mod municipality;
pub mod name;
pub mod numeral;
pub mod phone;
pub mod postal;
pub mod street;
pub mod variants;

pub use address::{
    address_key, read_address, split_address, Address, AddressParts, AddressProblem,
};
pub use cell::{defuse, unwrap};
pub use date::{from_excel_serial, parse_date, read_date, DateError};
pub use kana::{collapse_spaces, fold_width, normalize_kana, search_key, to_katakana};
pub use name::{split_person, PersonName};
pub use phone::{is_mobile, normalize_phone, phone_digits, split_phones};
pub use postal::{lookup_postal, normalize_postal, postal_exists, PostalPlace};
