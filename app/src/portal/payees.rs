//! Payees, the landlords and utility providers vouchers pay (SPEC §4): registration, open
//! to anyone, checked in the browser with the shared crate's rules (IIN or BIN, a point on
//! Earth, whether it lies in the chosen region); and the officer's list, where a region's
//! payees are verified or deactivated in place.

use super::wallet::{
    category_id, category_name, loading, payee_status_id, payee_status_name, problem, region_name,
    DestinationSelect, FailureNotice,
};
use crate::{
    browser::focus,
    client::{self, FieldProblem, Method},
    forms::{busy_label, described_by, ErrorSummary, FieldError, FormErrors, TextField},
    i18n::{t, tf, WalletKey as K},
    portal::{my_path, use_session, Signed},
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use shared::{
    account::{parse_bin, parse_iin, Role},
    geo::{is_inside, Point, PointError},
    wallet::{LatLon, Payee, PayeeCategory, PayeeList, PayeeStatus, RegisterPayee},
    Lang, Region,
};

// ---- registration ----

// The longest name and address the server accepts, in characters (shared with it).
use shared::wallet::{
    PAYEE_ADDRESS_MAX_CHARS as ADDRESS_MAX_CHARS, PAYEE_NAME_MAX_CHARS as NAME_MAX_CHARS,
};

/// `text` trimmed, when it is not empty and not longer than `max` characters.
fn required_text(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max).then(|| text.to_string())
}

/// The registration form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayeeInput {
    pub name: String,
    pub id_number: String,
    pub category: Option<PayeeCategory>,
    pub address: String,
    pub region: Option<Region>,
    pub lat: String,
    pub lon: String,
}

/// A coordinate as people copy it from a map: degrees, a decimal point or comma.
fn parse_degrees(text: &str) -> Option<f64> {
    let text = text.trim().replace(',', ".");
    // Rust also reads "inf" and "NaN"; a coordinate is digits.
    let digits = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    digits.then(|| text.parse().ok()).flatten()
}

/// The point typed, or which coordinate is wrong.
fn parse_point(lat: &str, lon: &str) -> Result<Point, PointError> {
    let lat = parse_degrees(lat).ok_or(PointError::Latitude)?;
    let lon = parse_degrees(lon).ok_or(PointError::Longitude)?;
    Point::new(lat, lon)
}

/// Whether the point typed lies in the region chosen; `None` until both are given.
fn placement(region: Option<Region>, lat: &str, lon: &str) -> Option<bool> {
    let point = parse_point(lat, lon).ok()?;
    Some(is_inside(region?, point))
}

impl PayeeInput {
    /// The request, or every problem in form order.
    pub fn request(&self, lang: Lang) -> Result<RegisterPayee, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let name = required_text(&self.name, NAME_MAX_CHARS);
        if name.is_none() {
            problems.push(problem("name", t(lang, K::ErrName)));
        }
        let id_number = parse_iin(&self.id_number).or_else(|_| parse_bin(&self.id_number));
        if id_number.is_err() {
            problems.push(problem("id_number", t(lang, K::ErrIdNumber)));
        }
        if self.category.is_none() {
            problems.push(problem("category", t(lang, K::ErrCategory)));
        }
        let address = required_text(&self.address, ADDRESS_MAX_CHARS);
        if address.is_none() {
            problems.push(problem("address", t(lang, K::ErrAddress)));
        }
        if self.region.is_none() {
            problems.push(problem("region", t(lang, K::ErrRegion)));
        }
        let lat = parse_degrees(&self.lat).and_then(|lat| Point::new(lat, 0.0).ok());
        if lat.is_none() {
            problems.push(problem("location.lat", t(lang, K::ErrLat)));
        }
        let lon = parse_degrees(&self.lon).and_then(|lon| Point::new(0.0, lon).ok());
        if lon.is_none() {
            problems.push(problem("location.lon", t(lang, K::ErrLon)));
        }
        match (
            name,
            id_number,
            self.category,
            address,
            self.region,
            lat,
            lon,
        ) {
            (
                Some(name),
                Ok(id_number),
                Some(category),
                Some(address),
                Some(region),
                Some(lat),
                Some(lon),
            ) => Ok(RegisterPayee {
                name,
                id_number,
                category,
                address,
                region,
                location: LatLon {
                    lat: lat.lat(),
                    lon: lon.lon(),
                },
            }),
            _ => Err(problems),
        }
    }
}

