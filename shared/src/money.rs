//! Exact tenge amounts. Never floating point; serialised as a decimal string.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of Kazakhstani tenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "908250"))]
#[serde(transparent)]
pub struct Tenge(Decimal);

/// Money in JSON is a decimal string (`"908250"`), never a number that could pass through
/// floating point; anything else is refused.
impl<'de> Deserialize<'de> for Tenge {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Tenge, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse::<Decimal>()
            .map(Tenge)
            .map_err(|_| serde::de::Error::custom(format!("not an amount of tenge: {text}")))
    }
}

impl Tenge {
    pub const ZERO: Tenge = Tenge(Decimal::ZERO);

    /// The amount, with trailing zeros of the fraction removed (`1500.00` → `1500`).
    pub fn new(amount: Decimal) -> Tenge {
        Tenge(amount.normalize())
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The amount in tiyn (1/100 tenge), as databases keep money: `None` when it has a
    /// fraction of a tiyn or does not fit.
    pub fn to_tiyn(self) -> Option<i64> {
        let tiyn = self.0.checked_mul(Decimal::ONE_HUNDRED)?;
        if tiyn.fract() != Decimal::ZERO {
            return None;
        }
        i64::try_from(tiyn).ok()
    }

    /// The amount of `tiyn` (1/100 tenge).
    pub fn from_tiyn(tiyn: i64) -> Tenge {
        Tenge::new(Decimal::new(tiyn, 2))
    }

    /// Grouped for reading, e.g. `1 946 250` (thin no-break spaces between groups).
    pub fn grouped(self) -> String {
        let text = self.0.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('\u{202F}');
            }
            grouped.push(ch);
        }
        match fraction {
            Some(f) => format!("{sign}{grouped},{f}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

impl fmt::Display for Tenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn serialises_as_exact_string() {
        let t = Tenge::new(Decimal::from_str("1946250.00").unwrap());
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"1946250\"");
    }

    #[test]
    fn reads_only_decimal_strings() {
        let t: Tenge = serde_json::from_str("\"108125.50\"").unwrap();
        assert_eq!(t.amount(), Decimal::from_str("108125.50").unwrap());
        assert!(serde_json::from_str::<Tenge>("108125.5").is_err());
        assert!(serde_json::from_str::<Tenge>("\"12 tenge\"").is_err());
    }

    #[test]
    fn tiyn_round_trip_exactly() {
        let t = Tenge::new(Decimal::from_str("250000.55").unwrap());
        assert_eq!(t.to_tiyn(), Some(25_000_055));
        assert_eq!(Tenge::from_tiyn(25_000_055), t);
        assert_eq!(Tenge::from_tiyn(8_500_000).to_string(), "85000");
        assert_eq!(
            Tenge::new(Decimal::from_str("1.005").unwrap()).to_tiyn(),
            None
        );
        assert_eq!(Tenge::new(Decimal::MAX).to_tiyn(), None);
    }

    #[test]
    fn groups_thousands() {
        let t = Tenge::new(Decimal::from(1_946_250));
        assert_eq!(t.grouped(), "1\u{202F}946\u{202F}250");
        assert_eq!(Tenge::new(Decimal::from(250)).grouped(), "250");
        assert_eq!(
            Tenge::new(Decimal::from_str("-1234.5").unwrap()).grouped(),
            "-1\u{202F}234,5"
        );
    }
}
