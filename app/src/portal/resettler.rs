//! The resettler's pages: their applications (the account home) and the application form.
//!
//! The form starts from the eligibility checker's answers kept for the visit, so a person
//! who has just checked does not type them again. It is checked in the browser first
//! (dates, the family's IINs); the server then re-runs the eligibility rules with the
//! current quota and may refuse, naming the rules that failed.

use crate::{
    browser,
    client::{self, Failure, FieldProblem, Method},
    form::Draft,
    forms::{
        busy_label, failure_message, field_id, ErrorSummary, FieldError, FormErrors, TextField,
    },
    i18n::{t, tf, Key, ResettlerKey},
    portal::{my_path, status_name, use_session, Signed},
    use_lang,
};
use chrono::NaiveDate;
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::hooks::use_query_map;
use shared::{
    account::{parse_iin, Role},
    api::{Citizenship, Destination, FamilySize, RuleResult, Settlement},
    application::{Application, ApplicationList, FamilyMember, FamilyProblem, SubmitApplication},
    vacancy::{Vacancy, VacancyStatus},
    Lang, Policy, Region,
};

/// Most family members who can move with the applicant.
const MEMBERS_MAX: usize = (FamilySize::MAX - 1) as usize;

/// What to say about a failed call: the server's own words when it gave some.
fn failure_text(failure: &Failure, lang: Lang) -> String {
    failure
        .problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_else(|| failure_message(failure, lang).to_string())
}

fn settlement_name(settlement: Settlement, lang: Lang) -> &'static str {
    match settlement {
        Settlement::Urban => t(lang, Key::SettlementUrban),
        Settlement::Rural => t(lang, Key::SettlementRural),
    }
}

fn public_path(lang: Lang, rest: &str) -> String {
    format!("/{}/{rest}", lang.code())
}

/// An application's status, as the page and its tests show it.
fn status_line(status: shared::application::ApplicationStatus, lang: Lang) -> impl IntoView {
    view! {
        <p class="application-status" data-status=status.id()>
            {status_name(status, lang)}
        </p>
    }
}

// ---- the account home ----

/// The signed-in resettler's home: their applications, or a way to start one.
#[component]
pub fn Home() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let mine = RwSignal::new(None::<Result<ApplicationList, Failure>>);
    leptos::task::spawn_local(async move {
        mine.set(Some(client::get("/applications/mine", l).await));
    });
    view! {
        <h1>{t(l, ResettlerKey::HomeTitle)}</h1>
        <crate::portal::contracts::HomeLinks/>
        {move || match mine.get() {
            None => {
                view! { <p class="status" role="status">{t(l, crate::i18n::AccountKey::Loading)}</p> }
                    .into_any()
            }
            Some(Err(failure)) => {
                view! {
                    <div class="notice notice-error" role="alert">
                        <p>{failure_text(&failure, l)}</p>
                    </div>
                }
                    .into_any()
            }
            Some(Ok(list)) => applications(&list.items, l).into_any(),
        }}
    }
}

/// Every application, newest first, then a way to apply when none is open.
fn applications(items: &[Application], lang: Lang) -> impl IntoView {
    let open = items.iter().any(|a| a.status.is_open());
    let cards = items
        .iter()
        .map(|a| application_card(a, lang))
        .collect_view();
    let next = if open {
        view! { <p>{t(lang, ResettlerKey::HomeOneOpen)}</p> }.into_any()
    } else {
        let intro = if items.is_empty() {
            ResettlerKey::HomeNone
        } else {
            ResettlerKey::HomeApplyAgain
        };
        view! {
            <p>{t(lang, intro)}</p>
            <p>
                <a class="button" id="start-application" href=my_path(lang, "apply")>
                    {t(lang, ResettlerKey::StartApplication)}
                </a>
            </p>
            <ul class="list">
                <li>
                    <a rel="external" href=public_path(lang, "check")>
                        {t(lang, ResettlerKey::LinkCheck)}
                    </a>
                </li>
                <li>
                    <a rel="external" href=public_path(lang, "vacancies")>
                        {t(lang, ResettlerKey::LinkVacancies)}
                    </a>
                </li>
            </ul>
        }
        .into_any()
    };
    // Vouchers are issued once an application is approved.
    let wallet = items
        .iter()
        .any(|a| a.status == shared::application::ApplicationStatus::Approved)
        .then(|| {
            view! {
                <p>
                    <a class="button" id="open-wallet" href=my_path(lang, "wallet")>
                        {t(lang, crate::i18n::WalletKey::OpenWallet)}
                    </a>
                </p>
            }
        });
    view! {
        {cards}
        {wallet}
        {next}
    }
}

