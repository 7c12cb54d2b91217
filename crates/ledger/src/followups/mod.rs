//! Follow-ups: contacts, next actions, projects and inspections, referrals,
//! campaigns.

pub mod campaigns;
pub mod contacts;
pub mod projects;
pub mod referrals;
pub mod requests;
pub mod tasks;
