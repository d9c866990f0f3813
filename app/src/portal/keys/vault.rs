//! The browser's safe for a party's Ed25519 secret key: made from `crypto.getRandomValues`,
//! kept in `localStorage` only sealed with AES-256-GCM under a key derived from the
//! person's passphrase (PBKDF2-HMAC-SHA256, 600 000 iterations), and opened only for the
//! moment of signing. The secret never goes to the server or into logs; the server only
//! learns the public key.
//!
//! The record is JSON under `qonys.signing-key.<account id>`:
//! `{"v":1,"kdf":"PBKDF2-SHA256","iterations":600000,"salt":…,"iv":…,"sealed":…,"public_key":…}`
//! with every byte string in lowercase hex.

use crate::i18n::{t, KeysKey};
use serde::{Deserialize, Serialize};
use shared::{
    contract::{encoding::parse_hex, hex, signature::check_public_key},
    Lang,
};

/// PBKDF2 rounds for new records: slows a guess at the passphrase down to a fraction of a
/// second each on a phone, and as much on an attacker's machine.
pub const ITERATIONS: u32 = 600_000;
/// The shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

const VERSION: u32 = 1;
const KDF: &str = "PBKDF2-SHA256";
const SALT_LEN: usize = 16;
const IV_LEN: usize = 12;
/// The sealed secret: 32 bytes and the 16-byte GCM tag.
const SEALED_LEN: usize = 32 + 16;

/// The localStorage key of an account's record.
pub fn storage_key(account_id: i64) -> String {
    format!("qonys.signing-key.{account_id}")
}

/// Why a new passphrase is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassphraseProblem {
    TooShort,
    Differs,
}

/// Whether `first` (typed twice, the second time as `again`) may seal a new key.
pub fn check_new_passphrase(first: &str, again: &str) -> Result<(), PassphraseProblem> {
    if first.chars().count() < MIN_PASSPHRASE_CHARS {
        Err(PassphraseProblem::TooShort)
    } else if first != again {
        Err(PassphraseProblem::Differs)
    } else {
        Ok(())
    }
}

/// Why the safe could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultError {
    /// No Web Crypto or no localStorage (an old browser, a page not served over HTTPS,
    /// storage switched off).
    Unavailable,
    /// The passphrase does not open the record (the AES-GCM tag does not verify).
    WrongPassphrase,
    /// The record opened but does not hold the secret of its public key.
    Damaged,
}

impl VaultError {
    pub fn message(self, lang: Lang) -> &'static str {
        t(
            lang,
            match self {
                VaultError::Unavailable => KeysKey::ErrUnavailable,
                VaultError::WrongPassphrase => KeysKey::ErrWrongPassphrase,
                VaultError::Damaged => KeysKey::ErrDamaged,
            },
        )
    }
}

/// A secret key in memory, zeroed when dropped.
pub struct Secret([u8; 32]);

impl Secret {
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0 = [0; 32];
        // Keeps the optimiser from dropping the write to memory about to be freed.
        std::hint::black_box(&self.0);
    }
}

/// A sealed key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedKey {
    pub iterations: u32,
    pub salt: [u8; SALT_LEN],
    pub iv: [u8; IV_LEN],
    pub sealed: Vec<u8>,
    pub public_key: [u8; 32],
}

/// The stored JSON.
#[derive(Serialize, Deserialize)]
struct Record {
    v: u32,
    kdf: String,
    iterations: u32,
    salt: String,
    iv: String,
    sealed: String,
    public_key: String,
}

impl SealedKey {
    pub fn to_json(&self) -> String {
        let record = Record {
            v: VERSION,
            kdf: KDF.into(),
            iterations: self.iterations,
            salt: hex(&self.salt),
            iv: hex(&self.iv),
            sealed: hex(&self.sealed),
            public_key: hex(&self.public_key),
        };
        serde_json::to_string(&record).unwrap_or_default()
    }