fn application_card(a: &Application, lang: Lang) -> impl IntoView {
    let policy = Policy::current();
    let destination = format!(
        "{}, {}",
        policy.region_name(a.destination.region, lang),
        settlement_name(a.destination.settlement, lang)
    );
    let submitted = a
        .submitted_at
        .get(..10)
        .and_then(shared::date::parse_iso)
        .map_or_else(|| a.submitted_at.clone(), |d| shared::date::format(d, lang));
    let reason = a
        .reason
        .clone()
        .filter(|_| a.status == shared::application::ApplicationStatus::Rejected)
        .map(|reason| {
            view! {
                <p class="application-reason">
                    <strong>{t(lang, ResettlerKey::ReasonLabel)}</strong>
                    " "
                    {reason}
                </p>
            }
        });
    let vacancy = a.vacancy_id.map(|id| {
        view! {
            <p>
                <a rel="external" href=public_path(lang, &format!("vacancy?id={id}"))>
                    {t(lang, ResettlerKey::VacancyLink)}
                </a>
            </p>
        }
    });
    view! {
        <section class="card application">
            <h2>{tf(lang, ResettlerKey::ApplicationHeading, &[&a.id.to_string()])}</h2>
            {status_line(a.status, lang)}
            <dl>
                <dt>{t(lang, ResettlerKey::DestinationLabel)}</dt>
                <dd>{destination}</dd>
                <dt>{t(lang, ResettlerKey::FamilySizeLabel)}</dt>
                <dd>{a.family_size}</dd>
                <dt>{t(lang, ResettlerKey::SubmittedLabel)}</dt>
                <dd>{submitted}</dd>
            </dl>
            {reason}
            {vacancy}
        </section>
    }
}

// ---- the application form: state and checks ----

/// A family member as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberInput {
    pub iin: String,
    pub birth_date: String,
}

/// The application form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyInput {
    pub birth_date: String,
    pub citizenship: Citizenship,
    pub current_region: Option<Region>,
    pub destination: Option<Region>,
    pub settlement: Settlement,
    pub prior_support: bool,
    pub members: Vec<MemberInput>,
    pub vacancy_id: Option<i64>,
}

impl Default for ApplyInput {
    fn default() -> ApplyInput {
        ApplyInput {
            birth_date: String::new(),
            citizenship: Citizenship::Citizen,
            current_region: None,
            destination: None,
            settlement: Settlement::Urban,
            prior_support: false,
            members: Vec::new(),
            vacancy_id: None,
        }
    }
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: Some(field.into()),
        message: message.into(),
    }
}

/// A date field: missing, not a date, or the date.
fn parse_date(text: &str) -> Result<NaiveDate, bool> {
    let text = text.trim();
    if text.is_empty() {
        Err(true)
    } else {
        shared::date::parse_iso(text).ok_or(false)
    }
}

impl ApplyInput {
    /// The checker's answers as a start: the family it counted becomes that many empty
    /// member rows (the applicant is one of them), to be completed with IINs and dates.
    pub fn from_draft(draft: &Draft) -> ApplyInput {
        let others = draft.family_size().map_or(0, |s| s.get() as usize - 1);
        ApplyInput {
            birth_date: draft.birth_date.trim().to_string(),
            citizenship: draft.citizenship,
            current_region: draft.current_region,
            destination: draft
                .destination
                .filter(|r| Policy::current().is_destination(*r)),
            settlement: draft.settlement,
            prior_support: draft.prior_support,
            members: vec![MemberInput::default(); others.min(MEMBERS_MAX)],
            vacancy_id: None,
        }
    }

