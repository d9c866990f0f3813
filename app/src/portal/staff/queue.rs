//! The application queue: the applications of the officer's region (an admin's choice of
//! region), filtered by status, a page at a time; each submitted one approved or rejected
//! in place. The filter lives in the address (`?status=&region=&page=`), so a reload or a
//! shared link shows the same page.

use super::{
    day_text, failure_text, is_admin, region_name, Load, LoadFailure, RegionSelect, STAFF,
};
use crate::{
    browser,
    client::{self, Failure, Method},
    forms::{busy_label, described_by, FieldError, FormErrors},
    i18n::{t, tf, PortalKey, StaffKey},
    portal::{my_path, status_name, Signed},
    use_lang,
};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, NavigateOptions};
use shared::{
    api::{Citizenship, Settlement},
    application::{
        Application, ApplicationList, ApplicationStatus, RejectApplication, REASON_MAX_CHARS,
    },
    Lang, Region,
};

/// Applications a page.
const PER_PAGE: u32 = 20;

/// The `status` value that asks for every status.
const ALL_STATUSES: &str = "all";

/// Which applications the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct QueueFilter {
    /// `None`: every status.
    status: Option<ApplicationStatus>,
    /// `None`: the officer's own region, or every region for an admin.
    region: Option<Region>,
    /// From 1.
    page: u32,
}

impl QueueFilter {
    /// The filter in `?status=&region=&page=`. Anything missing or unknown falls back to
    /// the first page of submitted applications; only an admin names a region (an
    /// officer's queue is their region's, whatever the address says).
    fn from_query(
        status: Option<&str>,
        region: Option<&str>,
        page: Option<&str>,
        admin: bool,
    ) -> QueueFilter {
        let status = match status {
            Some(ALL_STATUSES) => None,
            other => Some(
                other
                    .and_then(ApplicationStatus::from_id)
                    .unwrap_or(ApplicationStatus::Submitted),
            ),
        };
        let region = region
            .filter(|_| admin)
            .and_then(Region::from_id)
            .filter(|r| shared::Policy::current().is_destination(*r));
        let page = page
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        QueueFilter {
            status,
            region,
            page,
        }
    }

    /// The same filter on another page.
    fn at_page(self, page: u32) -> QueueFilter {
        QueueFilter { page, ..self }
    }

    /// The portal address of this view, relative to the account home.
    fn address(&self) -> String {
        let mut query = format!(
            "applications?status={}",
            self.status.map_or(ALL_STATUSES, ApplicationStatus::id)
        );
        if let Some(region) = self.region {
            query.push_str(&format!("&region={}", region.id()));
        }
        if self.page > 1 {
            query.push_str(&format!("&page={}", self.page));
        }
        query
    }

    /// The API call that fetches this view.
    fn api_path(&self) -> String {
        let mut path = String::from("/applications?");
        if let Some(status) = self.status {
            path.push_str(&format!("status={}&", status.id()));
        }
        if let Some(region) = self.region {
            path.push_str(&format!("region={}&", region.id()));
        }
        path.push_str(&format!("page={}&per_page={PER_PAGE}", self.page));
        path
    }
}

/// How many pages `total` items fill; at least one, so "Page 1 of 1" reads right.
fn page_count(total: u64, per_page: u32) -> u32 {
    let per_page = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per_page))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// The rejection the officer wrote, checked as the server will check it.
fn reject_request(reason: &str, lang: Lang) -> Result<RejectApplication, String> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(t(lang, StaffKey::ReasonRequired).to_string())
    } else if reason.chars().count() > REASON_MAX_CHARS {
        Err(tf(
            lang,
            StaffKey::ReasonTooLong,
            &[&REASON_MAX_CHARS.to_string()],
        ))
    } else {
        Ok(RejectApplication {
            reason: reason.to_string(),
        })
    }
}

fn citizenship_name(citizenship: Citizenship, lang: Lang) -> &'static str {
    t(
        lang,
        match citizenship {
            Citizenship::Citizen => StaffKey::CitizenshipCitizen,
            Citizenship::Kandas => StaffKey::CitizenshipKandas,
            Citizenship::Foreign => StaffKey::CitizenshipForeign,
        },
    )
}

fn settlement_name(settlement: Settlement, lang: Lang) -> &'static str {
    t(
        lang,
        match settlement {
            Settlement::Urban => StaffKey::SettlementUrban,
            Settlement::Rural => StaffKey::SettlementRural,
        },
    )
}

