-- The state data feed (SPEC §8, §9; server/src/feed/, server/src/service_tokens.rs).

-- Service tokens of the systems that send the feed. Only the SHA-256 of a token is kept;
-- the token itself is printed once by `server token create`. Names are never reused, so an
-- audit entry's `service:<id>` always names one token. Times are RFC 3339 UTC.
CREATE TABLE service_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Tripartite contracts (SPEC §5), as far as the feed needs them: whose they are and from
-- which month they run. The contract issue extends this table with the terms, signatures
-- and parties' accounts. `status` is the contract's state as the contract rules name it.
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resettler_iin TEXT NOT NULL,
    employer_bin TEXT NOT NULL,
    -- The first contract month, YYYY-MM.
    start_month TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX contracts_parties ON contracts (resettler_iin, employer_bin);

-- One confirmation per contract month, as the feed last sent it: a month sent again
-- replaces its row. The four facts are 0/1; the month is confirmed only if all four hold.
CREATE TABLE confirmations (
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    month TEXT NOT NULL,
    resident INTEGER NOT NULL CHECK (resident IN (0, 1)),
    employed INTEGER NOT NULL CHECK (employed IN (0, 1)),
    social_paid INTEGER NOT NULL CHECK (social_paid IN (0, 1)),
    pension_paid INTEGER NOT NULL CHECK (pension_paid IN (0, 1)),
    received_at TEXT NOT NULL,
    PRIMARY KEY (contract_id, month)
);
