//! The append-only audit log: who changed what, when, with the state before and after.
//!
//! Every state change appends one entry through [`append`], inside the transaction that makes
//! the change, so the change and its entry are committed together or not at all. Entries never
//! hold passwords, password hashes, session tokens, IINs or phones: a person is named by their
//! account (`user:12`).
//!
//! # The hash chain
//!
//! Entries are numbered `seq` = 1, 2, 3… without gaps. Each holds the previous entry's hash
//! (`prev_hash`; 64 zeros for the first) and its own `hash`: the lowercase hex SHA-256 of the
//! entry's **canonical encoding**, version 1:
//!
//! ```text
//! "qonys-audit-v1\n"
//! then for each field, in this order: seq, at, actor, actor_role, action, subject,
//!                                     before, after, prev_hash
//!     NULL  →  "-\n"
//!     text  →  <its length in UTF-8 bytes, in decimal> ":" <the bytes> "\n"
//! ```
//!
//! `seq` is written as decimal text; `at` is RFC 3339 UTC with microseconds
//! (`2026-03-01T09:30:00.123456Z`); `actor` is `user:<id>`, `service:<id>` (a data feed's
//! service token), `cli`, `system` or `anonymous`;
//! `actor_role` is the acting user's role or NULL; `before` and `after` are JSON texts (or
//! NULL) hashed byte for byte as stored. The length prefixes make the encoding unambiguous.
//!
//! The table `audit_head` holds the last `seq` and `hash`, updated in the same transaction as
//! each append. [`verify`] recomputes every hash, checks every link and compares the end of
//! the chain with the head, so an entry edited, deleted (also the last one) or inserted
//! afterwards is found. Someone able to rewrite every later entry *and* the head can forge a
//! consistent chain; keeping the head hash that `server audit verify` prints somewhere else
//! (a ticket, a signed e-mail) catches that too.
//!
//! # Serialised appends
//!
//! Appends must not interleave. Every audited change runs in a transaction from [`begin`]:
//! on SQLite opened with `BEGIN IMMEDIATE`, which takes the database's write lock first; on
//! PostgreSQL its first statement locks the `audit_head` row (`FOR UPDATE`), so concurrent
//! changes (from any number of servers) queue on that row lock until the previous
//! transaction commits. (On PostgreSQL [`append`] reads the head `FOR UPDATE` again, so an
//! append there stays serialised even in a transaction that did not come from [`begin`].)

use crate::store::{Backend, StoreError};
use crate::Store;
use serde_json::Value;
use sha2::{Digest, Sha256};
use shared::account::Role;
use sqlx::{Any, AnyConnection, Row, Transaction};

/// `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// First line of the canonical encoding; a new encoding gets a new version.
const ENCODING: &str = "qonys-audit-v1";

/// What the log calls the actions appended so far; later features add theirs.
pub mod action {
    /// A resettler or employer registered.
    pub const ACCOUNT_REGISTER: &str = "account.register";
    /// A registration with an IIN or BIN that already has an account: nothing changed.
    pub const ACCOUNT_REGISTER_REPEAT: &str = "account.register_repeat";
    /// A staff account (akimat officer or admin) was created.
    pub const STAFF_CREATE: &str = "staff.create";
    /// Too many failed sign-ins locked a login.
    pub const LOGIN_LOCKOUT: &str = "auth.lockout";
    /// A region's annual quota was set.
    pub const QUOTA_SET: &str = "quota.set";
    /// A resettler submitted an application.
    pub const APPLICATION_SUBMIT: &str = "application.submit";
    /// An officer or admin approved an application (one quota place taken).
    pub const APPLICATION_APPROVE: &str = "application.approve";
    /// An officer or admin rejected an application.
    pub const APPLICATION_REJECT: &str = "application.reject";
    /// An employer posted a vacancy.
    pub const VACANCY_CREATE: &str = "vacancy.create";
    /// An employer edited a vacancy.
    pub const VACANCY_UPDATE: &str = "vacancy.update";
    /// An employer closed a vacancy.
    pub const VACANCY_CLOSE: &str = "vacancy.close";
    /// A landlord or utility provider registered as a payee (pending).
    pub const PAYEE_REGISTER: &str = "payee.register";
    /// An officer or admin verified a payee: it can be paid.
    pub const PAYEE_VERIFY: &str = "payee.verify";
    /// An officer or admin deactivated a payee: no new payments.
    pub const PAYEE_DEACTIVATE: &str = "payee.deactivate";
    /// An operator created a service token for the data feed.
    pub const SERVICE_TOKEN_CREATE: &str = "service_token.create";
    /// An operator revoked a service token.
    pub const SERVICE_TOKEN_REVOKE: &str = "service_token.revoke";
    /// A system imported a file of monthly confirmations (one entry per file).
    pub const FEED_IMPORT: &str = "feed.import";
    /// A contract's confirmed months fulfilled it (`server/src/settlement.rs`).
    pub const CONTRACT_FULFILLED: &str = "contract.fulfilled";
    /// A run of unconfirmed months breached a contract: it is never paid.
    pub const CONTRACT_BREACHED: &str = "contract.breached";
    /// A fulfilled contract's employer was paid through the ledger.
    pub const CONTRACT_PAID: &str = "contract.paid";
    /// A fulfilled contract's payout waits: the region's budget cannot pay it yet.
    pub const CONTRACT_PAYOUT_PENDING: &str = "contract.payout_pending";
}

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in account.
    User { id: i64, role: Role },
    /// A system calling the data feed with the service token of this id.
    Service { token: i64 },
    /// An operator on the command line (`server user add`).
    Cli,
    /// The server itself: demo data, lockouts.
    System,
    /// A request made without signing in (a registration).
    Anonymous,
}

