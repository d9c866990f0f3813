//! One page of a filtered list, newest first, with the number of matching rows: the shape
//! every list endpoint answers with. Conditions are bound as parameters, never spliced in.

use crate::{store::StoreError, Store};
use sqlx::{any::AnyRow, Row};

/// A value bound to one `$n` of a condition.
pub enum Param {
    Text(String),
    Int(i64),
}

/// The `WHERE` conditions of a list, each with its parameter.
#[derive(Default)]
pub struct Conditions {
    clauses: Vec<String>,
    params: Vec<Param>,
}

impl Conditions {
    /// A condition without a parameter, e.g. `v.status = 'open'`.
    pub fn fixed(mut self, clause: &str) -> Conditions {
        self.clauses.push(clause.to_string());
        self
    }

    /// `clause` followed by the next parameter, e.g. `add("a.region =", Param::Text(…))`.
    pub fn add(&mut self, clause: &str, param: Param) {
        self.params.push(param);
        self.clauses
            .push(format!("{clause} ${}", self.params.len()));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// Page `page` (from 1) of `select` under `conditions`, ordered by `order`, and how many rows
/// match in all. `from` is the `FROM …` part of `select`, for the count.
pub async fn fetch(
    store: &Store,
    select: &str,
    from: &str,
    order: &str,
    conditions: &Conditions,
    page: u32,
    per_page: u32,
) -> Result<(u64, Vec<AnyRow>), StoreError> {
    let condition = conditions.sql();
    let n = conditions.params.len();
    let count_sql = format!("SELECT COUNT(*) AS n {from}{condition}");
    let page_sql = format!(
        "{select}{condition} ORDER BY {order} LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut count_query = sqlx::query(&count_sql);
    let mut page_query = sqlx::query(&page_sql);
    for param in &conditions.params {
        match param {
            Param::Text(t) => {
                count_query = count_query.bind(t.clone());
                page_query = page_query.bind(t.clone());
            }
            Param::Int(i) => {
                count_query = count_query.bind(*i);
                page_query = page_query.bind(*i);
            }
        }
    }
    let total: i64 = count_query.fetch_one(store.pool()).await?.try_get("n")?;
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let rows = page_query
        .bind(i64::from(per_page))
        .bind(offset)
        .fetch_all(store.pool())
        .await?;
    Ok((u64::try_from(total).unwrap_or_default(), rows))
}
