//! "Check with the server": sends the same request (same as-of date) to the authoritative
//! server and says whether its answer agrees with the one worked out in the browser.

use crate::{
    api::{self, ApiError},
    browser,
    form::{Field, FormState},
    i18n::{t, tf, tr, Key},
    outcome::{agrees, Outcome},
    use_lang,
};
use leptos::{prelude::*, task::spawn_local};
use shared::{
    api::{EligibilityRequest, EligibilityResponse},
    Lang, Policy,
};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ServerState {
    Idle,
    NeedsForm,
    Pending,
    Done {
        request: EligibilityRequest,
        response: EligibilityResponse,
        agrees: bool,
    },
    Failed(ApiError),
}

fn error_text(e: &ApiError, lang: Lang) -> String {
    match e {
        ApiError::Network => t(lang, Key::ErrNetwork).to_string(),
        ApiError::Server { code, message } => {
            tf(lang, Key::ErrServer, &[&format!("{message} ({code})")])
        }
        ApiError::BadResponse { status } => {
            format!("{} (HTTP {status})", t(lang, Key::ErrBadResponse))
        }
    }
}

#[component]
pub fn ServerCheck(
    form: FormState,
    request: Memo<Result<EligibilityRequest, Vec<Field>>>,
    outcome: Memo<Outcome>,
) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(ServerState::Idle);
    // Only the latest click's answer is shown.
    let sequence = StoredValue::new(0u32);

    let check = move |_| {
        if state.get_untracked() == ServerState::Pending {
            return;
        }
        let (request, browser_answer) = match (request.get_untracked(), outcome.get_untracked()) {
            (Ok(request), Outcome::Answer(answer)) => (request, Some(answer)),
            // The browser could not decide (no policy for its date): the server still can.
            (Ok(request), _) => (request, None),
            (Err(fields), _) => {
                form.show_all.set(true);
                state.set(ServerState::NeedsForm);
                if let Some(first) = fields.first() {
                    browser::focus(first.id(), true);
                }
                return;
            }
        };
        let lang = lang.current.get_untracked();
        sequence.update_value(|n| *n += 1);
        let mine = sequence.get_value();
        state.set(ServerState::Pending);
        spawn_local(async move {
            let result = api::check_eligibility(&request, lang).await;
            if sequence.try_get_value() != Some(mine) {
                return;
            }
            let next = match result {
                Ok(response) => ServerState::Done {
                    agrees: browser_answer.is_some_and(|b| agrees(&b, &response)),
                    request,
                    response,
                },
                Err(e) => ServerState::Failed(e),
            };
            state.try_set(next);
        });
    };

    let stale = move || match state.get() {
        ServerState::Done {
            request: checked, ..
        } => request.with(|r| r.as_ref().ok() != Some(&checked)),
        _ => false,
    };

    let body = move || {
        let l = lang.get();
        match state.get() {
            ServerState::Idle => ().into_any(),
            ServerState::NeedsForm => {
                view! { <p class="notice notice-error">{t(l, Key::ServerNeedsForm)}</p> }.into_any()
            }
            ServerState::Pending => view! {
                <p class="status progress">
                    <span class="spinner" aria-hidden="true"></span>
                    {t(l, Key::ServerPending)}
                </p>
            }
            .into_any(),
            ServerState::Done {
                response, agrees, ..
            } => {
                let (mark, verdict) = if response.eligible {
                    ("✓", Key::ServerEligible)
                } else {
                    ("✗", Key::ServerNotEligible)
                };
                let failed: Vec<&str> = response
                    .rules
                    .iter()
                    .filter(|r| !r.passed)
                    .map(|r| r.id.as_str())
                    .collect();
                let failed = (!failed.is_empty())
                    .then(|| tf(l, Key::ServerFailedRules, &[&failed.join(", ")]));
                let version = &response.policy_version;
                let other_policy = (*version != Policy::current().version)
                    .then(|| tf(l, Key::ServerPolicyDiffers, &[version]));
                let agreement = if agrees {
                    Key::ServerAgrees
                } else {
                    Key::ServerDisagrees
                };
                view! {
                    <div
                        id="server-verdict"
                        class="server-verdict"
                        data-eligible=response.eligible.to_string()
                        data-agrees=agrees.to_string()
                    >
                        <p class="verdict">
                            <span class="mark" aria-hidden="true">{mark}</span>
                            " "
                            {t(l, verdict)}
                        </p>
                        {failed.map(|f| view! { <p>{f}</p> })}
                        <p class="agreement" data-agrees=agrees.to_string()>
                            {t(l, agreement)}
                        </p>
                        {other_policy.map(|p| view! { <p class="notice">{p}</p> })}
                        {move || stale().then(|| view! { <p class="notice">{t(l, Key::ServerStale)}</p> })}
                    </div>
                }
                .into_any()
            }
            ServerState::Failed(e) => {
                view! { <p class="notice notice-error">{error_text(&e, l)}</p> }.into_any()
            }
        }
    };

    view! {
        <section class="card server" aria-labelledby="server-heading">
            <h2 id="server-heading">{tr(Key::ServerHeading)}</h2>
            <p>{tr(Key::ServerIntro)}</p>
            <button
                id="check-server"
                type="button"
                class="button"
                aria-disabled=move || (state.get() == ServerState::Pending).then_some("true")
                on:click=check
            >
                {tr(Key::ServerButton)}
            </button>
            <div class="live" aria-live="polite">{body}</div>
        </section>
    }
}
