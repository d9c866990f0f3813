//! `/{lang}/my/contracts`: a party's contracts, or the region's (all, for an admin) with
//! filters for staff. The filter and page live in the address (`?filter=at_risk&page=2`),
//! so a reload or a shared link shows the same list.

use super::{
    akimat_name, format::money, format::month_name, loading, stage_name, FailureNotice, Load,
    EVERYONE,
};
use crate::{
    client,
    i18n::{t, tf, ContractsKey as K, PortalKey},
    portal::{my_path, use_session, Signed},
    use_lang,
};
use leptos::prelude::*;
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};
use shared::{
    account::Role,
    contract::api::{ContractFilter, ContractList, ContractSummary, Stage},
    Lang,
};

/// Contracts a page.
const PER_PAGE: u32 = 20;

/// The `filter` value that asks for every contract.
const ALL: &str = "all";

/// Which contracts the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListQuery {
    /// `None`: every contract.
    filter: Option<ContractFilter>,
    /// From 1.
    page: u32,
}

impl ListQuery {
    /// The list in `?filter=&page=`; anything missing or unknown is every contract and the
    /// first page. Only staff filter: a party's list is short.
    fn from_query(filter: Option<&str>, page: Option<&str>, staff: bool) -> ListQuery {
        ListQuery {
            filter: filter.filter(|_| staff).and_then(ContractFilter::from_id),
            page: page
                .and_then(|p| p.parse::<u32>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The portal address of this list, relative to the account home.
    fn address(&self) -> String {
        let mut params = Vec::new();
        if let Some(filter) = self.filter {
            params.push(format!("filter={}", filter.id()));
        }
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        if params.is_empty() {
            "contracts".to_string()
        } else {
            format!("contracts?{}", params.join("&"))
        }
    }

    /// The API call that fetches this list.
    fn api_path(&self) -> String {
        let filter = self
            .filter
            .map(|f| format!("filter={}&", f.id()))
            .unwrap_or_default();
        format!("/contracts?{filter}page={}&per_page={PER_PAGE}", self.page)
    }
}

/// How many pages `total` contracts fill; at least one.
fn page_count(total: u64, per_page: u32) -> u32 {
    u32::try_from(total.div_ceil(u64::from(per_page.max(1))))
        .unwrap_or(u32::MAX)
        .max(1)
}

fn filter_name(filter: ContractFilter, lang: Lang) -> &'static str {
    t(
        lang,
        match filter {
            ContractFilter::Signing => K::FilterSigning,
            ContractFilter::Active => K::FilterActive,
            ContractFilter::AtRisk => K::FilterAtRisk,
            ContractFilter::Breached => K::FilterBreached,
            ContractFilter::Fulfilled => K::FilterFulfilled,
        },
    )
}

#[component]
pub fn Contracts() -> impl IntoView {
    view! {
        <Signed roles=EVERYONE>
            <ContractsPage/>
        </Signed>
    }
}

#[component]
fn ContractsPage() -> impl IntoView {
    let lang = use_lang();
    let role = use_session().role();
    let staff = matches!(role, Some(Role::Akimat | Role::Admin));
    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        query.with(|q| ListQuery::from_query(q.get_str("filter"), q.get_str("page"), staff))
    });
    let list = RwSignal::new(Load::<ContractList>::Loading);
    Effect::new(move |_| {
        let asked = wanted.get();
        let l = lang.current.get_untracked();
        list.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let answer = client::get::<ContractList>(&asked.api_path(), l).await;
            // A slow answer to a list already left behind is dropped.
            if wanted.get_untracked() == asked {
                list.set(answer.into());
            }
        });
    });

    let results = move || {
        let l = lang.get();
        match list.get() {
            Load::Loading => loading(l),
            Load::Failed(failure) => view! { <FailureNotice failure/> }.into_any(),
            Load::Ready(found) if found.contracts.is_empty() => {
                view! { <p id="contracts-empty">{t(l, K::ListEmpty)}</p> }.into_any()
            }
            Load::Ready(found) => {
                let pages = page_count(found.total, found.per_page);
                view! {
                    <p id="contracts-count" role="status">
                        {tf(l, K::ListFound, &[&found.total.to_string()])}
                    </p>
                    <ul id="contracts" class="cards">
                        {found
                            .contracts
                            .into_iter()
                            .map(|c| contract_card(c, role, l))
                            .collect_view()}
                    </ul>
                    {pager(wanted.get_untracked(), pages, l)}
                }
                .into_any()
            }
        }
    };

    view! {
        <h1>{move || t(lang.get(), K::Title)}</h1>
        {staff.then(|| view! { <FilterForm wanted/> })}
        {results}
    }
}

