//! The akimat officers' and admins' pages: home, the application queue, the quota editor
//! and, for admins, staff accounts. An officer works on their own region (the server
//! enforces it on every call); an admin works on every region and chooses one.

mod accounts;
mod queue;
mod quota;

pub use accounts::StaffAccounts;
pub use queue::Queue;
pub use quota::QuotaEditor;

use super::{login_path, my_path, use_session, Signed};
use crate::{
    client::{self, Failure},
    forms::failure_message,
    i18n::{t, tf, PortalKey, StaffKey, WalletKey},
    use_lang,
};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::{account::Role, api::QuotasResponse, quota::QuotaStatus, Lang, Policy, Region};

/// Who may open the officers' pages.
const STAFF: &[Role] = &[Role::Akimat, Role::Admin];

/// What a page has loaded from the server so far.
#[derive(Clone)]
enum Load<T> {
    Loading,
    Ready(T),
    Failed(Failure),
}

impl<T> From<Result<T, Failure>> for Load<T> {
    fn from(answer: Result<T, Failure>) -> Load<T> {
        match answer {
            Ok(value) => Load::Ready(value),
            Err(failure) => Load::Failed(failure),
        }
    }
}

/// The signed-in officer's region; `None` for an admin. Read once: the pages are shown
/// only after the session is known.
fn own_region() -> Option<Region> {
    use_session()
        .session
        .with_untracked(|s| s.as_ref().and_then(|s| s.account.region))
}

fn is_admin() -> bool {
    use_session()
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.account.role) == Some(Role::Admin))
}

fn this_year() -> i32 {
    crate::browser::today().year()
}

fn region_name(region: Region, lang: Lang) -> String {
    Policy::current().region_name(region, lang).to_string()
}

/// What the server said, or what went wrong on the way.
fn failure_text(failure: &Failure, lang: Lang) -> String {
    match failure.problems.first() {
        Some(problem) => problem.message.clone(),
        None => failure_message(failure, lang).to_string(),
    }
}

/// The calendar day of an RFC 3339 timestamp, as people write it; the text itself if it is
/// not one.
fn day_text(timestamp: &str, lang: Lang) -> String {
    timestamp
        .get(..10)
        .and_then(shared::date::parse_iso)
        .map_or_else(
            || timestamp.to_string(),
            |d: NaiveDate| shared::date::format(d, lang),
        )
}

/// "Quota: 250 families. Approved: 12. Places left: 238."
fn quota_summary(status: &QuotaStatus, lang: Lang) -> String {
    tf(
        lang,
        StaffKey::QuotaSummary,
        &[
            &status.quota.to_string(),
            &status.used.to_string(),
            &status.remaining.to_string(),
        ],
    )
}

/// A page that could not be loaded: why, and a way to sign in again when the session ended.
#[component]
fn LoadFailure(failure: Failure) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let sign_in = failure.is_unauthenticated().then(|| {
        let location = use_location();
        let search = location.search.get_untracked();
        let here = format!(
            "{}{}{search}",
            location.pathname.get_untracked(),
            if search.is_empty() || search.starts_with('?') {
                ""
            } else {
                "?"
            }
        );
        view! {
            <p>
                <a class="button" rel="external" href=login_path(lang, &here)>
                    {t(lang, PortalKey::SignIn)}
                </a>
            </p>
        }
    });
    view! {
        <div class="notice notice-error" role="alert">
            <p>{failure_text(&failure, lang)}</p>
            {sign_in}
        </div>
    }
}

/// A `<select>` of the destination regions, the first option standing for none.
#[component]
fn RegionSelect(
    /// Its id and name.
    id: &'static str,
    selected: RwSignal<Option<Region>>,
    /// The text of the first option: "All regions" or "Choose a region".
    none: StaffKey,
    #[prop(optional)] errors: Option<crate::forms::FormErrors>,
    #[prop(optional)] hint: bool,
) -> impl IntoView {
    let lang = use_lang();
    let options = move || {
        let l = lang.get();
        let current = selected.get();
        let first = view! {
            <option value="" prop:selected=current.is_none()>{t(l, none)}</option>
        };
        let rest = Policy::current()
            .destinations()
            .map(|r| {
                view! {
                    <option value=r.id() prop:selected=current == Some(r)>
                        {region_name(r, l)}
                    </option>
                }
            })
            .collect_view();
        (first, rest)
    };
    let invalid = move || errors.and_then(|e| e.for_field(id)).map(|_| "true");
    let described = move || errors.and_then(|e| crate::forms::described_by(e, id, hint)());
    view! {
        <select
            id=id
            name=id
            aria-invalid=invalid
            aria-describedby=described
            on:change=move |ev| selected.set(Region::from_id(&event_target_value(&ev)))
        >
            {options}
        </select>
    }
}

