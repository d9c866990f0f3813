//! The eligibility checker: the form, the browser's answer as the person types, and the
//! server check.

use crate::{
    api, browser,
    components::{
        check_form::CheckForm, quota_status::QuotaStatus, results::Results,
        server_check::ServerCheck, summary::Summary,
    },
    form::FormState,
    i18n::{tr, Key, PageKey},
    outcome::{compute, Outcome, QuotaState},
    pages::not_found::NotFound,
    use_lang,
};
use chrono::{Datelike, NaiveDate};
use leptos::{prelude::*, task::spawn_local};

/// The quota data, kept for the whole visit so it is fetched once.
#[derive(Clone, Copy)]
pub struct Quotas(pub RwSignal<QuotaState>);

impl Quotas {
    pub fn new() -> Quotas {
        Quotas(RwSignal::new(QuotaState::NotRequested))
    }

    /// Fetches the quotas of `year` unless they are here or on their way.
    fn load(self, year: i32, force: bool) {
        let state = self.0;
        let busy =
            state.with_untracked(|s| matches!(s, QuotaState::Loading | QuotaState::Loaded(_)));
        if busy && !force {
            return;
        }
        state.set(QuotaState::Loading);
        spawn_local(async move {
            let next = match api::fetch_quotas(year).await {
                Ok(snapshot) => QuotaState::Loaded(snapshot),
                Err(e) => QuotaState::Failed(e),
            };
            state.try_set(next);
        });
    }
}

impl Default for Quotas {
    fn default() -> Quotas {
        Quotas::new()
    }
}

/// The interactive part of the checker: the form, the answer and the server check. In the
/// browser it runs on its own, mounted into the pre-rendered page's `#checker` (see
/// `island`); the page around it is static HTML.
#[component]
pub fn Checker(as_of: NaiveDate) -> impl IntoView {
    let lang = use_lang();
    let form = expect_context::<FormState>();
    let quotas = expect_context::<Quotas>();
    // In an effect, so it runs in the browser only, never while pre-rendering.
    Effect::new(move |_| quotas.load(as_of.year(), false));
    let retry = Callback::new(move |()| quotas.load(as_of.year(), true));

    // The request changes only when the person changes an answer; the outcome also when
    // the quotas arrive.
    let request = Memo::new(move |_| form.draft.with(|d| d.to_request(as_of)));
    let outcome: Memo<Outcome> = Memo::new(move |_| {
        let l = lang.get();
        quotas.0.with(|q| request.with(|r| compute(r, as_of, q, l)))
    });

    view! {
        <section class="card" aria-labelledby="form-heading">
            <h2 id="form-heading">{tr(Key::FormHeading)}</h2>
            <CheckForm form/>
        </section>
        // Only where the script runs: without it there is no answer to sum up.
        {(!cfg!(feature = "ssr")).then(|| view! { <Summary outcome/> })}
        <div class="check-answers">
            <Results outcome>
                <QuotaStatus state=quotas.0 retry/>
            </Results>
            <ServerCheck form request outcome/>
        </div>
    }
}

/// The id of the element the checker is mounted into.
pub const CHECKER_ID: &str = "checker";

#[component]
pub fn CheckPage() -> impl IntoView {
    let lang = use_lang();
    let as_of = browser::today();
    let valid = Memo::new(move |_| lang.from_url.get().is_some());
    move || {
        if valid.get() {
            view! {
                <div class="wrap wide page">
                    <h1>{tr(PageKey::CheckTitle)}</h1>
                    <p class="lead">{tr(PageKey::CheckIntro)}</p>
                    <noscript>
                        <p class="notice notice-warning">{tr(PageKey::CheckNeedsJs)}</p>
                    </noscript>
                    <div id=CHECKER_ID class="check-layout">
                        <Checker as_of/>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! { <NotFound/> }.into_any()
        }
    }
}
