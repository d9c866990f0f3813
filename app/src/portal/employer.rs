//! The employer's pages: their vacancies, the vacancy form (post, edit, close) and who
//! applied. The form checks a vacancy in the browser with the same shared rules the server
//! runs (`shared::vacancy::problems`), so most mistakes show before anything is sent; the
//! server's refusals land on the same fields.

use super::{my_path, status_name, use_session, Signed};
use crate::{
    browser::{focus, today},
    client::{self, Failure, FieldProblem, Method},
    forms::{
        busy_label, described_by, failure_message, ErrorSummary, FieldError, FormErrors, TextField,
    },
    i18n::{t, tf, tr, EmployerKey as K, PortalKey},
    use_lang,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::{
    account::Role,
    api::Settlement,
    application::{VacancyApplicant, VacancyApplicants},
    vacancy::{
        problems, Vacancy, VacancyDraft, VacancyList, VacancyStatus, DESCRIPTION_MAX_CHARS,
        PLACES_MAX,
    },
    Lang, Policy, Region, Tenge,
};

/// Vacancies a page on the employer's home.
const PER_PAGE: u32 = 20;
/// Query flag of the edit page right after the vacancy was posted.
const PUBLISHED: &str = "published";

// ---- the form's data ----

/// What the vacancy form's fields hold, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawVacancy {
    pub title: String,
    pub description: String,
    /// A region id; empty until one is chosen.
    pub region: String,
    pub settlement: Settlement,
    pub monthly_salary: String,
    pub places: String,
    pub housing_provided: bool,
}

impl Default for RawVacancy {
    fn default() -> Self {
        RawVacancy {
            title: String::new(),
            description: String::new(),
            region: String::new(),
            settlement: Settlement::Urban,
            monthly_salary: String::new(),
            places: "1".into(),
            housing_provided: false,
        }
    }
}

/// The form's fields in page order, for listing problems in that order.
const FIELD_ORDER: [&str; 5] = ["title", "description", "region", "monthly_salary", "places"];

impl RawVacancy {
    /// The form filled with a published vacancy.
    pub fn of(v: &Vacancy) -> RawVacancy {
        RawVacancy {
            title: v.title.clone(),
            description: v.description.clone(),
            region: v.region.id().to_string(),
            settlement: v.settlement,
            monthly_salary: v.monthly_salary.to_string(),
            places: v.places.to_string(),
            housing_provided: v.housing_provided,
        }
    }

    /// The vacancy to send, or every problem with it in page order, in `lang`.
    pub fn to_draft(
        &self,
        today: NaiveDate,
        lang: Lang,
    ) -> Result<VacancyDraft, Vec<FieldProblem>> {
        let region = Region::from_id(&self.region);
        let salary = parse_salary(&self.monthly_salary);
        let places = self.places.trim().parse::<u32>().ok();
        let mut found = Vec::new();
        let mut unreadable = |field: &str, ok: bool, key: K| {
            if !ok {
                found.push(problem(field, t(lang, key)));
            }
        };
        unreadable("region", region.is_some(), K::ErrRegionMissing);
        unreadable("monthly_salary", salary.is_some(), K::ErrSalaryInvalid);
        unreadable("places", places.is_some(), K::ErrPlacesInvalid);
        // The shared rules check the rest. A field that could not be read stands in with any
        // value, and what the rules say about it is left out: it already has its problem.
        let draft = VacancyDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            region: region.unwrap_or(Region::NorthKazakhstan),
            settlement: self.settlement,
            monthly_salary: salary.unwrap_or(Tenge::ZERO),
            places: places.unwrap_or(1),
            housing_provided: self.housing_provided,
        };
        let unread: Vec<&str> = found.iter().filter_map(|p| p.field.as_deref()).collect();
        let rules: Vec<FieldProblem> = problems(&draft, today, Policy::current())
            .into_iter()
            .filter(|p| !unread.contains(&p.field()))
            .map(|p| problem(p.field(), &p.message(lang)))
            .collect();
        found.extend(rules);
        found.sort_by_key(|p| {
            FIELD_ORDER
                .iter()
                .position(|f| p.field.as_deref() == Some(*f))
        });
        if found.is_empty() {
            Ok(draft)
        } else {
            Err(found)
        }
    }
}

