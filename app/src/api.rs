//! Calls to the server's public API (`/api/v1`) with gloo-net.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::{
    api::{EligibilityRequest, EligibilityResponse, ErrorBody, QuotasResponse, API_PREFIX},
    quota::QuotaSnapshot,
    Lang,
};

/// Why a call did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No response at all: offline, DNS, connection dropped.
    Network,
    /// The server answered with its error shape `{"error": {"code", "message"}}`.
    Server { code: String, message: String },
    /// The server answered something we cannot read.
    BadResponse { status: u16 },
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let body = response.text().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        serde_json::from_str(&body).map_err(|_| ApiError::BadResponse { status })
    } else {
        match serde_json::from_str::<ErrorBody>(&body) {
            Ok(e) => Err(ApiError::Server {
                code: e.error.code,
                message: e.error.message,
            }),
            Err(_) => Err(ApiError::BadResponse { status }),
        }
    }
}

/// `GET /api/v1/quotas?year=…`: every resettlement region's quota for `year`.
pub async fn fetch_quotas(year: i32) -> Result<QuotaSnapshot, ApiError> {
    let url = format!("{API_PREFIX}/quotas?year={year}");
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    let regions: QuotasResponse = decode(response).await?;
    Ok(QuotaSnapshot::new(year, regions))
}

/// `POST /api/v1/eligibility?lang=…`: the server's authoritative answer.
pub async fn check_eligibility(
    request: &EligibilityRequest,
    lang: Lang,
) -> Result<EligibilityResponse, ApiError> {
    let url = format!("{API_PREFIX}/eligibility?lang={}", lang.code());
    let response = Request::post(&url)
        .json(request)
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}