    /// The request, or every problem found in the browser, in form order. The family is
    /// checked like the server does: valid, distinct IINs (not the applicant's own) and
    /// birth dates not after `today`.
    pub fn to_request(
        &self,
        applicant_iin: &str,
        today: NaiveDate,
        lang: Lang,
    ) -> Result<SubmitApplication, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let birth_date = parse_date(&self.birth_date);
        if let Err(missing) = birth_date {
            let key = if missing {
                Key::ErrBirthMissing
            } else {
                Key::ErrBirthInvalid
            };
            problems.push(problem("birth_date", t(lang, key)));
        }
        if self.current_region.is_none() {
            problems.push(problem("current_region", t(lang, Key::ErrRegionMissing)));
        }
        if self.destination.is_none() {
            problems.push(problem(
                "destination.region",
                t(lang, Key::ErrRegionMissing),
            ));
        }
        let mut seen = vec![applicant_iin.trim().to_string()];
        let mut members = Vec::new();
        for (member, m) in self.members.iter().enumerate() {
            let n = (member + 1).to_string();
            let iin_field = format!("family_members[{member}].iin");
            let iin = m.iin.trim();
            match parse_iin(iin) {
                Err(_) if iin.is_empty() => problems.push(problem(
                    iin_field,
                    tf(lang, ResettlerKey::ErrMemberIin, &[&n]),
                )),
                Err(error) => problems.push(problem(
                    iin_field,
                    FamilyProblem::InvalidIin { member, error }.message(lang),
                )),
                Ok(iin) if seen.contains(&iin) => problems.push(problem(
                    iin_field,
                    FamilyProblem::DuplicateIin { member }.message(lang),
                )),
                Ok(iin) => seen.push(iin),
            }
            let birth_field = format!("family_members[{member}].birth_date");
            match parse_date(&m.birth_date) {
                Err(missing) => {
                    let key = if missing {
                        ResettlerKey::ErrMemberBirthMissing
                    } else {
                        ResettlerKey::ErrMemberBirthInvalid
                    };
                    problems.push(problem(birth_field, tf(lang, key, &[&n])));
                }
                Ok(date) if date > today => problems.push(problem(
                    birth_field,
                    FamilyProblem::BornInFuture { member }.message(lang),
                )),
                Ok(date) => members.push(FamilyMember {
                    iin: iin.to_string(),
                    birth_date: date,
                }),
            }
        }
        match (birth_date, self.current_region, self.destination) {
            (Ok(birth_date), Some(current_region), Some(region)) if problems.is_empty() => {
                Ok(SubmitApplication {
                    family_members: members,
                    destination: Destination {
                        region,
                        settlement: self.settlement,
                    },
                    vacancy_id: self.vacancy_id,
                    birth_date,
                    citizenship: self.citizenship,
                    current_region,
                    prior_resettlement_support: self.prior_support,
                })
            }
            _ => Err(problems),
        }
    }
}

/// The checker's answers kept for the visit, if the person filled in anything.
fn checked_draft() -> Option<Draft> {
    browser::stored_draft()
        .and_then(|s| crate::island::decode(&s))
        .filter(|d| *d != Draft::default())
}

/// A family member's row: one signal per field, so typing re-renders nothing else.
#[derive(Clone, Copy)]
struct MemberRow {
    iin: RwSignal<String>,
    birth_date: RwSignal<String>,
}

impl MemberRow {
    fn new(m: &MemberInput) -> MemberRow {
        MemberRow {
            iin: RwSignal::new(m.iin.clone()),
            birth_date: RwSignal::new(m.birth_date.clone()),
        }
    }
}

/// The vacancy named in the address, as far as it is known.
#[derive(Clone)]
enum VacancyState {
    None,
    Loading,
    Attached(Vacancy),
    /// It cannot be applied for: why.
    Unavailable(String),
}

/// The form's reactive state.
#[derive(Clone, Copy)]
struct ApplyState {
    birth_date: RwSignal<String>,
    citizenship: RwSignal<Citizenship>,
    current_region: RwSignal<Option<Region>>,
    destination: RwSignal<Option<Region>>,
    settlement: RwSignal<Settlement>,
    prior_support: RwSignal<bool>,
    members: RwSignal<Vec<MemberRow>>,
    vacancy: RwSignal<VacancyState>,
}

impl ApplyState {
    fn new(input: &ApplyInput) -> ApplyState {
        ApplyState {
            birth_date: RwSignal::new(input.birth_date.clone()),
            citizenship: RwSignal::new(input.citizenship),
            current_region: RwSignal::new(input.current_region),
            destination: RwSignal::new(input.destination),
            settlement: RwSignal::new(input.settlement),
            prior_support: RwSignal::new(input.prior_support),
            members: RwSignal::new(input.members.iter().map(MemberRow::new).collect()),
            vacancy: RwSignal::new(VacancyState::None),
        }
    }

    /// What is typed now.
    fn input(&self) -> ApplyInput {
        ApplyInput {
            birth_date: self.birth_date.get_untracked(),
            citizenship: self.citizenship.get_untracked(),
            current_region: self.current_region.get_untracked(),
            destination: self.destination.get_untracked(),
            settlement: self.settlement.get_untracked(),
            prior_support: self.prior_support.get_untracked(),
            members: self
                .members
                .get_untracked()
                .iter()
                .map(|m| MemberInput {
                    iin: m.iin.get_untracked(),
                    birth_date: m.birth_date.get_untracked(),
                })
                .collect(),
            vacancy_id: match &*self.vacancy.read_untracked() {
                VacancyState::Attached(v) => Some(v.id),
                _ => None,
            },
        }
    }

