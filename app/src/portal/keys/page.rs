//! `/{lang}/my/key`: what a signing key is for, the account's registered key and whether
//! this browser holds its secret half, and making a new one when there is none.

use super::vault::{self, PassphraseProblem, SealedKey};
use crate::{
    client::{self, Failure, FieldProblem, Method},
    forms::{ErrorSummary, FormErrors, TextField},
    i18n::{t, KeysKey as K},
    portal::{
        use_session,
        wallet::{day_text, FailureNotice},
        Signed,
    },
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use shared::{
    account::Role,
    contract::{
        api::{KeyList, RegisterKey, SigningKey},
        signature::key_fingerprint,
    },
    Lang,
};

/// The account's key as the server and this browser know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Standing {
    /// A live key is registered and this browser holds its secret half.
    Held(SigningKey),
    /// A live key is registered, but its secret half is elsewhere (or lost).
    Elsewhere(SigningKey),
    /// No live key, so one can be made; `stale` when this browser keeps the record of a
    /// revoked one, which the new key replaces.
    Missing { stale: bool },
}

pub(crate) fn standing(keys: &KeyList, stored: Option<&SealedKey>) -> Standing {
    match keys.keys.iter().find(|k| k.revoked_at.is_none()) {
        Some(key)
            if stored.is_some_and(|s| key.public_key.eq_ignore_ascii_case(&s.public_key_hex())) =>
        {
            Standing::Held(key.clone())
        }
        Some(key) => Standing::Elsewhere(key.clone()),
        None => Standing::Missing {
            stale: stored.is_some(),
        },
    }
}

/// The problem with a new passphrase, on the field it is about.
fn passphrase_problem(problem: PassphraseProblem, lang: Lang) -> FieldProblem {
    let (field, key) = match problem {
        PassphraseProblem::TooShort => (PASSPHRASE, K::ErrPassphraseShort),
        PassphraseProblem::Differs => (PASSPHRASE_AGAIN, K::ErrPassphraseDiffers),
    };
    FieldProblem {
        field: Some(field.into()),
        message: t(lang, key).into(),
    }
}

const PASSPHRASE: &str = "key-passphrase";
const PASSPHRASE_AGAIN: &str = "key-passphrase-again";

/// `/{lang}/my/key`, for the parties that sign contracts.
#[component]
pub fn KeyPage() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Resettler, Role::Employer, Role::Akimat]>
            <KeyArea/>
        </Signed>
    }
}

#[component]
fn KeyArea() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let (account_id, role) = use_session()
        .session
        .with_untracked(|s| s.as_ref().map(|s| (s.account.id, s.account.role)))
        .unwrap_or((0, Role::Resettler));
    let keys = RwSignal::new(None::<Result<KeyList, Failure>>);
    let load = move || {
        keys.set(None);
        leptos::task::spawn_local(async move {
            keys.set(Some(client::get::<KeyList>("/keys/mine", l).await));
        });
    };
    load();
    // The fingerprint of the key made on this visit.
    let created = RwSignal::new(None::<String>);
    let on_created = move |(key, fingerprint): (SigningKey, String)| {
        keys.set(Some(Ok(KeyList { keys: vec![key] })));
        created.set(Some(fingerprint));
        request_animation_frame(|| crate::browser::focus("key-created", false));
    };

    view! {
        <h1>{t(l, K::Title)}</h1>
        <p>{t(l, K::IntroWhat)}</p>
        <p>{t(l, K::IntroPassphrase)}</p>
        <div role="status">
            {move || {
                created
                    .get()
                    .map(|fingerprint| {
                        view! {
                            <div class="notice" id="key-created" tabindex="-1">
                                <h2>{t(l, K::CreatedTitle)}</h2>
                                <p>
                                    {t(l, K::Created)} " "
                                    <code id="key-fingerprint">{fingerprint}</code>
                                </p>
                                <p>{t(l, K::CreatedNote)}</p>
                            </div>
                        }
                    })
            }}
        </div>
        {move || match keys.get() {
            None => view! { <p class="status" role="status">{t(l, K::LoadingKey)}</p> }.into_any(),
            Some(Err(failure)) => view! { <FailureNotice failure/> }.into_any(),
            Some(Ok(list)) => match standing(&list, vault::stored(account_id).as_ref()) {
                Standing::Held(key) => registered(&key, true, role, l).into_any(),
                Standing::Elsewhere(key) => registered(&key, false, role, l).into_any(),
                Standing::Missing { stale } => view! {
                    <CreateKey account_id stale on_created on_conflict=move |_| load()/>
                }
                .into_any(),
            },
        }}
    }
}

