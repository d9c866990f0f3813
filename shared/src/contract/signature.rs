//! A party's Ed25519 signature of a contract, made in the browser and checked by the same
//! code in the browser and on the server.
//!
//! What is signed is not the bare fingerprint but a short text naming what the signature is
//! for (see `docs/contract-encoding.md`):
//!
//! ```text
//! qonys-contract-signature-v1
//! party=employer
//! terms=<the fingerprint, 64 lowercase hex digits>
//! ```
//!
//! so a signature counts for one party of one version of one contract's terms: it cannot
//! be presented as another party's signature, for other terms, or as a signature of
//! anything else a key might sign. Verification is strict (RFC 8032 with canonical
//! encodings and no small-order keys), so every valid signature has exactly one form.

use super::{
    encoding::{fingerprint, hex},
    terms::ContractTerms,
};
use crate::lang::{Lang, Localized};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bytes in a public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Bytes in a signature.
pub const SIGNATURE_LEN: usize = 64;

/// Who signs a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Resettler,
    Employer,
    /// The akimat of the contract's region, through one of its officers.
    Akimat,
}

impl Party {
    pub const ALL: [Party; 3] = [Party::Resettler, Party::Employer, Party::Akimat];

    pub fn id(self) -> &'static str {
        match self {
            Party::Resettler => "resettler",
            Party::Employer => "employer",
            Party::Akimat => "akimat",
        }
    }

    pub fn from_id(id: &str) -> Option<Party> {
        Party::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// Why a signature is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// Not 32 bytes, not a point of the curve, or a small-order point that would verify
    /// forged signatures.
    MalformedKey,
    /// Not 64 bytes.
    MalformedSignature,
    /// Well formed, but not this key's signature of this party's message for these terms.
    DoesNotVerify,
}

impl SignatureError {
    /// A stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            SignatureError::MalformedKey => "public_key_malformed",
            SignatureError::MalformedSignature => "signature_malformed",
            SignatureError::DoesNotVerify => "signature_invalid",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let (kk, ru, en) = match self {
            SignatureError::MalformedKey => (
                "Ашық кілт жарамсыз.",
                "Открытый ключ недействителен.",
                "The public key is not valid.",
            ),
            SignatureError::MalformedSignature => (
                "Қолтаңба пішімі дұрыс емес.",
                "Неверный формат подписи.",
                "The signature is not well formed.",
            ),
            SignatureError::DoesNotVerify => (
                "Қолтаңба осы кілтке және шарттың қазіргі талаптарына сәйкес келмейді.",
                "Подпись не соответствует этому ключу и текущим условиям договора.",
                "The signature does not match this key and the contract's current terms.",
            ),
        };
        Localized {
            kk: kk.into(),
            ru: ru.into(),
            en: en.into(),
        }
        .get(lang)
        .to_string()
    }
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for SignatureError {}

/// The bytes `party` signs for `terms`.
pub fn message(terms: &ContractTerms, party: Party) -> Vec<u8> {
    format!(
        "qonys-contract-signature-v1\nparty={}\nterms={}\n",
        party.id(),
        hex(&fingerprint(terms))
    )
    .into_bytes()
}

/// Whether `bytes` can be registered as an account's public key.
pub fn check_public_key(bytes: &[u8]) -> Result<(), SignatureError> {
    verifying_key(bytes).map(|_| ())
}

fn verifying_key(bytes: &[u8]) -> Result<VerifyingKey, SignatureError> {
    let bytes: &[u8; PUBLIC_KEY_LEN] =
        bytes.try_into().map_err(|_| SignatureError::MalformedKey)?;
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| SignatureError::MalformedKey)?;
    if key.is_weak() {
        return Err(SignatureError::MalformedKey);
    }
    Ok(key)
}

/// Whether `signature` is `party`'s signature of `terms` with `public_key`.
pub fn verify(
    terms: &ContractTerms,
    party: Party,
    public_key: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let key = verifying_key(public_key)?;
    let signature =
        Signature::from_slice(signature).map_err(|_| SignatureError::MalformedSignature)?;
    key.verify_strict(&message(terms, party), &signature)
        .map_err(|_| SignatureError::DoesNotVerify)
}

/// One party's signature as presented: the public key registered to the signer's account
/// and the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartySignature<'a> {
    pub party: Party,
    pub public_key: &'a [u8],
    pub signature: &'a [u8],
}

