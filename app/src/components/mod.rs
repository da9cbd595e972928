//! Building blocks shared by the pages.

pub mod cards;
pub mod layout;
pub mod menu;
