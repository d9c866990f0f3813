//! The rules of the double-entry ledger behind the digital voucher (SPEC §4), on
//! TigerBeetle's model: accounts hold posted debits and credits; money moves only by a
//! transfer that debits one account and credits another by the same amount, so the sum of
//! all balances never changes. The server stores accounts and transfers; what a transfer may
//! do is decided here, with no I/O.
//!
//! Amounts are integer tiyn (1/100 tenge, see [`crate::Tenge::to_tiyn`]).

use crate::{Lang, Localized, Region};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::{fmt, str::FromStr};

/// A transfer's 128-bit id, chosen by the client so that a retried request is recognised:
/// written as 32 lowercase hex digits. Zero is not an id (it is what a client that forgot
/// to set one sends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TransferId(u128);

impl TransferId {
    /// `None` for zero.
    pub fn new(value: u128) -> Option<TransferId> {
        (value != 0).then_some(TransferId(value))
    }

    pub fn value(self) -> u128 {
        self.0
    }

    /// Exactly 32 hex digits (either case), not all zero.
    pub fn parse(text: &str) -> Option<TransferId> {
        if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u128::from_str_radix(text, 16)
            .ok()
            .and_then(TransferId::new)
    }
}

impl fmt::Display for TransferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Serialize for TransferId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TransferId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TransferId, D::Error> {
        let text = String::deserialize(deserializer)?;
        TransferId::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not a transfer id (32 hex digits, not all zero): {text}"
            ))
        })
    }
}

/// A calendar month, `YYYY-MM`: the month a voucher is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// `None` unless `month` is 1–12 and the year has four digits.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// The month `n` months later; `None` past year 9999.
    pub fn plus(self, n: u32) -> Option<Month> {
        let index = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(n);
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        Month::new(year, u32::try_from(index.rem_euclid(12)).ok()? + 1)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    /// `YYYY-MM` with four and two digits.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        let digits = |part: &str, n: usize| {
            (part.len() == n && part.bytes().all(|b| b.is_ascii_digit())).then_some(())
        };
        digits(year, 4)?;
        digits(month, 2)?;
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// In JSON a month is its `YYYY-MM` text.
impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Month, D::Error> {
        let text = String::deserialize(deserializer)?;
        Month::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("expected a month as YYYY-MM, got {text:?}"))
        })
    }
}

/// Which account: its kind and what it belongs to. [`AccountKey::key`] is the stable text
/// the database keeps (`program`, `budget:pavlodar`, `voucher:12:2026-03`, `payee:5`,
/// `payout:7`), so a key names exactly one account and the kind can never disagree with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountKey {
    /// Where the program's money comes from; it funds the region budgets, so its balance
    /// is negative by what it has handed out.
    Program,
    /// A destination region's budget: funds vouchers and employer payouts.
    RegionBudget(Region),
    /// A resettler's voucher for one month; `resettler` is their account id.
    Voucher { resettler: i64, month: Month },
    /// A registered landlord or utility provider (payee id).
    Payee(i64),
    /// An employer's housing payout under a tripartite contract (employer account id).
    EmployerPayout(i64),
}

impl AccountKey {
    /// The stable text key (see the type's documentation).
    pub fn key(&self) -> String {
        match self {
            AccountKey::Program => "program".into(),
            AccountKey::RegionBudget(region) => format!("budget:{}", region.id()),
            AccountKey::Voucher { resettler, month } => format!("voucher:{resettler}:{month}"),
            AccountKey::Payee(id) => format!("payee:{id}"),
            AccountKey::EmployerPayout(id) => format!("payout:{id}"),
        }
    }

    /// The key read back; `None` for anything [`AccountKey::key`] does not write.
    pub fn parse(text: &str) -> Option<AccountKey> {
        let mut parts = text.split(':');
        let key = match (parts.next()?, parts.next(), parts.next(), parts.next()) {
            ("program", None, None, None) => AccountKey::Program,
            ("budget", Some(region), None, None) => {
                AccountKey::RegionBudget(Region::from_id(region)?)
            }
            ("voucher", Some(resettler), Some(month), None) => AccountKey::Voucher {
                resettler: owner_id(resettler)?,
                month: Month::parse(month)?,
            },
            ("payee", Some(id), None, None) => AccountKey::Payee(owner_id(id)?),
            ("payout", Some(id), None, None) => AccountKey::EmployerPayout(owner_id(id)?),
            _ => return None,
        };
        Some(key)
    }