/// `/{lang}/my/applications`.
#[component]
pub fn Queue() -> impl IntoView {
    view! {
        <Signed roles=STAFF>
            <QueuePage/>
        </Signed>
    }
}

#[component]
fn QueuePage() -> impl IntoView {
    let lang = use_lang();
    let admin = is_admin();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            QueueFilter::from_query(
                q.get_str("status"),
                q.get_str("region"),
                q.get_str("page"),
                admin,
            )
        })
    });
    let list = RwSignal::new(Load::<ApplicationList>::Loading);
    // Decisions are announced here; one reason box is open at a time.
    let announcement = RwSignal::new(String::new());
    let rejecting = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        let wanted = filter.get();
        let l = lang.current.get_untracked();
        list.set(Load::Loading);
        announcement.set(String::new());
        rejecting.set(None);
        leptos::task::spawn_local(async move {
            let answer = client::get::<ApplicationList>(&wanted.api_path(), l).await;
            // A slow answer to a filter already left behind is dropped.
            if filter.get_untracked() == wanted {
                list.set(answer.into());
            }
        });
    });

    // The filter form's choices, following the address.
    let status_choice = RwSignal::new(None::<ApplicationStatus>);
    let region_choice = RwSignal::new(None::<Region>);
    Effect::new(move |_| {
        let f = filter.get();
        status_choice.set(f.status);
        region_choice.set(f.region);
    });
    let navigate = leptos_router::hooks::use_navigate();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = QueueFilter {
            status: status_choice.get_untracked(),
            region: region_choice.get_untracked(),
            page: 1,
        };
        navigate(
            &my_path(lang.current.get_untracked(), &chosen.address()),
            NavigateOptions::default(),
        );
    };

    let status_options = move || {
        let l = lang.get();
        let current = status_choice.get();
        let all = view! {
            <option value=ALL_STATUSES prop:selected=current.is_none()>
                {t(l, StaffKey::StatusAll)}
            </option>
        };
        let each = ApplicationStatus::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.id() prop:selected=current == Some(s)>
                        {status_name(s, l)}
                    </option>
                }
            })
            .collect_view();
        (all, each)
    };

    let results = move || {
        let l = lang.get();
        match list.get() {
            Load::Loading => view! {
                <p class="status">{t(l, crate::i18n::AccountKey::Loading)}</p>
            }
            .into_any(),
            Load::Failed(failure) => view! { <LoadFailure failure/> }.into_any(),
            Load::Ready(found) if found.items.is_empty() => {
                view! { <p id="queue-empty">{t(l, StaffKey::QueueEmpty)}</p> }.into_any()
            }
            Load::Ready(found) => {
                let pages = page_count(found.total, found.per_page);
                view! {
                    <p id="queue-count">
                        {tf(l, StaffKey::QueueFound, &[&found.total.to_string()])}
                    </p>
                    <ul class="applications">
                        {found
                            .items
                            .into_iter()
                            .map(|application| {
                                view! { <ApplicationCard application rejecting announcement/> }
                            })
                            .collect_view()}
                    </ul>
                    <Pagination filter=filter.get_untracked() pages/>
                }
                .into_any()
            }
        }
    };

    view! {
        <h1>{move || t(lang.get(), StaffKey::QueueTitle)}</h1>
        <form class="filters" on:submit=apply>
            <div class="field">
                <label for="status">{move || t(lang.get(), StaffKey::LabelStatus)}</label>
                <select
                    id="status"
                    name="status"
                    on:change=move |ev| {
                        status_choice.set(ApplicationStatus::from_id(&event_target_value(&ev)))
                    }
                >
                    {status_options}
                </select>
            </div>
            {admin
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="region">
                                {move || t(lang.get(), StaffKey::LabelRegion)}
                            </label>
                            <RegionSelect
                                id="region"
                                selected=region_choice
                                none=StaffKey::AllRegions
                            />
                        </div>
                    }
                })}
            <button type="submit" class="button button-secondary">
                {move || t(lang.get(), StaffKey::Show)}
            </button>
        </form>
        <p id="queue-status" class="status" role="status">
            {move || announcement.get()}
        </p>
        {results}
    }
}