/// `/{lang}/my/payees/register`: for anyone, signed in or not.
#[component]
pub fn RegisterPayeePage() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let fields = [(); 5].map(|_| RwSignal::new(String::new()));
    let [name, id_number, address, lat, lon] = fields;
    let category = RwSignal::new(None::<PayeeCategory>);
    let region = RwSignal::new(None::<Region>);
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<Payee>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = PayeeInput {
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
            category: category.get_untracked(),
            address: address.get_untracked(),
            region: region.get_untracked(),
            lat: lat.get_untracked(),
            lon: lon.get_untracked(),
        };
        let request = match input.request(l) {
            Ok(request) => request,
            Err(problems) => return errors.set(problems),
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = client::send::<_, Payee>(Method::Post, "/payees", &request, l).await;
            busy.set(false);
            match answer {
                Ok(payee) => {
                    done.set(Some(payee));
                    request_animation_frame(|| focus("payee-registered", false));
                }
                Err(failure) => errors.show(&failure, l),
            }
        });
    };

    let live_place = move || {
        placement(region.get(), &lat.get(), &lon.get()).map(|inside| {
            let name = region.get().map(|r| region_name(r, l)).unwrap_or_default();
            let key = if inside {
                K::PointInside
            } else {
                K::PointOutside
            };
            tf(l, key, &[&name])
        })
    };

    let radios = [PayeeCategory::Rent, PayeeCategory::Utilities]
        .into_iter()
        .map(|c| {
            let id = format!("category_{}", category_id(c));
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=id.clone()
                        name="category"
                        value=category_id(c)
                        prop:checked=move || category.get() == Some(c)
                        on:change=move |_| category.set(Some(c))
                    />
                    <label for=id>{category_name(c, l)}</label>
                </div>
            }
        })
        .collect_view();

    let form = view! {
        <p>{t(l, K::RegisterIntro)}</p>
        <form id="payee-form" novalidate on:submit=submit aria-busy=move || busy.get().then_some("true")>
            <ErrorSummary errors/>
            <TextField
                errors
                field="name"
                label=t(l, K::LabelName).to_string()
                hint=t(l, K::HintName).to_string()
                value=name
                autocomplete="name"
            />
            <TextField
                errors
                field="id_number"
                label=t(l, K::LabelIdNumber).to_string()
                hint=t(l, K::HintIdNumber).to_string()
                value=id_number
                inputmode="numeric"
                autocomplete="off"
            />
            <fieldset
                class="field choice"
                id="category"
                aria-describedby=described_by(errors, "category", false)
            >
                <legend>{t(l, K::LegendPayeeCategory)}</legend>
                <FieldError errors field="category"/>
                {radios}
            </fieldset>
            <TextField
                errors
                field="address"
                label=t(l, K::LabelAddress).to_string()
                value=address
                autocomplete="street-address"
            />
            <DestinationSelect
                errors
                field="region"
                label=t(l, K::LabelRegion)
                hint=t(l, K::HintRegion).to_string()
                value=region
            />
            <h2>{t(l, K::LocationTitle)}</h2>
            <p class="hint" id="location-hint">{t(l, K::HintLocation)}</p>
            <TextField
                errors
                field="location.lat"
                label=t(l, K::LabelLat).to_string()
                hint=t(l, K::HintLat).to_string()
                value=lat
                inputmode="decimal"
                autocomplete="off"
            />
            <TextField
                errors
                field="location.lon"
                label=t(l, K::LabelLon).to_string()
                hint=t(l, K::HintLon).to_string()
                value=lon
                inputmode="decimal"
                autocomplete="off"
            />
            <p id="location-check" aria-live="polite">{live_place}</p>
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || busy_label(l, busy.get(), t(l, K::RegisterPayeeButton))}
            </button>
        </form>
    };

    view! {
        <h1>{t(l, K::RegisterPayeeTitle)}</h1>
        // The form stays in the page (hidden): nothing typed is lost.
        <div hidden=move || done.with(Option::is_some)>{form}</div>
        {move || done.get().map(|payee| registered(&payee, l))}
    }
}

