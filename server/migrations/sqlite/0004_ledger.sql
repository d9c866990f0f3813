-- The double-entry ledger of the digital voucher (server/src/ledger.rs): accounts with their
-- posted totals, and append-only transfers chained with SHA-256. Amounts are integer tiyn.

-- `key` names the account and its owner (`program`, `budget:pavlodar`, `voucher:12:2026-03`,
-- `payee:5`, `payout:7`); `kind` is its first part. `flags` bit 0: debits must not exceed
-- credits. The totals change only together with a transfer row, in the same transaction.
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL
        CHECK (kind IN ('program', 'region_budget', 'voucher', 'payee', 'employer_payout')),
    flags INTEGER NOT NULL CHECK (flags IN (0, 1)),
    debits_posted INTEGER NOT NULL CHECK (debits_posted >= 0),
    credits_posted INTEGER NOT NULL CHECK (credits_posted >= 0),
    closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
    created_at TEXT NOT NULL,
    CHECK (flags = 0 OR debits_posted <= credits_posted)
);

-- `seq` numbers the transfers 1, 2, 3… without gaps; `id` is the client's 128-bit id as 32
-- lowercase hex digits. `hash` covers the transfer's fields (with the accounts' keys) and
-- `prev_hash`; see server/src/ledger.rs for the canonical encoding.
CREATE TABLE ledger_transfers (
    seq INTEGER PRIMARY KEY NOT NULL,
    id TEXT NOT NULL UNIQUE,
    debit_account INTEGER NOT NULL REFERENCES ledger_accounts (id),
    credit_account INTEGER NOT NULL REFERENCES ledger_accounts (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    kind TEXT NOT NULL CHECK (kind IN ('fund', 'issue', 'pay', 'return', 'payout')),
    reference TEXT NOT NULL,
    created_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    CHECK (debit_account <> credit_account)
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account, seq);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account, seq);

-- The chain's last transfer, updated with each one: transfers are serialised on it, and
-- `ledger check` notices transfers deleted from the end.
CREATE TABLE ledger_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Transfer ids refused for a reason that depends on the accounts' state (insufficient
-- balance, closed or missing account): the same id is refused the same way for ever.
-- `body_hash` tells a retry of the same transfer from another transfer under that id.
CREATE TABLE ledger_failures (
    id TEXT PRIMARY KEY NOT NULL,
    body_hash TEXT NOT NULL,
    code TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Transfers are never changed or removed; corrections are new transfers.
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are append-only');
END;
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are append-only');
END;
