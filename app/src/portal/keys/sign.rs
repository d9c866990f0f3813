//! The signing panel of a contract page: the fingerprint being signed, recomputed here from
//! the terms shown, and the passphrase that opens this browser's key for one signature.

use super::vault::{self, SealedKey, VaultError};
use crate::{
    client::{self, Failure, Method},
    forms::{FieldError, FormErrors},
    i18n::{t, tf, KeysKey as K},
    portal::{my_path, use_session, wallet::failure_text},
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use shared::{
    contract::{
        api::{Contract, SignContract},
        fingerprint, hex, sign, Party,
    },
    Lang,
};

const PASSPHRASE: &str = "sign-passphrase";

/// A party's name as the panel says "you sign as …".
fn party_name(party: Party, lang: Lang) -> &'static str {
    t(
        lang,
        match party {
            Party::Resettler => K::PartyResettler,
            Party::Employer => K::PartyEmployer,
            Party::Akimat => K::PartyAkimat,
        },
    )
}

/// What the signing came to, shown in `#sign-status`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Progress {
    Idle,
    Signing,
    Signed,
    /// Why not, and whether the key page is where to go next.
    Refused {
        message: String,
        to_key_page: bool,
    },
}

/// The server's refusal of a signature, explained.
fn refused(failure: &Failure, lang: Lang) -> Progress {
    let (message, to_key_page) = match failure.code.as_str() {
        "terms_changed" => (t(lang, K::ErrTermsChanged).to_string(), false),
        "signature_invalid" => (t(lang, K::ErrSignatureInvalid).to_string(), true),
        "no_signing_key" => (t(lang, K::ErrNoSigningKey).to_string(), true),
        _ => (failure_text(failure, lang), false),
    };
    Progress::Refused {
        message,
        to_key_page,
    }
}

/// Signs `contract`'s current terms as `party` with the key kept in this browser and sends
/// the signature; `on_signed` runs once the server has accepted it.
#[component]
pub fn SignPanel(contract: Contract, party: Party, on_signed: Callback<()>) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let account_id = use_session()
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.account.id));
    // What is signed is what this page shows, whatever the server says its fingerprint is.
    let shown = hex(&fingerprint(&contract.terms));
    let agrees = contract.fingerprint.eq_ignore_ascii_case(&shown);
    let record = account_id.and_then(vault::stored);

    let body = if !agrees {
        view! {
            <div class="notice notice-error" role="alert" id="sign-fingerprint-differs">
                <p>{t(l, K::FingerprintDiffers)}</p>
            </div>
        }
        .into_any()
    } else if let Some(record) = record {
        view! { <SignForm contract record party on_signed/> }.into_any()
    } else {
        view! {
            <p>{t(l, K::NoKeyHere)}</p>
            <p>
                <a class="button" id="set-up-key" href=my_path(l, "key")>
                    {t(l, K::SetUpKey)}
                </a>
            </p>
        }
        .into_any()
    };

    view! {
        <section class="keys-sign" aria-labelledby="sign-title">
            <h2 id="sign-title">{t(l, K::SignTitle)}</h2>
            <p>{tf(l, K::SigningAs, &[party_name(party, l)])}</p>
            <p>
                {t(l, K::TermsFingerprint)} <br/>
                <code class="keys-hex" id="sign-fingerprint">
                    {shown}
                </code>
            </p>
            <p class="hint">{t(l, K::TermsFingerprintHint)}</p>
            {body}
        </section>
    }
}