    /// The kind alone, as stored beside the key for queries by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            AccountKey::Program => "program",
            AccountKey::RegionBudget(_) => "region_budget",
            AccountKey::Voucher { .. } => "voucher",
            AccountKey::Payee(_) => "payee",
            AccountKey::EmployerPayout(_) => "employer_payout",
        }
    }
}

/// A positive id in canonical decimal (no sign, no leading zero), so a key has one spelling.
fn owner_id(text: &str) -> Option<i64> {
    let id: i64 = text.parse().ok()?;
    (id > 0 && id.to_string() == text).then_some(id)
}

impl fmt::Display for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl FromStr for AccountKey {
    type Err = String;

    fn from_str(text: &str) -> Result<AccountKey, String> {
        AccountKey::parse(text).ok_or_else(|| format!("not a ledger account key: {text}"))
    }
}

/// What an account refuses, fixed when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountFlags {
    /// The account can never hold less than nothing: vouchers, budgets.
    pub debits_must_not_exceed_credits: bool,
}

impl AccountFlags {
    /// No limit: the program account, whose balance is what it has handed out.
    pub const NONE: AccountFlags = AccountFlags {
        debits_must_not_exceed_credits: false,
    };
    /// Never below zero.
    pub const NO_OVERDRAFT: AccountFlags = AccountFlags {
        debits_must_not_exceed_credits: true,
    };

    /// As stored: bit 0 is `debits_must_not_exceed_credits`.
    pub fn bits(self) -> i64 {
        i64::from(self.debits_must_not_exceed_credits)
    }

    /// `None` for bits no flag uses.
    pub fn from_bits(bits: i64) -> Option<AccountFlags> {
        match bits {
            0 => Some(AccountFlags::NONE),
            1 => Some(AccountFlags::NO_OVERDRAFT),
            _ => None,
        }
    }
}

/// An account's posted totals, in tiyn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    pub debits_posted: i64,
    pub credits_posted: i64,
}

impl Balance {
    /// What the account holds: credits minus debits (negative for the program account).
    /// Widened so that no pair of stored totals can overflow it; the sum over all accounts
    /// is zero.
    pub fn net(self) -> i128 {
        i128::from(self.credits_posted) - i128::from(self.debits_posted)
    }

    /// What may still be debited from an account that must not go below zero.
    pub fn available(self) -> i64 {
        i64::try_from(self.net().max(0)).unwrap_or(i64::MAX)
    }
}

/// An account as a transfer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    pub flags: AccountFlags,
    pub closed: bool,
    pub balance: Balance,
}

/// Why money moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// Program → region budget (the admin funds a region).
    Fund,
    /// Region budget → voucher (the monthly issue).
    Issue,
    /// Voucher → payee (a resettler pays rent or utilities).
    Pay,
    /// Voucher → region budget (the unspent remainder after the grace day).
    Return,
    /// Region budget → employer payout (a fulfilled tripartite contract).
    Payout,
}

impl TransferKind {
    pub const ALL: [TransferKind; 5] = [
        TransferKind::Fund,
        TransferKind::Issue,
        TransferKind::Pay,
        TransferKind::Return,
        TransferKind::Payout,
    ];

    pub fn id(self) -> &'static str {
        match self {
            TransferKind::Fund => "fund",
            TransferKind::Issue => "issue",
            TransferKind::Pay => "pay",
            TransferKind::Return => "return",
            TransferKind::Payout => "payout",
        }
    }

    pub fn from_id(id: &str) -> Option<TransferKind> {
        TransferKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Whether this kind of transfer may debit `debit` and credit `credit`: each kind moves
    /// money along one edge of the flow program → budget → voucher → payee.
    pub fn connects(self, debit: &AccountKey, credit: &AccountKey) -> bool {
        use AccountKey as A;
        match self {
            TransferKind::Fund => matches!((debit, credit), (A::Program, A::RegionBudget(_))),
            TransferKind::Issue => {
                matches!((debit, credit), (A::RegionBudget(_), A::Voucher { .. }))
            }
            TransferKind::Pay => matches!((debit, credit), (A::Voucher { .. }, A::Payee(_))),
            TransferKind::Return => {
                matches!((debit, credit), (A::Voucher { .. }, A::RegionBudget(_)))
            }
            TransferKind::Payout => {
                matches!((debit, credit), (A::RegionBudget(_), A::EmployerPayout(_)))
            }
        }
    }
}

