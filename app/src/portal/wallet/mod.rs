//! The digital voucher in the signed-in areas (SPEC §4): the resettler's wallet (balance,
//! monthly vouchers, history, paying a landlord or utility provider, a map of the region)
//! and the admin's region budgets. Payees register and are verified in `super::payees`.
//!
//! Every transfer the app asks for carries an id made in the browser when the person
//! confirms it ([`Outbox`]); a retry of the same transfer sends the same id, so the server
//! moves the money once however often the request reaches it.

mod budgets;
mod map;
mod pay;

pub use budgets::Budgets;

pub(crate) use super::notice::{day_text, failure_text, loading, FailureNotice};
use crate::{
    client::{self, Failure, FieldProblem},
    forms::{busy_label, described_by, field_id, FieldError, FormErrors},
    i18n::{t, tf, PortalKey, WalletKey as K},
    portal::{my_path, Signed},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    account::Role,
    geo::{is_inside, Point},
    ledger::{Month, TransferId},
    wallet::{
        Payee, PayeeCategory, PayeeList, PayeeStatus, Voucher, VoucherStatus, Wallet, WalletEntry,
        WalletEntryKind,
    },
    Lang, Policy, Region, Tenge,
};

// ---- shared by the voucher pages ----

/// An amount for reading: `250 000 ₸`.
pub(crate) fn money(amount: Tenge) -> String {
    format!("{} ₸", amount.grouped())
}

/// Whole tenge digits accepted in a form: up to a trillion, far inside the ledger's range.
const AMOUNT_DIGITS_MAX: usize = 12;

/// An amount typed into a form, in tenge: digits, at most two after a decimal point or
/// comma, spaces and a trailing `₸` allowed; more than zero. Exact: never floating point.
pub(crate) fn parse_amount(text: &str) -> Option<Tenge> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let text = text.trim_end_matches('₸');
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((_, "")) => return None,
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > AMOUNT_DIGITS_MAX
        || fraction.len() > 2
        || !digits(whole)
        || !digits(fraction)
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    let tiyn = whole * 100 + fraction;
    (tiyn > 0).then(|| Tenge::from_tiyn(tiyn))
}

