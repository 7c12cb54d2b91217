//! What acts on a whole customer across every table: finding duplicates,
//! merging two records, erasing one (APPI Art. 35) and disclosing one
//! (Art. 33). These read and write follow-ups and import batches too, so
//! they sit above them.

pub mod disclose;
pub mod duplicates;
pub mod erase;
pub mod merge;
