//! One row of the feed: its values read from CSV text or a JSON object, and every reason a
//! row can be rejected, with its stable code and its message in Kazakh, Russian and
//! English.

use serde_json::Value;
use shared::{
    iin::{Bin, Iin},
    ledger::Month,
    Lang,
};

/// The columns of SPEC §8, in the order values are checked and reported.
pub const COLUMNS: [&str; 7] = [
    "iin",
    "bin",
    "month",
    "resident",
    "employed",
    "social_paid",
    "pension_paid",
];

/// The longest row read (a CSV record's values, or a JSON object's text); a row of this
/// feed is under 200 bytes.
pub const MAX_ROW_BYTES: usize = 4096;

/// One month of one contract as the registries confirm it. The IIN and BIN are checked and
/// kept as their 12 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub iin: String,
    pub bin: String,
    pub month: Month,
    pub resident: bool,
    pub employed: bool,
    pub social_paid: bool,
    pub pension_paid: bool,
}

impl Confirmation {
    /// The IIN, BIN and month packed in one number: two rows with the same key confirm the
    /// same month of the same contract.
    pub fn key(&self) -> u128 {
        let number = |digits: &str| u128::from(digits.parse::<u64>().unwrap_or_default());
        let month = self.month.year() as u128 * 12 + u128::from(self.month.month());
        (number(&self.iin) << 80) | (number(&self.bin) << 40) | month
    }

    /// The IIN and BIN as numbers, for looking up their contracts.
    pub fn parties(&self) -> (u64, u64) {
        let number = |digits: &str| digits.parse::<u64>().unwrap_or_default();
        (number(&self.iin), number(&self.bin))
    }
}

/// Why a row was rejected; nothing of a rejected row is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    InvalidIin,
    InvalidBin,
    InvalidMonth,
    /// A yes/no column holds something else.
    InvalidValue {
        column: &'static str,
        json: bool,
    },
    /// The row's shape is wrong (see [`Malformed`]).
    Malformed(Malformed),
    /// The same IIN, BIN and month as the well-formed row `first` of the same file.
    Duplicate {
        first: u64,
    },
    /// No contract between this resettler and this employer.
    UnknownContract,
    /// The contract is still being signed: it counts no months yet.
    ContractNotActive,
    /// The contract is fulfilled or breached: its months are final and take no more
    /// confirmations.
    ContractEnded,
    /// A contract exists, but this month is before it starts, after the last month it can
    /// run to, or has not come yet.
    OutsideContract {
        from: Month,
        to: Month,
    },
    /// Reading stopped at this row: the file breaks here (this row and the rest unread).
    FileBroken,
    /// Reading stopped at this row: the body is over the limit of this many bytes.
    FileTooLarge {
        limit: usize,
    },
}

/// What is wrong with a row's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    FieldCount { found: usize, expected: usize },
    NotUtf8,
    NotJson,
    NotAnObject,
    MissingKey(&'static str),
    UnknownKey(String),
    TooLong,
}

