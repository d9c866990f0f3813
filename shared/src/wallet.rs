//! The digital voucher as people see it (SPEC §4): payees (landlords and utility
//! providers), a resettler's monthly vouchers and payments, and why a payment is refused.
//! These are the API's shapes; the money itself moves in the ledger (`ledger`).

use crate::{
    lang::Lang,
    ledger::{Month, TransferId},
    money::Tenge,
    region::Region,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a payee is paid for; a voucher pays for these only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayeeCategory {
    Rent,
    Utilities,
}

/// Where a payee stands with the region's akimat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayeeStatus {
    /// Registered, waiting for the region's officer.
    Pending,
    /// Verified by the officer: can be paid.
    Active,
    /// Deactivated by the officer: no new payments.
    Inactive,
}

/// A point on the map, WGS 84 degrees (geometry only, never money).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// The longest payee name a registration may give, in characters.
pub const PAYEE_NAME_MAX_CHARS: usize = 200;
/// The longest payee address, in characters.
pub const PAYEE_ADDRESS_MAX_CHARS: usize = 300;

/// `POST /api/v1/payees`: a landlord or utility provider registers; the region's officer
/// verifies it before it can be paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterPayee {
    pub name: String,
    /// The landlord's IIN or the provider's BIN (12 digits, valid check digit).
    pub id_number: String,
    pub category: PayeeCategory,
    pub address: String,
    /// The destination region the payee serves; its location must lie inside it to be paid.
    pub region: Region,
    pub location: LatLon,
}

/// A payee as resettlers and officers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payee {
    pub id: i64,
    pub name: String,
    /// The IIN or BIN, which the officer checks before verifying: in answers to staff
    /// only, absent for resettlers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    pub category: PayeeCategory,
    pub address: String,
    pub region: Region,
    pub location: LatLon,
    /// Whether `location` lies inside `region`'s boundary (the geo-fence).
    pub inside_region: bool,
    pub status: PayeeStatus,
}

/// `GET /api/v1/payees`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayeeList {
    pub items: Vec<Payee>,
}

/// Where a monthly voucher stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoucherStatus {
    /// Issued and spendable until its grace day.
    Open,
    /// Past the grace day; the remainder goes back to the region's budget at the next
    /// expiry run (within the hour).
    Expired,
    /// Past the grace day; the remainder has gone back to the region's budget.
    Returned,
}

/// One monthly voucher of a resettler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Voucher {
    /// `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub month: Month,
    pub amount: Tenge,
    pub spent: Tenge,
    /// What the voucher still holds: spendable while `open`, going back to the budget
    /// once `expired` (zero once returned).
    pub left: Tenge,
    /// What went back to the budget after the grace day.
    pub returned: Tenge,
    /// The last day it can be spent: the grace day of the following month.
    pub spendable_until: NaiveDate,
    pub status: VoucherStatus,
}

/// What moved on a resettler's vouchers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WalletEntryKind {
    /// A monthly voucher issued from the region's budget.
    Issued,
    /// A payment to a payee.
    Payment,
    /// The unspent remainder returned to the budget after the grace day.
    Returned,
}

/// One movement, newest first in the wallet's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletEntry {
    pub kind: WalletEntryKind,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub month: Month,
    pub amount: Tenge,
    /// The payee's name, for a payment.
    pub payee: Option<String>,
    /// RFC 3339 UTC.
    pub at: String,
}

/// `GET /api/v1/wallet`: a resettler's vouchers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Wallet {
    /// The destination region of the approved application: payees must be inside it.
    /// `None` (and no vouchers) until an application is approved.
    pub region: Option<Region>,
    /// Spendable today, over every voucher not past its grace day.
    pub balance: Tenge,
    /// Every voucher issued, newest month first.
    pub vouchers: Vec<Voucher>,
    /// Movements, newest first.
    pub history: Vec<WalletEntry>,
}

/// `POST /api/v1/wallet/payments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    /// Chosen by the app for each payment the person confirms, and sent again unchanged on
    /// a retry: a payment with an id already used returns the first result and pays once.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "7f3a0c9e4b2d4c1e9a8b6d5f4e3c2b1a"))]
    pub id: TransferId,
    pub payee_id: i64,
    /// What the payment is for: must be the payee's category.
    pub category: PayeeCategory,
    pub amount: Tenge,
}

/// A payment made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: TransferId,
    pub payee_id: i64,
    pub amount: Tenge,
    /// The voucher it was drawn on: the open one that expires first.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub month: Month,
    /// RFC 3339 UTC.
    pub at: String,
}

