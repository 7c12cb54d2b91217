//! Selection: the customer list's query, segments, DM candidates and the
//! completeness score they filter on.

pub mod completeness;
pub mod dm;
pub mod query;
pub mod segments;
