//! Extractors that read a request's JSON body and query string and answer bad input with
//! the API's error shape: a stable code, the path of the offending field and a message for
//! people (see [`crate::error`]), never a parser's own words, which go to the log.
//!
//! The body is read in two steps, both with serde: into a JSON value (refusing duplicate
//! keys, as serde does for a struct's fields), then into the request type by a deserializer
//! over that value which notes where an error happened and what kind it was (missing or
//! unknown field, wrong type, unknown variant…). The offending value is then at hand too,
//! so a message can quote it.

use crate::{
    error::{hint, ApiError},
    routes::BODY_LIMIT,
};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{
    de::{
        self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, MapAccess, SeqAccess,
        Unexpected, VariantAccess, Visitor,
    },
    forward_to_deserialize_any, Deserializer, Serialize,
};
use serde_json::{Map, Value};
use std::fmt;

/// A JSON request body of type `T`. The body must be declared `application/json` (or
/// `application/…+json`) and fit within the API's body limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        if !declared_json(request.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::payload_too_large(BODY_LIMIT)
                } else {
                    tracing::info!(detail = %rejection.body_text(), "request body unreadable");
                    ApiError::unreadable_body()
                }
            })?;
        from_json(&bytes).map(ApiJson)
    }
}

/// A query string read into `T`, whose fields are the parameters (as text, or numbers and
/// booleans written as text). A parameter given twice is refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ApiQuery<T>, ApiError> {
        from_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
    }
}

/// `application/json`, or a JSON-based type such as `application/problem+json`, with any
/// parameters (`; charset=utf-8`).
fn declared_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a JSON body into `T`, or says what is wrong with it, where.
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(rejected(ApiError::empty_body(), &"empty body"));
    }
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let read = StrictSeed::root()
        .deserialize(&mut reader)
        // Nothing but whitespace may follow the value.
        .and_then(|value| reader.end().map(|()| value));
    let value = match read {
        Ok(value) => value,
        Err(e) => {
            let error = match duplicate_key(&e) {
                Some(path) => ApiError::duplicate_field(&path),
                None => ApiError::malformed_json(e.line(), e.column()),
            };
            return Err(rejected(error, &e));
        }
    };
    T::deserialize(JsonDe(&value)).map_err(|e| {
        let error = body_error(&e, &value);
        rejected(error, &e)
    })
}

/// Reads a query string into `T`, or says which parameter is wrong.
pub fn from_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(name), Some(value)) = (form_decode(name), form_decode(value)) else {
            return Err(rejected(
                ApiError::unreadable_query(),
                &"query is not UTF-8",
            ));
        };
        if pairs.iter().any(|(seen, _)| *seen == name) {
            return Err(rejected(
                ApiError::duplicate_parameter(&name),
                &"parameter given twice",
            ));
        }
        pairs.push((name, value));
    }
    T::deserialize(QueryDe(&pairs)).map_err(|e| {
        let error = query_error(&e, &pairs);
        rejected(error, &e)
    })
}

/// Logs what the parser said, which the client does not see, without the values it quotes:
/// a rejected body may hold an IIN, a phone or a password.
fn rejected(error: ApiError, detail: &dyn fmt::Display) -> ApiError {
    tracing::info!(
        code = error.code,
        field = error.field.as_deref().unwrap_or_default(),
        detail = %without_values(&detail.to_string()),
        "request rejected"
    );
    error
}

/// Serde quotes values in `backticks` or "double quotes": each becomes `…`.
fn without_values(detail: &str) -> String {
    let mut out = String::with_capacity(detail.len());
    let mut quote: Option<char> = None;
    for c in detail.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

// ---- Where in the body -------------------------------------------------------------------

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `applicant.birth_date`, `items[2].month`.
fn field_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The value at `path` in `root`.
fn value_at<'a>(root: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    path.iter().try_fold(root, |value, segment| match segment {
        Segment::Key(key) => value.as_object()?.get(key),
        Segment::Index(i) => value.as_array()?.get(*i),
    })
}

/// A value as a message quotes it: text as it is, anything else as JSON, at most 40
/// characters.
fn quoted(value: Option<&Value>) -> String {
    let text = match value {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    shorten(&text)
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX - 1).collect();
        short.push('…');
        short
    }
}

// ---- Errors with their place -------------------------------------------------------------

