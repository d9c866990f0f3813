//! Home page: the program in plain words, who can apply, and the way to the checker. Every
//! amount is computed from the shared policy for today's date.

use crate::{
    browser,
    components::results::format_date,
    i18n::{t, tf, Key, PageKey},
    pages::not_found::NotFound,
    use_lang,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::{
    api::{FamilySize, Settlement},
    eligibility::entitlements,
    in_force, Lang, Policy, Tenge,
};

/// Today's figures for the explanations.
struct Figures {
    mrp: String,
    mrp_from: NaiveDate,
    /// The next MRP already in the policy, if one is scheduled: this page is rendered when
    /// the site is built, so it says what changes and when.
    mrp_next: Option<(String, NaiveDate)>,
    per_member_mrp: String,
    per_member: Tenge,
    voucher_min: Tenge,
    voucher_max: Tenge,
    voucher_months: u32,
    housing_limit: Tenge,
    payout_months: u32,
    age_min: u32,
    age_max: u32,
}

impl Figures {
    fn today(policy: &Policy, today: NaiveDate) -> Option<Figures> {
        let one = entitlements(1, Settlement::Urban, today, policy).ok()?;
        // The voucher band depends on family size and settlement: show its whole range.
        let vouchers: Vec<Tenge> = [Settlement::Urban, Settlement::Rural]
            .into_iter()
            .flat_map(|s| (FamilySize::MIN..=FamilySize::MAX).map(move |n| (s, n)))
            .filter_map(|(s, n)| entitlements(n, s, today, policy).ok())
            .map(|e| e.monthly_voucher)
            .collect();
        Some(Figures {
            mrp: Tenge::new(one.mrp.value).grouped(),
            mrp_from: one.mrp.from,
            mrp_next: policy
                .parameters
                .mrp
                .values
                .iter()
                .filter(|v| v.from > today)
                .min_by_key(|v| v.from)
                .map(|v| (Tenge::new(v.value).grouped(), v.from)),
            per_member_mrp: one.relocation_mrp_per_member.value.to_string(),
            per_member: one.relocation_subsidy,
            voucher_min: vouchers.iter().copied().min()?,
            voucher_max: vouchers.iter().copied().max()?,
            voucher_months: one.voucher_months,
            housing_limit: one.employer_housing_limit,
            payout_months: in_force!(policy, employer_required_confirmed_months, today)
                .ok()?
                .value,
            age_min: in_force!(policy, working_age_min, today).ok()?.value,
            age_max: in_force!(policy, working_age_max, today).ok()?.value,
        })
    }
}

fn region_list(
    policy: &Policy,
    lang: Lang,
    pick: impl Fn(&shared::policy::RegionInfo) -> bool,
) -> String {
    policy
        .regions
        .iter()
        .filter(|r| pick(r))
        .map(|r| r.name.get(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn home(lang: Lang, figures: Option<&Figures>) -> impl IntoView {
    let policy = Policy::current();
    let check = format!("/{}/check", lang.code());
    let support = figures.map(|f| {
        view! {
            <section class="card" aria-labelledby="support-heading">
                <h2 id="support-heading">{t(lang, PageKey::SupportHeading)}</h2>
                <h3>{t(lang, Key::SupportRelocationTitle)}</h3>
                <p>
                    {tf(
                        lang,
                        PageKey::SupportRelocationText,
                        &[&f.per_member_mrp, &f.per_member.grouped()],
                    )}
                </p>
                <h3>{t(lang, Key::SupportVoucherTitle)}</h3>
                <p>
                    {tf(
                        lang,
                        PageKey::SupportVoucherText,
                        &[
                            &f.voucher_months.to_string(),
                            &f.voucher_min.grouped(),
                            &f.voucher_max.grouped(),
                        ],
                    )}
                </p>
                <h3>{t(lang, PageKey::SupportEmployerTitle)}</h3>
                <p>
                    {tf(
                        lang,
                        PageKey::SupportEmployerText,
                        &[&f.housing_limit.grouped(), &f.payout_months.to_string()],
                    )}
                </p>
                <p class="note">
                    {tf(lang, PageKey::MrpNote, &[&f.mrp, &format_date(f.mrp_from, lang)])}
                </p>
                {f.mrp_next.as_ref().map(|(mrp, from)| view! {
                    <p class="note">
                        {tf(lang, PageKey::MrpNext, &[mrp, &format_date(*from, lang)])}
                    </p>
                })}
            </section>
        }
    });
    let age = figures.map(|f| {
        view! {
            <li>{tf(lang, PageKey::WhoAge, &[&f.age_min.to_string(), &f.age_max.to_string()])}</li>
        }
    });
    view! {
        <div class="wrap page">
            <h1>{t(lang, PageKey::HomeTitle)}</h1>
            <p class="lead">{t(lang, PageKey::HomeIntro)}</p>
            <p class="cta">
                <a class="button button-large" href=check.clone()>{t(lang, PageKey::HomeCta)}</a>
            </p>
            <p class="note">{t(lang, PageKey::HomeCtaNote)}</p>
            {support}
            <section class="card" aria-labelledby="who-heading">
                <h2 id="who-heading">{t(lang, PageKey::WhoHeading)}</h2>
                <ul class="list">
                    <li>{tf(lang, PageKey::WhoCitizen, &[&region_list(policy, lang, |r| r.origin)])}</li>
                    <li>{t(lang, PageKey::WhoKandas)}</li>
                    {age}
                    <li>{t(lang, PageKey::WhoOnce)}</li>
                </ul>
                <p>
                    {tf(lang, PageKey::WhoDestinations, &[&region_list(policy, lang, |r| r.destination)])}
                </p>
                <p class="cta">
                    <a class="button" href=check>{t(lang, PageKey::HomeCta)}</a>
                </p>
            </section>
        </div>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let figures = Figures::today(Policy::current(), browser::today());
    move || match lang.from_url.get() {
        Some(l) => home(l, figures.as_ref()).into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}
