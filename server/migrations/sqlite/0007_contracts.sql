-- Tripartite contracts with their terms, signing keys and signatures (SPEC §5;
-- server/src/contracts.rs, server/src/signing_keys.rs, server/src/settlement.rs).

-- The contract's terms as fixed at creation or last amended (JSON of
-- shared::contract::ContractTerms) and the SHA-256 of their canonical encoding. `status`
-- is `signing` until all three valid signatures are present, then the state of the
-- contract rules (`active`, `fulfilled`, `breached`) as last settled. A contract is made
-- from one approved application. Contracts from before this migration have no terms.
ALTER TABLE contracts ADD COLUMN application_id BIGINT REFERENCES applications (id);
ALTER TABLE contracts ADD COLUMN resettler_id BIGINT REFERENCES users (id);
ALTER TABLE contracts ADD COLUMN employer_id BIGINT REFERENCES users (id);
ALTER TABLE contracts ADD COLUMN region TEXT;
ALTER TABLE contracts ADD COLUMN terms TEXT;
ALTER TABLE contracts ADD COLUMN fingerprint TEXT;
ALTER TABLE contracts ADD COLUMN created_by BIGINT REFERENCES users (id);
-- The ledger transfer that paid the employer, once posted (its id is derived from the
-- contract's, so a second attempt replays it instead of paying twice).
ALTER TABLE contracts ADD COLUMN payout_transfer TEXT;
CREATE UNIQUE INDEX contracts_application ON contracts (application_id);
CREATE INDEX contracts_region ON contracts (region, status);
CREATE INDEX contracts_resettler ON contracts (resettler_id);
CREATE INDEX contracts_employer ON contracts (employer_id);

-- Public halves of Ed25519 key pairs made in the parties' browsers (64 hex digits). An
-- account has at most one live key; a revoked key stays for the signatures it made.
CREATE TABLE signing_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES users (id),
    public_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX signing_keys_live ON signing_keys (account_id) WHERE revoked_at IS NULL;

-- Signatures over a contract's terms. A signature names the fingerprint it signed; one that
-- no longer counts (the terms changed, its key was revoked before the contract was active)
-- is kept with `voided_at` set, so a party has at most one signature in force.
CREATE TABLE contract_signatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    party TEXT NOT NULL,
    signer_id BIGINT NOT NULL REFERENCES users (id),
    key_id BIGINT NOT NULL REFERENCES signing_keys (id),
    fingerprint TEXT NOT NULL,
    signature TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    voided_at TEXT
);
CREATE UNIQUE INDEX contract_signatures_live
    ON contract_signatures (contract_id, party) WHERE voided_at IS NULL;
