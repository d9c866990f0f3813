//! The officer revokes a party's lost or compromised signing key, after confirming it on
//! the page; the party then registers a new key and signs again.

use super::{failure_text, party_name};
use crate::{
    browser,
    client::{self, Failure},
    forms::busy_label,
    i18n::{t, tf, ContractsKey as K},
    use_lang,
};
use leptos::prelude::*;
use shared::contract::{
    api::{KeyList, SigningKey},
    Party,
};

/// The key an account can sign with now: the first one not revoked.
fn live_key(keys: KeyList) -> Option<SigningKey> {
    keys.keys.into_iter().find(|k| k.revoked_at.is_none())
}

/// The party's live key with a "Revoke key" button (`#revoke-{party}`), its confirmation
/// (`#confirm-revoke-{party}`), and what came of it.
#[component]
pub fn RevokeKey(account_id: i64, party: Party) -> impl IntoView {
    let lang = use_lang();
    let p = party.id();
    // `None` while loading; the key, or none, once known.
    let key = RwSignal::new(None::<Result<Option<SigningKey>, Failure>>);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        let l = lang.current.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = client::get::<KeyList>(&format!("/keys?account={account_id}"), l).await;
            key.set(Some(answer.map(live_key)));
        });
    });

    let revoke = move |key_id: i64| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let l = lang.current.get_untracked();
        leptos::task::spawn_local(async move {
            let path = format!("/keys/{key_id}/revoke");
            let answer = client::send::<_, SigningKey>(
                client::Method::Post,
                &path,
                &serde_json::json!({}),
                l,
            )
            .await;
            busy.set(false);
            confirming.set(false);
            match answer {
                Ok(revoked) => {
                    outcome.set(Some(Ok(tf(l, K::KeyRevoked, &[&revoked.fingerprint]))));
                    key.set(Some(Ok(None)));
                }
                Err(failure) => outcome.set(Some(Err(failure_text(&failure, l)))),
            }
            request_animation_frame(move || browser::focus(&format!("revoke-status-{p}"), false));
        });
    };

    let body = move || {
        let l = lang.get();
        match key.get() {
            None => {
                view! { <p class="status">{t(l, crate::i18n::AccountKey::Loading)}</p> }.into_any()
            }
            Some(Err(failure)) => view! { <p>{failure_text(&failure, l)}</p> }.into_any(),
            Some(Ok(None)) => view! { <p>{t(l, K::NoLiveKey)}</p> }.into_any(),
            Some(Ok(Some(k))) => {
                let key_id = k.id;
                let fingerprint = k.fingerprint.clone();
                let confirm = move || {
                    confirming.get().then(|| {
                        let l = lang.get();
                        view! {
                            <div class="notice notice-warning" role="group" aria-labelledby=format!("revoke-question-{p}")>
                                <p id=format!("revoke-question-{p}")>
                                    {tf(l, K::RevokeQuestion, &[&fingerprint, party_name(party, l)])}
                                </p>
                                <button
                                    type="button"
                                    class="button"
                                    id=format!("confirm-revoke-{p}")
                                    aria-disabled=move || busy.get().then_some("true")
                                    on:click=move |_| revoke(key_id)
                                >
                                    {move || busy_label(lang.get(), busy.get(), t(lang.get(), K::RevokeConfirm))}
                                </button>
                                " "
                                <button
                                    type="button"
                                    class="button button-secondary"
                                    on:click=move |_| {
                                        confirming.set(false);
                                        browser::focus(&format!("revoke-{p}"), false);
                                    }
                                >
                                    {t(l, K::Cancel)}
                                </button>
                            </div>
                        }
                    })
                };
                view! {
                    <p>
                        {t(l, K::LiveKey)} " " <code class="contract-hex">{k.fingerprint.clone()}</code>
                    </p>
                    <p>
                        <button
                            type="button"
                            class="button button-secondary"
                            id=format!("revoke-{p}")
                            aria-expanded=move || confirming.get().to_string()
                            on:click=move |_| {
                                outcome.set(None);
                                confirming.set(true);
                                request_animation_frame(move || {
                                    browser::focus(&format!("confirm-revoke-{p}"), false)
                                });
                            }
                        >
                            {t(l, K::RevokeKey)}
                        </button>
                    </p>
                    {confirm}
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="contract-revoke">
            <h4>{move || t(lang.get(), K::KeyTitle)}</h4>
            {body}
            <p id=format!("revoke-status-{p}") class="status" role="status" tabindex="-1">
                {move || match outcome.get() {
                    Some(Ok(text)) => view! { <span>{text}</span> }.into_any(),
                    Some(Err(text)) => view! { <span class="field-error">{text}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, revoked: bool) -> SigningKey {
        SigningKey {
            id,
            account_id: 5,
            public_key: "00".repeat(32),
            fingerprint: format!("{id:016}"),
            created_at: "2026-03-01T09:00:00Z".into(),
            revoked_at: revoked.then(|| "2026-03-02T09:00:00Z".into()),
        }
    }

    #[test]
    fn only_a_key_not_revoked_can_be_revoked() {
        let keys = KeyList {
            keys: vec![key(1, true), key(2, false)],
        };
        assert_eq!(live_key(keys).map(|k| k.id), Some(2));
        assert_eq!(
            live_key(KeyList {
                keys: vec![key(1, true)]
            }),
            None
        );
    }
}