    /// Fetches the vacancy the person came from; where it is decides the destination.
    fn load_vacancy(self, id: i64, lang: Lang) {
        self.vacancy.set(VacancyState::Loading);
        leptos::task::spawn_local(async move {
            let state = match client::get::<Vacancy>(&format!("/vacancies/{id}"), lang).await {
                Ok(v) if v.status == VacancyStatus::Closed => {
                    VacancyState::Unavailable(t(lang, ResettlerKey::VacancyClosed).to_string())
                }
                Ok(v) => {
                    self.destination.set(Some(v.region));
                    self.settlement.set(v.settlement);
                    VacancyState::Attached(v)
                }
                Err(f) => VacancyState::Unavailable(failure_text(&f, lang)),
            };
            self.vacancy.set(state);
        });
    }
}

/// Drops the problems about family members: their rows have moved.
fn forget_member_problems(errors: FormErrors) {
    let kept = errors
        .all()
        .into_iter()
        .filter(|p| {
            !p.field
                .as_deref()
                .is_some_and(|f| f.starts_with("family_members["))
        })
        .collect();
    errors.set(kept);
}

// ---- the application form: the page ----

/// `/{lang}/my/apply[?vacancy=N]`.
#[component]
pub fn Apply() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    view! {
        <h1>{t(l, ResettlerKey::ApplyTitle)}</h1>
        <Signed roles=&[Role::Resettler]>
            <ApplyForm/>
        </Signed>
    }
}

