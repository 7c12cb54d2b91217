//! Selection: the customer list's query, segments, DM candidates and the
//! completeness score they filter on, all compiled by `predicates`.

pub mod dm;
pub(crate) mod predicates;
pub mod query;
pub mod segments;
