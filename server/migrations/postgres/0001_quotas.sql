-- Annual family quotas of the resettlement regions, set by staff.
CREATE TABLE quotas (
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    quota INTEGER NOT NULL CHECK (quota >= 0),
    used INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (region, year)
);

-- One row per one-time data load (e.g. the demo data), so it is never applied twice.
CREATE TABLE seed_runs (
    name TEXT PRIMARY KEY NOT NULL,
    applied_at TEXT NOT NULL
);