#[component]
fn ApplyForm() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let session = use_session();
    let draft = checked_draft();
    let prefilled = draft.is_some();
    let state = ApplyState::new(
        &draft
            .as_ref()
            .map(ApplyInput::from_draft)
            .unwrap_or_default(),
    );
    let vacancy_id = use_query_map()
        .with_untracked(|q| q.get("vacancy"))
        .and_then(|v| v.trim().parse::<i64>().ok());
    if let Some(id) = vacancy_id {
        state.load_vacancy(id, l);
    }
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Application>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let applicant = session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.account.login.clone()))
            .unwrap_or_default();
        refusal.set(None);
        let request = match state.input().to_request(&applicant, browser::today(), l) {
            Ok(r) => r,
            Err(problems) => return errors.set(problems),
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer =
                client::send::<_, Application>(Method::Post, "/applications", &request, l).await;
            busy.set(false);
            match answer {
                Ok(application) => {
                    done.set(Some(application));
                    request_animation_frame(|| browser::focus("application-done", false));
                }
                Err(f) if f.code == "not_eligible" => {
                    refusal.set(Some(f));
                    request_animation_frame(|| browser::focus("refusal", true));
                }
                Err(f) => errors.show(&f, l),
            }
        });
    };

    let form = view! {
        <form novalidate on:submit=submit aria-busy=move || busy.get().then_some("true")>
            <ErrorSummary errors/>
            {move || refusal.get().map(|f| refusal_view(&f, l))}
            {prefilled
                .then(|| view! { <p class="notice">{t(l, ResettlerKey::Prefilled)}</p> })}

            <h2>{t(l, ResettlerKey::AboutYou)}</h2>
            <TextField
                errors
                field="birth_date"
                label=t(l, Key::LabelBirthDate).to_string()
                value=state.birth_date
                kind="date"
                autocomplete="bday"
            />
            <CitizenshipSelect value=state.citizenship/>
            <RegionSelect
                errors
                field="current_region"
                label=t(l, Key::LabelCurrentRegion)
                regions=Policy::current().regions.iter().map(|r| r.id).collect()
                value=state.current_region
            />
            <div class="field">
                <label for="prior_resettlement_support">{t(l, Key::LabelPriorSupport)}</label>
                <select
                    id="prior_resettlement_support"
                    name="prior_resettlement_support"
                    class="narrow"
                    on:change=move |ev| state.prior_support.set(event_target_value(&ev) == "yes")
                >
                    <option value="no" prop:selected=move || !state.prior_support.get()>
                        {t(l, Key::No)}
                    </option>
                    <option value="yes" prop:selected=move || state.prior_support.get()>
                        {t(l, Key::Yes)}
                    </option>
                </select>
            </div>

            <h2>{t(l, ResettlerKey::WhereTo)}</h2>
            <VacancyPanel errors state/>
            <RegionSelect
                errors
                field="destination.region"
                label=t(l, Key::LabelDestination)
                regions=Policy::current().destinations().collect()
                value=state.destination
            />
            <fieldset class="field choice" id="destination-settlement">
                <legend>{t(l, Key::LegendSettlement)}</legend>
                <FieldError errors field="destination.settlement"/>
                {[Settlement::Urban, Settlement::Rural]
                    .into_iter()
                    .map(|s| {
                        let id = match s {
                            Settlement::Urban => "settlement_urban",
                            Settlement::Rural => "settlement_rural",
                        };
                        view! {
                            <div class="radio">
                                <input
                                    type="radio"
                                    id=id
                                    name="destination.settlement"
                                    value=if s == Settlement::Urban { "urban" } else { "rural" }
                                    prop:checked=move || state.settlement.get() == s
                                    on:change=move |_| state.settlement.set(s)
                                />
                                <label for=id>{settlement_name(s, l)}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>

            <Family errors state/>

            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || busy_label(l, busy.get(), t(l, ResettlerKey::SendApplication))}
            </button>
        </form>
    };

    // Hidden, not dropped, after success: nothing typed is lost while the page lives.
    view! {
        <div hidden=move || done.with(Option::is_some)>{form}</div>
        {move || done.get().map(|a| done_view(&a, l))}
    }
}

/// The citizenship `<select>`: never empty, a citizen by default as in the checker.
#[component]
fn CitizenshipSelect(value: RwSignal<Citizenship>) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let options = [
        (Citizenship::Citizen, "citizen", Key::CitizenshipCitizen),
        (Citizenship::Kandas, "kandas", Key::CitizenshipKandas),
        (Citizenship::Foreign, "foreign", Key::CitizenshipForeign),
    ];
    view! {
        <div class="field">
            <label for="citizenship">{t(l, Key::LabelCitizenship)}</label>
            <select
                id="citizenship"
                name="citizenship"
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some((c, _, _)) = options.iter().find(|(_, id, _)| *id == chosen) {
                        value.set(*c);
                    }
                }
            >
                {options
                    .iter()
                    .map(|(c, id, key)| {
                        let c = *c;
                        view! {
                            <option value=*id prop:selected=move || value.get() == c>
                                {t(l, *key)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A required region `<select>` with a "choose" placeholder.
#[component]
fn RegionSelect(
    errors: FormErrors,
    field: &'static str,
    label: &'static str,
    regions: Vec<Region>,
    value: RwSignal<Option<Region>>,
) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let id = field_id(field);
    let policy = Policy::current();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <FieldError errors field/>
            <select
                id=id.clone()
                name=field
                aria-invalid=move || errors.for_field(field).map(|_| "true")
                aria-describedby=crate::forms::described_by(errors, field, false)
                on:change=move |ev| value.set(Region::from_id(&event_target_value(&ev)))
            >
                <option value="" prop:selected=move || value.get().is_none()>
                    {t(l, Key::ChooseRegion)}
                </option>
                {regions
                    .into_iter()
                    .map(|r| {
                        view! {
                            <option value=r.id() prop:selected=move || value.get() == Some(r)>
                                {policy.region_name(r, l).to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The vacancy from the address: loading, what it is with a way to leave it out, or why
/// it cannot be applied for.
#[component]
fn VacancyPanel(errors: FormErrors, state: ApplyState) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let remove = move |_| {
        state.vacancy.set(VacancyState::None);
        browser::focus("destination-region", false);
    };
    move || match state.vacancy.get() {
        VacancyState::None => ().into_any(),
        VacancyState::Loading => view! {
            <p class="status" role="status">{t(l, ResettlerKey::VacancyLoading)}</p>
        }
        .into_any(),
        VacancyState::Unavailable(why) => view! {
            <div class="notice notice-warning" role="status">
                <p>{why}</p>
                <p>{t(l, ResettlerKey::VacancyWithout)}</p>
            </div>
        }
        .into_any(),
        VacancyState::Attached(v) => view! {
            <div class="notice" id="vacancy_id" tabindex="-1">
                <p>{tf(l, ResettlerKey::ApplyingFor, &[&v.title, &v.organisation])}</p>
                <FieldError errors field="vacancy_id"/>
                <p>
                    <button type="button" class="button button-secondary" on:click=remove>
                        {t(l, ResettlerKey::VacancyRemove)}
                    </button>
                </p>
            </div>
        }
        .into_any(),
    }
}

/// The family members who move with the applicant: rows to add and remove.
#[component]
fn Family(errors: FormErrors, state: ApplyState) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let add = move |_| {
        let mut count = 0;
        state.members.update(|m| {
            m.push(MemberRow::new(&MemberInput::default()));
            count = m.len();
        });
        let id = field_id(&format!("family_members[{}].iin", count - 1));
        request_animation_frame(move || browser::focus(&id, false));
    };
    let rows = move || {
        state
            .members
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let n = (i + 1).to_string();
                let remove = move |_| {
                    state.members.update(|m| {
                        m.remove(i);
                    });
                    forget_member_problems(errors);
                    request_animation_frame(|| browser::focus("add-member", false));
                };
                view! {
                    <li class="card member">
                        <h3>{tf(l, ResettlerKey::MemberHeading, &[&n])}</h3>
                        <MemberField
                            errors
                            field=format!("family_members[{i}].iin")
                            label=tf(l, ResettlerKey::LabelMemberIin, &[&n])
                            value=row.iin
                            kind="text"
                            inputmode="numeric"
                        />
                        <MemberField
                            errors
                            field=format!("family_members[{i}].birth_date")
                            label=tf(l, ResettlerKey::LabelMemberBirth, &[&n])
                            value=row.birth_date
                            kind="date"
                        />
                        <button
                            type="button"
                            class="button button-secondary"
                            aria-label=tf(l, ResettlerKey::RemoveMemberNamed, &[&n])
                            on:click=remove
                        >
                            {t(l, ResettlerKey::RemoveMember)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let full = move || state.members.with(|m| m.len() >= MEMBERS_MAX);
    view! {
        <h2 id="family_members" tabindex="-1">{t(l, ResettlerKey::FamilyTitle)}</h2>
        <p class="hint">
            {tf(l, ResettlerKey::FamilyHint, &[&MEMBERS_MAX.to_string()])}
        </p>
        <FieldError errors field="family_members"/>
        <ol class="members">{rows}</ol>
        <p>
            <button
                type="button"
                class="button button-secondary"
                id="add-member"
                hidden=full
                on:click=add
            >
                {t(l, ResettlerKey::AddMember)}
            </button>
        </p>
    }
}

/// A labelled input of one family member: like [`TextField`], for a field path made at
/// run time.
#[component]
fn MemberField(
    errors: FormErrors,
    field: String,
    label: String,
    value: RwSignal<String>,
    kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(&field);
    let error_id = format!("{id}-error");
    let problem = {
        let field = field.clone();
        move || errors.for_field(&field)
    };
    let invalid = problem.clone();
    let described = problem.clone();
    let described_id = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <p class="field-error" id=error_id>{problem}</p>
            <input
                id=id
                name=field
                type=kind
                inputmode=inputmode
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || invalid().map(|_| "true")
                aria-describedby=move || described().map(|_| described_id.clone())
            />
        </div>
    }
}

/// The server's refusal for failed eligibility rules: what it said, and each rule not met.
fn refusal_view(failure: &Failure, lang: Lang) -> impl IntoView {
    let rules = failed_rules(&failure.rules)
        .map(|r| {
            view! {
                <li class="rule" data-rule=r.id.clone() data-passed="false">
                    <p class="rule-head">
                        <span>{t(lang, Key::RuleFailed)}</span>
                        <span class="rule-id">{r.id.clone()}</span>
                    </p>
                    <p class="reason">{r.reason.clone()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="notice notice-error" id="refusal" role="alert" tabindex="-1">
            <h2>{t(lang, ResettlerKey::RefusalTitle)}</h2>
            <p>{failure_text(failure, lang)}</p>
            <ul class="rules">{rules}</ul>
            <p>{t(lang, ResettlerKey::RefusalNext)}</p>
        </div>
    }
}

fn failed_rules(rules: &[RuleResult]) -> impl Iterator<Item = &RuleResult> {
    rules.iter().filter(|r| !r.passed)
}

/// The confirmation of a submitted application.
fn done_view(application: &Application, lang: Lang) -> impl IntoView {
    view! {
        <div class="notice" role="status" id="application-done" tabindex="-1">
            <h2>{tf(lang, ResettlerKey::DoneTitle, &[&application.id.to_string()])}</h2>
            {status_line(application.status, lang)}
            <p>{t(lang, ResettlerKey::DoneNext)}</p>
            <p>
                <a href=my_path(lang, "")>{t(lang, crate::i18n::PortalKey::NavHome)}</a>
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UiLang;
    use shared::application::ApplicationStatus;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Made-up IINs with valid check digits.
    fn valid_iin(born: &str, serial: u32) -> String {
        (0..10)
            .map(|check| format!("{born}{serial:04}{check}"))
            .find(|iin| parse_iin(iin).is_ok())
            .expect("some check digit is valid")
    }

    const APPLICANT: &str = "900514300121";

    fn complete() -> ApplyInput {
        ApplyInput {
            birth_date: "1990-05-14".into(),
            current_region: Some(Region::Turkestan),
            destination: Some(Region::NorthKazakhstan),
            settlement: Settlement::Rural,
            members: vec![
                MemberInput {
                    iin: format!(" {} ", valid_iin("9203104", 1)),
                    birth_date: "1992-03-10".into(),
                },
                MemberInput {
                    iin: valid_iin("1506015", 2),
                    birth_date: "2015-06-01".into(),
                },
            ],
            vacancy_id: Some(7),
            ..ApplyInput::default()
        }
    }

    fn fields(problems: &[FieldProblem]) -> Vec<&str> {
        problems.iter().filter_map(|p| p.field.as_deref()).collect()
    }

    #[test]
    fn a_complete_form_builds_the_request() {
        let request = complete()
            .to_request(APPLICANT, date("2026-03-01"), Lang::En)
            .unwrap();
        assert_eq!(request.birth_date, date("1990-05-14"));
        assert_eq!(request.citizenship, Citizenship::Citizen);
        assert_eq!(request.current_region, Region::Turkestan);
        assert_eq!(
            request.destination,
            Destination {
                region: Region::NorthKazakhstan,
                settlement: Settlement::Rural
            }
        );
        assert_eq!(request.vacancy_id, Some(7));
        assert!(!request.prior_resettlement_support);
        assert_eq!(
            request.family_members,
            [
                FamilyMember {
                    iin: valid_iin("9203104", 1),
                    birth_date: date("1992-03-10")
                },
                FamilyMember {
                    iin: valid_iin("1506015", 2),
                    birth_date: date("2015-06-01")
                },
            ]
        );
        // As the server reads it: no `vacancy_id` at all when there is none.
        let mut alone = complete();
        alone.vacancy_id = None;
        alone.members.clear();
        let request = alone
            .to_request(APPLICANT, date("2026-03-01"), Lang::En)
            .unwrap();
        let json = serde_json::to_value(&request).unwrap();
        assert!(json.get("vacancy_id").is_none());
        assert_eq!(json["family_members"], serde_json::json!([]));
        assert_eq!(json["destination"]["settlement"], "rural");
    }

    #[test]
    fn every_problem_is_found_in_form_order() {
        let input = ApplyInput {
            birth_date: "14.05.1990".into(),
            members: vec![
                MemberInput::default(),
                MemberInput {
                    iin: "123".into(),
                    birth_date: "2027-01-01".into(),
                },
                MemberInput {
                    iin: APPLICANT.into(),
                    birth_date: "1990-02-30".into(),
                },
            ],
            ..ApplyInput::default()
        };
        let problems = input
            .to_request(APPLICANT, date("2026-03-01"), Lang::En)
            .unwrap_err();
        assert_eq!(
            fields(&problems),
            [
                "birth_date",
                "current_region",
                "destination.region",
                "family_members[0].iin",
                "family_members[0].birth_date",
                "family_members[1].iin",
                "family_members[1].birth_date",
                "family_members[2].iin",
                "family_members[2].birth_date",
            ]
        );
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages[0], "Enter a valid date.");
        assert_eq!(messages[1], "Choose a region.");
        assert_eq!(messages[3], "Enter the IIN of family member 1.");
        assert_eq!(messages[4], "Enter the date of birth of family member 1.");
        assert_eq!(
            messages[5],
            "Family member 2's IIN is not valid: check the 12 digits."
        );
        assert_eq!(
            messages[6],
            "Family member 2's birth date is in the future."
        );
        assert_eq!(messages[7], "Family member 3's IIN appears twice.");
        assert_eq!(
            messages[8],
            "Enter a real date of birth for family member 3."
        );
    }

    #[test]
    fn messages_follow_the_interface_language() {
        let problems = ApplyInput::default()
            .to_request(APPLICANT, date("2026-03-01"), Lang::Ru)
            .unwrap_err();
        assert_eq!(
            fields(&problems),
            ["birth_date", "current_region", "destination.region"]
        );
        assert_eq!(problems[1].message, t(Lang::Ru, Key::ErrRegionMissing));
        let mut input = complete();
        input.members[1].iin = input.members[0].iin.clone();
        let problems = input
            .to_request(APPLICANT, date("2026-03-01"), Lang::Kk)
            .unwrap_err();
        assert_eq!(fields(&problems), ["family_members[1].iin"]);
        assert!(problems[0].message.starts_with("2-отбасы"));
    }

    #[test]
    fn the_checkers_answers_fill_the_form() {
        let draft = Draft {
            iin: APPLICANT.into(),
            birth_date: " 1990-05-14 ".into(),
            citizenship: Citizenship::Kandas,
            current_region: Some(Region::Turkestan),
            family_size: "3".into(),
            destination: Some(Region::NorthKazakhstan),
            settlement: Settlement::Rural,
            prior_support: true,
        };
        let input = ApplyInput::from_draft(&draft);
        assert_eq!(
            input,
            ApplyInput {
                birth_date: "1990-05-14".into(),
                citizenship: Citizenship::Kandas,
                current_region: Some(Region::Turkestan),
                destination: Some(Region::NorthKazakhstan),
                settlement: Settlement::Rural,
                prior_support: true,
                members: vec![MemberInput::default(); 2],
                vacancy_id: None,
            }
        );
        // A family size that is not a number, or an origin region as destination, is
        // left for the person to fill in.
        let odd = Draft {
            family_size: "x".into(),
            destination: Some(Region::Turkestan),
            ..draft.clone()
        };
        let input = ApplyInput::from_draft(&odd);
        assert!(input.members.is_empty());
        assert_eq!(input.destination, None);
        // The encoded draft the checker keeps comes back the same.
        let stored = crate::island::decode(&crate::island::encode(&draft)).unwrap();
        assert_eq!(ApplyInput::from_draft(&stored).members.len(), 2);
    }

    fn render(view: impl FnOnce(Lang) -> AnyView) -> String {
        Owner::new().with(|| {
            provide_context(UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view(Lang::En).to_html()
        })
    }

    fn application(status: ApplicationStatus) -> Application {
        Application {
            id: 12,
            status,
            applicant_id: 3,
            applicant_iin: APPLICANT.into(),
            family_size: 3,
            family_members: Vec::new(),
            destination: Destination {
                region: Region::NorthKazakhstan,
                settlement: Settlement::Urban,
            },
            vacancy_id: Some(5),
            year: 2026,
            birth_date: date("1990-05-14"),
            citizenship: Citizenship::Citizen,
            current_region: Region::Turkestan,
            prior_resettlement_support: false,
            reason: Some("Documents missing".into()),
            submitted_at: "2026-03-01T09:30:00Z".into(),
            decided_at: None,
            contract_id: None,
        }
    }

    #[test]
    fn an_open_application_is_shown_without_a_way_to_apply_again() {
        let html =
            render(|l| applications(&[application(ApplicationStatus::Submitted)], l).into_any());
        assert!(html.contains(r#"data-status="submitted""#), "{html}");
        assert!(html.contains("1 March 2026"));
        assert!(html.contains(r#"href="/en/vacancy?id=5""#));
        assert!(
            !html.contains("Documents missing"),
            "reason only when rejected"
        );
        assert!(!html.contains("start-application"));
    }

    #[test]
    fn a_rejected_application_shows_the_reason_and_a_way_to_apply() {
        let html =
            render(|l| applications(&[application(ApplicationStatus::Rejected)], l).into_any());
        assert!(html.contains(r#"data-status="rejected""#));
        assert!(html.contains("Documents missing"));
        assert!(html.contains(r#"id="start-application""#));
        let none = render(|l| applications(&[], l).into_any());
        assert!(none.contains(r#"href="/en/my/apply""#), "{none}");
        assert!(none.contains(r#"rel="external" href="/en/check""#));
        assert!(none.contains(r#"rel="external" href="/en/vacancies""#));
    }

    #[test]
    fn a_refusal_lists_only_the_failed_rules() {
        let rule = |id: &str, passed| RuleResult {
            id: id.into(),
            passed,
            reason: format!("reason {id}"),
            citation: String::new(),
        };
        let failure = Failure {
            status: 422,
            code: "not_eligible".into(),
            problems: vec![FieldProblem {
                field: None,
                message: "Not eligible".into(),
            }],
            rules: vec![rule("E1", true), rule("E4", false), rule("E7", false)],
        };
        let html = render(|l| refusal_view(&failure, l).into_any());
        assert!(html.contains(r#"id="refusal""#));
        assert!(html.contains(r#"data-rule="E4""#) && html.contains("reason E7"));
        assert!(!html.contains(r#"data-rule="E1""#));
    }

    #[test]
    fn the_confirmation_shows_the_status() {
        let html = render(|l| done_view(&application(ApplicationStatus::Submitted), l).into_any());
        assert!(html.contains(r#"id="application-done""#));
        assert!(html.contains(r#"role="status""#));
        assert!(html.contains(r#"data-status="submitted""#));
        assert!(html.contains(r#"href="/en/my""#));
    }
}