fn problem(field: &str, message: &str) -> FieldProblem {
    FieldProblem {
        field: Some(field.to_string()),
        message: message.to_string(),
    }
}

/// A salary as people write it — `250000`, `250 000`, `250000,50`, `250 000 ₸` — in tenge
/// with at most two decimal places (the server keeps tiyn); `None` if it is not one.
pub fn parse_salary(text: &str) -> Option<Tenge> {
    let number: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '₸')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let salary: Tenge = serde_json::from_value(serde_json::Value::String(number)).ok()?;
    // Normalised as the server answers it: `250000.50` → `250000.5`.
    salary.to_tiyn().map(|_| Tenge::new(salary.amount()))
}

/// The salary field's hint: the minimum wage in force `today`, with its figure.
fn salary_hint(today: NaiveDate, lang: Lang) -> String {
    match Policy::current().minimum_wage(today) {
        Ok(wage) => tf(
            lang,
            K::HintSalary,
            &[
                &Tenge::new(wage.value).grouped(),
                &shared::date::format(wage.from, lang),
            ],
        ),
        Err(_) => t(lang, K::HintSalaryPlain).to_string(),
    }
}

/// The text of a failed load: the server's own message when it gave one.
fn failure_text(failure: &Failure, lang: Lang) -> String {
    failure
        .problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_else(|| failure_message(failure, lang).to_string())
}

/// The vacancy id of the current route, if it is one.
fn route_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|id| *id > 0)
    })
}

/// The answer for an address whose id is no vacancy id, as the server would give it.
fn no_such_vacancy(lang: Lang) -> Failure {
    Failure {
        status: 404,
        code: "vacancy_not_found".into(),
        problems: vec![FieldProblem {
            field: None,
            message: t(lang, K::NoSuchVacancy).into(),
        }],
        rules: Vec::new(),
    }
}

fn settlement_name(settlement: Settlement, lang: Lang) -> &'static str {
    match settlement {
        Settlement::Urban => t(lang, K::SettlementUrban),
        Settlement::Rural => t(lang, K::SettlementRural),
    }
}

fn vacancy_status_name(status: VacancyStatus, lang: Lang) -> &'static str {
    match status {
        VacancyStatus::Open => t(lang, K::StatusOpen),
        VacancyStatus::Closed => t(lang, K::StatusClosed),
    }
}

/// The date part of an RFC 3339 time, for people; the text itself if it has none.
fn day_of(time: &str, lang: Lang) -> String {
    time.get(..10)
        .and_then(shared::date::parse_iso)
        .map_or_else(|| time.to_string(), |d| shared::date::format(d, lang))
}

/// A loading line, announced to screen readers.
fn loading(lang: Lang, key: K) -> AnyView {
    view! { <p class="status" role="status">{t(lang, key)}</p> }.into_any()
}

fn load_failed(failure: &Failure, lang: Lang) -> AnyView {
    view! {
        <div class="notice notice-error" role="alert">
            <p>{failure_text(failure, lang)}</p>
        </div>
    }
    .into_any()
}

// ---- home ----

/// The employer's home: their vacancies, newest first, and a way to post one.
#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .with(|q| q.get("page"))
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    });
    let list = LocalResource::new(move || {
        let (page, l) = (page.get(), lang.get());
        async move {
            client::get::<VacancyList>(
                &format!("/vacancies/mine?page={page}&per_page={PER_PAGE}"),
                l,
            )
            .await
        }
    });
    let organisation = move || {
        session.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.account
                        .organisation
                        .clone()
                        .unwrap_or_else(|| s.account.login.clone())
                })
                .unwrap_or_default()
        })
    };
    view! {
        <h1>{move || tf(lang.get(), K::HomeTitle, &[&organisation()])}</h1>
        <p>
            <a class="button" id="new-vacancy" href=move || my_path(lang.get(), "vacancies/new")>
                {tr(K::NewVacancy)}
            </a>
        </p>
        <crate::portal::contracts::HomeLinks/>
        {move || {
            let l = lang.get();
            match list.get() {
                None => loading(l, K::LoadingVacancies),
                Some(Err(f)) => load_failed(&f, l),
                Some(Ok(list)) if list.total == 0 => {
                    view! { <p>{t(l, K::NoVacancies)}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    let pages = list.total.div_ceil(u64::from(list.per_page.max(1)));
                    view! {
                        <ul class="cards" id="my-vacancies">
                            {list.items.into_iter().map(|v| vacancy_card(v, l)).collect_view()}
                        </ul>
                        {pager(l, list.page, pages)}
                    }
                        .into_any()
                }
            }
        }}
    }
}

