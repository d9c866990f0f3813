-- Employers' vacancies in the destination regions. Money is integer tiyn (1/100 tenge).
CREATE TABLE vacancies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    region TEXT NOT NULL,
    settlement TEXT NOT NULL CHECK (settlement IN ('urban', 'rural')),
    salary_tiyn INTEGER NOT NULL CHECK (salary_tiyn >= 0),
    places INTEGER NOT NULL CHECK (places > 0),
    housing_provided INTEGER NOT NULL CHECK (housing_provided IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX vacancies_search ON vacancies (status, region, id);
CREATE INDEX vacancies_employer ON vacancies (employer_id);

-- Resettlers' applications. The family (members' IINs and birth dates) is JSON text.
CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    applicant_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    region TEXT NOT NULL,
    settlement TEXT NOT NULL CHECK (settlement IN ('urban', 'rural')),
    vacancy_id INTEGER REFERENCES vacancies (id),
    year INTEGER NOT NULL,
    family_size INTEGER NOT NULL CHECK (family_size BETWEEN 1 AND 15),
    family_members TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    citizenship TEXT NOT NULL,
    current_region TEXT NOT NULL,
    prior_support INTEGER NOT NULL CHECK (prior_support IN (0, 1)),
    reason TEXT,
    submitted_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id)
);
-- One open application per person, whatever runs concurrently.
CREATE UNIQUE INDEX applications_one_open ON applications (applicant_id)
    WHERE status IN ('submitted', 'approved');
CREATE INDEX applications_region ON applications (region, status, id);
CREATE INDEX applications_vacancy ON applications (vacancy_id);