impl Problem {
    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::InvalidIin => "invalid_iin",
            Problem::InvalidBin => "invalid_bin",
            Problem::InvalidMonth => "invalid_month",
            Problem::InvalidValue { .. } => "invalid_value",
            Problem::Malformed(_) => "malformed_row",
            Problem::Duplicate { .. } => "duplicate_row",
            Problem::UnknownContract => "unknown_contract",
            Problem::ContractNotActive => "contract_not_active",
            Problem::ContractEnded => "contract_ended",
            Problem::OutsideContract { .. } => "month_outside_contract",
            Problem::FileBroken => "malformed_file",
            Problem::FileTooLarge { .. } => "file_too_large",
        }
    }

    /// The message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let pick = |kk: String, ru: String, en: String| match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        };
        let fixed = |kk: &str, ru: &str, en: &str| pick(kk.into(), ru.into(), en.into());
        match self {
            Problem::InvalidIin => fixed(
                "ЖСН дұрыс емес: бақылау цифры дұрыс 12 цифр күтіледі.",
                "ИИН неверен: ожидается 12 цифр с верной контрольной цифрой.",
                "The IIN is not valid: 12 digits with a correct check digit expected.",
            ),
            Problem::InvalidBin => fixed(
                "БСН дұрыс емес: бақылау цифры дұрыс 12 цифр күтіледі.",
                "БИН неверен: ожидается 12 цифр с верной контрольной цифрой.",
                "The BIN is not valid: 12 digits with a correct check digit expected.",
            ),
            Problem::InvalidMonth => fixed(
                "Ай ЖЖЖЖ-АА түрінде жазылуы керек (мысалы, 2026-03).",
                "Месяц записывается как ГГГГ-ММ (например, 2026-03).",
                "The month must be written YYYY-MM (e.g. 2026-03).",
            ),
            Problem::InvalidValue {
                column,
                json: false,
            } => pick(
                format!("«{column}» мәні true, false, 1 немесе 0 болуы керек."),
                format!("Значение «{column}» должно быть true, false, 1 или 0."),
                format!("“{column}” must be true, false, 1 or 0."),
            ),
            Problem::InvalidValue { column, json: true } => pick(
                format!("«{column}» мәні JSON true немесе false болуы керек."),
                format!("Значение «{column}» должно быть JSON-значением true или false."),
                format!("“{column}” must be the JSON value true or false."),
            ),
            Problem::Malformed(m) => m.message(lang),
            Problem::Duplicate { first } => pick(
                format!("Дәл осы ЖСН, БСН және ай файлдың {first}-жолында бар."),
                format!("Те же ИИН, БИН и месяц уже есть в строке {first} этого файла."),
                format!("The same IIN, BIN and month are already in row {first} of this file."),
            ),
            Problem::UnknownContract => fixed(
                "Бұл ЖСН мен БСН арасында шарт жоқ.",
                "Договора между этими ИИН и БИН нет.",
                "There is no contract between this IIN and this BIN.",
            ),
            Problem::ContractNotActive => fixed(
                "Шартқа әлі барлық тарап қол қойған жоқ: ол айларды әлі есептемейді.",
                "Договор ещё подписан не всеми сторонами: месяцы по нему пока не засчитываются.",
                "The contract is not yet signed by every party: it counts no months yet.",
            ),
            Problem::ContractEnded => fixed(
                "Шарт орындалды немесе бұзылды: оның айлары түпкілікті, растаулар енді қабылданбайды.",
                "Договор исполнен или расторгнут из-за нарушения: его месяцы окончательны, подтверждения больше не принимаются.",
                "The contract is fulfilled or breached: its months are final and take no more confirmations.",
            ),
            Problem::OutsideContract { from, to } => pick(
                format!("Ай шарт мерзімінен тыс: {from} бастап {to} дейінгі ай күтіледі."),
                format!("Месяц вне срока договора: ожидается месяц с {from} по {to}."),
                format!("The month is outside the contract: expected a month from {from} to {to}."),
            ),
            Problem::FileBroken => fixed(
                "Файл осы жолда бұзылған: бұл жол мен одан кейінгі жолдар оқылмады.",
                "Файл повреждён в этой строке: она и следующие строки не прочитаны.",
                "The file is broken at this row: it and the rows after it were not read.",
            ),
            Problem::FileTooLarge { limit } => {
                let mib = limit / (1024 * 1024);
                pick(
                    format!("Файл тым үлкен (ең көбі {mib} МБ): бұл жол мен одан кейінгі жолдар оқылмады."),
                    format!("Файл слишком большой (не более {mib} МБ): эта и следующие строки не прочитаны."),
                    format!("The file is too large (at most {mib} MiB): this row and the rows after it were not read."),
                )
            }
        }
    }
}