fn registered(payee: &Payee, lang: Lang) -> impl IntoView {
    let region = region_name(payee.region, lang);
    let outside = (!payee.inside_region).then(|| {
        view! { <p class="notice notice-warning">{tf(lang, K::PointOutside, &[&region])}</p> }
    });
    view! {
        <div class="notice" role="status" id="payee-registered" tabindex="-1">
            <h2>{t(lang, K::PayeeRegisteredTitle)}</h2>
            <p>{tf(lang, K::PayeeRegistered, &[&payee.name, &region])}</p>
            {outside}
        </div>
    }
}

// ---- the officer's list ----

/// The `status` filter's value for every status.
const ALL: &str = "all";

fn status_from_id(id: &str) -> Option<PayeeStatus> {
    [
        PayeeStatus::Pending,
        PayeeStatus::Active,
        PayeeStatus::Inactive,
    ]
    .into_iter()
    .find(|s| payee_status_id(*s) == id)
}

/// The API call listing the payees of a status (`None`: every status).
fn list_path(status: Option<PayeeStatus>) -> String {
    match status {
        Some(s) => format!("/payees?status={}", payee_status_id(s)),
        None => "/payees".to_string(),
    }
}

/// What an officer can do to a payee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Verify,
    Deactivate,
}

impl Action {
    /// Whether the action can be taken on a payee in `status`: deactivation is final.
    fn applies(self, status: PayeeStatus) -> bool {
        match self {
            Action::Verify => status == PayeeStatus::Pending,
            Action::Deactivate => status != PayeeStatus::Inactive,
        }
    }

    fn path(self, id: i64) -> String {
        match self {
            Action::Verify => format!("/payees/{id}/verify"),
            Action::Deactivate => format!("/payees/{id}/deactivate"),
        }
    }
}

/// `/{lang}/my/payees`.
#[component]
pub fn Payees() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    view! {
        <h1>{t(l, K::PayeesTitle)}</h1>
        <Signed roles=&[Role::Akimat, Role::Admin]>
            <OfficerPayees/>
        </Signed>
    }
}