/// The parties without a valid signature of `terms` among `signatures`, in [`Party::ALL`]
/// order: the contract becomes active when none is left.
pub fn unsigned_parties(terms: &ContractTerms, signatures: &[PartySignature]) -> Vec<Party> {
    Party::ALL
        .into_iter()
        .filter(|&party| {
            !signatures.iter().any(|s| {
                s.party == party && verify(terms, party, s.public_key, s.signature).is_ok()
            })
        })
        .collect()
}

/// `party`'s signature of `terms` with the 32-byte Ed25519 secret key (seed).
pub fn sign(secret_key: &[u8; 32], terms: &ContractTerms, party: Party) -> [u8; SIGNATURE_LEN] {
    SigningKey::from_bytes(secret_key)
        .sign(&message(terms, party))
        .to_bytes()
}

/// The public key of a 32-byte secret key.
pub fn public_key(secret_key: &[u8; 32]) -> [u8; PUBLIC_KEY_LEN] {
    SigningKey::from_bytes(secret_key)
        .verifying_key()
        .to_bytes()
}

/// A short name of a public key to show beside a signature and compare by eye: the first
/// 16 hex digits of its SHA-256.
pub fn key_fingerprint(public_key: &[u8]) -> String {
    hex(&Sha256::digest(public_key)[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::encoding::tests::example;

    const SECRET: [u8; 32] = [7; 32];

    #[test]
    fn a_partys_signature_verifies_with_its_key() {
        let terms = example();
        for party in Party::ALL {
            let signature = sign(&SECRET, &terms, party);
            assert_eq!(
                verify(&terms, party, &public_key(&SECRET), &signature),
                Ok(())
            );
        }
    }

    /// RFC 8032 signatures are deterministic: a fixed key and terms give a fixed signature
    /// (these values were also computed with another Ed25519 implementation, Python's
    /// `cryptography`, from the message of `docs/contract-encoding.md`).
    #[test]
    fn signatures_are_deterministic() {
        let terms = example();
        assert_eq!(
            hex(&public_key(&SECRET)),
            "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c"
        );
        assert_eq!(
            hex(&sign(&SECRET, &terms, Party::Employer)),
            "89f60ff0028abc89c9cb9db9fb0334f904451032a408d2ad9075cf87177736d360de52ceb93fe59ea72476c5b9cc9909077d2e8ae9fbd68967737ecc20412807"
        );
    }

    #[test]
    fn the_message_names_the_party_and_the_fingerprint() {
        let terms = example();
        let text = String::from_utf8(message(&terms, Party::Akimat)).unwrap();
        assert_eq!(
            text,
            format!(
                "qonys-contract-signature-v1\nparty=akimat\nterms={}\n",
                hex(&fingerprint(&terms))
            )
        );
    }

    #[test]
    fn malformed_keys_and_signatures_are_told_apart() {
        let terms = example();
        let key = public_key(&SECRET);
        let signature = sign(&SECRET, &terms, Party::Resettler);
        let verify =
            |key: &[u8], signature: &[u8]| verify(&terms, Party::Resettler, key, signature);
        assert_eq!(
            verify(&key[..31], &signature),
            Err(SignatureError::MalformedKey)
        );
        // The identity point: small order, would accept forged signatures.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            verify(&identity, &signature),
            Err(SignatureError::MalformedKey)
        );
        assert_eq!(
            verify(&key, &signature[..63]),
            Err(SignatureError::MalformedSignature)
        );
        assert_eq!(verify(&key, &[0; 64]), Err(SignatureError::DoesNotVerify));
    }

    #[test]
    fn key_fingerprints_are_16_hex_digits() {
        let shown = key_fingerprint(&public_key(&SECRET));
        assert_eq!(shown.len(), 16);
        assert_ne!(shown, key_fingerprint(&public_key(&[8; 32])));
    }

    #[test]
    fn parties_round_trip_through_their_ids() {
        for party in Party::ALL {
            assert_eq!(Party::from_id(party.id()), Some(party));
            assert_eq!(
                serde_json::to_string(&party).unwrap(),
                format!("\"{}\"", party.id())
            );
        }
        assert_eq!(Party::from_id("officer"), None);
        for error in [
            SignatureError::MalformedKey,
            SignatureError::MalformedSignature,
            SignatureError::DoesNotVerify,
        ] {
            for lang in Lang::ALL {
                assert!(!error.message(lang).is_empty());
            }
        }
    }
}
