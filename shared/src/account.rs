//! Accounts and roles: who may sign in, the rules their sign-up data must follow, and the
//! request and response types of the account, staff and quota-editor endpoints.
//!
//! Pure like the rest of the crate, so the app checks a form with the same rules the server
//! enforces. Types that carry a password, an IIN or a phone print them redacted with `{:?}`,
//! so they cannot reach a log by accident.

use crate::{
    iin::{Bin, IdError, Iin},
    lang::{Lang, Localized},
    region::Region,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an account may do, decided by the server's one authorization table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A person who moves; signs in with their IIN.
    Resettler,
    /// An organisation that hires resettlers; signs in with its BIN.
    Employer,
    /// Staff of one destination region's akimat; signs in with a staff login.
    Akimat,
    /// Program staff for all regions; signs in with a staff login.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Resettler, Role::Employer, Role::Akimat, Role::Admin];

    /// The id used in the API and the database.
    pub fn id(self) -> &'static str {
        match self {
            Role::Resettler => "resettler",
            Role::Employer => "employer",
            Role::Akimat => "akimat",
            Role::Admin => "admin",
        }
    }

    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Staff accounts are created by an admin (or on the command line), never registered.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Akimat | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The roles an admin can give a staff account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Officer of one destination region: `region` is required.
    Akimat,
    /// Program admin for all regions: no `region`.
    Admin,
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Role {
        match role {
            StaffRole::Akimat => Role::Akimat,
            StaffRole::Admin => Role::Admin,
        }
    }
}

/// Fewest characters a password may have.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Most characters a password may have (hashing cost grows with length).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Why a password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
}

impl PasswordError {
    /// What is wrong, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        let text =
            |kk: String, ru: String, en: String| Localized { kk, ru, en }.get(lang).to_string();
        match self {
            PasswordError::TooShort => text(
                format!("Құпиясөз кемінде {PASSWORD_MIN_CHARS} таңбадан тұруы керек."),
                format!("Пароль должен содержать не менее {PASSWORD_MIN_CHARS} символов."),
                format!("The password must have at least {PASSWORD_MIN_CHARS} characters."),
            ),
            PasswordError::TooLong => text(
                format!("Құпиясөз {PASSWORD_MAX_CHARS} таңбадан аспауы керек."),
                format!("Пароль должен содержать не более {PASSWORD_MAX_CHARS} символов."),
                format!("The password must have at most {PASSWORD_MAX_CHARS} characters."),
            ),
        }
    }
}

/// The message in English.
impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for PasswordError {}

/// A new password is acceptable when it has 10 to 128 characters. Length is what makes a
/// password hard to guess; composition rules are not imposed (NIST SP 800-63B).
pub fn check_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > PASSWORD_MAX_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// Why a phone number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneError;

impl PhoneError {
    /// What is wrong, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        match lang {
            Lang::Kk => "Телефон нөмірін ел кодымен енгізіңіз, мысалы, +7 701 123 45 67, немесе 8-ден басталатын қазақстандық нөмірді жазыңыз.",
            Lang::Ru => "Укажите номер телефона с кодом страны, например +7 701 123 45 67, или казахстанский номер, начинающийся с 8.",
            Lang::En => "Enter a phone number with its country code, e.g. +7 701 123 45 67, or a Kazakh number starting with 8.",
        }
        .to_string()
    }
}

/// The message in English.
impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for PhoneError {}

/// The phone number in E.164 form (`+77011234567`). Accepts spaces, dashes, dots and
/// parentheses; a Kazakh number may be written with the trunk prefix 8 (`8 701 123 45 67`).
/// A number abroad (a kandas may still live there) needs its `+` and country code.
pub fn normalize_phone(text: &str) -> Result<String, PhoneError> {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(PhoneError),
        }
    }
    let national = if plus {
        // E.164: a country code (not starting with 0) and at most 15 digits in all.
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(PhoneError);
        }
        return Ok(format!("+{digits}"));
    } else if digits.len() == 11 && (digits.starts_with('8') || digits.starts_with('7')) {
        &digits[1..]
    } else {
        return Err(PhoneError);
    };
    // Without `+` only Kazakh numbers, whose national numbers start with 6 or 7.
    if national.starts_with('7') || national.starts_with('6') {
        Ok(format!("+7{national}"))
    } else {
        Err(PhoneError)
    }
}

/// Fewest and most characters of an organisation name or an employer's contact.
pub const TEXT_FIELD_CHARS: std::ops::RangeInclusive<usize> = 2..=200;

/// A registration text field that [`clean_text`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFieldError {
    /// The employer's organisation name.
    Organisation,
    /// The employer's contact line.
    Contact,
}

