//! Reference lists the office sets up: statuses and their presets, labels,
//! staff, and settings.

pub mod labels;
pub mod presets;
pub mod settings;
pub mod staff;
pub mod statuses;
