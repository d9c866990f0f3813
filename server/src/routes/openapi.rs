//! The OpenAPI 3 document of the API, generated from the handlers' annotations.

use axum::Json;
use shared::api::API_PREFIX;
use std::sync::OnceLock;
use utoipa::{
    openapi::{
        path::Paths,
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
        OpenApi as Document,
    },
    Modify, OpenApi,
};

/// Schemas of the request and response types: the shared crate's own, plus the quotas map.
pub mod schemas {
    pub use shared::{
        account::{
            Account, CreateStaff, LoginRequest, RegionQuota, RegisterEmployer, RegisterResettler,
            RegistrationAccepted, Role, Session, SetQuota, StaffAccount, StaffList, StaffRole,
        },
        api::{EligibilityRequest, EligibilityResponse, ErrorBody, Health},
        application::{
            Application, ApplicationList, NotEligible, Problems, RejectApplication,
            SubmitApplication, VacancyApplicants,
        },
        budget::{BudgetList, FundBudget, Funding},
        contract::api::{
            AmendTerms, Contract, ContractList, CreateContract, KeyList, RegisterKey, SignContract,
            SigningKey,
        },
        geo::Location,
        vacancy::{Vacancy, VacancyDraft, VacancyList},
        wallet::{PayRequest, Payee, PayeeList, Payment, RegisterPayee, Wallet},
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
        description = "Public API of the Qonys resettlement portal. Every error is `{\"error\": {\"code\", \"message\", \"field\"}}` with a 4xx status for bad input: `code` is stable and machine-readable, `message` is for people, in the request's language (`?lang=kk|ru|en`, else `Accept-Language`, else English), and `field`, present when one field is at fault, is the JSON path of the offending field of the body (`applicant.birth_date`) or the name of the offending query parameter.",
    ),
    paths(
        super::health::health,
        super::policy::policy,
        super::quotas::quotas,
        super::eligibility::eligibility,
        super::geo::locate,
        super::auth::register_resettler,
        super::auth::register_employer,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::staff::create,
        super::staff::list,
        super::quota_editor::set_quota,
        super::applications::submit,
        super::applications::mine,
        super::applications::queue,
        super::applications::approve,
        super::applications::reject,
        super::vacancies::search,
        super::vacancies::mine,
        super::vacancies::detail,
        super::vacancies::create,
        super::vacancies::update,
        super::vacancies::close,
        super::vacancies::applicants,
        super::payees::register,
        super::payees::list,
        super::payees::verify,
        super::payees::deactivate,
        super::payments::pay,
        super::wallet::wallet,
        super::budgets::list,
        super::budgets::fund,
        super::feed::import,
        super::keys::register,
        super::keys::mine,
        super::keys::of_account,
        super::keys::revoke,
        super::contracts::create,
        super::contracts::list,
        super::contracts::detail,
        super::contracts::amend,
        super::contracts::sign,
        openapi_json,
    ),
    components(schemas(schemas::ErrorBody)),
    modifiers(&SessionSecurity),
    tags(
        (name = "rules", description = "Program rules: policy, quotas, eligibility"),
        (name = "accounts", description = "Registration, sign-in and sessions. Every POST, PUT, PATCH or DELETE must be declared `application/json` and come from this site (`Origin`, `Sec-Fetch-Site`); one made with a session also sends its CSRF token as `X-CSRF-Token`."),
        (name = "applications", description = "A resettler's application, and the officers' queue and decisions"),
        (name = "vacancies", description = "Vacancy search (public), and employers' vacancies"),
        (name = "wallet", description = "The digital voucher: payees (landlords and utility providers) and payments"),
        (name = "staff", description = "Akimat officers and admins: staff accounts, quotas, voucher budgets"),
        (name = "contracts", description = "Tripartite contracts: created by the region's officer, signed by the resettler, the employer and the akimat with keys made in their browsers, then followed month by month"),
        (name = "feed", description = "The state data feed: monthly confirmations from the state's registries, sent by another system with a service token"),
        (name = "service", description = "Operations"),
    )
)]
struct ApiDoc;

/// The `session` cookie and the `csrf` header named by the signed-in endpoints, and the
/// data feed's `service_token`.
struct SessionSecurity;

impl Modify for SessionSecurity {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                shared::account::SESSION_COOKIE,
                "Set by `POST /auth/login`: HttpOnly, SameSite=Lax, Secure over HTTPS; ends after 12 hours unused or 7 days after sign-in",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token` (from login or `GET /auth/me`), required on every non-GET request made with a session",
            ))),
        );
        components.add_security_scheme(
            "service_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A service token made by `server token create --name NAME`, sent as `Authorization: Bearer <token>`",
                    ))
                    .build(),
            ),
        );
    }
}

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