impl Malformed {
    fn message(&self, lang: Lang) -> String {
        let pick = |kk: String, ru: String, en: String| match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        };
        match self {
            Malformed::FieldCount { found, expected } => pick(
                format!("Жолда {found} өріс бар, ал тақырыпта {expected}."),
                format!("В строке полей: {found}, а в заголовке: {expected}."),
                format!("The row has {found} fields; the header has {expected}."),
            ),
            Malformed::NotUtf8 => pick(
                "Жол UTF-8 мәтіні емес.".into(),
                "Строка не является текстом в UTF-8.".into(),
                "The row is not UTF-8 text.".into(),
            ),
            Malformed::NotJson => pick(
                "Жазба дұрыс JSON емес.".into(),
                "Запись не является корректным JSON.".into(),
                "The entry is not valid JSON.".into(),
            ),
            Malformed::NotAnObject => pick(
                "Жазба JSON нысаны ({…}) болуы керек.".into(),
                "Запись должна быть JSON-объектом ({…}).".into(),
                "The entry must be a JSON object ({…}).".into(),
            ),
            Malformed::MissingKey(key) => pick(
                format!("«{key}» мәні жоқ."),
                format!("Нет значения «{key}»."),
                format!("“{key}” is missing."),
            ),
            Malformed::UnknownKey(key) => pick(
                format!("Белгісіз «{key}» кілті: атауын тексеріңіз."),
                format!("Неизвестный ключ «{key}»: проверьте название."),
                format!("Unknown key “{key}”: check its name."),
            ),
            Malformed::TooLong => pick(
                format!("Жол тым ұзын: ең көбі {MAX_ROW_BYTES} байт."),
                format!("Строка слишком длинная: не более {MAX_ROW_BYTES} байт."),
                format!("The row is too long: at most {MAX_ROW_BYTES} bytes."),
            ),
        }
    }
}

