//! The request parts list and item endpoints share: the page of a list and an item's id
//! in the path.

use crate::{applications, error::ApiError, fail};
use axum::extract::{rejection::PathRejection, Path};
use serde::Deserialize;

/// `?page=&per_page=&lang=` of a list of one's own items.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items a page, 1–100 (20 by default).
    pub per_page: Option<u32>,
    /// Language of error messages: kk, ru or en.
    #[param(value_type = Option<String>)]
    pub lang: Option<String>,
}

/// `?page=&per_page=`, checked: page from 1, at most [`applications::MAX_PER_PAGE`] a page.
pub fn paging(page: Option<u32>, per_page: Option<u32>) -> Result<(u32, u32), ApiError> {
    let page = page.unwrap_or(1);
    if page == 0 || page > 1_000_000 {
        return Err(fail::invalid(
            "page",
            "invalid_page",
            fail::texts(
                "Бет нөмірі 1-ден басталады.",
                "Номер страницы начинается с 1.",
                "Pages are numbered from 1.",
            ),
        ));
    }
    let max = applications::MAX_PER_PAGE;
    let per_page = per_page.unwrap_or(applications::PER_PAGE);
    if !(1..=max).contains(&per_page) {
        return Err(fail::invalid(
            "per_page",
            "invalid_per_page",
            fail::texts(
                format!("Бетте 1-ден {max}-ге дейін жазба."),
                format!("На странице от 1 до {max} записей."),
                format!("From 1 to {max} items a page."),
            ),
        ));
    }
    Ok((page, per_page))
}

/// A numeric id from the path, or 404 for anything else.
pub fn path_id(
    path: Result<Path<String>, PathRejection>,
    missing: fn() -> ApiError,
) -> Result<i64, ApiError> {
    path.ok()
        .and_then(|Path(id)| id.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(missing)
}