impl Actor {
    pub fn id(&self) -> String {
        match self {
            Actor::User { id, .. } => format!("user:{id}"),
            Actor::Service { token } => format!("service:{token}"),
            Actor::Cli => "cli".into(),
            Actor::System => "system".into(),
            Actor::Anonymous => "anonymous".into(),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::User { role, .. } => Some(*role),
            _ => None,
        }
    }
}

/// The subject of entries about one account.
pub fn user_subject(id: i64) -> String {
    format!("user:{id}")
}

/// One change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub action: &'static str,
    /// What was changed, e.g. `user:12` or `quota:pavlodar:2026`.
    pub subject: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// One stored entry, as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub actor_role: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl Record {
    /// The canonical encoding of every field but `hash` (see the module documentation).
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(ENCODING.as_bytes());
        out.push(b'\n');
        let seq = self.seq.to_string();
        let fields: [Option<&str>; 9] = [
            Some(&seq),
            Some(&self.at),
            Some(&self.actor),
            self.actor_role.as_deref(),
            Some(&self.action),
            self.subject.as_deref(),
            self.before.as_deref(),
            self.after.as_deref(),
            Some(&self.prev_hash),
        ];
        for field in fields {
            match field {
                None => out.extend_from_slice(b"-\n"),
                Some(text) => {
                    out.extend_from_slice(text.len().to_string().as_bytes());
                    out.push(b':');
                    out.extend_from_slice(text.as_bytes());
                    out.push(b'\n');
                }
            }
        }
        out
    }

    /// The hash this entry should carry.
    pub fn compute_hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical()))
    }
}

/// Opens the transaction of an audited change. Audited changes run one at a time: on
/// SQLite the transaction holds the database's write lock from its start (`BEGIN
/// IMMEDIATE`); on PostgreSQL it first locks the `audit_head` row (`FOR UPDATE`), which
/// every audited change takes first, so there is one lock order and no deadlock. Reads
/// inside see every earlier audited change, which makes read-check-write sequences (a quota
/// never below the places used) safe on both databases.
pub async fn begin(store: &Store) -> Result<Transaction<'static, Any>, StoreError> {
    let tx = match store.backend() {
        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => {
            let mut tx = store.pool().begin().await?;
            sqlx::query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
                .execute(&mut *tx)
                .await?;
            tx
        }
    };
    Ok(tx)
}

