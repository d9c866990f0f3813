//! The tripartite contract of SPEC §5: resettler, employer and the destination region's
//! akimat agree on fixed terms, each signs them, and the employer's housing costs are paid
//! once enough months of residence, work and contributions are confirmed.
//!
//! - [`terms`]: what is agreed, fixed at creation from the policy in force that day;
//! - [`encoding`]: the terms' canonical bytes and their SHA-256, the contract's fingerprint
//!   (format in `docs/contract-encoding.md`);
//! - [`signature`]: Ed25519 signatures of a party over the fingerprint;
//! - [`state`]: confirmed months, unconfirmed runs, fulfilment and breach.

pub mod api;
pub mod encoding;
pub mod signature;
pub mod state;
pub mod terms;

pub use encoding::{fingerprint, hex};
pub use signature::{sign, unsigned_parties, verify, Party, PartySignature, SignatureError};
pub use state::{state, ContractState, ContractStatus, MonthConfirmation};
pub use terms::{ContractTerms, TermsDraft, TermsProblem};