/// One of the employer's vacancies in their list.
fn vacancy_card(v: Vacancy, l: Lang) -> impl IntoView {
    let edit = my_path(l, &format!("vacancies/{}", v.id));
    let applicants = my_path(l, &format!("vacancies/{}/applicants", v.id));
    let public = format!("/{}/vacancy?id={}", l.code(), v.id);
    view! {
        <li class="card" data-status=v.status.id()>
            <h2>
                <a href=edit>{v.title}</a>
            </h2>
            <dl class="facts">
                <div>
                    <dt>{t(l, K::StatusLabel)}</dt>
                    <dd>{vacancy_status_name(v.status, l)}</dd>
                </div>
                <div>
                    <dt>{t(l, K::RegionLabel)}</dt>
                    <dd>{Policy::current().region_name(v.region, l).to_string()}</dd>
                </div>
                <div>
                    <dt>{t(l, K::SalaryLabel)}</dt>
                    <dd>{format!("{} ₸", v.monthly_salary.grouped())}</dd>
                </div>
                <div>
                    <dt>{t(l, K::PlacesLabel)}</dt>
                    <dd>{v.places}</dd>
                </div>
            </dl>
            <ul class="links">
                <li>
                    <a href=applicants>{t(l, K::ApplicantsLink)}</a>
                </li>
                <li>
                    <a href=public rel="external">
                        {t(l, K::PublicLink)}
                    </a>
                </li>
            </ul>
        </li>
    }
}

/// Links to the neighbouring pages of the list; nothing when it fits on one.
fn pager(l: Lang, page: u32, pages: u64) -> Option<impl IntoView> {
    let home = my_path(l, "");
    let link = move |p: u32| format!("{home}?page={p}");
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=t(l, K::PagesLabel)>
                {(page > 1)
                    .then(|| view! { <a href=link(page - 1) rel="prev">{t(l, PortalKey::PreviousPage)}</a> })}
                <span>{tf(l, PortalKey::PageOf, &[&page.to_string(), &pages.to_string()])}</span>
                {(u64::from(page) < pages)
                    .then(|| view! { <a href=link(page + 1) rel="next">{t(l, PortalKey::NextPage)}</a> })}
            </nav>
        }
    })
}

// ---- the vacancy form ----

/// What the page says after a change went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Published,
    Saved,
    Closed,
}

impl Notice {
    /// The element id, for browser tests and for moving the focus to it.
    fn id(self) -> &'static str {
        match self {
            Notice::Published | Notice::Saved => "vacancy-saved",
            Notice::Closed => "vacancy-closed",
        }
    }

    fn key(self) -> K {
        match self {
            Notice::Published => K::Published,
            Notice::Saved => K::Saved,
            Notice::Closed => K::ClosedDone,
        }
    }
}

/// The live region the page's notices appear in.
#[component]
fn NoticeRegion(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    view! {
        <div role="status">
            {move || {
                notice
                    .get()
                    .map(|n| view! { <p class="notice" id=n.id() tabindex="-1">{tr(n.key())}</p> })
            }}
        </div>
    }
}

/// Shows `n` and brings it into view once drawn, where the person is working.
fn announce(notice: RwSignal<Option<Notice>>, n: Notice) {
    notice.set(Some(n));
    request_animation_frame(move || focus(n.id(), true));
}