/// The staff's filter: a select and a button that put the choice into the address.
#[component]
fn FilterForm(wanted: Memo<ListQuery>) -> impl IntoView {
    let lang = use_lang();
    let choice = RwSignal::new(wanted.get_untracked().filter);
    Effect::new(move |_| choice.set(wanted.get().filter));
    let navigate = use_navigate();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = ListQuery {
            filter: choice.get_untracked(),
            page: 1,
        };
        navigate(
            &my_path(lang.current.get_untracked(), &chosen.address()),
            NavigateOptions::default(),
        );
    };
    let options = move || {
        let l = lang.get();
        let current = choice.get();
        let all = view! { <option value=ALL prop:selected=current.is_none()>{t(l, K::FilterAll)}</option> };
        let each = ContractFilter::ALL
            .into_iter()
            .map(|f| {
                view! {
                    <option value=f.id() prop:selected=current == Some(f)>
                        {filter_name(f, l)}
                    </option>
                }
            })
            .collect_view();
        (all, each)
    };
    view! {
        <form class="filters" on:submit=apply>
            <div class="field">
                <label for="contract-filter">{move || t(lang.get(), K::FilterLabel)}</label>
                <select
                    id="contract-filter"
                    name="filter"
                    on:change=move |ev| choice.set(ContractFilter::from_id(&event_target_value(&ev)))
                >
                    {options}
                </select>
            </div>
            <button type="submit" class="button button-secondary" id="apply-filter">
                {move || t(lang.get(), K::FilterShow)}
            </button>
        </form>
    }
}

/// The other parties of a contract, as the viewer sees them: a party sees the other two,
/// staff see the resettler and the employer.
fn other_parties(c: &ContractSummary, viewer: Option<Role>, lang: Lang) -> String {
    let akimat = akimat_name(c.region, lang);
    match viewer {
        Some(Role::Resettler) => format!("{}; {akimat}", c.employer_name),
        Some(Role::Employer) => format!("{}; {akimat}", c.resettler_name),
        Some(Role::Admin) => format!("{}; {}; {akimat}", c.resettler_name, c.employer_name),
        _ => format!("{}; {}", c.resettler_name, c.employer_name),
    }
}

/// `li[data-contract-id]`: what one contract is and where it stands.
fn contract_card(c: ContractSummary, viewer: Option<Role>, l: Lang) -> impl IntoView {
    let href = my_path(l, &format!("contracts/{}", c.id));
    let progress = tf(
        l,
        K::MonthsConfirmed,
        &[&c.confirmed.to_string(), &c.required.to_string()],
    );
    let waiting = (c.stage == Stage::Signing).then(|| {
        let parties: Vec<&str> = c
            .unsigned
            .iter()
            .map(|p| super::party_name(*p, l))
            .collect();
        view! { <p class="contract-waiting">{tf(l, K::WaitingFor, &[&parties.join(", ")])}</p> }
    });
    let payout = match (c.stage, c.expected_payout_month) {
        (Stage::Active, Some(month)) => Some((
            t(l, K::ExpectedPayout),
            format!("{}, {}", month_name(month, l), money(c.payout)),
        )),
        (Stage::Fulfilled, _) => Some((t(l, K::PayoutAmount), money(c.payout))),
        (Stage::Breached, _) => Some((t(l, K::PayoutAmount), t(l, K::NoPayout).to_string())),
        _ => None,
    };
    let at_risk = c.at_risk.then(|| {
        view! {
            <p class="notice notice-warning contract-at-risk">
                <strong>{t(l, K::AtRisk)}</strong>
                " "
                {tf(l, K::UnconfirmedRun, &[&c.unconfirmed_run.to_string()])}
            </p>
        }
    });
    let stage = c.stage;
    view! {
        <li class="card contract-card" data-contract-id=c.id.to_string() data-stage=stage.id()>
            <h2>
                <a href=href>{tf(l, K::CardTitle, &[&c.position, &c.id.to_string()])}</a>
            </h2>
            <dl class="facts">
                <dt>{t(l, K::Parties)}</dt>
                <dd>{other_parties(&c, viewer, l)}</dd>
                <dt>{t(l, K::Stage)}</dt>
                <dd class="contract-stage">{stage_name(stage, l)}</dd>
                <dt>{t(l, K::Progress)}</dt>
                <dd class="contract-progress">{progress}</dd>
                {payout.map(|(label, value)| view! {
                    <dt>{label}</dt>
                    <dd class="contract-payout">{value}</dd>
                })}
            </dl>
            {waiting}
            {at_risk}
        </li>
    }
}

