//! The rules of the Qonys resettlement program, shared by the browser app and the server.
//!
//! Pure: no I/O, no clocks, no async. Every function takes the date it decides for, so the
//! browser and the server give the same answer for the same inputs.

pub mod account;
pub mod api;
pub mod application;
pub mod budget;
pub mod contract;
pub mod date;
pub mod eligibility;
pub mod geo;
pub mod iin;
pub mod lang;
pub mod ledger;
pub mod money;
pub mod policy;
pub mod quota;
pub mod region;
pub mod vacancy;
pub mod voucher;
pub mod wallet;

pub use lang::{Lang, Localized};
pub use money::Tenge;
pub use policy::{Policy, PolicyError};
pub use region::Region;