/// What did not fit the request type, and where.
#[derive(Debug)]
pub struct DataError {
    /// From the innermost step outwards: each level adds its own as the error passes.
    path_inside_out: Vec<Segment>,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Custom(String),
    InvalidType {
        unexpected: String,
        expected: String,
    },
    InvalidValue {
        unexpected: String,
        expected: String,
    },
    InvalidLength {
        len: usize,
        expected: String,
    },
    UnknownVariant(String),
    UnknownField(String),
    MissingField(&'static str),
    DuplicateField(&'static str),
}

impl DataError {
    fn at(mut self, segment: Segment) -> DataError {
        self.path_inside_out.push(segment);
        self
    }

    fn path(&self) -> Vec<Segment> {
        self.path_inside_out.iter().rev().cloned().collect()
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", field_path(&self.path()))?;
        match &self.kind {
            Kind::Custom(message) => write!(f, "{message}"),
            Kind::InvalidType {
                unexpected,
                expected,
            } => write!(f, "invalid type: {unexpected}, expected {expected}"),
            Kind::InvalidValue {
                unexpected,
                expected,
            } => write!(f, "invalid value: {unexpected}, expected {expected}"),
            Kind::InvalidLength { len, expected } => {
                write!(f, "invalid length {len}, expected {expected}")
            }
            Kind::UnknownVariant(v) => write!(f, "unknown variant `{v}`"),
            Kind::UnknownField(name) => write!(f, "unknown field `{name}`"),
            Kind::MissingField(name) => write!(f, "missing field `{name}`"),
            Kind::DuplicateField(name) => write!(f, "duplicate field `{name}`"),
        }
    }
}

impl std::error::Error for DataError {}

impl de::Error for DataError {
    fn custom<T: fmt::Display>(message: T) -> DataError {
        DataError::from(Kind::Custom(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected, expected: &dyn Expected) -> DataError {
        DataError::from(Kind::InvalidType {
            unexpected: unexpected.to_string(),
            expected: expected.to_string(),
        })
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn Expected) -> DataError {
        DataError::from(Kind::InvalidValue {
            unexpected: unexpected.to_string(),
            expected: expected.to_string(),
        })
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> DataError {
        DataError::from(Kind::InvalidLength {
            len,
            expected: expected.to_string(),
        })
    }

    fn unknown_variant(variant: &str, _expected: &'static [&'static str]) -> DataError {
        DataError::from(Kind::UnknownVariant(variant.to_string()))
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> DataError {
        DataError::from(Kind::UnknownField(field.to_string()))
    }

    fn missing_field(field: &'static str) -> DataError {
        DataError::from(Kind::MissingField(field))
    }

    fn duplicate_field(field: &'static str) -> DataError {
        DataError::from(Kind::DuplicateField(field))
    }
}

impl From<Kind> for DataError {
    fn from(kind: Kind) -> DataError {
        DataError {
            path_inside_out: Vec::new(),
            kind,
        }
    }
}

/// The API's answer to a body that is JSON but does not fit the request type.
fn body_error(error: &DataError, body: &Value) -> ApiError {
    let path = error.path();
    let field = field_path(&path);
    let with = |name: &'static str| {
        let mut inner = path.clone();
        inner.push(Segment::Key(name.to_string()));
        field_path(&inner)
    };
    let name = match path.last() {
        Some(Segment::Key(key)) => key.as_str(),
        _ => "",
    };
    let value = value_at(body, &path);
    let shown = quoted(value);
    match &error.kind {
        Kind::MissingField(missing) => ApiError::missing_field(&with(missing)),
        Kind::DuplicateField(duplicate) => ApiError::duplicate_field(&with(duplicate)),
        Kind::UnknownField(_) => ApiError::unknown_field(&field),
        _ if path.is_empty() => match body {
            Value::Object(_) => ApiError::invalid_request(),
            _ => ApiError::not_an_object(),
        },
        // 0, 16, -1 and 2.5 are all sizes out of 1..=15; "3" is a wrong type.
        _ if name == "family_size" && matches!(value, Some(Value::Number(_))) => {
            ApiError::family_size_out_of_range(&field, &shown)
        }
        Kind::Custom(_) | Kind::InvalidValue { .. }
            if matches!(name, "as_of" | "birth_date")
                && matches!(value, Some(Value::String(_))) =>
        {
            ApiError::invalid_date(&field, &shown)
        }
        Kind::UnknownVariant(_) if matches!(name, "region" | "current_region") => {
            ApiError::unknown_region(&field, &shown)
        }
        Kind::InvalidType { .. } => ApiError::invalid_type(&field, hint(name)),
        Kind::UnknownVariant(_)
        | Kind::InvalidValue { .. }
        | Kind::InvalidLength { .. }
        | Kind::Custom(_) => ApiError::invalid_value(&field, &shown, hint(name)),
    }
}

/// The API's answer to a query parameter that does not fit the query type.
fn query_error(error: &DataError, pairs: &[(String, String)]) -> ApiError {
    let name = match error.path().first() {
        Some(Segment::Key(name)) => name.clone(),
        _ => String::new(),
    };
    match &error.kind {
        Kind::MissingField(missing) => ApiError::missing_parameter(missing),
        Kind::UnknownField(unknown) => ApiError::unknown_parameter(unknown),
        Kind::DuplicateField(duplicate) => ApiError::duplicate_parameter(duplicate),
        _ if name.is_empty() => ApiError::unreadable_query(),
        _ => {
            let value = pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| shorten(v))
                .unwrap_or_default();
            ApiError::invalid_parameter(&name, &value)
        }
    }
}

// ---- Reading JSON, refusing duplicate keys ------------------------------------------------

/// Starts the message of a duplicate-key error, followed by the key's path; never in a
/// message a person sees.
const DUPLICATE_KEY: &str = "\u{1}duplicate key\u{1}";

/// The path of a duplicate key, if that is what `error` is about.
fn duplicate_key(error: &serde_json::Error) -> Option<String> {
    let text = error.to_string();
    let rest = text.strip_prefix(DUPLICATE_KEY)?;
    Some(
        rest.rsplit_once(" at line ")
            .map_or(rest, |(path, _)| path)
            .to_string(),
    )
}

/// Reads any JSON value, as `serde_json::Value` does, but refuses an object with the same key
/// twice (which would otherwise keep the last, silently).
struct StrictSeed {
    path: Vec<Segment>,
}

impl StrictSeed {
    fn root() -> StrictSeed {
        StrictSeed { path: Vec::new() }
    }

    fn child(&self, segment: Segment) -> StrictSeed {
        let mut path = self.path.clone();
        path.push(segment);
        StrictSeed { path }
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(Segment::Index(items.len())))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let seed = self.child(Segment::Key(key.clone()));
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "{DUPLICATE_KEY}{}",
                    field_path(&seed.path)
                )));
            }
            let value = map.next_value_seed(seed)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