/// `true`/`false` in any case, or `1`/`0`.
fn yes_no(text: &str) -> Option<bool> {
    match text {
        "1" => Some(true),
        "0" => Some(false),
        _ if text.eq_ignore_ascii_case("true") => Some(true),
        _ if text.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A row from its values as text, in the order of [`COLUMNS`] (surrounding spaces
/// ignored).
pub fn from_texts(values: [&str; 7]) -> Result<Confirmation, Problem> {
    let [iin, bin, month, resident, employed, social_paid, pension_paid] = values.map(str::trim);
    let flag = |i: usize, text: &str| {
        yes_no(text).ok_or(Problem::InvalidValue {
            column: COLUMNS[i],
            json: false,
        })
    };
    Ok(Confirmation {
        iin: Iin::parse(iin)
            .map_err(|_| Problem::InvalidIin)?
            .to_string(),
        bin: Bin::parse(bin)
            .map_err(|_| Problem::InvalidBin)?
            .to_string(),
        month: Month::parse(month).ok_or(Problem::InvalidMonth)?,
        resident: flag(3, resident)?,
        employed: flag(4, employed)?,
        social_paid: flag(5, social_paid)?,
        pension_paid: flag(6, pension_paid)?,
    })
}

/// A row from one element of a JSON array: an object with exactly the keys of
/// [`COLUMNS`], the IIN, BIN and month as strings, the rest as JSON booleans.
pub fn from_json(bytes: &[u8]) -> Result<Confirmation, Problem> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|_| Problem::Malformed(Malformed::NotJson))?;
    let Value::Object(object) = value else {
        return Err(Problem::Malformed(Malformed::NotAnObject));
    };
    if let Some(key) = object.keys().find(|k| !COLUMNS.contains(&k.as_str())) {
        return Err(Problem::Malformed(Malformed::UnknownKey(key.clone())));
    }
    let get = |i: usize| {
        object
            .get(COLUMNS[i])
            .ok_or(Problem::Malformed(Malformed::MissingKey(COLUMNS[i])))
    };
    let text = |i: usize, problem: Problem| match get(i)? {
        Value::String(s) => Ok(s.as_str()),
        _ => Err(problem),
    };
    let flag = |i: usize| match get(i)? {
        Value::Bool(b) => Ok(*b),
        _ => Err(Problem::InvalidValue {
            column: COLUMNS[i],
            json: true,
        }),
    };
    Ok(Confirmation {
        iin: Iin::parse(text(0, Problem::InvalidIin)?)
            .map_err(|_| Problem::InvalidIin)?
            .to_string(),
        bin: Bin::parse(text(1, Problem::InvalidBin)?)
            .map_err(|_| Problem::InvalidBin)?
            .to_string(),
        month: Month::parse(text(2, Problem::InvalidMonth)?).ok_or(Problem::InvalidMonth)?,
        resident: flag(3)?,
        employed: flag(4)?,
        social_paid: flag(5)?,
        pension_paid: flag(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IIN: &str = "900514300121";
    const BIN: &str = "971240001315";

    #[test]
    fn text_values() {
        let row = from_texts([IIN, BIN, " 2026-03 ", "TRUE", "1", "false", "0"]).unwrap();
        assert_eq!(row.month, Month::new(2026, 3).unwrap());
        assert!(row.resident && row.employed && !row.social_paid && !row.pension_paid);
        let problem = |values| from_texts(values).unwrap_err();
        assert_eq!(
            problem(["900514300123", BIN, "2026-03", "1", "1", "1", "1"]),
            Problem::InvalidIin
        );
        assert_eq!(
            problem([IIN, "97124000131", "2026-03", "1", "1", "1", "1"]),
            Problem::InvalidBin
        );
        assert_eq!(
            problem([IIN, BIN, "2026-3", "1", "1", "1", "1"]),
            Problem::InvalidMonth
        );
        assert_eq!(
            problem([IIN, BIN, "2026-03", "1", "yes", "1", "1"]),
            Problem::InvalidValue {
                column: "employed",
                json: false
            }
        );
    }

    #[test]
    fn json_values() {
        let ok = format!(
            r#"{{"pension_paid": true, "iin": "{IIN}", "bin": "{BIN}", "month": "2026-03",
                "resident": true, "employed": false, "social_paid": true}}"#
        );
        let row = from_json(ok.as_bytes()).unwrap();
        assert!(row.resident && !row.employed && row.pension_paid);
        for (json, problem) in [
            ("[1]", Problem::Malformed(Malformed::NotAnObject)),
            ("{\"iin\": ", Problem::Malformed(Malformed::NotJson)),
            (
                r#"{"iin": "x", "shoe": 1}"#,
                Problem::Malformed(Malformed::UnknownKey("shoe".into())),
            ),
            (r#"{"iin": 900514300121}"#, Problem::InvalidIin),
            (
                &format!(r#"{{"iin": "{IIN}", "bin": "{BIN}"}}"#),
                Problem::Malformed(Malformed::MissingKey("month")),
            ),
            (
                &ok.replace("\"employed\": false", "\"employed\": \"false\""),
                Problem::InvalidValue {
                    column: "employed",
                    json: true,
                },
            ),
        ] {
            assert_eq!(from_json(json.as_bytes()).unwrap_err(), problem, "{json}");
        }
    }

    #[test]
    fn keys_tell_rows_apart() {
        let row = from_texts([IIN, BIN, "2026-03", "1", "1", "1", "1"]).unwrap();
        let same = from_texts([IIN, BIN, "2026-03", "0", "0", "0", "0"]).unwrap();
        let next = from_texts([IIN, BIN, "2026-04", "1", "1", "1", "1"]).unwrap();
        assert_eq!(row.key(), same.key());
        assert_ne!(row.key(), next.key());
        let other_bin = from_texts([IIN, "940140000385", "2026-03", "1", "1", "1", "1"]).unwrap();
        assert_ne!(row.key(), other_bin.key());
    }

    #[test]
    fn every_message_in_three_languages() {
        let month = Month::new(2026, 3).unwrap();
        let problems = [
            Problem::InvalidIin,
            Problem::InvalidBin,
            Problem::InvalidMonth,
            Problem::InvalidValue {
                column: "resident",
                json: false,
            },
            Problem::InvalidValue {
                column: "resident",
                json: true,
            },
            Problem::Malformed(Malformed::FieldCount {
                found: 3,
                expected: 7,
            }),
            Problem::Malformed(Malformed::NotUtf8),
            Problem::Malformed(Malformed::NotJson),
            Problem::Malformed(Malformed::NotAnObject),
            Problem::Malformed(Malformed::MissingKey("bin")),
            Problem::Malformed(Malformed::UnknownKey("x".into())),
            Problem::Malformed(Malformed::TooLong),
            Problem::Duplicate { first: 2 },
            Problem::UnknownContract,
            Problem::ContractNotActive,
            Problem::ContractEnded,
            Problem::OutsideContract {
                from: month,
                to: month,
            },
            Problem::FileBroken,
            Problem::FileTooLarge { limit: 1 << 26 },
        ];
        for p in problems {
            let [kk, ru, en] = Lang::ALL.map(|l| p.message(l));
            assert!(kk != ru && ru != en && kk != en, "{p:?}");
            assert!(!en.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)));
            assert!(
                !ru.contains(['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і']),
                "{ru}"
            );
        }
    }
}
