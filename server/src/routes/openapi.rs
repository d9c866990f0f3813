//! The OpenAPI 3 document of the API, generated from the handlers' annotations.

use axum::Json;
use shared::api::API_PREFIX;
use std::sync::OnceLock;
use utoipa::{
    openapi::{path::Paths, OpenApi as Document},
    OpenApi,
};

/// Schemas of the request and response types: the shared crate's own, plus the quotas map.
pub mod schemas {
    pub use shared::{
        api::{EligibilityRequest, EligibilityResponse, ErrorBody, Health},
        Policy,
    };

    /// `shared::api::QuotasResponse` is a map alias; described here so the document names it
    /// and keys it by region id.
    pub struct QuotasResponse;

    impl utoipa::PartialSchema for QuotasResponse {
        fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
            use utoipa::openapi::{schema::ObjectBuilder, Ref, RefOr};
            use utoipa::ToSchema;
            let region_ids = match <shared::Region as utoipa::PartialSchema>::schema() {
                RefOr::T(schema) => Some(schema),
                RefOr::Ref(_) => None,
            };
            ObjectBuilder::new()
                .description(Some("Resettlement region id → its quota for the year"))
                .property_names(region_ids)
                .additional_properties(Some(Ref::from_schema_name(
                    shared::quota::QuotaStatus::name(),
                )))
                .into()
        }
    }

    impl utoipa::ToSchema for QuotasResponse {
        fn schemas(
            schemas: &mut Vec<(
                String,
                utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
            )>,
        ) {
            use shared::{quota::QuotaStatus, Region};
            use utoipa::PartialSchema;
            schemas.push((QuotaStatus::name().into(), QuotaStatus::schema()));
            schemas.push((Region::name().into(), Region::schema()));
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Qonys API",
        description = "Public API of the Qonys resettlement portal. Every error is `{\"error\": {\"code\", \"message\"}}` with a 4xx status for bad input.",
    ),
    paths(
        super::health::health,
        super::policy::policy,
        super::quotas::quotas,
        super::eligibility::eligibility,
        openapi_json,
    ),
    components(schemas(schemas::ErrorBody)),
    tags(
        (name = "rules", description = "Program rules: policy, quotas, eligibility"),
        (name = "service", description = "Operations"),
    )
)]
struct ApiDoc;

/// The document, with every path under the API prefix (handlers declare paths relative to
/// it, so the prefix has one source).
pub fn document() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        let mut paths = Paths::new();
        for (path, item) in std::mem::take(&mut doc.paths.paths) {
            paths.paths.insert(format!("{API_PREFIX}{path}"), item);
        }
        doc.paths = paths;
        doc
    })
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "service",
    responses((status = 200, description = "OpenAPI 3 document of this API", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<&'static Document> {
    Json(document())
}