/// The vacancy form, for a new vacancy (`id` `None`) or one being edited. What was typed
/// stays on any failure.
#[component]
fn VacancyForm(
    id: Option<i64>,
    initial: RawVacancy,
    /// Cleared when the form is sent again.
    notice: RwSignal<Option<Notice>>,
    on_saved: Callback<Vacancy>,
) -> impl IntoView {
    let lang = use_lang();
    let l = lang.current.get_untracked();
    let title = RwSignal::new(initial.title);
    let description = RwSignal::new(initial.description);
    let region = RwSignal::new(initial.region);
    let settlement = RwSignal::new(initial.settlement);
    let salary = RwSignal::new(initial.monthly_salary);
    let places = RwSignal::new(initial.places);
    let housing = RwSignal::new(initial.housing_provided);
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        notice.set(None);
        let raw = RawVacancy {
            title: title.get_untracked(),
            description: description.get_untracked(),
            region: region.get_untracked(),
            settlement: settlement.get_untracked(),
            monthly_salary: salary.get_untracked(),
            places: places.get_untracked(),
            housing_provided: housing.get_untracked(),
        };
        let draft = match raw.to_draft(today(), l) {
            Ok(draft) => draft,
            Err(found) => {
                errors.set(found);
                return;
            }
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = match id {
                None => client::send::<_, Vacancy>(Method::Post, "/vacancies", &draft, l).await,
                Some(id) => {
                    client::send::<_, Vacancy>(Method::Put, &format!("/vacancies/{id}"), &draft, l)
                        .await
                }
            };
            busy.set(false);
            match answer {
                Ok(vacancy) => on_saved.run(vacancy),
                Err(failure) => errors.show(&failure, l),
            }
        });
    };

    let policy = Policy::current();
    let region_options = policy
        .destinations()
        .map(|r| {
            view! {
                <option value=r.id() prop:selected=move || region.get() == r.id()>
                    {policy.region_name(r, l).to_string()}
                </option>
            }
        })
        .collect_view();
    let idle = t(l, if id.is_some() { K::Save } else { K::Publish });

    view! {
        <form
            class="vacancy-form"
            novalidate
            on:submit=submit
            aria-busy=move || busy.get().then_some("true")
        >
            <ErrorSummary errors/>
            <TextField
                errors
                field="title"
                label=t(l, K::LabelTitle).to_string()
                value=title
                autocomplete="off"
            />
            <div class="field">
                <label for="description">{t(l, K::LabelDescription)}</label>
                <p class="hint" id="description-hint">
                    {tf(l, K::HintDescription, &[&DESCRIPTION_MAX_CHARS.to_string()])}
                </p>
                <FieldError errors field="description"/>
                <textarea
                    id="description"
                    name="description"
                    rows="8"
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))
                    aria-invalid=move || errors.for_field("description").map(|_| "true")
                    aria-describedby=described_by(errors, "description", true)
                ></textarea>
            </div>
            <div class="field">
                <label for="region">{t(l, K::LabelRegion)}</label>
                <p class="hint" id="region-hint">{t(l, K::HintRegion)}</p>
                <FieldError errors field="region"/>
                <select
                    id="region"
                    name="region"
                    on:change=move |ev| region.set(event_target_value(&ev))
                    aria-invalid=move || errors.for_field("region").map(|_| "true")
                    aria-describedby=described_by(errors, "region", true)
                >
                    <option value="" prop:selected=move || region.with(String::is_empty)>
                        {t(l, K::ChooseRegion)}
                    </option>
                    {region_options}
                </select>
            </div>
            <fieldset class="field choice">
                <legend>{t(l, K::LegendSettlement)}</legend>
                <div class="radio">
                    <input
                        type="radio"
                        id="settlement_urban"
                        name="settlement"
                        value="urban"
                        prop:checked=move || settlement.get() == Settlement::Urban
                        on:change=move |_| settlement.set(Settlement::Urban)
                    />
                    <label for="settlement_urban">{t(l, K::SettlementUrban)}</label>
                </div>
                <div class="radio">
                    <input
                        type="radio"
                        id="settlement_rural"
                        name="settlement"
                        value="rural"
                        prop:checked=move || settlement.get() == Settlement::Rural
                        on:change=move |_| settlement.set(Settlement::Rural)
                    />
                    <label for="settlement_rural">{t(l, K::SettlementRural)}</label>
                </div>
            </fieldset>
            <TextField
                errors
                field="monthly_salary"
                label=t(l, K::LabelSalary).to_string()
                hint=salary_hint(today(), l)
                value=salary
                inputmode="decimal"
                autocomplete="off"
            />
            <TextField
                errors
                field="places"
                label=t(l, K::LabelPlaces).to_string()
                hint=tf(l, K::HintPlaces, &[&PLACES_MAX.to_string()])
                value=places
                kind="number"
                inputmode="numeric"
                autocomplete="off"
            />
            <div class="field radio">
                <input
                    type="checkbox"
                    id="housing_provided"
                    name="housing_provided"
                    prop:checked=move || housing.get()
                    on:change=move |ev| housing.set(event_target_checked(&ev))
                />
                <label for="housing_provided">{t(l, K::LabelHousing)}</label>
            </div>
            <button
                type="submit"
                class="button"
                id="save-vacancy"
                aria-disabled=move || busy.get().then_some("true")
            >
                {move || busy_label(l, busy.get(), idle)}
            </button>
        </form>
    }
}

