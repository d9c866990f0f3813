//! One component per route.

pub mod check;
pub mod home;
pub mod not_found;
pub mod root;