// ---- Deserializing a JSON value, noting where errors happen --------------------------------

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A JSON value as serde_json's own `Value` deserializes, with errors that keep their place.
struct JsonDe<'a>(&'a Value);

impl<'de> Deserializer<'de> for JsonDe<'_> {
    type Error = DataError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => {
                let mut seq = SeqDe {
                    items: items.iter(),
                    index: 0,
                };
                let value = visitor.visit_seq(&mut seq)?;
                if seq.items.len() == 0 {
                    Ok(value)
                } else {
                    Err(de::Error::invalid_length(
                        items.len(),
                        &"fewer elements in array",
                    ))
                }
            }
            Value::Object(object) => {
                let mut map = MapDe {
                    entries: object.iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut map)?;
                if map.entries.len() == 0 {
                    Ok(value)
                } else {
                    Err(de::Error::invalid_length(
                        object.len(),
                        &"fewer elements in map",
                    ))
                }
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DataError> {
        match self.0 {
            Value::String(variant) => visitor.visit_enum(EnumDe {
                variant,
                value: None,
            }),
            Value::Object(object) if object.len() == 1 => {
                let (variant, value) = object.iter().next().expect("one entry");
                visitor.visit_enum(EnumDe {
                    variant,
                    value: Some(value),
                })
            }
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"a string or an object with one key",
            )),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DataError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'de> SeqAccess<'de> for SeqDe<'_> {
    type Error = DataError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DataError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(JsonDe(item))
            .map(Some)
            .map_err(|e| e.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    entries: serde_json::map::Iter<'a>,
    value: Option<(&'a String, &'a Value)>,
}

impl<'de> MapAccess<'de> for MapDe<'_> {
    type Error = DataError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DataError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(TextDe(key))
            .map(Some)
            .map_err(|e| e.at(Segment::Key(key.clone())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DataError> {
        let (key, value) = self.value.take().ok_or_else(|| {
            <DataError as de::Error>::custom("a map value was asked for before its key")
        })?;
        seed.deserialize(JsonDe(value))
            .map_err(|e| e.at(Segment::Key(key.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct EnumDe<'a> {
    variant: &'a str,
    value: Option<&'a Value>,
}

impl<'a, 'de> EnumAccess<'de> for EnumDe<'a> {
    type Error = DataError;
    type Variant = VariantDe<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantDe<'a>), DataError> {
        let variant = seed.deserialize(TextDe(self.variant))?;
        Ok((
            variant,
            VariantDe {
                name: self.variant,
                value: self.value,
            },
        ))
    }
}

struct VariantDe<'a> {
    name: &'a str,
    value: Option<&'a Value>,
}

impl VariantDe<'_> {
    fn inside(&self, error: DataError) -> DataError {
        error.at(Segment::Key(self.name.to_string()))
    }
}

impl<'de> VariantAccess<'de> for VariantDe<'_> {
    type Error = DataError;

    fn unit_variant(self) -> Result<(), DataError> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(self.inside(de::Error::invalid_type(
                unexpected(other),
                &"a unit variant",
            ))),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DataError> {
        match self.value {
            Some(value) => seed.deserialize(JsonDe(value)).map_err(|e| self.inside(e)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"a newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DataError> {
        match self.value {
            Some(value @ Value::Array(_)) => JsonDe(value)
                .deserialize_any(visitor)
                .map_err(|e| self.inside(e)),
            other => Err(de::Error::invalid_type(
                other.map_or(Unexpected::UnitVariant, unexpected),
                &"a tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DataError> {
        match self.value {
            Some(value @ Value::Object(_)) => JsonDe(value)
                .deserialize_any(visitor)
                .map_err(|e| self.inside(e)),
            other => Err(de::Error::invalid_type(
                other.map_or(Unexpected::UnitVariant, unexpected),
                &"a struct variant",
            )),
        }
    }
}

/// Text that may stand for a number or a boolean: an object's key (as serde_json reads keys)
/// or a query parameter's value.
struct TextDe<'a>(&'a str);

impl TextDe<'_> {
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        let text = self.0;
        if let Ok(u) = text.parse::<u64>() {
            visitor.visit_u64(u)
        } else if let Ok(i) = text.parse::<i64>() {
            visitor.visit_i64(i)
        } else if let Ok(f) = text.parse::<f64>() {
            visitor.visit_f64(f)
        } else {
            visitor.visit_str(text)
        }
    }
}

macro_rules! numbers_from_text {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
            self.number(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for TextDe<'_> {
    type Error = DataError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        visitor.visit_str(self.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        match self.0 {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => visitor.visit_str(other),
        }
    }

    numbers_from_text! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DataError> {
        visitor.visit_enum(EnumDe {
            variant: self.0,
            value: None,
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DataError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier
    }
}

// ---- Query strings ------------------------------------------------------------------------

/// `+` as a space and `%XX` escapes, as HTML forms write a query; `None` when the result is
/// not UTF-8.
fn form_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if hex(i + 1).is_some() && hex(i + 2).is_some() => {
                let (high, low) = (hex(i + 1).unwrap_or(0), hex(i + 2).unwrap_or(0));
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The parameters of a query string, as a map of text.
struct QueryDe<'a>(&'a [(String, String)]);

impl<'de> Deserializer<'de> for QueryDe<'_> {
    type Error = DataError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DataError> {
        visitor.visit_map(QueryMap {
            pairs: self.0.iter(),
            value: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct QueryMap<'a> {
    pairs: std::slice::Iter<'a, (String, String)>,
    value: Option<&'a (String, String)>,
}

impl<'de> MapAccess<'de> for QueryMap<'_> {
    type Error = DataError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DataError> {
        let Some(pair) = self.pairs.next() else {
            return Ok(None);
        };
        self.value = Some(pair);
        seed.deserialize(TextDe(&pair.0))
            .map(Some)
            .map_err(|e| e.at(Segment::Key(pair.0.clone())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DataError> {
        let (name, value) = self.value.take().ok_or_else(|| {
            <DataError as de::Error>::custom("a parameter's value was asked for before its name")
        })?;
        seed.deserialize(TextDe(value))
            .map_err(|e| e.at(Segment::Key(name.clone())))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_values_are_left_out_of_the_log() {
        use super::without_values;
        assert_eq!(
            without_values("iin: invalid type: integer `850101300015`, expected a string"),
            "iin: invalid type: integer `…`, expected a string"
        );
        assert_eq!(
            without_values(r#"invalid value: string "secret pass", expected x"#),
            r#"invalid value: string "…", expected x"#
        );
        assert_eq!(without_values("cut `off"), "cut `…");
        assert_eq!(without_values("line 1 column 5"), "line 1 column 5");
    }

    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Inner,
        #[serde(default)]
        list: Vec<Inner>,
        #[serde(default)]
        by_number: BTreeMap<u32, bool>,
        shape: Option<Shape>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        n: u8,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Dot,
        Circle { r: u8 },
        Pair(u8, u8),
    }

    fn error(json: &str) -> ApiError {
        from_json::<Outer>(json.as_bytes()).unwrap_err()
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let json = r#"{"inner": {"n": 1}, "list": [{"n": 2}], "by_number": {"7": true},
                       "shape": {"circle": {"r": 3}}}"#;
        let outer: Outer = from_json(json.as_bytes()).unwrap();
        assert_eq!(outer, serde_json::from_str::<Outer>(json).unwrap());
        for shape in [r#""dot""#, r#"{"pair": [1, 2]}"#, "null"] {
            let json = format!(r#"{{"inner": {{"n": 1}}, "shape": {shape}}}"#);
            assert_eq!(
                from_json::<Outer>(json.as_bytes()).unwrap(),
                serde_json::from_str::<Outer>(&json).unwrap()
            );
        }
    }

    #[test]
    fn errors_name_their_field() {
        for (json, code, field) in [
            (
                r#"{"inner": {"n": 300}, "shape": null}"#,
                "invalid_value",
                "inner.n",
            ),
            (
                r#"{"inner": {"n": "1"}, "shape": null}"#,
                "invalid_type",
                "inner.n",
            ),
            (
                r#"{"inner": {}, "shape": null}"#,
                "missing_field",
                "inner.n",
            ),
            (r#"{"shape": null}"#, "missing_field", "inner"),
            (
                r#"{"inner": {"n": 1, "m": 2}, "shape": null}"#,
                "unknown_field",
                "inner.m",
            ),
            (
                r#"{"inner": {"n": 1}, "list": [{"n": 1}, {"n": -1}], "shape": null}"#,
                "invalid_value",
                "list[1].n",
            ),
            (
                r#"{"inner": {"n": 1}, "by_number": {"x": true}, "shape": null}"#,
                "invalid_type",
                "by_number.x",
            ),
            (
                r#"{"inner": {"n": 1}, "shape": "square"}"#,
                "invalid_value",
                "shape",
            ),
            (
                r#"{"inner": {"n": 1}, "shape": {"circle": {"r": "big"}}}"#,
                "invalid_type",
                "shape.circle.r",
            ),
            (
                r#"{"inner": {"n": 1}, "inner": {"n": 2}, "shape": null}"#,
                "duplicate_field",
                "inner",
            ),
            (
                r#"{"inner": {"n": 1, "n": 2}, "shape": null}"#,
                "duplicate_field",
                "inner.n",
            ),
        ] {
            let e = error(json);
            assert_eq!(
                (e.code, e.field.as_deref()),
                (code, Some(field)),
                "{json}: {e:?}"
            );
        }
    }

    #[test]
    fn errors_without_a_field() {
        for (json, code) in [
            ("", "malformed_json"),
            ("  \n", "malformed_json"),
            ("{", "malformed_json"),
            ("{} x", "malformed_json"),
            ("[]", "invalid_type"),
            ("42", "invalid_type"),
        ] {
            let e = error(json);
            assert_eq!(
                (e.code, e.field.as_deref()),
                (code, None),
                "{json:?}: {e:?}"
            );
        }
        let e = error("{\n  \"inner\": }");
        assert!(e.message.contains("line 2"), "{}", e.message);
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Query {
        year: Option<i32>,
        lang: Option<String>,
        flag: Option<bool>,
    }

    #[test]
    fn query_parameters_are_text_numbers_or_booleans() {
        let q: Query = from_query("year=2026&lang=k%6B&flag=true&other=x").unwrap();
        assert_eq!(
            q,
            Query {
                year: Some(2026),
                lang: Some("kk".into()),
                flag: Some(true),
            }
        );
        let q: Query = from_query("lang=a+b").unwrap();
        assert_eq!(q.lang.as_deref(), Some("a b"));
        for (query, field) in [
            ("year=20x6", Some("year")),
            ("year=1&year=2", Some("year")),
            ("flag=maybe", Some("flag")),
            ("lang=%FF", None),
        ] {
            let e = from_query::<Query>(query).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                ("invalid_query", field),
                "{query}"
            );
        }
    }
}
