-- Landlords and utility providers a voucher pays (server/src/payees.rs). The location is
-- kept in millionths of a degree (about 11 cm), so the point read back is the point the
-- geo-fence checks. `id_number` is the IIN or BIN, shown to staff only.
CREATE TABLE payees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    id_number TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('rent', 'utilities')),
    address TEXT NOT NULL,
    region TEXT NOT NULL,
    lat_e6 INTEGER NOT NULL CHECK (lat_e6 BETWEEN -90000000 AND 90000000),
    lon_e6 INTEGER NOT NULL CHECK (lon_e6 BETWEEN -180000000 AND 180000000),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive')),
    registered_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id)
);
CREATE INDEX payees_region ON payees (region, status, id);

-- Recent registrations per client address, for the registration limit; rows older than
-- the limit's window are deleted as new ones come.
CREATE TABLE payee_registrations (
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX payee_registrations_address ON payee_registrations (address, at);