/// The officer's or admin's account home: their region, where to go, and how the region's
/// quota stands this year.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Signed roles=STAFF>
            <HomePage/>
        </Signed>
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let region = own_region();
    let admin = is_admin();
    let year = this_year();
    let quotas = RwSignal::new(Load::<QuotasResponse>::Loading);
    Effect::new(move |_| {
        let l = lang.current.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = client::get::<QuotasResponse>(&format!("/quotas?year={year}"), l).await;
            quotas.set(answer.into());
        });
    });

    let title = move || {
        let l = lang.get();
        match region {
            Some(r) if !admin => tf(l, StaffKey::HomeTitleRegion, &[&region_name(r, l)]),
            _ => t(l, StaffKey::AllRegions).to_string(),
        }
    };
    let summary = move || {
        let l = lang.get();
        match quotas.get() {
            Load::Loading => {
                view! { <p class="status">{t(l, crate::i18n::AccountKey::Loading)}</p> }.into_any()
            }
            Load::Failed(failure) => view! { <LoadFailure failure/> }.into_any(),
            Load::Ready(all) => match region {
                Some(r) if !admin => {
                    let status = all.get(&r).copied().unwrap_or(QuotaStatus::new(0, 0));
                    view! { <p id="quota-summary">{quota_summary(&status, l)}</p> }.into_any()
                }
                _ => view! {
                    <ul class="list" id="quota-summary">
                        {Policy::current()
                            .destinations()
                            .map(|r| {
                                let status = all.get(&r).copied().unwrap_or(QuotaStatus::new(0, 0));
                                view! {
                                    <li>
                                        <strong>{region_name(r, l)}</strong>
                                        ": "
                                        {quota_summary(&status, l)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            },
        }
    };

    view! {
        <h1>{title}</h1>
        <ul class="list">
            <li>
                <a id="open-queue" href=move || my_path(lang.get(), "applications")>
                    {move || t(lang.get(), StaffKey::OpenQueue)}
                </a>
            </li>
            <li>
                <a id="open-quota" href=move || my_path(lang.get(), "quota")>
                    {move || t(lang.get(), StaffKey::OpenQuota)}
                </a>
            </li>
            {admin
                .then(|| {
                    view! {
                        <li>
                            <a id="open-staff" href=move || my_path(lang.get(), "staff")>
                                {move || t(lang.get(), StaffKey::OpenStaff)}
                            </a>
                        </li>
                    }
                })}
            <li>
                <a id="open-payees" href=move || my_path(lang.get(), "payees")>
                    {move || t(lang.get(), WalletKey::OpenPayees)}
                </a>
            </li>
            {admin
                .then(|| {
                    view! {
                        <li>
                            <a id="open-budgets" href=move || my_path(lang.get(), "budgets")>
                                {move || t(lang.get(), WalletKey::OpenBudgets)}
                            </a>
                        </li>
                    }
                })}
        </ul>
        <crate::portal::contracts::HomeLinks/>
        <h2>{move || tf(lang.get(), StaffKey::QuotaYearTitle, &[&year.to_string()])}</h2>
        {summary}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_become_days() {
        assert_eq!(day_text("2026-03-01T10:15:00Z", Lang::Ru), "01.03.2026");
        assert_eq!(day_text("2026-03-01T10:15:00Z", Lang::En), "1 March 2026");
        assert_eq!(day_text("soon", Lang::En), "soon");
    }

    #[test]
    fn failures_say_what_the_server_said() {
        let refused = Failure::from_body(
            409,
            r#"{"error":{"code":"quota_exhausted","message":"No place left"}}"#,
        )
        .unwrap();
        assert_eq!(failure_text(&refused, Lang::En), "No place left");
        assert_eq!(
            failure_text(&Failure::network(), Lang::En),
            failure_message(&Failure::network(), Lang::En)
        );
    }
}
