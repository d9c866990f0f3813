//! `/{lang}/my/contracts/{id}`: one contract for its parties, the region's staff and the
//! admin — its terms and fingerprint, who has signed, the viewer's own signing while it is
//! being signed, the officer's changes and key revocations, and once signed, where it
//! stands month by month.

use super::{
    amend::AmendForm, contract_or, own_fingerprint, parties::PartyCard, progress::Progress,
    revoke::RevokeKey, stage_name, terms::TermsList, use_contract, viewer_party, Load, EVERYONE,
};
use crate::{
    browser,
    i18n::{t, tf, ContractsKey as K},
    portal::{keys::SignPanel, my_path, use_session, Signed},
    use_lang,
};
use leptos::prelude::*;
use shared::contract::{
    api::{Contract, Stage},
    Party,
};

#[component]
pub fn ContractPage() -> impl IntoView {
    view! {
        <Signed roles=EVERYONE>
            <ContractView/>
        </Signed>
    }
}

#[component]
fn ContractView() -> impl IntoView {
    let lang = use_lang();
    let (id, contract, reload) = use_contract();
    // What the last change did, announced from a region that outlives the redrawn page.
    let announcement = RwSignal::new(String::new());
    let on_signed = Callback::new(move |()| {
        announcement.set(t(lang.current.get_untracked(), K::Signed).to_string());
        reload.run(());
    });
    let on_amended = Callback::new(move |amended: Contract| {
        announcement.set(t(lang.current.get_untracked(), K::Amended).to_string());
        contract.set(Load::Ready(amended));
        // The page is drawn anew: its heading takes the focus once it is there.
        request_animation_frame(|| browser::focus("contract-title", false));
    });
    view! {
        <p id="contract-announcement" class="status" role="status">
            {move || announcement.get()}
        </p>
        {move || {
            contract_or(
                id.get(),
                contract.get(),
                lang.get(),
                |c| view! { <Loaded contract=c on_signed on_amended/> }.into_any(),
            )
        }}
    }
}

