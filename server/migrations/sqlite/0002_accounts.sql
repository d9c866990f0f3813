-- Accounts of every role. `login` is the IIN (resettler), the BIN (employer) or the staff
-- login (akimat, admin): one namespace, so a login finds one account.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role TEXT NOT NULL CHECK (role IN ('resettler', 'employer', 'akimat', 'admin')),
    login TEXT NOT NULL UNIQUE,
    -- argon2id in PHC string form; never the password.
    password_hash TEXT NOT NULL,
    -- The akimat officer's destination region; NULL for every other role.
    region TEXT,
    -- Resettler: E.164 phone.
    phone TEXT,
    -- Employer: organisation name and contact.
    organisation TEXT,
    contact TEXT,
    created_at TEXT NOT NULL,
    CHECK ((role = 'akimat') = (region IS NOT NULL))
);

-- Server-side sessions. Only the SHA-256 of the cookie's random token is kept, so a copy of
-- this table signs no one in. Times are Unix seconds.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed sign-ins by client address, for the per-address limit shared by every server.
-- Rows older than the limit's window are deleted as new ones come.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Failed sign-ins per login, and the lock they lead to. `account_key` is the SHA-256 of the
-- login as typed (normalised), whether or not such an account exists, so the limit behaves
-- the same for both and no IIN is kept in clear. Times are Unix seconds.
CREATE TABLE login_throttle (
    account_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

-- The append-only audit log, a SHA-256 hash chain: `hash` covers this entry's fields and
-- `prev_hash` (see server/src/audit.rs for the canonical encoding). `seq` numbers the
-- entries 1, 2, 3… without gaps.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_role TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The chain's last entry, updated in the same transaction as each append: appends are
-- serialised on it, and `audit verify` notices entries deleted from the end.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Entries are never changed or removed by the application; the database refuses it too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