// ---- posting ----

/// `/{lang}/my/vacancies/new`: the empty form; once posted, the new vacancy's own page.
#[component]
pub fn NewVacancy() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Employer]>
            <NewVacancyPage/>
        </Signed>
    }
}

#[component]
fn NewVacancyPage() -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let on_saved = Callback::new(move |v: Vacancy| {
        let page = my_path(lang.current.get_untracked(), &format!("vacancies/{}", v.id));
        navigate(&format!("{page}?{PUBLISHED}=1"), Default::default());
    });
    view! {
        <h1>{tr(K::NewTitle)}</h1>
        <p>
            <a href=move || my_path(lang.get(), "")>{tr(K::BackHome)}</a>
        </p>
        <VacancyForm id=None initial=RawVacancy::default() notice=RwSignal::new(None) on_saved/>
    }
}

// ---- editing and closing ----

/// `/{lang}/my/vacancies/:id`: one of the employer's vacancies, to change or close.
#[component]
pub fn EditVacancy() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Employer]>
            <EditVacancyPage/>
        </Signed>
    }
}

#[component]
fn EditVacancyPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let id = route_id();
    let published = use_query_map().with_untracked(|q| q.get(PUBLISHED).is_some());
    let notice = RwSignal::new(published.then_some(Notice::Published));
    if published {
        // Effects run only in the browser, once the page is drawn.
        Effect::new(move |_| focus(Notice::Published.id(), true));
    }
    let vacancy = LocalResource::new(move || {
        let (id, l) = (id.get(), lang.get());
        async move {
            match id {
                Some(id) => client::get::<Vacancy>(&format!("/vacancies/{id}"), l).await,
                None => Err(no_such_vacancy(l)),
            }
        }
    });
    let me = move || {
        session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.account.id))
    };
    view! {
        <h1>{tr(K::EditTitle)}</h1>
        <NoticeRegion notice/>
        {move || {
            let l = lang.get();
            match vacancy.get() {
                None => loading(l, K::LoadingVacancy),
                Some(Err(f)) => load_failed(&f, l),
                Some(Ok(v)) if Some(v.employer_id) != me() => {
                    view! { <p class="notice notice-warning">{t(l, K::NotYours)}</p> }.into_any()
                }
                Some(Ok(v)) => view! { <VacancyEditor vacancy=v notice/> }.into_any(),
            }
        }}
        <p>
            <a href=move || my_path(lang.get(), "")>{tr(K::BackHome)}</a>
        </p>
    }
}

/// The form filled with `vacancy`, its links, and the way to close it.
#[component]
fn VacancyEditor(vacancy: Vacancy, notice: RwSignal<Option<Notice>>) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let id = vacancy.id;
    let status = RwSignal::new(vacancy.status);
    let on_saved = Callback::new(move |v: Vacancy| {
        status.set(v.status);
        announce(notice, Notice::Saved);
    });
    view! {
        {move || {
            (status.get() == VacancyStatus::Closed)
                .then(|| {
                    view! {
                        <p class="notice notice-warning" id="vacancy-closed-notice">
                            {t(l, K::ClosedNotice)}
                        </p>
                    }
                })
        }}
        <ul class="links">
            <li>
                <a href=my_path(l, &format!("vacancies/{id}/applicants"))>
                    {t(l, K::ApplicantsLink)}
                </a>
            </li>
            <li>
                <a href=format!("/{}/vacancy?id={id}", l.code()) rel="external">
                    {t(l, K::PublicLink)}
                </a>
            </li>
        </ul>
        <VacancyForm id=Some(id) initial=RawVacancy::of(&vacancy) notice on_saved/>
        <CloseVacancy id status notice/>
    }
}