impl TextFieldError {
    /// What the field needs, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (TextFieldError::Organisation, Lang::Kk) => {
                "Ұйымның атауын көрсетіңіз: 2-ден 200-ге дейін таңба."
            }
            (TextFieldError::Organisation, Lang::Ru) => {
                "Укажите название организации: от 2 до 200 символов."
            }
            (TextFieldError::Organisation, Lang::En) => {
                "Enter the organisation's name, 2 to 200 characters."
            }
            (TextFieldError::Contact, Lang::Kk) => {
                "Байланыс деректерін көрсетіңіз: жауапты адамның аты, телефон немесе электрондық пошта, 2-ден 200-ге дейін таңба."
            }
            (TextFieldError::Contact, Lang::Ru) => {
                "Укажите контактные данные: имя ответственного лица, телефон или электронную почту, от 2 до 200 символов."
            }
            (TextFieldError::Contact, Lang::En) => {
                "Enter a contact: a person's name, a phone or an e-mail, 2 to 200 characters."
            }
        }
        .to_string()
    }
}

/// A name or contact line: trimmed, 2 to 200 characters, no control characters.
pub fn clean_text(text: &str) -> Option<String> {
    let text = text.trim();
    let ok =
        TEXT_FIELD_CHARS.contains(&text.chars().count()) && !text.chars().any(char::is_control);
    ok.then(|| text.to_string())
}

/// Why a staff login is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffLoginError;

impl StaffLoginError {
    /// What a staff login must look like, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        match lang {
            Lang::Kk => "Қызметкер логині 3–32 таңбадан тұрады: кіші латын әріптері, цифрлар, «.», «_» немесе «-»; бірінші таңбасы әріп болуы керек.",
            Lang::Ru => "Логин сотрудника — от 3 до 32 символов: строчные латинские буквы, цифры, «.», «_» или «-»; первым должна идти буква.",
            Lang::En => "A staff login has 3 to 32 characters: lowercase Latin letters, digits, “.”, “_” or “-”, starting with a letter.",
        }
        .to_string()
    }
}

/// The message in English.
impl fmt::Display for StaffLoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for StaffLoginError {}

/// A staff login, lowercased: 3–32 of `a-z 0-9 . _ -`, starting with a letter, so it can
/// never be mistaken for an IIN or a BIN (all digits).
pub fn normalize_staff_login(text: &str) -> Result<String, StaffLoginError> {
    let login = text.trim().to_ascii_lowercase();
    let valid = (3..=32).contains(&login.len())
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(login)
    } else {
        Err(StaffLoginError)
    }
}

/// The login as stored: an IIN or BIN without spaces, a staff login lowercased. Sign-in
/// with `"9005 1430 0121"` or `"Admin"` finds the same account as the canonical form.
pub fn normalize_login(text: &str) -> String {
    let trimmed = text.trim();
    let digits: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits
    } else {
        trimmed.to_ascii_lowercase()
    }
}

/// A checked IIN or BIN as text, for a registration.
pub fn parse_iin(text: &str) -> Result<String, IdError> {
    Iin::parse(text.trim()).map(|i| i.to_string())
}

pub fn parse_bin(text: &str) -> Result<String, IdError> {
    Bin::parse(text.trim()).map(|b| b.to_string())
}

/// Which number [`IdError::message`]-like texts are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A person's individual identification number (ЖСН / ИИН).
    Iin,
    /// An organisation's business identification number (БСН / БИН).
    Bin,
}

/// Why an IIN or BIN given at sign-up is refused, in `lang`.
pub fn id_message(kind: IdKind, error: IdError, lang: Lang) -> String {
    let (kk, ru, en) = match kind {
        IdKind::Iin => ("ЖСН", "ИИН", "IIN"),
        IdKind::Bin => ("БСН", "БИН", "BIN"),
    };
    let text = |k: String, r: String, e: String| {
        Localized {
            kk: k,
            ru: r,
            en: e,
        }
        .get(lang)
        .to_string()
    };
    match error {
        IdError::Length => text(
            format!("{kk} дәл 12 цифрдан тұруы керек."),
            format!("{ru} должен состоять ровно из 12 цифр."),
            format!("The {en} must be exactly 12 digits."),
        ),
        IdError::NotDigits => text(
            format!("{kk} тек цифрлардан тұруы керек."),
            format!("{ru} должен содержать только цифры."),
            format!("The {en} must contain digits only."),
        ),
        IdError::CenturyDigit if kind == IdKind::Iin => text(
            format!("{kk} қате: 7-ші цифры 1-ден 6-ға дейін болуы керек."),
            format!("Неверный {ru}: 7-я цифра должна быть от 1 до 6."),
            format!("Invalid {en}: the 7th digit must be from 1 to 6."),
        ),
        IdError::EntityType if kind == IdKind::Bin => text(
            format!("{kk} қате: 5-ші цифры 4, 5 немесе 6 болуы керек."),
            format!("Неверный {ru}: 5-я цифра должна быть 4, 5 или 6."),
            format!("Invalid {en}: the 5th digit must be 4, 5 or 6."),
        ),
        IdError::Month if kind == IdKind::Bin => text(
            format!("{kk} қате: тіркелген айы (3–4-ші цифрлар) 01-ден 12-ге дейін болуы керек."),
            format!("Неверный {ru}: месяц регистрации (3-я и 4-я цифры) должен быть от 01 до 12."),
            format!("Invalid {en}: the registration month (digits 3–4) must be from 01 to 12."),
        ),
        IdError::CheckDigit => text(
            format!("{kk} қате: бақылау цифры сәйкес келмейді. Нөмірді тексеріңіз."),
            format!("Неверный {ru}: не совпадает контрольная цифра. Проверьте номер."),
            format!("Invalid {en}: the check digit does not match. Check the number."),
        ),
        IdError::CenturyDigit | IdError::EntityType | IdError::Month => text(
            format!("Бұл жарамды {kk} емес. Нөмірді тексеріңіз."),
            format!("Это недействительный {ru}. Проверьте номер."),
            format!("This is not a valid {en}. Check the number."),
        ),
    }
}