/// Previous and next page links, and where we are.
fn pager(wanted: ListQuery, pages: u32, l: Lang) -> Option<impl IntoView> {
    let link = move |page: u32| my_path(l, &ListQuery { page, ..wanted }.address());
    let page = wanted.page;
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=t(l, K::PagesLabel)>
                <ul class="list">
                    {(page > 1).then(|| view! {
                        <li><a href=link(page - 1) rel="prev">{t(l, PortalKey::PreviousPage)}</a></li>
                    })}
                    <li aria-current="page">
                        {tf(l, PortalKey::PageOf, &[&page.to_string(), &pages.to_string()])}
                    </li>
                    {(page < pages).then(|| view! {
                        <li><a href=link(page + 1) rel="next">{t(l, PortalKey::NextPage)}</a></li>
                    })}
                </ul>
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{contract::Party, ledger::Month, Region, Tenge};

    #[test]
    fn the_address_is_read_and_written_back() {
        let q = ListQuery::from_query(Some("at_risk"), Some("2"), true);
        assert_eq!(
            q,
            ListQuery {
                filter: Some(ContractFilter::AtRisk),
                page: 2
            }
        );
        assert_eq!(q.address(), "contracts?filter=at_risk&page=2");
        assert_eq!(q.api_path(), "/contracts?filter=at_risk&page=2&per_page=20");
        let first = ListQuery { page: 1, ..q };
        assert_eq!(first.address(), "contracts?filter=at_risk");
    }

    #[test]
    fn all_nonsense_and_parties_get_every_contract() {
        for (filter, page, staff) in [
            (Some("all"), None, true),
            (Some("lost"), Some("0"), true),
            (Some("breached"), Some("x"), false),
        ] {
            let q = ListQuery::from_query(filter, page, staff);
            assert_eq!(
                q,
                ListQuery {
                    filter: None,
                    page: 1
                }
            );
            assert_eq!(q.address(), "contracts");
            assert_eq!(q.api_path(), "/contracts?page=1&per_page=20");
        }
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
    }

    fn summary() -> ContractSummary {
        ContractSummary {
            id: 12,
            fingerprint: "ab".repeat(32),
            stage: Stage::Active,
            region: Region::NorthKazakhstan,
            position: "Welder".into(),
            resettler_name: "Aigerim".into(),
            employer_name: "Tas LLP".into(),
            start_month: Month::new(2026, 4).unwrap(),
            confirmed: 5,
            required: 24,
            unconfirmed_run: 1,
            at_risk: true,
            unsigned: Vec::new(),
            expected_payout_month: Some(Month::new(2028, 5).unwrap()),
            payout: Tenge::from_tiyn(150_000_000),
        }
    }

    #[test]
    fn a_card_shows_progress_payout_and_the_risk() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            contract_card(summary(), Some(Role::Resettler), Lang::En).to_html()
        });
        assert!(html.contains(r#"data-contract-id="12""#), "{html}");
        assert!(html.contains(r#"href="/en/my/contracts/12""#), "{html}");
        assert!(html.contains("5 of 24 months confirmed"), "{html}");
        assert!(html.contains("May 2028"), "{html}");
        assert!(html.contains("contract-at-risk"), "{html}");
        assert!(html.contains("Tas LLP"), "{html}");
        assert!(
            !html.contains("Aigerim"),
            "a resettler is not shown themself: {html}"
        );
    }

    #[test]
    fn a_card_being_signed_names_who_is_still_to_sign() {
        let mut c = summary();
        c.stage = Stage::Signing;
        c.at_risk = false;
        c.unsigned = vec![Party::Employer, Party::Akimat];
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            contract_card(c, Some(Role::Akimat), Lang::En).to_html()
        });
        assert!(html.contains("Employer, Akimat"), "{html}");
        assert!(html.contains("Aigerim; Tas LLP"), "{html}");
    }
}