#[component]
fn Loaded(
    contract: Contract,
    on_signed: Callback<()>,
    on_amended: Callback<Contract>,
) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let terms = &contract.terms;
    let id = terms.contract_id;
    let viewer = use_session()
        .session
        .with_untracked(|s| s.as_ref().and_then(|s| viewer_party(&s.account, terms)));
    let signing = contract.stage == Stage::Signing;
    let officer = signing && viewer == Some(Party::Akimat);

    let computed = own_fingerprint(terms);
    let mismatch = (computed != contract.fingerprint).then(|| {
        view! {
            <div id="fingerprint-mismatch" class="notice notice-error" role="alert">
                <p>{tf(l, K::FingerprintMismatch, &[&contract.fingerprint])}</p>
            </div>
        }
    });

    let parties = contract
        .parties
        .iter()
        .cloned()
        .map(|party| {
            // The akimat signs through any officer: the one whose key signed, if any.
            let account = party
                .account_id
                .or(party.signature.as_ref().map(|s| s.signer_account_id));
            let revoke = account.filter(|_| officer).map(|account_id| {
                let p = party.party;
                view! { <RevokeKey account_id party=p/> }
            });
            view! { <PartyCard party>{revoke}</PartyCard> }
        })
        .collect_view();

    let sign = viewer
        .filter(|p| {
            signing
                && contract
                    .parties
                    .iter()
                    .any(|v| v.party == *p && v.signature.is_none())
        })
        .map(|party| {
            view! {
                <section id="sign" aria-labelledby="sign-title">
                    <h2 id="sign-title">{t(l, K::SignTitle)}</h2>
                    <SignPanel contract=contract.clone() party on_signed/>
                </section>
            }
        });
    let amend = officer.then(|| view! { <AmendForm contract=contract.clone() on_amended/> });
    let progress = (!signing).then(|| view! { <Progress contract=contract.clone()/> });

    view! {
        <h1 id="contract-title" tabindex="-1">
            {tf(l, K::PageTitle, &[&terms.position, &id.to_string()])}
        </h1>
        <p>
            {t(l, K::Stage)} ": "
            <strong id="contract-stage" data-stage=contract.stage.id()>
                {stage_name(contract.stage, l)}
            </strong>
        </p>
        <p class="contract-fingerprint">
            {t(l, K::Fingerprint)} " "
            <code id="fingerprint" class="contract-hex">{computed}</code>
        </p>
        {mismatch}
        <p>
            <a id="print-link" href=my_path(l, &format!("contracts/{id}/print"))>
                {t(l, K::PrintLink)}
            </a>
        </p>
        {signing.then(|| view! { <p class="notice">{t(l, K::SigningExplained)}</p> })}
        {progress}
        <section aria-labelledby="terms-title">
            <h2 id="terms-title">{t(l, K::TermsTitle)}</h2>
            <TermsList contract=contract.clone()/>
        </section>
        <section aria-labelledby="parties-title">
            <h2 id="parties-title">{t(l, K::PartiesTitle)}</h2>
            <ul class="cards contract-parties">{parties}</ul>
        </section>
        {sign}
        {amend}
        <p>
            <a href=my_path(l, "contracts")>{t(l, K::BackToList)}</a>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::{contracts::tests::terms, SessionState};
    use shared::{
        account::{Account, Role, Session},
        contract::api::PartyView,
        Lang,
    };

    fn render(contract: Contract, account: Account) -> String {
        Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            provide_context(SessionState {
                loaded: RwSignal::new(true),
                session: RwSignal::new(Some(Session {
                    account,
                    csrf_token: String::new(),
                    expires_at: String::new(),
                })),
                failure: RwSignal::new(None),
            });
            let on_signed = Callback::new(|()| {});
            let on_amended = Callback::new(|_: Contract| {});
            view! { <Loaded contract on_signed on_amended/> }.to_html()
        })
    }

    fn contract(stage: Stage) -> Contract {
        let terms = terms();
        let party = |party, account_id| PartyView {
            party,
            name: format!("{party:?}"),
            account_id,
            signature: None,
        };
        Contract {
            fingerprint: own_fingerprint(&terms),
            terms,
            stage,
            parties: vec![
                party(Party::Resettler, Some(5)),
                party(Party::Employer, Some(9)),
                party(Party::Akimat, None),
            ],
            confirmations: Vec::new(),
            today: shared::ledger::Month::new(2026, 3).unwrap(),
            payout: None,
            created_at: "2026-03-02T09:00:00Z".into(),
        }
    }

    fn officer() -> Account {
        Account {
            id: 40,
            role: Role::Akimat,
            login: "officer".into(),
            region: Some(shared::Region::NorthKazakhstan),
            organisation: None,
        }
    }

    #[test]
    fn the_officer_of_a_contract_being_signed_may_amend_it() {
        let html = render(contract(Stage::Signing), officer());
        assert!(html.contains(r#"data-stage="signing""#), "{html}");
        assert!(html.contains(&own_fingerprint(&terms())), "{html}");
        assert!(!html.contains("fingerprint-mismatch"), "{html}");
        assert!(html.contains(r#"id="amend-terms""#), "{html}");
        assert!(
            html.contains(r#"id="sign""#),
            "the akimat has not signed: {html}"
        );
        assert!(html.contains(r#"id="party-resettler""#), "{html}");
        assert!(!html.contains(r#"id="timeline""#), "{html}");
        assert!(
            html.contains(r#"href="/en/my/contracts/12/print""#),
            "{html}"
        );
    }

    #[test]
    fn an_active_contract_shows_its_timeline_and_no_officer_tools() {
        let mut c = contract(Stage::Active);
        c.fingerprint = "00".repeat(32);
        let admin = Account {
            role: Role::Admin,
            region: None,
            ..officer()
        };
        let html = render(c, admin);
        assert!(html.contains(r#"id="timeline""#), "{html}");
        assert!(html.contains(r#"id="fingerprint-mismatch""#), "{html}");
        assert!(!html.contains(r#"id="amend-terms""#), "{html}");
        assert!(!html.contains(r#"id="sign""#), "{html}");
    }
}