/// Why a transfer did not post. Nothing moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejection {
    AmountNotPositive,
    SameAccount,
    /// The kind of transfer does not go between accounts of these kinds.
    KindDoesNotFitAccounts,
    AccountNotFound,
    AccountClosed,
    InsufficientBalance,
    /// A posted total would pass the largest amount the database keeps.
    BalanceOverflow,
    /// The id was used before for a transfer with other accounts, amount, kind or reference.
    IdReusedWithDifferentBody,
}

impl Rejection {
    pub const ALL: [Rejection; 8] = [
        Rejection::AmountNotPositive,
        Rejection::SameAccount,
        Rejection::KindDoesNotFitAccounts,
        Rejection::AccountNotFound,
        Rejection::AccountClosed,
        Rejection::InsufficientBalance,
        Rejection::BalanceOverflow,
        Rejection::IdReusedWithDifferentBody,
    ];

    /// The stable code, for API answers and the stored failures.
    pub fn code(self) -> &'static str {
        match self {
            Rejection::AmountNotPositive => "amount_not_positive",
            Rejection::SameAccount => "same_account",
            Rejection::KindDoesNotFitAccounts => "kind_does_not_fit_accounts",
            Rejection::AccountNotFound => "account_not_found",
            Rejection::AccountClosed => "account_closed",
            Rejection::InsufficientBalance => "insufficient_balance",
            Rejection::BalanceOverflow => "balance_overflow",
            Rejection::IdReusedWithDifferentBody => "id_reused_with_different_body",
        }
    }

    pub fn from_code(code: &str) -> Option<Rejection> {
        Rejection::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the outcome depends on the accounts' state at the time, so the id must stay
    /// failed: a retry of it could otherwise succeed later and move money the client
    /// thought was refused. A malformed body is not recorded; the same id may be sent again
    /// with a correct one.
    pub fn depends_on_state(self) -> bool {
        matches!(
            self,
            Rejection::AccountNotFound
                | Rejection::AccountClosed
                | Rejection::InsufficientBalance
                | Rejection::BalanceOverflow
        )
    }

    /// What to tell the person, in their language.
    pub fn message(self, lang: Lang) -> String {
        let text = |kk: &str, ru: &str, en: &str| {
            Localized {
                kk: kk.into(),
                ru: ru.into(),
                en: en.into(),
            }
            .get(lang)
            .to_string()
        };
        match self {
            Rejection::AmountNotPositive => text(
                "Сома нөлден үлкен болуы керек.",
                "Сумма должна быть больше нуля.",
                "The amount must be greater than zero.",
            ),
            Rejection::SameAccount => text(
                "Шоттан сол шоттың өзіне аударуға болмайды.",
                "Нельзя перевести деньги со счёта на тот же счёт.",
                "Money cannot move from an account to the same account.",
            ),
            Rejection::KindDoesNotFitAccounts => text(
                "Бұл операция бұл шоттар арасында жүргізілмейді.",
                "Такая операция между этими счетами не проводится.",
                "This kind of transfer does not go between these accounts.",
            ),
            Rejection::AccountNotFound => text(
                "Шот табылмады.",
                "Счёт не найден.",
                "The account does not exist.",
            ),
            Rejection::AccountClosed => {
                text("Шот жабылған.", "Счёт закрыт.", "The account is closed.")
            }
            Rejection::InsufficientBalance => text(
                "Шотта қаражат жеткіліксіз.",
                "На счёте недостаточно средств.",
                "The balance is not enough for this amount.",
            ),
            Rejection::BalanceOverflow => text(
                "Сома тым үлкен: шот қалдығы шектен асып кетеді.",
                "Сумма слишком велика: итог по счёту превысит предел.",
                "The amount is too large: the account's totals would pass their limit.",
            ),
            Rejection::IdReusedWithDifferentBody => text(
                "Бұл операция нөмірі бұрын басқа деректермен қолданылған.",
                "Этот номер операции уже использован с другими данными.",
                "This transfer id was already used with different details.",
            ),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::En).trim_end_matches('.'))
    }
}

/// The checks that need nothing but the transfer itself.
pub fn check_body(
    debit: &AccountKey,
    credit: &AccountKey,
    amount_tiyn: i64,
    kind: TransferKind,
) -> Result<(), Rejection> {
    if amount_tiyn <= 0 {
        return Err(Rejection::AmountNotPositive);
    }
    if debit == credit {
        return Err(Rejection::SameAccount);
    }
    if !kind.connects(debit, credit) {
        return Err(Rejection::KindDoesNotFitAccounts);
    }
    Ok(())
}