/// Appends `event` by `actor` to the chain, inside the caller's transaction (from
/// [`begin`]). Returns the entry's `seq`.
pub async fn append(
    conn: &mut AnyConnection,
    backend: Backend,
    actor: Actor,
    event: Event,
) -> Result<i64, StoreError> {
    let head = match backend {
        Backend::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        Backend::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
    };
    let row = sqlx::query(head).fetch_one(&mut *conn).await?;
    let last: i64 = row.try_get("seq")?;
    let prev_hash: String = row.try_get("hash")?;
    let json = |v: Option<Value>| v.map(|v| v.to_string());
    let mut record = Record {
        seq: last + 1,
        at: chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
        actor: actor.id(),
        actor_role: actor.role().map(|r| r.id().to_string()),
        action: event.action.to_string(),
        subject: event.subject,
        before: json(event.before),
        after: json(event.after),
        prev_hash,
        hash: String::new(),
    };
    record.hash = record.compute_hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, actor_role, action, subject, before, after, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(record.seq)
    .bind(&record.at)
    .bind(&record.actor)
    .bind(&record.actor_role)
    .bind(&record.action)
    .bind(&record.subject)
    .bind(&record.before)
    .bind(&record.after)
    .bind(&record.prev_hash)
    .bind(&record.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(record.seq)
        .bind(&record.hash)
        .execute(&mut *conn)
        .await?;
    Ok(record.seq)
}

/// Appends one entry in a transaction of its own, for events that change nothing else.
pub async fn record(store: &Store, actor: Actor, event: Event) -> Result<i64, StoreError> {
    let mut tx = begin(store).await?;
    let seq = append(&mut tx, store.backend(), actor, event).await?;
    tx.commit().await?;
    Ok(seq)
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry is there, unchanged, and the chain ends at the head.
    Intact { entries: i64, head_hash: String },
    /// The first entry where the chain breaks, and how.
    Broken { seq: i64, reason: String },
}

/// Entries read per query while verifying.
const PAGE: i64 = 1000;

/// Walks the whole chain from the first entry; see the module documentation.
pub async fn verify(store: &Store) -> Result<Verdict, StoreError> {
    let pool = store.pool();
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    let Some(head) = head else {
        return Ok(Verdict::Broken {
            seq: 1,
            reason: "the audit head row is missing".into(),
        });
    };
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("hash")?;

    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, actor_role, action, subject, before, after, prev_hash, hash \
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected_seq)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        let done = (rows.len() as i64) < PAGE;
        for row in rows {
            let record = Record {
                seq: row.try_get("seq")?,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                actor_role: row.try_get("actor_role")?,
                action: row.try_get("action")?,
                subject: row.try_get("subject")?,
                before: row.try_get("before")?,
                after: row.try_get("after")?,
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            };
            if record.seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    reason: format!(
                        "entry {expected_seq} is missing (the next stored entry is {})",
                        record.seq
                    ),
                });
            }
            if record.prev_hash != prev_hash {
                return Ok(Verdict::Broken {
                    seq: record.seq,
                    reason: format!(
                        "entry {} does not follow entry {}: its previous-entry hash differs (an entry inserted or replaced?)",
                        record.seq,
                        record.seq - 1
                    ),
                });
            }
            if record.compute_hash() != record.hash {
                return Ok(Verdict::Broken {
                    seq: record.seq,
                    reason: format!(
                        "entry {} ({}) does not match its hash: changed after it was written",
                        record.seq, record.action
                    ),
                });
            }
            prev_hash = record.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let entries = expected_seq - 1;
    if entries < head_seq {
        return Ok(Verdict::Broken {
            seq: expected_seq,
            reason: format!(
                "entry {expected_seq} is missing: the log holds {entries} entries but recorded {head_seq}"
            ),
        });
    }
    if entries > head_seq {
        return Ok(Verdict::Broken {
            seq: head_seq + 1,
            reason: format!(
                "entry {} was not appended through the log: the log recorded {head_seq} entries but holds {entries}",
                head_seq + 1
            ),
        });
    }
    if prev_hash != head_hash {
        return Ok(Verdict::Broken {
            seq: entries,
            reason: format!("entry {entries} is not the entry the log recorded last"),
        });
    }
    Ok(Verdict::Intact { entries, head_hash })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            seq: 1,
            at: "2026-03-01T09:30:00.000000Z".into(),
            actor: "cli".into(),
            actor_role: None,
            action: "staff.create".into(),
            subject: Some("user:1".into()),
            before: None,
            after: Some(r#"{"role":"admin"}"#.into()),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn canonical_encoding_is_documented_form() {
        let text = String::from_utf8(record().canonical()).unwrap();
        assert_eq!(
            text,
            format!(
                "qonys-audit-v1\n1:1\n27:2026-03-01T09:30:00.000000Z\n3:cli\n-\n12:staff.create\n6:user:1\n-\n16:{{\"role\":\"admin\"}}\n64:{GENESIS}\n"
            )
        );
    }

    #[test]
    fn every_field_changes_the_hash_and_null_differs_from_empty() {
        let base = record().compute_hash();
        assert_eq!(base.len(), 64);
        let mut variants = Vec::new();
        let mut r = record();
        r.seq = 2;
        variants.push(r);
        let mut r = record();
        r.at.push('1');
        variants.push(r);
        let mut r = record();
        r.actor_role = Some(String::new());
        variants.push(r);
        let mut r = record();
        r.before = Some(String::new());
        variants.push(r);
        let mut r = record();
        r.after = Some(r#"{"role":"akimat"}"#.into());
        variants.push(r);
        let mut r = record();
        r.prev_hash = "1".repeat(64);
        variants.push(r);
        // Moving text between fields changes the hash too (length prefixes).
        let mut r = record();
        r.action = "staff.create6:user:1".into();
        r.subject = None;
        variants.push(r);
        for v in variants {
            assert_ne!(v.compute_hash(), base, "{v:?}");
        }
    }

    #[test]
    fn actors_are_named() {
        assert_eq!(
            Actor::User {
                id: 7,
                role: Role::Admin
            }
            .id(),
            "user:7"
        );
        assert_eq!(Actor::Cli.id(), "cli");
        assert_eq!(Actor::System.role(), None);
    }
}
