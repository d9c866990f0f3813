//! The one error type of the API. Every error leaves the server as
//! `{"error": {"code", "message", "field"?}}` so clients need a single error path: `code` is
//! stable and machine-readable, `field` is the JSON path of the offending field (or the
//! query parameter) when there is one, and `message` is in the request's language.
//!
//! An error is made without knowing the language: [`localize`], a layer over the API
//! routes, writes its message in the language the request asked for (`?lang=`, else
//! `Accept-Language`, else English). What a parser said stays in the server's log; the
//! client gets words written for people.

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use chrono::NaiveDate;
use shared::{
    api::{ErrorBody, ErrorDetail},
    Lang, Localized,
};

/// An error answer: HTTP status, a stable machine-readable code, the offending field and a
/// message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    /// The message in English, and in every language when there is no `translations`.
    pub message: String,
    /// The JSON path of the offending field (`applicant.birth_date`) or the name of the
    /// query parameter (`year`).
    pub field: Option<String>,
    /// The message in Kazakh, Russian and English.
    translations: Option<Box<Localized>>,
}

/// What a field expects, in each language: the end of "expected …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub kk: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
}

/// The texts of the public eligibility request's fields, by field name.
pub fn hint(field_name: &str) -> Option<Hint> {
    let hint = |kk, ru, en| Some(Hint { kk, ru, en });
    match field_name {
        "as_of" | "birth_date" => hint(
            "ЖЖЖЖ-АА-КК түріндегі күн",
            "дата в формате ГГГГ-ММ-ДД",
            "a date written YYYY-MM-DD",
        ),
        "family_size" => hint(
            "1-ден 15-ке дейінгі бүтін сан",
            "целое число от 1 до 15",
            "a whole number from 1 to 15",
        ),
        "region" | "current_region" => hint(
            "/api/v1/policy тізіміндегі өңір идентификаторы",
            "идентификатор региона из /api/v1/policy",
            "a region id listed at /api/v1/policy",
        ),
        "citizenship" => hint(
            "citizen, kandas немесе foreign",
            "citizen, kandas или foreign",
            "citizen, kandas or foreign",
        ),
        "settlement" => hint("urban немесе rural", "urban или rural", "urban or rural"),
        "prior_resettlement_support" => {
            hint("true немесе false", "true или false", "true or false")
        }
        "iin" => hint(
            "тырнақшадағы 12 цифр",
            "12 цифр в кавычках",
            "12 digits in quotes",
        ),
        "applicant" | "destination" => hint("JSON нысаны", "JSON-объект", "a JSON object"),
        _ => None,
    }
}

fn texts(kk: String, ru: String, en: String) -> Localized {
    Localized { kk, ru, en }
}