#[component]
fn OfficerPayees() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let admin = use_session()
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.account.role))
        == Some(Role::Admin);
    let shown = RwSignal::new(Some(PayeeStatus::Pending));
    let choice = RwSignal::new(Some(PayeeStatus::Pending));
    let payees = RwSignal::new(None::<Result<Vec<Payee>, client::Failure>>);
    let announcement = RwSignal::new(String::new());
    let action_failure = RwSignal::new(None::<client::Failure>);
    // The payee whose action is under way.
    let busy = RwSignal::new(None::<i64>);

    Effect::new(move |_| {
        let status = shown.get();
        payees.set(None);
        leptos::task::spawn_local(async move {
            let answer = client::get::<PayeeList>(&list_path(status), l).await;
            // A slow answer about a filter already left behind is dropped.
            if shown.get_untracked() == status {
                payees.set(Some(answer.map(|list| list.items)));
            }
        });
    });

    let act = move |action: Action, id: i64| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(id));
        announcement.set(String::new());
        action_failure.set(None);
        leptos::task::spawn_local(async move {
            let empty = serde_json::Map::new();
            let answer = client::send::<_, Payee>(Method::Post, &action.path(id), &empty, l).await;
            busy.set(None);
            match answer {
                Ok(payee) => {
                    let key = match payee.status {
                        PayeeStatus::Active => K::VerifiedNow,
                        _ => K::DeactivatedNow,
                    };
                    announcement.set(tf(l, key, &[&payee.name]));
                    payees.update(|p| {
                        if let Some(Ok(list)) = p {
                            if let Some(slot) = list.iter_mut().find(|p| p.id == payee.id) {
                                *slot = payee;
                            }
                        }
                    });
                }
                Err(failure) => action_failure.set(Some(failure)),
            }
        });
    };

    let choose = move |ev: SubmitEvent| {
        ev.prevent_default();
        shown.set(choice.get_untracked());
    };

    let cards = move || match payees.get() {
        None => loading(l).into_any(),
        Some(Err(failure)) => view! { <FailureNotice failure/> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p id="payees">{t(l, K::NoPayeesListed)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="cards" id="payees">
                {list
                    .into_iter()
                    .map(|payee| payee_card(payee, admin, busy, act, l))
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };

    let status_options = [
        None,
        Some(PayeeStatus::Pending),
        Some(PayeeStatus::Active),
        Some(PayeeStatus::Inactive),
    ]
    .into_iter()
    .map(|s| {
        let (value, text) = match s {
            Some(s) => (payee_status_id(s), payee_status_name(s, l)),
            None => (ALL, t(l, K::AllStatuses)),
        };
        view! {
            <option value=value prop:selected=move || choice.get() == s>
                {text}
            </option>
        }
    })
    .collect_view();

    view! {
        <p>
            <a href=my_path(l, "payees/register")>{t(l, K::RegisterPayeeLink)}</a>
        </p>
        <form class="filters" on:submit=choose>
            <div class="field">
                <label for="status">{t(l, K::StatusLabel)}</label>
                <select
                    id="status"
                    name="status"
                    on:change=move |ev| choice.set(status_from_id(&event_target_value(&ev)))
                >
                    {status_options}
                </select>
            </div>
            <button type="submit" class="button button-secondary">
                {t(l, K::Show)}
            </button>
        </form>
        {move || action_failure.get().map(|failure| view! { <FailureNotice failure/> })}
        {cards}
        <p id="payees-status" class="status" role="status">
            {move || announcement.get()}
        </p>
    }
}

fn payee_card(
    payee: Payee,
    admin: bool,
    busy: RwSignal<Option<i64>>,
    act: impl Fn(Action, i64) + Copy + Send + Sync + 'static,
    lang: Lang,
) -> impl IntoView {
    let id = payee.id;
    let region = region_name(payee.region, lang);
    let place = if payee.inside_region {
        tf(lang, K::PointInside, &[&region])
    } else {
        tf(lang, K::PointOutside, &[&region])
    };
    let button = move |action: Action| {
        action.applies(payee.status).then(|| {
            let (class, key) = match action {
                Action::Verify => ("button verify", K::Verify),
                Action::Deactivate => ("button button-secondary deactivate", K::Deactivate),
            };
            view! {
                <button
                    type="button"
                    class=class
                    aria-disabled=move || busy.get().is_some().then_some("true")
                    on:click=move |_| act(action, id)
                >
                    {move || busy_label(lang, busy.get() == Some(id), t(lang, key))}
                </button>
            }
        })
    };
    view! {
        <li class="card payee" data-id=id.to_string() data-status=payee_status_id(payee.status)>
            <h2>{payee.name.clone()}</h2>
            <dl class="facts">
                <div>
                    <dt>{t(lang, K::CategoryLabel)}</dt>
                    <dd>{category_name(payee.category, lang)}</dd>
                </div>
                {payee
                    .id_number
                    .clone()
                    .map(|number| {
                        view! {
                            <div>
                                <dt>{t(lang, K::LabelIdNumber)}</dt>
                                <dd class="payee-id-number">{number}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>{t(lang, K::LabelAddress)}</dt>
                    <dd>{payee.address.clone()}</dd>
                </div>
                {admin
                    .then(|| {
                        view! {
                            <div>
                                <dt>{t(lang, K::LabelRegion)}</dt>
                                <dd>{region.clone()}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>{t(lang, K::PlaceLabel)}</dt>
                    <dd class="payee-place" data-inside=payee.inside_region.to_string()>
                        {place}
                    </dd>
                </div>
                <div>
                    <dt>{t(lang, K::StatusLabel)}</dt>
                    <dd class="payee-status">{payee_status_name(payee.status, lang)}</dd>
                </div>
            </dl>
            <div class="actions">
                {button(Action::Verify)}
                {button(Action::Deactivate)}
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid IIN and BIN (made up, with correct check digits).
    const IIN: &str = "900514300121";
    const BIN: &str = "971240001315";

    fn input() -> PayeeInput {
        PayeeInput {
            name: " Askar Nurlanov ".into(),
            id_number: IIN.into(),
            category: Some(PayeeCategory::Rent),
            address: "Pavlodar, Toraigyrov 1".into(),
            region: Some(Region::Pavlodar),
            lat: "52,2873".into(),
            lon: " 76.9674".into(),
        }
    }

    #[test]
    fn a_registration_is_cleaned_up() {
        let request = input().request(Lang::En).unwrap();
        assert_eq!(request.name, "Askar Nurlanov");
        assert_eq!(request.location.lat, 52.2873);
        assert_eq!(request.location.lon, 76.9674);
        let bin = PayeeInput {
            id_number: BIN.into(),
            ..input()
        };
        assert_eq!(bin.request(Lang::En).unwrap().id_number, BIN);
    }

    #[test]
    fn every_problem_names_its_field() {
        let bad = PayeeInput {
            name: " ".into(),
            id_number: "123".into(),
            category: None,
            address: String::new(),
            region: None,
            lat: "91".into(),
            lon: "east".into(),
        };
        let problems = bad.request(Lang::Ru).unwrap_err();
        let fields: Vec<_> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "id_number",
                "category",
                "address",
                "region",
                "location.lat",
                "location.lon"
            ]
        );
        assert_eq!(crate::forms::field_id("location.lat"), "location-lat");
    }

    #[test]
    fn coordinates_are_read_as_people_copy_them() {
        assert_eq!(parse_degrees("52,2873"), Some(52.2873));
        assert_eq!(parse_degrees("-0.5"), Some(-0.5));
        for bad in ["", "NaN", "inf", "52°", "1e3"] {
            assert_eq!(parse_degrees(bad), None, "{bad}");
        }
        assert_eq!(parse_point("95", "10"), Err(PointError::Latitude));
        assert_eq!(parse_point("50", "x"), Err(PointError::Longitude));
    }

    #[test]
    fn the_point_is_placed_in_or_out_of_the_region() {
        let pavlodar = Some(Region::Pavlodar);
        assert_eq!(placement(pavlodar, "52.2873", "76.9674"), Some(true));
        assert_eq!(placement(pavlodar, "43.2389", "76.8897"), Some(false));
        assert_eq!(placement(None, "52.2873", "76.9674"), None);
        assert_eq!(placement(pavlodar, "52.2873", ""), None);
    }

    #[test]
    fn the_registration_form_has_an_element_for_every_field() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view! { <RegisterPayeePage/> }.to_html()
        });
        for id in [
            "name",
            "id_number",
            "category_rent",
            "category_utilities",
            "address",
            "region",
            "location-lat",
            "location-lon",
            "location-check",
        ] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id} in {html}");
        }
    }

    #[test]
    fn actions_apply_where_they_change_something() {
        assert!(Action::Verify.applies(PayeeStatus::Pending));
        assert!(!Action::Verify.applies(PayeeStatus::Inactive));
        assert!(!Action::Verify.applies(PayeeStatus::Active));
        assert!(Action::Deactivate.applies(PayeeStatus::Active));
        assert!(!Action::Deactivate.applies(PayeeStatus::Inactive));
        assert_eq!(Action::Verify.path(4), "/payees/4/verify");
        assert_eq!(list_path(None), "/payees");
        assert_eq!(list_path(status_from_id("active")), "/payees?status=active");
        assert_eq!(status_from_id(ALL), None);
    }
}