/// `POST /api/v1/auth/register/resettler`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterResettler {
    /// Individual identification number: 12 digits with a valid check digit. The login.
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub iin: String,
    /// Mobile phone, `+7 701 123 45 67` or `8 701 123 45 67`; stored as E.164.
    #[cfg_attr(feature = "openapi", schema(example = "+7 701 123 45 67"))]
    pub phone: String,
    /// 10 to 128 characters.
    pub password: String,
}

impl fmt::Debug for RegisterResettler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisterResettler")
            .field("iin", &"<redacted>")
            .field("phone", &"<redacted>")
            .field("password", &"<redacted>")
            .finish()
    }
}

/// `POST /api/v1/auth/register/employer`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterEmployer {
    /// Business identification number: 12 digits with a valid check digit. The login.
    #[cfg_attr(feature = "openapi", schema(example = "971240001315"))]
    pub bin: String,
    /// The organisation's name, 2 to 200 characters.
    pub organisation: String,
    /// Who to talk to and how: a name, a phone or an e-mail, 2 to 200 characters.
    pub contact: String,
    /// 10 to 128 characters.
    pub password: String,
}

impl fmt::Debug for RegisterEmployer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisterEmployer")
            .field("bin", &self.bin)
            .field("organisation", &self.organisation)
            .field("contact", &"<redacted>")
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The answer to every well-formed registration, whether or not the IIN or BIN was
/// registered before: the answer must not tell who has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationAccepted {
    #[cfg_attr(feature = "openapi", schema(example = "accepted"))]
    pub status: String,
    pub message: String,
}

/// `POST /api/v1/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// An IIN (resettler), a BIN (employer) or a staff login.
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub login: String,
    pub password: String,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("login", &"<redacted>")
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The signed-in account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: i64,
    pub role: Role,
    /// The account's own login: its IIN, BIN or staff login.
    pub login: String,
    /// The akimat officer's region; `null` for other roles.
    pub region: Option<Region>,
    /// The employer's organisation name; `null` for other roles.
    pub organisation: Option<String>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("login", &"<redacted>")
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// `POST /api/v1/auth/login` and `GET /api/v1/auth/me`: the account and the session's
/// CSRF token, which every non-GET request made with the session sends as `X-CSRF-Token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub account: Account,
    /// Send as the `X-CSRF-Token` header with every POST, PUT, PATCH or DELETE.
    pub csrf_token: String,
    /// When the session ends at the latest (UTC); it ends earlier after 12 hours unused.
    pub expires_at: String,
}

/// Header that carries the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "qonys_session";

/// `POST /api/v1/staff`: a new akimat officer or admin.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateStaff {
    pub role: StaffRole,
    /// 3–32 of `a-z 0-9 . _ -`, starting with a letter.
    #[cfg_attr(feature = "openapi", schema(example = "akimat.pavlodar"))]
    pub login: String,
    /// Required for `akimat` (a destination region); absent or `null` for `admin`.
    #[serde(default)]
    pub region: Option<Region>,
    /// 10 to 128 characters.
    pub password: String,
}

impl fmt::Debug for CreateStaff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateStaff")
            .field("role", &self.role)
            .field("login", &self.login)
            .field("region", &self.region)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A staff account, as an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccount {
    pub id: i64,
    pub role: Role,
    pub login: String,
    pub region: Option<Region>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// `GET /api/v1/staff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffList {
    pub staff: Vec<StaffAccount>,
}

/// `PUT /api/v1/quotas/{region}/{year}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetQuota {
    /// Families the region accepts that year; never below the places already used.
    #[cfg_attr(feature = "openapi", schema(example = 250))]
    pub quota: u32,
}