/// The registered key, and whether it can sign here.
fn registered(key: &SigningKey, held: bool, role: Role, lang: Lang) -> impl IntoView {
    let whereabouts = if held {
        view! {
            <p class="notice" id="key-held">
                {t(lang, K::HeldHere)}
            </p>
        }
        .into_any()
    } else {
        let revoke = if role == Role::Akimat {
            K::RevokeNeededStaff
        } else {
            K::RevokeNeeded
        };
        view! {
            <div class="notice notice-warning" id="key-not-held">
                <p>{t(lang, K::NotHeldHere)}</p>
                <p>{t(lang, revoke)}</p>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" id="registered-key" aria-labelledby="registered-key-title">
            <h2 id="registered-key-title">{t(lang, K::RegisteredTitle)}</h2>
            <dl class="keys-facts">
                <dt>{t(lang, K::FingerprintLabel)}</dt>
                <dd>
                    <code>{key.fingerprint.clone()}</code>
                </dd>
                <dt>{t(lang, K::RegisteredOn)}</dt>
                <dd>{day_text(&key.created_at, lang)}</dd>
            </dl>
            {whereabouts}
        </section>
    }
}

/// The form that makes a key: generated and sealed in the browser, stored, then its public
/// half registered. A refused registration removes the stored record again, so nothing
/// half-made is left behind.
#[component]
fn CreateKey(
    account_id: i64,
    stale: bool,
    #[prop(into)] on_created: Callback<(SigningKey, String)>,
    /// A live key turned up meanwhile (`key_exists`): the page is read again.
    #[prop(into)]
    on_conflict: Callback<()>,
) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let secret_words = passphrase.get_untracked();
        if let Err(problem) = vault::check_new_passphrase(&secret_words, &again.get_untracked()) {
            return errors.set(vec![passphrase_problem(problem, l)]);
        }
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let made = vault::create(account_id, &secret_words).await;
            let record = match made {
                Ok(record) => record,
                Err(e) => {
                    busy.set(false);
                    return errors.set(vec![FieldProblem {
                        field: None,
                        message: e.message(l).into(),
                    }]);
                }
            };
            let request = RegisterKey {
                public_key: record.public_key_hex(),
            };
            let answer = client::send::<_, SigningKey>(Method::Post, "/keys", &request, l).await;
            busy.set(false);
            match answer {
                Ok(key) => {
                    passphrase.set(String::new());
                    again.set(String::new());
                    on_created.run((key, key_fingerprint(&record.public_key)));
                }
                Err(failure) => {
                    vault::remove(account_id);
                    if failure.code == "key_exists" {
                        on_conflict.run(());
                    } else {
                        // The request's only field is made here, not typed: no field to
                        // point at.
                        let problems = failure
                            .problems
                            .iter()
                            .map(|p| FieldProblem {
                                field: None,
                                message: p.message.clone(),
                            })
                            .collect();
                        errors.show(
                            &Failure {
                                problems,
                                ..failure
                            },
                            l,
                        );
                    }
                }
            }
        });
    };

    view! {
        <section aria-labelledby="create-key-title">
            <h2 id="create-key-title">{t(l, K::CreateTitle)}</h2>
            <p>{t(l, if stale { K::StaleKey } else { K::NoKey })}</p>
            <form novalidate on:submit=submit aria-busy=move || busy.get().then_some("true")>
                <ErrorSummary errors/>
                <TextField
                    errors
                    field=PASSPHRASE
                    label=t(l, K::LabelPassphrase).to_string()
                    hint=t(l, K::HintPassphrase).to_string()
                    value=passphrase
                    kind="password"
                    autocomplete="new-password"
                />
                <TextField
                    errors
                    field=PASSPHRASE_AGAIN
                    label=t(l, K::LabelPassphraseAgain).to_string()
                    value=again
                    kind="password"
                    autocomplete="new-password"
                />
                <button type="submit" class="button" id="create-key" disabled=move || busy.get()>
                    {move || t(l, if busy.get() { K::Creating } else { K::CreateButton })}
                </button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::contract::signature::public_key;

    fn key(secret: u8, revoked: bool) -> SigningKey {
        let public = public_key(&[secret; 32]);
        SigningKey {
            id: i64::from(secret),
            account_id: 4,
            public_key: shared::contract::hex(&public),
            fingerprint: key_fingerprint(&public),
            created_at: "2026-03-02T10:00:00Z".into(),
            revoked_at: revoked.then(|| "2026-03-05T10:00:00Z".into()),
        }
    }

    fn record(secret: u8) -> SealedKey {
        SealedKey {
            iterations: vault::ITERATIONS,
            salt: [1; 16],
            iv: [2; 12],
            sealed: vec![3; 48],
            public_key: public_key(&[secret; 32]),
        }
    }

    #[test]
    fn the_live_key_is_held_only_with_its_own_record() {
        let live = KeyList {
            keys: vec![key(7, false), key(6, true)],
        };
        assert_eq!(
            standing(&live, Some(&record(7))),
            Standing::Held(key(7, false))
        );
        assert_eq!(
            standing(&live, Some(&record(6))),
            Standing::Elsewhere(key(7, false))
        );
        assert_eq!(standing(&live, None), Standing::Elsewhere(key(7, false)));

        let revoked = KeyList {
            keys: vec![key(6, true)],
        };
        assert_eq!(
            standing(&revoked, Some(&record(6))),
            Standing::Missing { stale: true }
        );
        assert_eq!(
            standing(&KeyList { keys: vec![] }, None),
            Standing::Missing { stale: false }
        );
    }

    #[test]
    fn passphrase_problems_land_on_their_field() {
        let short = passphrase_problem(PassphraseProblem::TooShort, Lang::En);
        assert_eq!(short.field.as_deref(), Some("key-passphrase"));
        let differs = passphrase_problem(PassphraseProblem::Differs, Lang::Ru);
        assert_eq!(differs.field.as_deref(), Some("key-passphrase-again"));
        assert_ne!(short.message, differs.message);
    }

    #[test]
    fn the_form_has_both_passphrase_fields_and_its_button() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view! {
                <CreateKey
                    account_id=4
                    stale=true
                    on_created=|_: (SigningKey, String)| {}
                    on_conflict=|_| {}
                />
            }
            .to_html()
        });
        for id in ["key-passphrase", "key-passphrase-again", "create-key"] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
        }
        assert!(html.contains(r#"autocomplete="new-password""#), "{html}");
        assert!(html.contains(t(Lang::En, K::StaleKey)), "{html}");
    }
}