/// "Close the vacancy", asking once more in the page before it is done.
#[component]
fn CloseVacancy(
    id: i64,
    status: RwSignal<VacancyStatus>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let ask = move |_| {
        confirming.set(true);
        request_animation_frame(|| focus("close-confirm", false));
    };
    let cancel = move |_| {
        confirming.set(false);
        failure.set(None);
        request_animation_frame(|| focus("close-vacancy", false));
    };
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let answer = client::post_empty(&format!("/vacancies/{id}/close"), l).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    confirming.set(false);
                    status.set(VacancyStatus::Closed);
                    announce(notice, Notice::Closed);
                }
                Err(f) => failure.set(Some(failure_text(&f, l))),
            }
        });
    };
    move || {
        if status.get() == VacancyStatus::Closed {
            return ().into_any();
        }
        if !confirming.get() {
            return view! {
                <p class="close-vacancy">
                    <button type="button" class="button button-secondary" id="close-vacancy" on:click=ask>
                        {t(l, K::Close)}
                    </button>
                </p>
            }
            .into_any();
        }
        view! {
            <div class="notice notice-warning" id="close-confirm" tabindex="-1">
                <p>{t(l, K::CloseConfirm)}</p>
                <p class="field-error" role="alert">
                    {move || failure.get()}
                </p>
                <p>
                    <button
                        type="button"
                        class="button"
                        id="confirm-close"
                        on:click=confirm
                        aria-disabled=move || busy.get().then_some("true")
                    >
                        {move || busy_label(l, busy.get(), t(l, K::CloseYes))}
                    </button>
                    " "
                    <button
                        type="button"
                        class="button button-secondary"
                        id="cancel-close"
                        on:click=cancel
                    >
                        {t(l, K::CloseNo)}
                    </button>
                </p>
            </div>
        }
        .into_any()
    }
}

// ---- applicants ----

/// `/{lang}/my/vacancies/:id/applicants`: who applied to one of the employer's vacancies.
#[component]
pub fn Applicants() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Employer, Role::Admin]>
            <ApplicantsPage/>
        </Signed>
    }
}

#[component]
fn ApplicantsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let id = route_id();
    let data = LocalResource::new(move || {
        let (id, l) = (id.get(), lang.get());
        async move {
            let id = id.ok_or_else(|| no_such_vacancy(l))?;
            let vacancy = client::get::<Vacancy>(&format!("/vacancies/{id}"), l).await?;
            let applicants =
                client::get::<VacancyApplicants>(&format!("/vacancies/{id}/applications"), l)
                    .await?;
            Ok::<_, Failure>((vacancy, applicants))
        }
    });
    let employer = session.role() == Some(Role::Employer);
    view! {
        <h1>{tr(K::ApplicantsTitle)}</h1>
        {move || {
            let l = lang.get();
            match data.get() {
                None => loading(l, K::LoadingApplicants),
                Some(Err(f)) => load_failed(&f, l),
                Some(Ok((vacancy, applicants))) => applicant_list(&vacancy, applicants.items, l),
            }
        }}
        {employer
            .then(|| {
                view! {
                    <p>
                        <a href=move || my_path(lang.get(), "")>{tr(K::BackHome)}</a>
                    </p>
                }
            })}
    }
}