/// One region's quota for one year, after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionQuota {
    pub region: Region,
    pub year: i32,
    pub quota: u32,
    pub used: u32,
    pub remaining: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_id(role.id()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.id())
            );
        }
        assert!(Role::Akimat.is_staff() && Role::Admin.is_staff());
        assert!(!Role::Resettler.is_staff() && !Role::Employer.is_staff());
    }

    #[test]
    fn password_length() {
        assert_eq!(check_password("short"), Err(PasswordError::TooShort));
        assert_eq!(check_password("123456789"), Err(PasswordError::TooShort));
        assert_eq!(check_password("1234567890"), Ok(()));
        // Characters, not bytes: ten Cyrillic letters are enough.
        assert_eq!(check_password("пароль-длин"), Ok(()));
        assert_eq!(
            check_password(&"x".repeat(129)),
            Err(PasswordError::TooLong)
        );
        assert!(PasswordError::TooShort.to_string().contains("10"));
        for lang in Lang::ALL {
            assert!(PasswordError::TooShort.message(lang).contains("10"));
            assert!(PasswordError::TooLong.message(lang).contains("128"));
        }
        assert!(PasswordError::TooShort
            .message(Lang::Ru)
            .starts_with("Пароль"));
    }

    #[test]
    fn phones_become_e164() {
        for (input, out) in [
            ("+7 701 123 45 67", "+77011234567"),
            ("8 (701) 123-45-67", "+77011234567"),
            ("87011234567", "+77011234567"),
            ("77011234567", "+77011234567"),
            ("+998 90 123 45 67", "+998901234567"),
        ] {
            assert_eq!(normalize_phone(input).as_deref(), Ok(out), "{input}");
        }
        for bad in [
            "",
            "12345",
            "+0 123 456 789",
            "8 901 123 45 67",
            "+7 701 abc",
            "701123456",
        ] {
            assert_eq!(normalize_phone(bad), Err(PhoneError), "{bad}");
        }
    }

    #[test]
    fn staff_logins() {
        assert_eq!(normalize_staff_login(" Admin ").as_deref(), Ok("admin"));
        assert_eq!(
            normalize_staff_login("akimat.north_kz-2").as_deref(),
            Ok("akimat.north_kz-2")
        );
        for bad in [
            "ab",
            "1admin",
            "900514300121",
            "ad min",
            "админ",
            &"a".repeat(33),
        ] {
            assert_eq!(normalize_staff_login(bad), Err(StaffLoginError), "{bad}");
        }
    }

    #[test]
    fn logins_are_normalised() {
        assert_eq!(normalize_login(" 9005 1430 0121 "), "900514300121");
        assert_eq!(normalize_login("Admin"), "admin");
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let login = LoginRequest {
            login: "900514300121".into(),
            password: "secret-password".into(),
        };
        let resettler = RegisterResettler {
            iin: "900514300121".into(),
            phone: "+77011234567".into(),
            password: "secret-password".into(),
        };
        for text in [format!("{login:?}"), format!("{resettler:?}")] {
            for secret in ["900514300121", "secret-password", "7011234567"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
    }

    #[test]
    fn text_fields() {
        assert_eq!(
            clean_text("  ТОО Солтүстік  ").as_deref(),
            Some("ТОО Солтүстік")
        );
        assert_eq!(clean_text("x"), None);
        assert_eq!(clean_text("a\u{0}b"), None);
    }

    #[test]
    fn problems_are_told_in_each_language() {
        let texts = |f: &dyn Fn(Lang) -> String| Lang::ALL.map(f);
        let mut all = vec![
            texts(&|l| PasswordError::TooShort.message(l)),
            texts(&|l| PasswordError::TooLong.message(l)),
            texts(&|l| PhoneError.message(l)),
            texts(&|l| StaffLoginError.message(l)),
            texts(&|l| TextFieldError::Organisation.message(l)),
            texts(&|l| TextFieldError::Contact.message(l)),
        ];
        for kind in [IdKind::Iin, IdKind::Bin] {
            for e in [
                IdError::Length,
                IdError::NotDigits,
                IdError::CenturyDigit,
                IdError::EntityType,
                IdError::Month,
                IdError::CheckDigit,
            ] {
                all.push(texts(&|l| id_message(kind, e, l)));
            }
        }
        let cyrillic = |t: &str| t.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        for [kk, ru, en] in all {
            assert!(kk != ru && ru != en && kk != en, "{en}");
            assert!(cyrillic(&kk) && cyrillic(&ru) && !cyrillic(&en), "{en}");
            assert!(
                !ru.contains(['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і']),
                "{ru}"
            );
        }
        assert_eq!(
            id_message(IdKind::Bin, IdError::Length, Lang::Kk),
            "БСН дәл 12 цифрдан тұруы керек."
        );
    }
}