/// Why a payment is refused; nothing moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentRefusal {
    /// The payee's location is outside the resettler's destination region.
    OutsideGeofence,
    /// The payment's purpose is not the payee's category.
    WrongCategory,
    /// The payee is not verified, or was deactivated.
    PayeeInactive,
    /// No open voucher: every one is past its grace day (or none was issued yet).
    Expired,
    /// More than the voucher that expires first has left.
    InsufficientBalance,
    /// The voucher is not the signed-in resettler's.
    NotYourVoucher,
}

impl PaymentRefusal {
    pub const ALL: [PaymentRefusal; 6] = [
        PaymentRefusal::OutsideGeofence,
        PaymentRefusal::WrongCategory,
        PaymentRefusal::PayeeInactive,
        PaymentRefusal::Expired,
        PaymentRefusal::InsufficientBalance,
        PaymentRefusal::NotYourVoucher,
    ];

    /// The stable error code of the API.
    pub fn code(self) -> &'static str {
        match self {
            PaymentRefusal::OutsideGeofence => "outside_geofence",
            PaymentRefusal::WrongCategory => "wrong_category",
            PaymentRefusal::PayeeInactive => "payee_inactive",
            PaymentRefusal::Expired => "voucher_expired",
            PaymentRefusal::InsufficientBalance => "insufficient_balance",
            PaymentRefusal::NotYourVoucher => "not_your_voucher",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentRefusal> {
        PaymentRefusal::ALL.into_iter().find(|r| r.code() == code)
    }

    /// For the person paying, in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        let (kk, ru, en) = match self {
            PaymentRefusal::OutsideGeofence => (
                "Алушы сіздің өңіріңізден тыс орналасқан: ваучер тек көшіп барған өңірде жұмсалады.",
                "Получатель находится за пределами вашего региона: ваучер тратится только в регионе переселения.",
                "The payee is outside your region: the voucher can only be spent in the region you moved to.",
            ),
            PaymentRefusal::WrongCategory => (
                "Бұл алушыға мұндай мақсатқа төлеуге болмайды: санаты сәйкес емес.",
                "Этому получателю нельзя платить за это: категория не совпадает.",
                "This payee cannot be paid for that: the category does not match.",
            ),
            PaymentRefusal::PayeeInactive => (
                "Алушы әкімдікте расталмаған немесе белсенді емес.",
                "Получатель не подтверждён акиматом или отключён.",
                "The payee is not verified by the akimat, or has been deactivated.",
            ),
            PaymentRefusal::Expired => (
                "Жұмсауға болатын ваучер жоқ: мерзімі өтіп кеткен немесе әлі берілмеген.",
                "Нет ваучера, который можно потратить: срок истёк или он ещё не выдан.",
                "No voucher can be spent: it has expired or has not been issued yet.",
            ),
            PaymentRefusal::InsufficientBalance => (
                "Ваучерде қаражат жеткіліксіз.",
                "На ваучере недостаточно средств.",
                "The voucher does not have enough left.",
            ),
            PaymentRefusal::NotYourVoucher => (
                "Бұл ваучер сіздікі емес.",
                "Этот ваучер не ваш.",
                "This voucher is not yours.",
            ),
        };
        match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_are_stable_and_read_back() {
        for refusal in PaymentRefusal::ALL {
            assert_eq!(PaymentRefusal::from_code(refusal.code()), Some(refusal));
            for lang in Lang::ALL {
                assert!(!refusal.message(lang).is_empty());
            }
        }
        assert_eq!(PaymentRefusal::OutsideGeofence.code(), "outside_geofence");
        assert_eq!(PaymentRefusal::from_code("nonsense"), None);
    }

    #[test]
    fn a_payment_request_reads_its_month_and_id() {
        let json = r#"{"id":"0123456789abcdef0123456789abcdef","payee_id":3,
            "category":"rent","amount":"50000"}"#;
        let request: PayRequest = serde_json::from_str(json).unwrap();
        assert_eq!(request.category, PayeeCategory::Rent);
        assert_eq!(request.amount.to_tiyn(), Some(5_000_000));
        let month: Month = serde_json::from_str("\"2026-03\"").unwrap();
        assert_eq!(serde_json::to_string(&month).unwrap(), "\"2026-03\"");
        assert!(serde_json::from_str::<Month>("\"2026-3\"").is_err());
    }
}
