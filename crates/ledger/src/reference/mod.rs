//! Reference lists the office sets up: statuses and their presets, labels,
//! staff, and settings.

pub mod export_log;
pub mod labels;
pub mod presets;
pub mod settings;
pub mod sign_in;
pub mod staff;
pub mod statuses;