/// A new transfer id, made when a person confirms a transfer: 128 random bits.
pub(crate) fn new_transfer_id() -> TransferId {
    loop {
        // Zero is not an id; drawing it again is a one in 2¹²⁸ event.
        if let Some(id) = TransferId::new(random_u128()) {
            return id;
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn random_u128() -> u128 {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Without Web Crypto, 32 bits at a time from Math.random: still unique enough.
        for chunk in bytes.chunks_mut(4) {
            let n = (js_sys::Math::random() * 4_294_967_296.0) as u32;
            chunk.copy_from_slice(&n.to_le_bytes());
        }
    }
    u128::from_le_bytes(bytes)
}

/// Natively (tests) a counter: distinct ids, the same in every run.
#[cfg(not(target_arch = "wasm32"))]
fn random_u128() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    (0x7e57_u128 << 112) | u128::from(NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The transfer confirmed last whose outcome is not known: confirming the same order again
/// (a "Try again" after the network failed) sends its id again, so it moves money once; a
/// different order, or any order once the server has answered, gets a new id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outbox<O> {
    unsettled: Option<(O, TransferId)>,
}

impl<O> Default for Outbox<O> {
    fn default() -> Self {
        Outbox { unsettled: None }
    }
}

impl<O: PartialEq + Clone> Outbox<O> {
    /// The id to send `order` with, made by `fresh` unless `order` is being retried.
    pub fn id_for(&mut self, order: &O, fresh: impl FnOnce() -> TransferId) -> TransferId {
        match &self.unsettled {
            Some((pending, id)) if pending == order => *id,
            _ => {
                let id = fresh();
                self.unsettled = Some((order.clone(), id));
                id
            }
        }
    }

    /// Whether sending `order` now would be a retry.
    pub fn is_retry(&self, order: &O) -> bool {
        self.unsettled.as_ref().is_some_and(|(o, _)| o == order)
    }

    /// The server answered: whatever happened, happened; the id is used up.
    pub fn settle(&mut self) {
        self.unsettled = None;
    }

    /// After a failed request: the id is kept only when the outcome is unknown.
    pub fn after_failure(&mut self, failure: &Failure) {
        if !outcome_unknown(failure) {
            self.settle();
        }
    }
}

/// No answer, or the server failed: the transfer may or may not have been made.
pub(crate) fn outcome_unknown(failure: &Failure) -> bool {
    failure.status == 0 || failure.status >= 500
}

/// The failure with the server's field names replaced by the page's (`payee_id` → `payee`),
/// so each problem lands next to its field.
pub(crate) fn renamed(mut failure: Failure, renames: &[(&str, &str)]) -> Failure {
    for problem in &mut failure.problems {
        if let Some((_, to)) = renames
            .iter()
            .find(|(from, _)| problem.field.as_deref() == Some(*from))
        {
            problem.field = Some(to.to_string());
        }
    }
    failure
}

pub(crate) fn problem(field: &str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: Some(field.to_string()),
        message: message.into(),
    }
}

/// The foot of a payment's or a funding's last step: why the last answer was lost, if it
/// was (`unknown`, shown as `unknown_id` with `unknown_text`), the button that confirms —
/// "try again" while `retry` says the same order waits under the same id — and the one
/// that goes back to change the order.
#[component]
#[allow(clippy::too_many_arguments)]
pub(crate) fn ConfirmButtons<C, H>(
    unknown: RwSignal<Option<String>>,
    unknown_id: &'static str,
    unknown_text: K,
    busy: RwSignal<bool>,
    retry: Signal<bool>,
    confirm_id: &'static str,
    confirm_text: K,
    change_id: &'static str,
    on_confirm: C,
    on_change: H,
) -> impl IntoView
where
    C: Fn() + Copy + Send + Sync + 'static,
    H: Fn() + Copy + Send + Sync + 'static,
{
    let l = use_lang().current.get_untracked();
    view! {
        {move || {
            unknown
                .get()
                .map(|why| {
                    view! {
                        <div class="notice notice-error" role="alert" id=unknown_id>
                            <p>{why}</p>
                            <p>{t(l, unknown_text)}</p>
                        </div>
                    }
                })
        }}
        <div class="actions">
            <button
                type="button"
                class="button"
                id=confirm_id
                aria-disabled=move || busy.get().then_some("true")
                on:click=move |_| on_confirm()
            >
                {move || {
                    let idle = if retry.get() { K::TryAgain } else { confirm_text };
                    busy_label(l, busy.get(), t(l, idle))
                }}
            </button>
            <button
                type="button"
                class="button button-secondary"
                id=change_id
                on:click=move |_| on_change()
            >
                {t(l, K::ChangePayment)}
            </button>
        </div>
    }
}

pub(crate) fn region_name(region: Region, lang: Lang) -> String {
    Policy::current().region_name(region, lang).to_string()
}

pub(crate) fn category_id(category: PayeeCategory) -> &'static str {
    match category {
        PayeeCategory::Rent => "rent",
        PayeeCategory::Utilities => "utilities",
    }
}

pub(crate) fn category_name(category: PayeeCategory, lang: Lang) -> &'static str {
    match category {
        PayeeCategory::Rent => t(lang, K::CategoryRent),
        PayeeCategory::Utilities => t(lang, K::CategoryUtilities),
    }
}

pub(crate) fn payee_status_id(status: PayeeStatus) -> &'static str {
    match status {
        PayeeStatus::Pending => "pending",
        PayeeStatus::Active => "active",
        PayeeStatus::Inactive => "inactive",
    }
}

pub(crate) fn payee_status_name(status: PayeeStatus, lang: Lang) -> &'static str {
    match status {
        PayeeStatus::Pending => t(lang, K::PayeePending),
        PayeeStatus::Active => t(lang, K::PayeeActive),
        PayeeStatus::Inactive => t(lang, K::PayeeInactive),
    }
}

/// Whether a payee's location lies in `region`: the same test the server's geo-fence runs.
pub(crate) fn payee_inside(region: Region, payee: &Payee) -> bool {
    Point::new(payee.location.lat, payee.location.lon).is_ok_and(|p| is_inside(region, p))
}

/// "March 2026" in `lang`.
pub(crate) fn month_label(month: Month, lang: Lang) -> String {
    const NAMES: [K; 12] = [
        K::Month1,
        K::Month2,
        K::Month3,
        K::Month4,
        K::Month5,
        K::Month6,
        K::Month7,
        K::Month8,
        K::Month9,
        K::Month10,
        K::Month11,
        K::Month12,
    ];
    let name = t(lang, NAMES[(month.month() as usize - 1) % 12]);
    tf(lang, K::MonthYear, &[name, &month.year().to_string()])
}