    /// A stored record, or `None` if it is not one this version can open.
    pub fn from_json(text: &str) -> Option<SealedKey> {
        let record: Record = serde_json::from_str(text).ok()?;
        if record.v != VERSION || record.kdf != KDF || record.iterations == 0 {
            return None;
        }
        let sealed = parse_hex(&record.sealed).filter(|s| s.len() == SEALED_LEN)?;
        let public_key: [u8; 32] = parse_hex(&record.public_key)?.try_into().ok()?;
        check_public_key(&public_key).ok()?;
        Some(SealedKey {
            iterations: record.iterations,
            salt: parse_hex(&record.salt)?.try_into().ok()?,
            iv: parse_hex(&record.iv)?.try_into().ok()?,
            sealed,
            public_key,
        })
    }

    /// The public key as the API writes it.
    pub fn public_key_hex(&self) -> String {
        hex(&self.public_key)
    }
}

pub use imp::{create, remove, stored, unseal};

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use js_sys::{Array, Object, Uint8Array};
    use shared::contract::signature::public_key;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        AesDerivedKeyParams, AesGcmParams, Crypto, CryptoKey, Pbkdf2Params, Storage, SubtleCrypto,
    };

    fn crypto() -> Result<Crypto, VaultError> {
        web_sys::window()
            .and_then(|w| w.crypto().ok())
            .ok_or(VaultError::Unavailable)
    }

    /// Web Crypto's `subtle`, which browsers give only to secure (HTTPS) pages.
    fn subtle() -> Result<SubtleCrypto, VaultError> {
        let subtle = crypto()?.subtle();
        if JsValue::from(&subtle).is_undefined() {
            return Err(VaultError::Unavailable);
        }
        Ok(subtle)
    }

    fn local() -> Result<Storage, VaultError> {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .ok_or(VaultError::Unavailable)
    }

    fn random<const N: usize>() -> Result<[u8; N], VaultError> {
        let mut bytes = [0u8; N];
        crypto()?
            .get_random_values_with_u8_array(&mut bytes)
            .map_err(|_| VaultError::Unavailable)?;
        Ok(bytes)
    }

    async fn resolve(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
        JsFuture::from(promise?).await
    }

    /// The AES-256-GCM key the passphrase and salt derive.
    async fn derive(
        subtle: &SubtleCrypto,
        passphrase: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<CryptoKey, VaultError> {
        let unavailable = |_| VaultError::Unavailable;
        let text = Uint8Array::from(passphrase.as_bytes());
        let usages = Array::of1(&"deriveKey".into());
        let base =
            resolve(subtle.import_key_with_str("raw", &text, "PBKDF2", false, &usages)).await;
        // The passphrase's copy in the JS heap is not needed any more.
        text.fill(0, 0, text.length());
        let base: CryptoKey = base.map_err(unavailable)?.unchecked_into();
        let params =
            Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
        let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
        let key = resolve(subtle.derive_key_with_object_and_object(
            &params,
            &base,
            &AesDerivedKeyParams::new("AES-GCM", 256),
            false,
            &usages,
        ))
        .await
        .map_err(unavailable)?;
        Ok(key.unchecked_into())
    }

    fn gcm(iv: &[u8]) -> Object {
        AesGcmParams::new("AES-GCM", &Uint8Array::from(iv)).into()
    }

    /// Makes a key pair, seals its secret under `passphrase` and stores it for the account
    /// (replacing any record there).
    pub async fn create(account_id: i64, passphrase: &str) -> Result<SealedKey, VaultError> {
        let subtle = subtle()?;
        let local = local()?;
        let secret = Secret(random::<32>()?);
        let salt = random::<SALT_LEN>()?;
        let iv = random::<IV_LEN>()?;
        let key = derive(&subtle, passphrase, &salt, ITERATIONS).await?;
        let sealed =
            resolve(subtle.encrypt_with_object_and_u8_array(&gcm(&iv), &key, secret.bytes()))
                .await
                .map_err(|_| VaultError::Unavailable)?;
        let record = SealedKey {
            iterations: ITERATIONS,
            salt,
            iv,
            sealed: Uint8Array::new(&sealed).to_vec(),
            public_key: public_key(secret.bytes()),
        };
        local
            .set_item(&storage_key(account_id), &record.to_json())
            .map_err(|_| VaultError::Unavailable)?;
        Ok(record)
    }

    /// Opens `record` with `passphrase`, for one signature.
    pub async fn unseal(record: &SealedKey, passphrase: &str) -> Result<Secret, VaultError> {
        let subtle = subtle()?;
        let key = derive(&subtle, passphrase, &record.salt, record.iterations).await?;
        // A wrong passphrase derives another key, whose tag check fails.
        let opened = resolve(subtle.decrypt_with_object_and_u8_array(
            &gcm(&record.iv),
            &key,
            &record.sealed,
        ))
        .await
        .map_err(|_| VaultError::WrongPassphrase)?;
        let opened = Uint8Array::new(&opened);
        let mut bytes = [0u8; 32];
        let fits = opened.length() == 32;
        if fits {
            opened.copy_to(&mut bytes);
        }
        opened.fill(0, 0, opened.length());
        let secret = Secret(bytes);
        if !fits || public_key(secret.bytes()) != record.public_key {
            return Err(VaultError::Damaged);
        }
        Ok(secret)
    }

    /// The account's record in this browser, if there is a readable one.
    pub fn stored(account_id: i64) -> Option<SealedKey> {
        let text = local().ok()?.get_item(&storage_key(account_id)).ok()??;
        SealedKey::from_json(&text)
    }

    pub fn remove(account_id: i64) {
        if let Ok(local) = local() {
            let _ = local.remove_item(&storage_key(account_id));
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    //! Natively (tests, pre-rendering) there is no Web Crypto and nothing is stored.
    use super::*;

    pub async fn create(_account_id: i64, _passphrase: &str) -> Result<SealedKey, VaultError> {
        Err(VaultError::Unavailable)
    }

    pub async fn unseal(_record: &SealedKey, _passphrase: &str) -> Result<Secret, VaultError> {
        Err(VaultError::Unavailable)
    }

    pub fn stored(_account_id: i64) -> Option<SealedKey> {
        None
    }

    pub fn remove(_account_id: i64) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::contract::signature::public_key;

    fn example() -> SealedKey {
        SealedKey {
            iterations: ITERATIONS,
            salt: [1; SALT_LEN],
            iv: [2; IV_LEN],
            sealed: vec![3; SEALED_LEN],
            public_key: public_key(&[7; 32]),
        }
    }

    #[test]
    fn records_round_trip_in_the_stored_shape() {
        let key = example();
        let json = key.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["v"], 1);
        assert_eq!(value["kdf"], "PBKDF2-SHA256");
        assert_eq!(value["iterations"], 600_000);
        assert_eq!(value["salt"], "01".repeat(SALT_LEN));
        assert_eq!(value["iv"], "02".repeat(IV_LEN));
        assert_eq!(value["public_key"], key.public_key_hex());
        assert_eq!(SealedKey::from_json(&json), Some(key));
        assert_eq!(storage_key(42), "qonys.signing-key.42");
    }

    #[test]
    fn unreadable_records_are_not_keys() {
        let good: serde_json::Value = serde_json::from_str(&example().to_json()).unwrap();
        let with = |field: &str, value: serde_json::Value| {
            let mut record = good.clone();
            record[field] = value;
            SealedKey::from_json(&record.to_string())
        };
        assert!(with("v", 2.into()).is_none());
        assert!(with("kdf", "scrypt".into()).is_none());
        assert!(with("iterations", 0.into()).is_none());
        assert!(with("salt", "0101".into()).is_none());
        assert!(with("iv", "zz".repeat(IV_LEN).into()).is_none());
        assert!(with("sealed", "03".repeat(32).into()).is_none());
        // The identity point is no usable public key.
        let identity = format!("01{}", "00".repeat(31));
        assert!(with("public_key", identity.into()).is_none());
        assert!(SealedKey::from_json("not json").is_none());
    }

    #[test]
    fn new_passphrases_are_long_and_typed_twice_alike() {
        assert_eq!(
            check_new_passphrase("short", "short"),
            Err(PassphraseProblem::TooShort)
        );
        // Characters, not bytes: nine Cyrillic letters are too few.
        assert_eq!(
            check_new_passphrase("қазақстан", "қазақстан"),
            Err(PassphraseProblem::TooShort)
        );
        assert_eq!(
            check_new_passphrase("long enough words", "long enough word"),
            Err(PassphraseProblem::Differs)
        );
        assert_eq!(
            check_new_passphrase("жаңа үй, жаңа іс", "жаңа үй, жаңа іс"),
            Ok(())
        );
    }
}