/// The two accounts' balances after debiting `debit` and crediting `credit` by
/// `amount_tiyn`, or why that may not happen given their current state.
pub fn apply(
    debit: &AccountState,
    credit: &AccountState,
    amount_tiyn: i64,
) -> Result<(Balance, Balance), Rejection> {
    if amount_tiyn <= 0 {
        return Err(Rejection::AmountNotPositive);
    }
    if debit.closed || credit.closed {
        return Err(Rejection::AccountClosed);
    }
    let debits = debit.balance.debits_posted.checked_add(amount_tiyn);
    let credits = credit.balance.credits_posted.checked_add(amount_tiyn);
    let (Some(debits), Some(credits)) = (debits, credits) else {
        return Err(Rejection::BalanceOverflow);
    };
    if debit.flags.debits_must_not_exceed_credits && debits > debit.balance.credits_posted {
        return Err(Rejection::InsufficientBalance);
    }
    Ok((
        Balance {
            debits_posted: debits,
            ..debit.balance
        },
        Balance {
            credits_posted: credits,
            ..credit.balance
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(flags: AccountFlags, debits: i64, credits: i64) -> AccountState {
        AccountState {
            flags,
            closed: false,
            balance: Balance {
                debits_posted: debits,
                credits_posted: credits,
            },
        }
    }

    #[test]
    fn transfer_ids_are_32_hex_digits_and_never_zero() {
        let id = TransferId::parse("0123456789ABCDEFfedcba9876543210").unwrap();
        assert_eq!(id.to_string(), "0123456789abcdeffedcba9876543210");
        assert_eq!(TransferId::parse(&id.to_string()), Some(id));
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"0123456789abcdeffedcba9876543210\""
        );
        let back: TransferId =
            serde_json::from_str("\"0123456789abcdeffedcba9876543210\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(
            TransferId::new(1).unwrap().to_string(),
            "00000000000000000000000000000001"
        );
        for bad in [
            "",
            "0123456789abcdef",
            "0123456789abcdeffedcba98765432100",
            "+123456789abcdeffedcba9876543210",
            "0123456789abcdeffedcba987654321g",
            "00000000000000000000000000000000",
        ] {
            assert_eq!(TransferId::parse(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<TransferId>("12").is_err());
        assert_eq!(TransferId::new(0), None);
    }

    #[test]
    fn account_keys_have_one_spelling_and_round_trip() {
        let march = Month::new(2026, 3).unwrap();
        let keys = [
            (AccountKey::Program, "program", "program"),
            (
                AccountKey::RegionBudget(Region::NorthKazakhstan),
                "budget:north_kazakhstan",
                "region_budget",
            ),
            (
                AccountKey::Voucher {
                    resettler: 12,
                    month: march,
                },
                "voucher:12:2026-03",
                "voucher",
            ),
            (AccountKey::Payee(5), "payee:5", "payee"),
            (AccountKey::EmployerPayout(7), "payout:7", "employer_payout"),
        ];
        for (key, text, kind) in keys {
            assert_eq!(key.key(), text);
            assert_eq!(key.kind(), kind);
            assert_eq!(AccountKey::parse(text), Some(key));
        }
        for bad in [
            "",
            "program:1",
            "budget:atlantis",
            "budget:",
            "voucher:12:2026-3",
            "voucher:12:2026-13",
            "voucher:012:2026-03",
            "voucher:12",
            "voucher:12:2026-03:x",
            "payee:0",
            "payee:-5",
            "payee:+5",
            "payout:x",
            "Program",
        ] {
            assert_eq!(AccountKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_are_yyyy_mm() {
        let month = Month::parse("2026-03").unwrap();
        assert_eq!(month.to_string(), "2026-03");
        assert_eq!(
            month.first_day(),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        assert_eq!(
            Month::of(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
            month
        );
        for bad in ["2026-00", "2026-13", "26-03", "2026-3", "2026/03", "x"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn flags_round_trip_through_their_bits() {
        for flags in [AccountFlags::NONE, AccountFlags::NO_OVERDRAFT] {
            assert_eq!(AccountFlags::from_bits(flags.bits()), Some(flags));
        }
        assert_eq!(AccountFlags::from_bits(2), None);
    }

    #[test]
    fn a_transfer_moves_exactly_its_amount() {
        let budget = account(AccountFlags::NO_OVERDRAFT, 100, 1_000);
        let voucher = account(AccountFlags::NO_OVERDRAFT, 0, 50);
        let (budget_after, voucher_after) = apply(&budget, &voucher, 900).unwrap();
        assert_eq!(budget_after.net(), 0);
        assert_eq!(voucher_after.net(), 950);
        assert_eq!(
            budget_after.net() + voucher_after.net(),
            budget.balance.net() + voucher.balance.net()
        );
    }

    #[test]
    fn an_account_that_must_not_go_negative_refuses_one_tiyn_too_many() {
        let voucher = account(AccountFlags::NO_OVERDRAFT, 300, 1_000);
        let payee = account(AccountFlags::NONE, 0, 0);
        assert_eq!(voucher.balance.available(), 700);
        assert!(apply(&voucher, &payee, 700).is_ok());
        assert_eq!(
            apply(&voucher, &payee, 701),
            Err(Rejection::InsufficientBalance)
        );
        // The program account has no such flag: it goes below zero as it funds.
        let program = account(AccountFlags::NONE, 0, 0);
        let (after, _) = apply(&program, &voucher, 5_000).unwrap();
        assert_eq!(after.net(), -5_000);
        assert_eq!(after.available(), 0);
    }

    #[test]
    fn closed_accounts_neither_pay_nor_receive() {
        let open = account(AccountFlags::NONE, 0, 1_000);
        let closed = AccountState {
            closed: true,
            ..open
        };
        assert_eq!(apply(&closed, &open, 1), Err(Rejection::AccountClosed));
        assert_eq!(apply(&open, &closed, 1), Err(Rejection::AccountClosed));
    }

    #[test]
    fn totals_never_overflow() {
        let full = account(AccountFlags::NONE, 0, i64::MAX);
        let source = account(AccountFlags::NONE, 0, 0);
        assert_eq!(apply(&source, &full, 1), Err(Rejection::BalanceOverflow));
        for amount in [0, -1, i64::MIN] {
            assert_eq!(
                apply(&source, &full, amount),
                Err(Rejection::AmountNotPositive)
            );
        }
    }

    #[test]
    fn the_body_is_checked_before_any_account() {
        let voucher = AccountKey::Voucher {
            resettler: 3,
            month: Month::new(2026, 4).unwrap(),
        };
        let budget = AccountKey::RegionBudget(Region::Pavlodar);
        let payee = AccountKey::Payee(9);
        assert_eq!(check_body(&voucher, &payee, 100, TransferKind::Pay), Ok(()));
        assert_eq!(
            check_body(&voucher, &payee, 0, TransferKind::Pay),
            Err(Rejection::AmountNotPositive)
        );
        assert_eq!(
            check_body(&voucher, &voucher, 100, TransferKind::Pay),
            Err(Rejection::SameAccount)
        );
        // A payment cannot take money from a budget or go back to one.
        assert_eq!(
            check_body(&budget, &payee, 100, TransferKind::Pay),
            Err(Rejection::KindDoesNotFitAccounts)
        );
        assert_eq!(
            check_body(&voucher, &budget, 100, TransferKind::Pay),
            Err(Rejection::KindDoesNotFitAccounts)
        );
        assert_eq!(
            check_body(&voucher, &budget, 100, TransferKind::Return),
            Ok(())
        );
        assert_eq!(
            check_body(&AccountKey::Program, &budget, 100, TransferKind::Fund),
            Ok(())
        );
        assert_eq!(
            check_body(
                &budget,
                &AccountKey::EmployerPayout(4),
                1,
                TransferKind::Payout
            ),
            Ok(())
        );
        assert_eq!(
            check_body(&budget, &voucher, 1, TransferKind::Issue),
            Ok(())
        );
    }

    #[test]
    fn rejections_have_stable_codes_and_three_languages() {
        for rejection in Rejection::ALL {
            assert_eq!(Rejection::from_code(rejection.code()), Some(rejection));
            let texts: Vec<String> = Lang::ALL.iter().map(|l| rejection.message(*l)).collect();
            assert!(texts.iter().all(|t| !t.is_empty()), "{rejection:?}");
            assert_ne!(texts[0], texts[1], "{rejection:?}");
            assert_ne!(texts[1], texts[2], "{rejection:?}");
        }
        assert_eq!(
            Rejection::InsufficientBalance.code(),
            "insufficient_balance"
        );
        assert!(Rejection::InsufficientBalance.depends_on_state());
        assert!(!Rejection::SameAccount.depends_on_state());
        for kind in TransferKind::ALL {
            assert_eq!(TransferKind::from_id(kind.id()), Some(kind));
        }
    }
}