/// A required `<select>` of the destination regions, with a "choose" first option.
#[component]
pub(crate) fn DestinationSelect(
    errors: FormErrors,
    /// The form field; its id via [`field_id`].
    field: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<String>,
    value: RwSignal<Option<Region>>,
) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let id = field_id(field);
    let has_hint = hint.is_some();
    let hint = hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> });
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint}
            <FieldError errors field/>
            <select
                id=id.clone()
                name=field
                aria-invalid=move || errors.for_field(field).map(|_| "true")
                aria-describedby=described_by(errors, field, has_hint)
                on:change=move |ev| value.set(Region::from_id(&event_target_value(&ev)))
            >
                <option value="" prop:selected=move || value.get().is_none()>
                    {t(lang, K::ChooseRegion)}
                </option>
                {Policy::current()
                    .destinations()
                    .map(|r| {
                        view! {
                            <option value=r.id() prop:selected=move || value.get() == Some(r)>
                                {region_name(r, lang)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

// ---- the wallet page ----

/// The wallet as last loaded, and why the last load failed.
#[derive(Clone, Copy)]
struct WalletState {
    wallet: RwSignal<Option<Wallet>>,
    failure: RwSignal<Option<Failure>>,
}

impl WalletState {
    /// Loads the wallet; what is shown stays until the answer replaces it.
    fn load(self, lang: Lang) {
        leptos::task::spawn_local(async move {
            match client::get::<Wallet>("/wallet", lang).await {
                Ok(wallet) => {
                    self.wallet.set(Some(wallet));
                    self.failure.set(None);
                }
                Err(failure) => self.failure.set(Some(failure)),
            }
        });
    }
}

/// `/{lang}/my/wallet`.
#[component]
pub fn WalletPage() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    view! {
        <h1>{t(l, K::WalletTitle)}</h1>
        <Signed roles=&[Role::Resettler]>
            <WalletView/>
        </Signed>
    }
}

#[component]
fn WalletView() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let state = WalletState {
        wallet: RwSignal::new(None),
        failure: RwSignal::new(None),
    };
    state.load(l);
    // The payees anyone may pay: every region's verified ones.
    let payees = RwSignal::new(None::<Result<Vec<Payee>, Failure>>);
    leptos::task::spawn_local(async move {
        let answer = client::get::<PayeeList>("/payees?status=active", l).await;
        payees.set(Some(answer.map(|list| list.items)));
    });

    // `Some(None)`: loaded, but no application is approved, so there are no vouchers.
    let region = Memo::new(move |_| state.wallet.with(|w| w.as_ref().map(|w| w.region)));
    let no_wallet = move || {
        view! {
            <div class="notice" id="no-wallet">
                <p>{t(l, K::NoWallet)}</p>
                <p>
                    <a href=my_path(l, "")>{t(l, PortalKey::NavHome)}</a>
                </p>
            </div>
        }
    };
    let problem = move || {
        state.failure.get().map(|failure| {
            if failure.code == "no_wallet" {
                no_wallet().into_any()
            } else {
                view! { <FailureNotice failure/> }.into_any()
            }
        })
    };
    let content = move || match region.get() {
        Some(Some(region)) => view! { <WalletContent state payees region/> }.into_any(),
        Some(None) => no_wallet().into_any(),
        None if state.failure.with(Option::is_none) => loading(l).into_any(),
        None => ().into_any(),
    };
    view! {
        {problem}
        {content}
    }
}

#[component]
fn WalletContent(
    state: WalletState,
    payees: RwSignal<Option<Result<Vec<Payee>, Failure>>>,
    region: Region,
) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let read = move |f: fn(&Wallet, Lang) -> AnyView| {
        move || state.wallet.with(|w| w.as_ref().map(|w| f(w, l)))
    };
    let paid = Callback::new(move |()| state.load(l));
    let pay = move || match payees.get() {
        None => loading(l).into_any(),
        Some(Err(failure)) => view! { <FailureNotice failure/> }.into_any(),
        Some(Ok(list)) => view! { <pay::PayForm region payees=list paid/> }.into_any(),
    };
    let map = move || {
        payees.with(|p| match p {
            Some(Ok(list)) => Some(view! { <map::RegionMap region payees=list.clone()/> }),
            _ => None,
        })
    };
    view! {
        <p>{tf(l, K::RegionLine, &[&region_name(region, l)])}</p>
        <p>
            {t(l, K::BalanceLabel)}
            <span class="amount" id="wallet-balance">
                {move || state.wallet.with(|w| w.as_ref().map(|w| money(w.balance)))}
            </span>
        </p>
        <h2>{t(l, K::PayTitle)}</h2>
        {pay}
        <h2>{t(l, K::MapTitle)}</h2>
        {map}
        <h2>{t(l, K::VouchersTitle)}</h2>
        {read(vouchers)}
        <h2>{t(l, K::HistoryTitle)}</h2>
        {read(history)}
    }
}

fn vouchers(wallet: &Wallet, lang: Lang) -> AnyView {
    if wallet.vouchers.is_empty() {
        return view! { <p id="vouchers">{t(lang, K::NoVouchers)}</p> }.into_any();
    }
    view! {
        <ul class="cards" id="vouchers">
            {wallet.vouchers.iter().map(|v| voucher_card(v, lang)).collect_view()}
        </ul>
    }
    .into_any()
}

fn voucher_card(v: &Voucher, lang: Lang) -> impl IntoView {
    let (status_id, status) = match v.status {
        VoucherStatus::Open => ("open", t(lang, K::VoucherOpen)),
        VoucherStatus::Expired => ("expired", t(lang, K::VoucherExpired)),
        VoucherStatus::Returned => ("returned", t(lang, K::VoucherReturned)),
    };
    let returned = (v.returned > Tenge::ZERO).then(|| {
        view! {
            <div>
                <dt>{t(lang, K::ReturnedLabel)}</dt>
                <dd class="voucher-returned">{money(v.returned)}</dd>
            </div>
        }
    });
    view! {
        <li class="card voucher" data-month=v.month.to_string() data-status=status_id>
            <h3>{month_label(v.month, lang)}</h3>
            <dl class="facts">
                <div>
                    <dt>{t(lang, K::AmountLabel)}</dt>
                    <dd class="voucher-amount">{money(v.amount)}</dd>
                </div>
                <div>
                    <dt>{t(lang, K::SpentLabel)}</dt>
                    <dd class="voucher-spent">{money(v.spent)}</dd>
                </div>
                <div>
                    <dt>{t(lang, K::LeftLabel)}</dt>
                    <dd class="voucher-left">{money(v.left)}</dd>
                </div>
                {returned}
                <div>
                    <dt>{t(lang, K::UntilLabel)}</dt>
                    <dd class="voucher-until">{shared::date::format(v.spendable_until, lang)}</dd>
                </div>
                <div>
                    <dt>{t(lang, K::StatusLabel)}</dt>
                    <dd class="voucher-status">{status}</dd>
                </div>
            </dl>
        </li>
    }
}

fn history(wallet: &Wallet, lang: Lang) -> AnyView {
    if wallet.history.is_empty() {
        return view! { <p id="wallet-history">{t(lang, K::NoHistory)}</p> }.into_any();
    }
    view! {
        <ul class="list" id="wallet-history">
            {wallet.history.iter().map(|e| history_entry(e, lang)).collect_view()}
        </ul>
    }
    .into_any()
}

/// "1 March 2026: Paid to Askar Nurlanov (March 2026 voucher) −45 000 ₸".
fn history_entry(entry: &WalletEntry, lang: Lang) -> impl IntoView {
    let month = month_label(entry.month, lang);
    let (kind, what, sign) = match entry.kind {
        WalletEntryKind::Issued => ("issued", tf(lang, K::EntryIssued, &[&month]), "+"),
        WalletEntryKind::Payment => {
            let payee = entry.payee.as_deref().unwrap_or("—");
            let what = tf(lang, K::EntryPayment, &[payee, &month]);
            ("payment", what, "−")
        }
        WalletEntryKind::Returned => ("returned", tf(lang, K::EntryReturned, &[&month]), "−"),
    };
    view! {
        <li class="history-entry" data-kind=kind>
            {day_text(&entry.at, lang)}
            ": "
            {what}
            " "
            <strong>{format!("{sign}{}", money(entry.amount))}</strong>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn tenge(tiyn: i64) -> Tenge {
        Tenge::from_tiyn(tiyn)
    }

    #[test]
    fn amounts_are_read_exactly() {
        assert_eq!(parse_amount("45000"), Some(tenge(4_500_000)));
        assert_eq!(parse_amount(" 45 000 ₸ "), Some(tenge(4_500_000)));
        assert_eq!(parse_amount("45\u{202F}000"), Some(tenge(4_500_000)));
        assert_eq!(parse_amount("1250.5"), Some(tenge(125_050)));
        assert_eq!(parse_amount("1250,05"), Some(tenge(125_005)));
        assert_eq!(parse_amount("0.01"), Some(tenge(1)));
        assert_eq!(
            parse_amount("999999999999"),
            Some(tenge(99_999_999_999_900))
        );
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "1.005",
            "1,000",
            "12.",
            ".5",
            "1e3",
            "ten",
            "1 000 000 000 000",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn money_is_grouped_tenge() {
        assert_eq!(money(tenge(25_000_000)), "250\u{202F}000 ₸");
    }

    #[test]
    fn transfer_ids_are_32_lowercase_hex_digits_and_new_each_time() {
        let a = new_transfer_id();
        let b = new_transfer_id();
        assert_ne!(a, b);
        for id in [a, b] {
            let text = id.to_string();
            assert_eq!(text.len(), 32);
            assert!(text
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
            assert_eq!(TransferId::parse(&text), Some(id));
        }
    }

    #[test]
    fn a_retry_keeps_the_id_and_a_new_confirmation_gets_a_new_one() {
        let mut outbox = Outbox::default();
        let first = outbox.id_for(&"45000 to 3", new_transfer_id);
        assert!(outbox.is_retry(&"45000 to 3"));

        // The network failed: the same payment again is sent with the same id.
        outbox.after_failure(&Failure::network());
        assert_eq!(outbox.id_for(&"45000 to 3", new_transfer_id), first);

        // Another payment replaces it, with its own id.
        let other = outbox.id_for(&"40000 to 3", new_transfer_id);
        assert_ne!(other, first);
        assert!(!outbox.is_retry(&"45000 to 3"));

        // The server answered (refused): confirming again is a new attempt.
        let refused = Failure::from_body(
            422,
            r#"{"error":{"code":"insufficient_balance","message":"No"}}"#,
        )
        .unwrap();
        outbox.after_failure(&refused);
        assert!(!outbox.is_retry(&"40000 to 3"));
        let again = outbox.id_for(&"40000 to 3", new_transfer_id);
        assert_ne!(again, other);

        // Paid: the same amount to the same payee later is another payment.
        outbox.settle();
        assert_ne!(outbox.id_for(&"40000 to 3", new_transfer_id), again);
    }

    #[test]
    fn only_an_unanswered_request_is_retried() {
        let answered = |status| {
            Failure::from_body(status, r#"{"error":{"code":"x","message":"No"}}"#).unwrap()
        };
        assert!(outcome_unknown(&Failure::network()));
        assert!(outcome_unknown(&answered(502)));
        assert!(!outcome_unknown(&answered(401)));
        assert!(!outcome_unknown(&answered(409)));
    }

    #[test]
    fn server_fields_are_renamed_to_the_page_fields() {
        let failure = Failure::from_body(
            400,
            r#"{"error":{"code":"x","message":"No such payee","field":"payee_id"}}"#,
        )
        .unwrap();
        let renamed = renamed(failure, &[("payee_id", "payee")]);
        assert_eq!(renamed.problems[0].field.as_deref(), Some("payee"));
    }

    #[test]
    fn months_and_days_read_in_each_language() {
        let march = Month::new(2026, 3).unwrap();
        assert_eq!(month_label(march, Lang::En), "March 2026");
        assert_eq!(month_label(march, Lang::Ru), "Март 2026 г.");
        assert_eq!(month_label(march, Lang::Kk), "2026 жылғы наурыз");
        assert_eq!(day_text("2026-03-05T08:00:00Z", Lang::En), "5 March 2026");
        assert_eq!(
            shared::date::format(NaiveDate::from_ymd_opt(2026, 4, 5).unwrap(), Lang::Ru),
            "05.04.2026"
        );
    }

    #[test]
    fn the_wallet_renders_its_vouchers_and_history() {
        let json = r#"{"region":"pavlodar","balance":"45000",
            "vouchers":[{"month":"2026-03","amount":"90000","spent":"45000","left":"45000",
                "returned":"0","spendable_until":"2026-04-05","status":"open"}],
            "history":[{"kind":"payment","month":"2026-03","amount":"45000",
                "payee":"Askar","at":"2026-03-02T10:00:00Z"},
                {"kind":"issued","month":"2026-03","amount":"90000","payee":null,
                "at":"2026-03-01T00:00:00Z"}]}"#;
        let wallet: Wallet = serde_json::from_str(json).unwrap();
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view! {
                {vouchers(&wallet, Lang::En)}
                {history(&wallet, Lang::En)}
            }
            .to_html()
        });
        assert!(html.contains(r#"data-month="2026-03""#), "{html}");
        assert!(html.contains("March 2026"));
        assert!(html.contains("5 April 2026"));
        assert!(html.contains(r#"id="wallet-history""#));
        assert!(html.contains("Askar"));
        assert!(html.contains("−45\u{202F}000 ₸"));
    }
}
