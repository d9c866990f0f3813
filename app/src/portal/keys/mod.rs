//! Signing keys made in the browser and kept there sealed under a passphrase, and signing a
//! contract's terms with them.
//!
//! - [`vault`]: making, sealing, storing and opening the secret key;
//! - [`page`]: the account's key page, `/{lang}/my/key`;
//! - [`sign`]: the signing panel of a contract page.

pub mod page;
pub mod sign;
pub mod vault;

pub use page::KeyPage;
pub use sign::SignPanel;