#[component]
fn SignForm(
    contract: Contract,
    record: SealedKey,
    party: Party,
    on_signed: Callback<()>,
) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let passphrase = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let progress = RwSignal::new(Progress::Idle);
    let busy = move || progress.get() == Progress::Signing;
    let key_page = my_path(l, "key");
    let contract = StoredValue::new(contract);
    let record = StoredValue::new(record);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if progress.get_untracked() == Progress::Signing {
            return;
        }
        let words = passphrase.get_untracked();
        errors.clear();
        if words.is_empty() {
            errors.push(PASSPHRASE, t(l, K::ErrEnterPassphrase));
            return progress.set(Progress::Refused {
                message: t(l, K::ErrEnterPassphrase).into(),
                to_key_page: false,
            });
        }
        progress.set(Progress::Signing);
        let (id, terms) = contract.with_value(|c| (c.terms.contract_id, c.terms.clone()));
        let record = record.get_value();
        leptos::task::spawn_local(async move {
            let signature = match vault::unseal(&record, &words).await {
                // The secret is dropped, and zeroed, as soon as the signature is made.
                Ok(secret) => sign(secret.bytes(), &terms, party),
                Err(e) => {
                    if e == VaultError::WrongPassphrase {
                        errors.push(PASSPHRASE, e.message(l));
                    }
                    return progress.set(Progress::Refused {
                        message: e.message(l).into(),
                        to_key_page: e == VaultError::Damaged,
                    });
                }
            };
            let request = SignContract {
                fingerprint: hex(&fingerprint(&terms)),
                signature: hex(&signature),
            };
            let path = format!("/contracts/{id}/signatures");
            match client::send::<_, Contract>(Method::Post, &path, &request, l).await {
                Ok(_) => {
                    passphrase.set(String::new());
                    progress.set(Progress::Signed);
                    on_signed.run(());
                }
                Err(failure) => progress.set(refused(&failure, l)),
            }
        });
    };

    let status = move || match progress.get() {
        Progress::Idle => ().into_any(),
        Progress::Signing => view! { <p class="status">{t(l, K::Signing)}</p> }.into_any(),
        Progress::Signed => view! { <p class="notice">{t(l, K::Signed)}</p> }.into_any(),
        Progress::Refused {
            message,
            to_key_page,
        } => view! {
            <div class="notice notice-error">
                <p>{message}</p>
                {to_key_page
                    .then(|| {
                        view! {
                            <p>
                                <a href=key_page.clone()>{t(l, K::KeyPageLink)}</a>
                            </p>
                        }
                    })}
            </div>
        }
        .into_any(),
    };

    view! {
        <form
            novalidate
            on:submit=submit
            aria-busy=move || busy().then_some("true")
            hidden=move || progress.get() == Progress::Signed
        >
            <div class="field">
                <label for=PASSPHRASE>{t(l, K::LabelSignPassphrase)}</label>
                <FieldError errors field=PASSPHRASE/>
                <input
                    id=PASSPHRASE
                    name=PASSPHRASE
                    type="password"
                    autocomplete="current-password"
                    prop:value=move || passphrase.get()
                    on:input=move |ev| passphrase.set(event_target_value(&ev))
                    aria-invalid=move || errors.for_field(PASSPHRASE).map(|_| "true")
                    aria-describedby=move || {
                        errors.for_field(PASSPHRASE).map(|_| format!("{PASSPHRASE}-error"))
                    }
                />
            </div>
            <button type="submit" class="button" id="sign-button" disabled=busy>
                {move || t(l, if busy() { K::Signing } else { K::SignButton })}
            </button>
        </form>
        <div id="sign-status" role="status">
            {status}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{client::FieldProblem, portal::SessionState, UiLang};
    use shared::{
        contract::{api::Stage, terms::Format, ContractTerms},
        ledger::Month,
        Region, Tenge,
    };

    fn contract(fingerprint_ok: bool) -> Contract {
        let terms = ContractTerms {
            format: Format::V1,
            contract_id: 17,
            created_on: "2026-03-02".parse().unwrap(),
            resettler_id: 5,
            resettler_iin: "900514300121".into(),
            employer_id: 9,
            employer_bin: "971240001315".into(),
            region: Region::NorthKazakhstan,
            vacancy_id: 3,
            position: "Welder".into(),
            monthly_salary: Tenge::from_tiyn(25_000_000),
            start_month: Month::new(2026, 4).unwrap(),
            housing_limit: Tenge::from_tiyn(194_625_000),
            declared_housing_costs: Tenge::from_tiyn(120_000_050),
            required_months: 24,
            breach_threshold: 3,
        };
        let fingerprint = if fingerprint_ok {
            hex(&fingerprint(&terms))
        } else {
            "00".repeat(32)
        };
        Contract {
            terms,
            fingerprint,
            stage: Stage::Signing,
            parties: vec![],
            confirmations: vec![],
            today: Month::new(2026, 3).unwrap(),
            payout: None,
            created_at: "2026-03-02T10:00:00Z".into(),
        }
    }

    fn render(contract: Contract) -> String {
        Owner::new().with(|| {
            provide_context(UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            provide_context(SessionState {
                loaded: RwSignal::new(true),
                session: RwSignal::new(None),
                failure: RwSignal::new(None),
            });
            let on_signed = Callback::new(|_| {});
            view! { <SignPanel contract party=Party::Employer on_signed/> }.to_html()
        })
    }

    #[test]
    fn without_a_key_here_the_panel_leads_to_the_key_page() {
        let c = contract(true);
        let shown = hex(&fingerprint(&c.terms));
        let html = render(c);
        assert!(html.contains(&shown), "{html}");
        assert!(html.contains(r#"id="set-up-key""#), "{html}");
        assert!(html.contains(r#"href="/en/my/key""#), "{html}");
        assert!(html.contains(t(Lang::En, K::PartyEmployer)), "{html}");
    }

    #[test]
    fn a_fingerprint_the_page_cannot_reproduce_is_not_signed() {
        let html = render(contract(false));
        assert!(html.contains(r#"id="sign-fingerprint-differs""#), "{html}");
        assert!(!html.contains(r#"id="set-up-key""#), "{html}");
    }

    #[test]
    fn each_refusal_is_explained() {
        let failure = |code: &str| Failure {
            status: 409,
            code: code.into(),
            problems: vec![FieldProblem {
                field: None,
                message: "server says".into(),
            }],
            rules: vec![],
        };
        let explained = |code: &str| match refused(&failure(code), Lang::En) {
            Progress::Refused {
                message,
                to_key_page,
            } => (message, to_key_page),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            explained("terms_changed"),
            (t(Lang::En, K::ErrTermsChanged).into(), false)
        );
        assert_eq!(
            explained("signature_invalid"),
            (t(Lang::En, K::ErrSignatureInvalid).into(), true)
        );
        assert_eq!(
            explained("no_signing_key"),
            (t(Lang::En, K::ErrNoSigningKey).into(), true)
        );
        assert_eq!(explained("already_signed"), ("server says".into(), false));
    }
}