/// Previous and next page links, and where we are.
#[component]
fn Pagination(filter: QueueFilter, pages: u32) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let link = move |page: u32| my_path(lang, &filter.at_page(page).address());
    let page = filter.page;
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=t(lang, StaffKey::PagesLabel)>
                <ul class="list">
                    {(page > 1)
                        .then(|| {
                            view! {
                                <li>
                                    <a href=link(page - 1) rel="prev">
                                        {t(lang, PortalKey::PreviousPage)}
                                    </a>
                                </li>
                            }
                        })}
                    <li aria-current="page">
                        {tf(lang, PortalKey::PageOf, &[&page.to_string(), &pages.to_string()])}
                    </li>
                    {(page < pages)
                        .then(|| {
                            view! {
                                <li>
                                    <a href=link(page + 1) rel="next">
                                        {t(lang, PortalKey::NextPage)}
                                    </a>
                                </li>
                            }
                        })}
                </ul>
            </nav>
        }
    })
}

/// One application, with the decision buttons while it is submitted. A decision updates
/// the card where it stands; a refusal is written inside it.
#[component]
fn ApplicationCard(
    application: Application,
    /// The application whose reason box is open.
    rejecting: RwSignal<Option<i64>>,
    /// The page's `role="status"` text.
    announcement: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lang.current.get_untracked();
    let id = application.id;
    let title_id = format!("application-{id}-title");
    let current = RwSignal::new(application.clone());
    let status = Memo::new(move |_| current.with(|a| a.status));
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let errors = FormErrors::new();
    // Only the region's officer makes contracts, from approved applications.
    let officer = use_context::<crate::portal::SessionState>()
        .is_some_and(|s| s.role() == Some(shared::account::Role::Akimat));
    // Once made, the contract instead.
    let contract = application.contract_id;
    let create_contract = move || {
        (officer && status.get() == ApplicationStatus::Approved).then(|| {
            let l = lang.get();
            let link = match contract {
                Some(contract) => view! {
                    <a id=format!("contract-{id}") href=my_path(l, &format!("contracts/{contract}"))>
                        {tf(l, crate::i18n::ContractsKey::ContractNumber, &[&contract.to_string()])}
                    </a>
                }
                .into_any(),
                None => view! {
                    <a
                        class="button"
                        id=format!("create-contract-{id}")
                        href=my_path(l, &format!("contracts/new?application={id}"))
                    >
                        {t(l, crate::i18n::ContractsKey::CreateContract)}
                    </a>
                }
                .into_any(),
            };
            view! { <p>{link}</p> }
        })
    };

    // Whatever the server answered: the new state in place, or why not.
    let settle = move |answer: Result<Application, Failure>| {
        busy.set(false);
        let l = lang.current.get_untracked();
        match answer {
            Ok(decided) => {
                announcement.set(tf(
                    l,
                    StaffKey::Decided,
                    &[&id.to_string(), status_name(decided.status, l)],
                ));
                current.set(decided);
                refusal.set(None);
                errors.clear();
                if rejecting.get_untracked() == Some(id) {
                    rejecting.set(None);
                }
                // The buttons are gone: the card's heading keeps the focus in place.
                browser::focus(&format!("application-{id}-title"), false);
            }
            Err(failure) => {
                let about_reason = failure
                    .problems
                    .iter()
                    .any(|p| p.field.as_deref() == Some("reason"));
                if about_reason && rejecting.get_untracked() == Some(id) {
                    errors.show(&failure, l);
                    browser::focus("reason", false);
                } else {
                    refusal.set(Some(failure_text(&failure, l)));
                }
            }
        }
    };

    let approve = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        refusal.set(None);
        let l = lang.current.get_untracked();
        leptos::task::spawn_local(async move {
            let path = format!("/applications/{id}/approve");
            settle(client::send(Method::Post, &path, &serde_json::json!({}), l).await);
        });
    };

    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.current.get_untracked();
        let request = match reject_request(&reason.get_untracked(), l) {
            Ok(request) => request,
            Err(message) => {
                errors.set(Vec::new());
                errors.push("reason", message);
                browser::focus("reason", false);
                return;
            }
        };
        errors.clear();
        refusal.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/applications/{id}/reject");
            settle(client::send(Method::Post, &path, &request, l).await);
        });
    };

    let cancel = move |_| {
        rejecting.set(None);
        errors.clear();
        browser::focus(&format!("reject-{id}"), false);
    };

    let reason_box = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = reason_box.get() {
            let _ = el.focus();
        }
    });

    let reject_form = move || {
        (rejecting.get() == Some(id)).then(|| {
            let l = lang.get();
            view! {
                <form class="reject" novalidate on:submit=confirm>
                    <div class="field">
                        <label for="reason">{t(l, StaffKey::ReasonLabel)}</label>
                        <p class="hint" id="reason-hint">
                            {tf(l, StaffKey::ReasonHint, &[&REASON_MAX_CHARS.to_string()])}
                        </p>
                        <FieldError errors field="reason"/>
                        <textarea
                            id="reason"
                            name="reason"
                            rows="4"
                            required
                            maxlength=REASON_MAX_CHARS.to_string()
                            node_ref=reason_box
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                            aria-invalid=move || errors.for_field("reason").map(|_| "true")
                            aria-describedby=described_by(errors, "reason", true)
                        ></textarea>
                    </div>
                    <button
                        type="submit"
                        class="button confirm-reject"
                        aria-disabled=move || busy.get().then_some("true")
                    >
                        {move || busy_label(lang.get(), busy.get(), t(lang.get(), StaffKey::ConfirmReject))}
                    </button>
                    " "
                    <button type="button" class="button button-secondary" on:click=cancel>
                        {t(l, StaffKey::Cancel)}
                    </button>
                </form>
            }
        })
    };

    let actions = move || {
        (status.get() == ApplicationStatus::Submitted).then(|| {
            let l = lang.get();
            view! {
                <div class="actions">
                    <button
                        type="button"
                        class="button approve"
                        aria-disabled=move || busy.get().then_some("true")
                        on:click=approve
                    >
                        {t(l, StaffKey::Approve)}
                    </button>
                    " "
                    <button
                        type="button"
                        id=format!("reject-{id}")
                        class="button button-secondary reject"
                        aria-expanded=move || (rejecting.get() == Some(id)).to_string()
                        on:click=move |_| rejecting.set(Some(id))
                    >
                        {t(l, StaffKey::Reject)}
                    </button>
                </div>
                {reject_form}
            }
        })
    };

    let a = application;
    let members_born = (!a.family_members.is_empty()).then(|| {
        let years: Vec<String> = a
            .family_members
            .iter()
            .map(|m| m.birth_date.year().to_string())
            .collect();
        view! {
            <dt>{t(l, StaffKey::MembersBorn)}</dt>
            <dd>{years.join(", ")}</dd>
        }
    });
    let vacancy = match a.vacancy_id {
        Some(v) => view! {
            <a href=format!("/{}/vacancy?id={v}", l.code()) rel="external">
                {tf(l, StaffKey::VacancyLink, &[&v.to_string()])}
            </a>
        }
        .into_any(),
        None => t(l, StaffKey::VacancyNone).into_any(),
    };
    let destination = format!(
        "{}, {}",
        region_name(a.destination.region, l),
        settlement_name(a.destination.settlement, l)
    );

    view! {
        <li
            class="card application"
            data-id=id.to_string()
            data-status=move || status.get().id()
        >
            <h2 id=title_id tabindex="-1">
                {tf(l, StaffKey::ApplicationTitle, &[&id.to_string()])}
            </h2>
            <dl class="details">
                <dt>{t(l, StaffKey::Status)}</dt>
                <dd class="application-status">{move || status_name(status.get(), lang.get())}</dd>
                <dt>{t(l, StaffKey::ApplicantIin)}</dt>
                <dd>{a.applicant_iin}</dd>
                <dt>{t(l, StaffKey::Family)}</dt>
                <dd>{tf(l, StaffKey::FamilyPeople, &[&a.family_size.to_string()])}</dd>
                {members_born}
                <dt>{t(l, StaffKey::Destination)}</dt>
                <dd>{destination}</dd>
                <dt>{t(l, StaffKey::Vacancy)}</dt>
                <dd>{vacancy}</dd>
                <dt>{t(l, StaffKey::Citizenship)}</dt>
                <dd>{citizenship_name(a.citizenship, l)}</dd>
                <dt>{t(l, StaffKey::CurrentRegion)}</dt>
                <dd>{region_name(a.current_region, l)}</dd>
                <dt>{t(l, StaffKey::SubmittedOn)}</dt>
                <dd>{day_text(&a.submitted_at, l)}</dd>
                {move || {
                    current
                        .with(|a| a.reason.clone())
                        .map(|r| {
                            view! {
                                <dt>{t(lang.get(), StaffKey::Reason)}</dt>
                                <dd class="application-reason">{r}</dd>
                            }
                        })
                }}
            </dl>
            {move || {
                refusal
                    .get()
                    .map(|message| {
                        view! {
                            <div class="notice notice-error" role="alert">
                                <p>{message}</p>
                            </div>
                        }
                    })
            }}
            {actions}
            {create_contract}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::api::Destination;

    #[test]
    fn the_default_view_is_the_first_page_of_submitted_applications() {
        let f = QueueFilter::from_query(None, None, None, false);
        assert_eq!(
            f,
            QueueFilter {
                status: Some(ApplicationStatus::Submitted),
                region: None,
                page: 1
            }
        );
        assert_eq!(f.address(), "applications?status=submitted");
        assert_eq!(
            f.api_path(),
            "/applications?status=submitted&page=1&per_page=20"
        );
    }

    #[test]
    fn the_address_is_read_and_written_back() {
        let f = QueueFilter::from_query(Some("all"), Some("north_kazakhstan"), Some("3"), true);
        assert_eq!(f.status, None);
        assert_eq!(f.region, Some(Region::NorthKazakhstan));
        assert_eq!(f.page, 3);
        assert_eq!(
            f.address(),
            "applications?status=all&region=north_kazakhstan&page=3"
        );
        assert_eq!(
            f.api_path(),
            "/applications?region=north_kazakhstan&page=3&per_page=20"
        );
        let back = QueueFilter::from_query(Some("all"), Some("north_kazakhstan"), Some("3"), true);
        assert_eq!(back, f);
        assert_eq!(
            f.at_page(1).address(),
            "applications?status=all&region=north_kazakhstan"
        );
    }

    #[test]
    fn nonsense_falls_back_and_officers_cannot_name_a_region() {
        let f = QueueFilter::from_query(Some("lost"), Some("mars"), Some("0"), true);
        assert_eq!(f.status, Some(ApplicationStatus::Submitted));
        assert_eq!(f.region, None);
        assert_eq!(f.page, 1);
        let officer =
            QueueFilter::from_query(Some("approved"), Some("north_kazakhstan"), Some("x"), false);
        assert_eq!(officer.status, Some(ApplicationStatus::Approved));
        assert_eq!(officer.region, None);
        assert_eq!(
            officer.api_path(),
            "/applications?status=approved&page=1&per_page=20"
        );
    }

    #[test]
    fn pages_are_counted_up() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(5, 0), 5);
    }

    #[test]
    fn a_rejection_needs_a_reason_of_bounded_length() {
        assert_eq!(
            reject_request("  Quota used up.  ", Lang::En),
            Ok(RejectApplication {
                reason: "Quota used up.".into()
            })
        );
        assert_eq!(
            reject_request("   ", Lang::En),
            Err("Write the reason for the applicant.".to_string())
        );
        let long = "я".repeat(REASON_MAX_CHARS + 1);
        assert!(reject_request(&long, Lang::Ru)
            .unwrap_err()
            .contains("1000"));
        assert!(reject_request(&"я".repeat(REASON_MAX_CHARS), Lang::Ru).is_ok());
    }

    fn sample() -> Application {
        Application {
            id: 7,
            status: ApplicationStatus::Submitted,
            applicant_id: 1,
            applicant_iin: "900514300121".into(),
            family_size: 2,
            family_members: vec![shared::application::FamilyMember {
                iin: "150601500012".into(),
                birth_date: "2015-06-01".parse().unwrap(),
            }],
            destination: Destination {
                region: Region::NorthKazakhstan,
                settlement: Settlement::Rural,
            },
            vacancy_id: Some(3),
            year: 2026,
            birth_date: "1990-05-14".parse().unwrap(),
            citizenship: Citizenship::Kandas,
            current_region: Region::Turkestan,
            prior_resettlement_support: false,
            reason: None,
            submitted_at: "2026-03-01T09:00:00Z".into(),
            decided_at: None,
            contract_id: None,
        }
    }

    #[test]
    fn a_submitted_application_is_shown_with_its_decision_buttons() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            let rejecting = RwSignal::new(None);
            let announcement = RwSignal::new(String::new());
            view! { <ApplicationCard application=sample() rejecting announcement/> }.to_html()
        });
        assert!(html.contains(r#"class="card application""#), "{html}");
        assert!(html.contains(r#"data-id="7""#), "{html}");
        assert!(html.contains(r#"class="button approve""#), "{html}");
        assert!(
            html.contains(r#"href="/en/vacancy?id=3" rel="external""#),
            "{html}"
        );
        assert!(html.contains("2015"), "{html}");
        assert!(html.contains("1 March 2026"), "{html}");
    }
}