fn applicant_list(vacancy: &Vacancy, items: Vec<VacancyApplicant>, l: Lang) -> AnyView {
    let named = tf(l, K::VacancyNamed, &[&vacancy.title]);
    let body = if items.is_empty() {
        view! { <p id="no-applicants">{t(l, K::NoApplicants)}</p> }.into_any()
    } else {
        view! {
            <ul class="cards" id="applicants">
                {items.into_iter().map(|a| applicant_card(a, l)).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="lead">{named}</p>
        {body}
    }
    .into_any()
}

/// One application: a card rather than a table row, so it reads on a narrow screen.
fn applicant_card(a: VacancyApplicant, l: Lang) -> impl IntoView {
    let phone = match a.phone {
        Some(phone) => view! { <a href=format!("tel:{phone}")>{phone.clone()}</a> }.into_any(),
        None => t(l, K::NoPhone).into_any(),
    };
    view! {
        <li class="card">
            <h2>{tf(l, K::ApplicationNumber, &[&a.application_id.to_string()])}</h2>
            <dl class="facts">
                <div>
                    <dt>{t(l, K::StatusLabel)}</dt>
                    <dd>{status_name(a.status, l)}</dd>
                </div>
                <div>
                    <dt>{t(l, K::FamilySize)}</dt>
                    <dd>{a.family_size}</dd>
                </div>
                <div>
                    <dt>{t(l, K::ApplicantSettlement)}</dt>
                    <dd>{settlement_name(a.settlement, l)}</dd>
                </div>
                <div>
                    <dt>{t(l, K::Phone)}</dt>
                    <dd>{phone}</dd>
                </div>
                <div>
                    <dt>{t(l, K::SubmittedOn)}</dt>
                    <dd>{day_of(&a.submitted_at, l)}</dd>
                </div>
            </dl>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UiLang;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn raw() -> RawVacancy {
        RawVacancy {
            title: "Сварщик".into(),
            description: "Сменная работа на заводе.".into(),
            region: "north_kazakhstan".into(),
            settlement: Settlement::Rural,
            monthly_salary: "250 000,50".into(),
            places: " 3 ".into(),
            housing_provided: true,
        }
    }

    fn fields(found: &[FieldProblem]) -> Vec<&str> {
        found.iter().filter_map(|p| p.field.as_deref()).collect()
    }

    #[test]
    fn a_filled_form_becomes_the_draft() {
        let draft = raw().to_draft(day("2026-03-01"), Lang::Ru).unwrap();
        assert_eq!(draft.region, Region::NorthKazakhstan);
        assert_eq!(draft.settlement, Settlement::Rural);
        assert_eq!(draft.monthly_salary.to_string(), "250000.5");
        assert_eq!(draft.places, 3);
        assert!(draft.housing_provided);
        let json = serde_json::to_value(&draft).unwrap();
        assert_eq!(json["monthly_salary"], "250000.5");
        assert_eq!(json["settlement"], "rural");
    }

    #[test]
    fn salaries_as_people_write_them() {
        for (text, tenge) in [
            ("250000", "250000"),
            ("250 000", "250000"),
            ("250\u{202F}000 ₸", "250000"),
            ("99999,9", "99999.9"),
            ("1.25", "1.25"),
        ] {
            assert_eq!(
                parse_salary(text).map(|t| t.to_string()).as_deref(),
                Some(tenge),
                "{text}"
            );
        }
        for bad in ["", "  ", "lots", "-5", "1e6", "1.234", "1,2,3", "+5"] {
            assert_eq!(parse_salary(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_empty_form_lists_every_problem_in_page_order() {
        let found = RawVacancy {
            places: String::new(),
            ..RawVacancy::default()
        }
        .to_draft(day("2026-03-01"), Lang::En)
        .unwrap_err();
        assert_eq!(
            fields(&found),
            ["title", "description", "region", "monthly_salary", "places"]
        );
        assert_eq!(found[2].message, "Choose the region of the job.");
        assert!(
            found[3].message.starts_with("Write the salary"),
            "{}",
            found[3].message
        );
        assert!(found[4].message.contains("whole number"));
    }

    #[test]
    fn the_shared_rules_speak_for_readable_fields() {
        let minimum = Policy::current().minimum_wage(day("2026-03-01")).unwrap();
        let found = RawVacancy {
            title: "x".repeat(shared::vacancy::TITLE_MAX_CHARS + 1),
            monthly_salary: "1000".into(),
            places: "0".into(),
            ..raw()
        }
        .to_draft(day("2026-03-01"), Lang::Kk)
        .unwrap_err();
        assert_eq!(fields(&found), ["title", "monthly_salary", "places"]);
        let salary = &found[1].message;
        assert!(
            salary.contains(&Tenge::new(minimum.value).grouped()),
            "the minimum wage figure: {salary}"
        );
        assert!(found
            .iter()
            .all(|p| p.message.chars().any(|c| ('а'..='я').contains(&c))));
        // Places the number input could not read: one problem, not the rules' range too.
        let found = RawVacancy {
            places: "2.5".into(),
            ..raw()
        }
        .to_draft(day("2026-03-01"), Lang::Ru)
        .unwrap_err();
        assert_eq!(fields(&found), ["places"]);
        assert_eq!(found[0].message, t(Lang::Ru, K::ErrPlacesInvalid));
    }

    #[test]
    fn a_vacancy_fills_the_form_and_comes_back_unchanged() {
        let draft = raw().to_draft(day("2026-03-01"), Lang::En).unwrap();
        let vacancy = Vacancy {
            id: 7,
            employer_id: 3,
            organisation: "Zauyt LLP".into(),
            title: draft.title.clone(),
            description: draft.description.clone(),
            region: draft.region,
            settlement: draft.settlement,
            monthly_salary: draft.monthly_salary,
            places: draft.places,
            housing_provided: draft.housing_provided,
            status: VacancyStatus::Open,
            created_at: "2026-03-01T08:00:00Z".into(),
            updated_at: "2026-03-01T08:00:00Z".into(),
        };
        let again = RawVacancy::of(&vacancy).to_draft(day("2026-03-01"), Lang::En);
        assert_eq!(again, Ok(draft));
    }

    #[test]
    fn the_salary_hint_names_the_minimum_wage() {
        let hint = salary_hint(day("2026-03-01"), Lang::En);
        assert!(hint.contains("₸") && hint.contains("from"), "{hint}");
        assert_eq!(
            salary_hint(day("2000-01-01"), Lang::En),
            t(Lang::En, K::HintSalaryPlain)
        );
        assert_eq!(day_of("2026-03-05T10:00:00Z", Lang::Ru), "05.03.2026");
    }

    #[test]
    fn cards_link_where_they_should() {
        let vacancy = Vacancy {
            id: 12,
            employer_id: 3,
            organisation: "Zauyt LLP".into(),
            title: "Welder".into(),
            description: "Shifts.".into(),
            region: Region::Pavlodar,
            settlement: Settlement::Urban,
            monthly_salary: Tenge::from_tiyn(25_000_000),
            places: 4,
            housing_provided: false,
            status: VacancyStatus::Closed,
            created_at: "2026-03-01T08:00:00Z".into(),
            updated_at: "2026-03-01T08:00:00Z".into(),
        };
        let applicant = VacancyApplicant {
            application_id: 40,
            status: shared::application::ApplicationStatus::Submitted,
            family_size: 3,
            settlement: Settlement::Rural,
            phone: Some("+77015551234".into()),
            submitted_at: "2026-03-05T10:00:00Z".into(),
        };
        let html = Owner::new().with(|| {
            let card = vacancy_card(vacancy, Lang::En).to_html();
            card + &applicant_card(applicant, Lang::Ru).to_html()
        });
        assert!(html.contains("href=\"/en/my/vacancies/12\""), "{html}");
        assert!(html.contains("href=\"/en/my/vacancies/12/applicants\""));
        assert!(html.contains("href=\"/en/vacancy?id=12\" rel=\"external\""));
        assert!(html.contains("250\u{202F}000 ₸") && html.contains("Closed"));
        assert!(html.contains("href=\"tel:+77015551234\""));
        assert!(html.contains("05.03.2026") && html.contains("В селе"));
    }

    #[test]
    fn the_form_has_a_labelled_field_for_every_part_of_the_vacancy() {
        let html = Owner::new().with(|| {
            provide_context(UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view! {
                <VacancyForm
                    id=None
                    initial=RawVacancy::default()
                    notice=RwSignal::new(None)
                    on_saved=Callback::new(|_| {})
                />
            }
            .to_html()
        });
        for id in [
            "title",
            "description",
            "region",
            "settlement_urban",
            "settlement_rural",
            "monthly_salary",
            "places",
            "housing_provided",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
            assert!(html.contains(&format!("for=\"{id}\"")), "label for {id}");
        }
        assert!(html.contains("Publish the vacancy"));
        for region in Policy::current().destinations() {
            assert!(html.contains(&format!("value=\"{}\"", region.id())));
        }
    }
}