impl ApiError {
    /// An error whose message is the same in every language. Prefer [`ApiError::localized`].
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            translations: None,
        }
    }

    /// An error with its message in Kazakh, Russian and English.
    pub fn localized(status: StatusCode, code: &'static str, messages: Localized) -> ApiError {
        ApiError {
            status,
            code,
            message: messages.en.clone(),
            field: None,
            translations: Some(Box::new(messages)),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    fn invalid(code: &'static str, messages: Localized) -> ApiError {
        ApiError::localized(StatusCode::BAD_REQUEST, code, messages)
    }

    /// Names the offending field: its JSON path, or the query parameter.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match &self.translations {
            Some(t) => t.get(lang),
            None => &self.message,
        }
    }

    /// The body in `lang`.
    pub fn body_in(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message_in(lang).to_string(),
                field: self.field.clone(),
            },
        }
    }

    /// The body in English.
    pub fn body(&self) -> ErrorBody {
        self.body_in(Lang::En)
    }

    pub fn not_found(path: &str) -> ApiError {
        ApiError::localized(
            StatusCode::NOT_FOUND,
            "not_found",
            texts(
                format!("API-да мұндай мекенжай жоқ: {path}."),
                format!("Такого адреса в API нет: {path}."),
                format!("There is no such API endpoint: {path}."),
            ),
        )
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::localized(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            texts(
                "Бұл мекенжай мұндай HTTP әдісін қабылдамайды.".into(),
                "Этот адрес не принимает такой HTTP-метод.".into(),
                "This endpoint does not accept that HTTP method.".into(),
            ),
        )
    }

    pub fn method_not_allowed_for(method: &Method) -> ApiError {
        ApiError::localized(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            texts(
                format!("Бұл мекенжай {method} әдісін қабылдамайды."),
                format!("Этот адрес не принимает метод {method}."),
                format!("This endpoint does not accept the {method} method."),
            ),
        )
    }

    /// The database could not be reached; retrying later may help. `message` is the
    /// English text; the other languages say the same in general words.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::localized(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            texts(
                "Қызмет уақытша қолжетімсіз. Бір минуттан кейін қайталап көріңіз.".into(),
                "Сервис временно недоступен. Попробуйте ещё раз через минуту.".into(),
                message.into(),
            ),
        )
    }

    /// A fault on our side. The details go to the log, not to the client.
    pub fn internal() -> ApiError {
        ApiError::localized(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            texts(
                "Сервер сұрауды орындай алмады.".into(),
                "Сервер не смог выполнить запрос.".into(),
                "The server could not complete the request.".into(),
            ),
        )
    }

    // ---- The body --------------------------------------------------------------------

    /// The body is not JSON; `line` and `column` (from 1) say where reading stopped.
    pub fn malformed_json(line: usize, column: usize) -> ApiError {
        ApiError::invalid(
            "malformed_json",
            texts(
                format!("Сұраудың денесі дұрыс JSON емес ({line}-жол, {column}-позиция)."),
                format!(
                    "Тело запроса не является корректным JSON (строка {line}, позиция {column})."
                ),
                format!("The request body is not valid JSON (line {line}, column {column})."),
            ),
        )
    }

    pub fn empty_body() -> ApiError {
        ApiError::invalid(
            "malformed_json",
            texts(
                "Сұраудың денесі бос: сұрауды JSON пішімінде жіберіңіз.".into(),
                "Тело запроса пустое: отправьте запрос в формате JSON.".into(),
                "The request body is empty: send the request as JSON.".into(),
            ),
        )
    }

    /// The same key twice in one JSON object.
    pub fn duplicate_field(field: &str) -> ApiError {
        ApiError::invalid(
            "duplicate_field",
            texts(
                format!("«{field}» өрісі бірнеше рет берілген."),
                format!("Поле «{field}» указано несколько раз."),
                format!("The field “{field}” is given more than once."),
            ),
        )
        .with_field(field)
    }

    pub fn payload_too_large(limit_bytes: usize) -> ApiError {
        let kib = limit_bytes / 1024;
        ApiError::localized(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            texts(
                format!("Сұраудың денесі тым үлкен: ең көбі {kib} КБ."),
                format!("Тело запроса слишком большое: не более {kib} КБ."),
                format!("The request body is too large: at most {kib} KiB."),
            ),
        )
    }

    pub fn unsupported_media_type() -> ApiError {
        ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            texts(
                "Сұраудың денесін JSON пішімінде, «Content-Type: application/json» тақырыбымен жіберіңіз.".into(),
                "Отправьте тело запроса в формате JSON с заголовком «Content-Type: application/json».".into(),
                "Send the request body as JSON, with the header “Content-Type: application/json”.".into(),
            ),
        )
    }

    /// The body could not be read (e.g. the connection broke).
    pub fn unreadable_body() -> ApiError {
        ApiError::invalid(
            "invalid_body",
            texts(
                "Сұраудың денесін оқу мүмкін болмады.".into(),
                "Не удалось прочитать тело запроса.".into(),
                "The request body could not be read.".into(),
            ),
        )
    }

    // ---- Fields of the body ----------------------------------------------------------

    /// The body is JSON but not an object (an array, a number…).
    pub fn not_an_object() -> ApiError {
        ApiError::invalid(
            "invalid_type",
            texts(
                "Сұраудың денесі JSON нысаны ({…}) болуы керек.".into(),
                "Тело запроса должно быть JSON-объектом ({…}).".into(),
                "The request body must be a JSON object ({…}).".into(),
            ),
        )
    }

    /// A JSON object that does not fit the request as a whole.
    pub fn invalid_request() -> ApiError {
        ApiError::invalid(
            "invalid_request",
            texts(
                "Сұраудың денесі бұл мекенжай күтетін сұрауға сәйкес келмейді.".into(),
                "Тело запроса не соответствует тому, что ожидает этот адрес.".into(),
                "The request body does not match what this endpoint expects.".into(),
            ),
        )
    }

    pub fn missing_field(field: &str) -> ApiError {
        ApiError::invalid(
            "missing_field",
            texts(
                format!("Міндетті «{field}» өрісі көрсетілмеген."),
                format!("Не указано обязательное поле «{field}»."),
                format!("The required field “{field}” is missing."),
            ),
        )
        .with_field(field)
    }

    pub fn unknown_field(field: &str) -> ApiError {
        ApiError::invalid(
            "unknown_field",
            texts(
                format!("Сұрауда белгісіз «{field}» өрісі бар: атауын тексеріңіз."),
                format!("В запросе есть неизвестное поле «{field}»: проверьте название."),
                format!(
                    "The request has a field this API does not know, “{field}”: check its name."
                ),
            ),
        )
        .with_field(field)
    }

    pub fn invalid_type(field: &str, hint: Option<Hint>) -> ApiError {
        let messages = match hint {
            Some(h) => texts(
                format!("«{field}» өрісінің түрі дұрыс емес: {} күтіледі.", h.kk),
                format!("Поле «{field}» имеет неверный тип: ожидается {}.", h.ru),
                format!("The field “{field}” has the wrong type: expected {}.", h.en),
            ),
            None => texts(
                format!("«{field}» өрісінің түрі дұрыс емес."),
                format!("Поле «{field}» имеет неверный тип."),
                format!("The field “{field}” has the wrong type."),
            ),
        };
        ApiError::invalid("invalid_type", messages).with_field(field)
    }

    /// A value of the right type that is not one of the accepted ones.
    pub fn invalid_value(field: &str, value: &str, hint: Option<Hint>) -> ApiError {
        let messages = match hint {
            Some(h) => texts(
                format!(
                    "«{value}» — «{field}» өрісі үшін жарамсыз мән: {} күтіледі.",
                    h.kk
                ),
                format!(
                    "«{value}» — недопустимое значение поля «{field}»: ожидается {}.",
                    h.ru
                ),
                format!(
                    "“{value}” is not an accepted value of “{field}”: expected {}.",
                    h.en
                ),
            ),
            None => texts(
                format!("«{value}» — «{field}» өрісі үшін жарамсыз мән."),
                format!("«{value}» — недопустимое значение поля «{field}»."),
                format!("“{value}” is not an accepted value of “{field}”."),
            ),
        };
        ApiError::invalid("invalid_value", messages).with_field(field)
    }

    /// Not a date, or a day that does not exist (`1990-02-30`).
    pub fn invalid_date(field: &str, value: &str) -> ApiError {
        ApiError::invalid(
            "invalid_date",
            texts(
                format!("«{field}» өрісіндегі «{value}» — күн емес: оны ЖЖЖЖ-АА-КК түрінде, күнтізбеде бар күнмен жазыңыз (мысалы, 1990-05-14)."),
                format!("«{value}» в поле «{field}» — не дата: укажите существующую дату в формате ГГГГ-ММ-ДД (например, 1990-05-14)."),
                format!("“{value}” in “{field}” is not a date: write a day that exists, as YYYY-MM-DD (e.g. 1990-05-14)."),
            ),
        )
        .with_field(field)
    }

    pub fn unknown_region(field: &str, value: &str) -> ApiError {
        ApiError::invalid(
            "unknown_region",
            texts(
                format!("«{value}» — өңір идентификаторы емес. Идентификаторлар тізімі: /api/v1/policy (мысалы, north_kazakhstan)."),
                format!("«{value}» — не идентификатор региона. Список идентификаторов: /api/v1/policy (например, north_kazakhstan)."),
                format!("“{value}” is not a region id. The ids are listed at /api/v1/policy (e.g. north_kazakhstan)."),
            ),
        )
        .with_field(field)
    }

    pub fn family_size_out_of_range(field: &str, value: &str) -> ApiError {
        ApiError::invalid(
            "family_size_out_of_range",
            texts(
                format!("Отбасы мүшелерінің саны өтініш берушіні қоса алғанда 1-ден 15-ке дейінгі бүтін сан болуы керек; көрсетілгені: {value}."),
                format!("Размер семьи должен быть целым числом от 1 до 15, включая заявителя; указано: {value}."),
                format!("The family size must be a whole number from 1 to 15, the applicant included; got {value}."),
            ),
        )
        .with_field(field)
    }

    /// `as_of` before the program's rules apply.
    pub fn as_of_out_of_range(first: Option<NaiveDate>) -> ApiError {
        let messages = match first {
            Some(first) => {
                let on = |lang| shared::date::format(first, lang);
                texts(
                    format!("Бағдарлама ережелері {} бастап қолданылады: «as_of» одан ерте бола алмайды.", on(Lang::Kk)),
                    format!("Правила программы действуют с {}: дата «as_of» не может быть раньше.", on(Lang::Ru)),
                    format!("The program's rules apply from {}: “as_of” cannot be earlier.", on(Lang::En)),
                )
            }
            None => texts(
                "Бұл күнге бағдарлама ережелері белгіленбеген.".into(),
                "На эту дату правила программы не установлены.".into(),
                "The program's rules are not set for this date.".into(),
            ),
        };
        ApiError::invalid("as_of_out_of_range", messages).with_field("as_of")
    }

    // ---- The query -------------------------------------------------------------------

    pub fn invalid_lang(value: &str) -> ApiError {
        ApiError::invalid(
            "invalid_lang",
            texts(
                format!("«{value}» тілі белгісіз: kk, ru немесе en қолданыңыз."),
                format!("Неизвестный язык «{value}»: используйте kk, ru или en."),
                format!("Unknown language “{value}”: use kk, ru or en."),
            ),
        )
        .with_field("lang")
    }

    pub fn year_required() -> ApiError {
        ApiError::invalid(
            "invalid_year",
            texts(
                "«year» сұрау параметрі міндетті, мысалы: ?year=2026.".into(),
                "Нужен параметр запроса «year», например: ?year=2026.".into(),
                "The query parameter “year” is required, e.g. ?year=2026.".into(),
            ),
        )
        .with_field("year")
    }

    pub fn invalid_year(value: &str, first: i32, last: i32) -> ApiError {
        ApiError::invalid(
            "invalid_year",
            texts(
                format!("«year» параметрі {first}–{last} аралығындағы бүтін сан болуы керек; көрсетілгені: «{value}»."),
                format!("Параметр «year» должен быть целым числом от {first} до {last}; указано: «{value}»."),
                format!("“year” must be a whole number from {first} to {last}; got “{value}”."),
            ),
        )
        .with_field("year")
    }

    pub fn duplicate_parameter(name: &str) -> ApiError {
        ApiError::invalid(
            "invalid_query",
            texts(
                format!("«{name}» сұрау параметрі бірнеше рет берілген."),
                format!("Параметр запроса «{name}» указан несколько раз."),
                format!("The query parameter “{name}” is given more than once."),
            ),
        )
        .with_field(name)
    }

    pub fn missing_parameter(name: &str) -> ApiError {
        ApiError::invalid(
            "invalid_query",
            texts(
                format!("«{name}» сұрау параметрі міндетті."),
                format!("Нужен параметр запроса «{name}»."),
                format!("The query parameter “{name}” is required."),
            ),
        )
        .with_field(name)
    }

    pub fn invalid_parameter(name: &str, value: &str) -> ApiError {
        ApiError::invalid(
            "invalid_query",
            texts(
                format!("«{name}» сұрау параметрінің мәні жарамсыз: «{value}»."),
                format!("Недопустимое значение параметра запроса «{name}»: «{value}»."),
                format!(
                    "The query parameter “{name}” has a value that is not accepted: “{value}”."
                ),
            ),
        )
        .with_field(name)
    }

    pub fn unknown_parameter(name: &str) -> ApiError {
        ApiError::invalid(
            "invalid_query",
            texts(
                format!("«{name}» сұрау параметрі белгісіз."),
                format!("Неизвестный параметр запроса «{name}»."),
                format!("The query parameter “{name}” is not known here."),
            ),
        )
        .with_field(name)
    }

    /// The query string is not readable text.
    pub fn unreadable_query() -> ApiError {
        ApiError::invalid(
            "invalid_query",
            texts(
                "Сұрау жолын оқу мүмкін емес: ол UTF-8 мәтіні емес.".into(),
                "Строку запроса нельзя прочитать: это не текст в UTF-8.".into(),
                "The query string cannot be read: it is not UTF-8 text.".into(),
            ),
        )
    }
}

