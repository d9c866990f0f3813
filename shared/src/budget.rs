//! A destination region's voucher budget as the admin and the region's officers see it:
//! the admin funds it from the program account; monthly vouchers are issued from it and
//! their unspent remainders return to it. The money itself is in the ledger (`ledger`).

use crate::{ledger::TransferId, money::Tenge, region::Region};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/budgets/{region}/fund`: money from the program account to the region's
/// budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FundBudget {
    /// Chosen by the client for each funding, and sent again unchanged on a retry: an id
    /// already used returns the first result and moves nothing again.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "5c1d8e0f2a3b4c5d6e7f8091a2b3c4d5"))]
    pub id: TransferId,
    /// More than zero, in whole tiyn.
    pub amount: Tenge,
}

/// One region's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Budget {
    pub region: Region,
    /// What is left to issue vouchers from.
    pub balance: Tenge,
}

/// `GET /api/v1/budgets`: the budgets the caller may see, in policy order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetList {
    pub budgets: Vec<Budget>,
}

/// A funding made (or the first result of its id, replayed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funding {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: TransferId,
    pub region: Region,
    pub amount: Tenge,
    /// RFC 3339 UTC.
    pub at: String,
    /// The region's budget now.
    pub balance: Tenge,
}
