//! The three parties of a contract and their signatures over the current terms.

use super::{format::moment_text, party_name};
use crate::{
    i18n::{t, ContractsKey as K},
    use_lang,
};
use leptos::prelude::*;
use shared::contract::api::PartyView;

/// `#party-resettler`, `#party-employer`, `#party-akimat` with `data-signed`; `children`
/// add what the viewer may do about the party (the officer's key revocation).
#[component]
pub fn PartyCard(party: PartyView, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let id = party.party.id();
    let signature = match &party.signature {
        Some(s) => view! {
            <dl class="facts">
                <dt>{t(l, K::SignedBy)}</dt>
                <dd class="contract-signer">{s.signer_name.clone()}</dd>
                <dt>{t(l, K::KeyFingerprint)}</dt>
                <dd>
                    <code class="contract-hex">{s.key_fingerprint.clone()}</code>
                </dd>
                <dt>{t(l, K::SignedAt)}</dt>
                <dd>{moment_text(&s.signed_at, l)}</dd>
            </dl>
        }
        .into_any(),
        None => view! { <p class="contract-unsigned">{t(l, K::NotSigned)}</p> }.into_any(),
    };
    view! {
        <li
            id=format!("party-{id}")
            class="card contract-party"
            data-signed=party.signature.is_some().to_string()
        >
            <h3>{party_name(party.party, l)}</h3>
            <p>{party.name.clone()}</p>
            {signature}
            {children.map(|c| c())}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{
        contract::{api::SignatureView, Party},
        Lang,
    };

    #[test]
    fn a_signed_party_shows_who_signed_with_which_key() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            let signed = PartyView {
                party: Party::Employer,
                name: "Tas LLP".into(),
                account_id: Some(9),
                signature: Some(SignatureView {
                    signer_account_id: 9,
                    signer_name: "Tas LLP".into(),
                    key_id: 2,
                    key_fingerprint: "a1b2c3d4e5f60718".into(),
                    signature: "00".repeat(64),
                    signed_at: "2026-03-05T07:30:00Z".into(),
                }),
            };
            let unsigned = PartyView {
                party: Party::Akimat,
                name: "Akimat".into(),
                account_id: None,
                signature: None,
            };
            view! {
                <PartyCard party=signed/>
                <PartyCard party=unsigned/>
            }
            .to_html()
        });
        assert!(
            html.contains(r#"<li id="party-employer" data-signed="true""#),
            "{html}"
        );
        assert!(html.contains("a1b2c3d4e5f60718"), "{html}");
        assert!(html.contains("5 March 2026, 07:30 UTC"), "{html}");
        assert!(html.contains(r#"id="party-akimat""#), "{html}");
        assert!(html.contains(r#"data-signed="false""#), "{html}");
    }
}