impl IntoResponse for ApiError {
    /// The body in English; [`localize`] rewrites it in the request's language, finding the
    /// error itself among the response's extensions.
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The language of an API answer: `?lang=` when it names one of kk, ru, en; else the first
/// of them in `Accept-Language`; else English.
pub fn request_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    query
        .and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.strip_prefix("lang="))
                .next_back()
        })
        .and_then(Lang::from_code)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::En)
}

/// The texts of an error whose code alone says what is wrong, for errors made elsewhere
/// with an English message only (such as the request guard's).
fn standard_texts(code: &str) -> Option<ApiError> {
    match code {
        "unsupported_media_type" => Some(ApiError::unsupported_media_type()),
        "method_not_allowed" => Some(ApiError::method_not_allowed()),
        "internal_error" => Some(ApiError::internal()),
        _ => None,
    }
}

/// Middleware: an [`ApiError`] answer gets its message in the request's language, with
/// `Content-Language`.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = request_lang(request.uri().query(), request.headers());
    let mut response = next.run(request).await;
    let Some(mut error) = response.extensions_mut().remove::<ApiError>() else {
        return response;
    };
    if error.translations.is_none() {
        if let Some(standard) = standard_texts(error.code) {
            error.translations = standard.translations;
        }
    }
    let (mut parts, body) = response.into_parts();
    // A compressed body cannot be rewritten; the API router localizes inside its compression.
    let body = if lang == Lang::En || parts.headers.contains_key(header::CONTENT_ENCODING) {
        body
    } else {
        match serde_json::to_vec(&error.body_in(lang)) {
            Ok(bytes) => {
                parts.headers.remove(header::CONTENT_LENGTH);
                Body::from(bytes)
            }
            Err(_) => body,
        }
    };
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-language"));
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_localized_error_has_three_different_texts() {
        let errors = [
            ApiError::not_found("/api/v1/x"),
            ApiError::method_not_allowed_for(&Method::DELETE),
            ApiError::malformed_json(1, 2),
            ApiError::empty_body(),
            ApiError::payload_too_large(16 * 1024),
            ApiError::unsupported_media_type(),
            ApiError::not_an_object(),
            ApiError::missing_field("destination"),
            ApiError::unknown_field("applicant.shoe_size"),
            ApiError::invalid_type("family_size", hint("family_size")),
            ApiError::invalid_value("citizenship", "martian", hint("citizenship")),
            ApiError::invalid_date("as_of", "2026-02-30"),
            ApiError::unknown_region("destination.region", "narnia"),
            ApiError::family_size_out_of_range("family_size", "16"),
            ApiError::as_of_out_of_range(NaiveDate::from_ymd_opt(2024, 1, 1)),
            ApiError::invalid_lang("de"),
            ApiError::year_required(),
            ApiError::invalid_year("abc", 2000, 2100),
            ApiError::duplicate_parameter("year"),
            ApiError::unavailable("the database is unreachable"),
        ];
        for e in errors {
            let [kk, ru, en] = Lang::ALL.map(|l| e.message_in(l).to_string());
            assert!(kk != ru && ru != en && kk != en, "{e:?}");
            assert_eq!(en, e.message);
            assert!(!en.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)));
            for text in [&kk, &ru] {
                assert!(text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)));
            }
            // Kazakh has its own letters; Russian does not use them.
            assert!(
                !ru.contains(['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і']),
                "{ru}"
            );
        }
    }

    #[test]
    fn dates_in_messages_follow_the_language() {
        let e = ApiError::as_of_out_of_range(NaiveDate::from_ymd_opt(2024, 1, 1));
        assert!(e.message_in(Lang::Ru).contains("с 01.01.2024"));
        assert!(e.message_in(Lang::Kk).contains("01.01.2024 бастап"));
        assert!(e.message_in(Lang::En).contains("from 1 January 2024"));
        assert_eq!(e.field.as_deref(), Some("as_of"));
    }

    #[test]
    fn the_language_comes_from_the_query_then_the_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_lang(None, &headers), Lang::En);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("ru-RU,en"),
        );
        assert_eq!(request_lang(None, &headers), Lang::Ru);
        assert_eq!(request_lang(Some("year=2026&lang=kk"), &headers), Lang::Kk);
        assert_eq!(request_lang(Some("lang=de"), &headers), Lang::Ru);
        assert_eq!(request_lang(Some("xlang=kk"), &headers), Lang::Ru);
    }
}
