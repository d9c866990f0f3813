//! The signed-in areas: a second browser bundle (`portal`), loaded only by the account
//! pages under `/{lang}/my/…`, so none of its code weighs on the public pages. The server
//! answers every such address with one pre-rendered shell (`{lang}/my/index.html`, see
//! `pages::account`); this module mounts into its `#portal` and routes in the browser.
//!
//! Who is signed in comes from `GET /api/v1/auth/me`, which also refreshes the CSRF token
//! every state-changing call sends. Each page says which roles may open it; the server
//! checks again on every call.

pub mod contracts;
pub mod employer;
pub mod feed;
pub mod keys;
pub mod notice;
pub mod payees;
pub mod register;
pub mod resettler;
pub mod staff;
pub mod wallet;

use crate::{
    client::{self, Failure},
    forms::failure_message,
    i18n::{t, tf, tr, PortalKey},
    lang_from_path, use_lang, UiLang,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};
use shared::{
    account::{Role, Session},
    Lang,
};

/// The id of the element the signed-in areas are mounted into.
pub const PORTAL_ID: &str = "portal";

/// Who is signed in, once known.
#[derive(Clone, Copy)]
pub struct SessionState {
    /// `None` until `/auth/me` has answered.
    pub loaded: RwSignal<bool>,
    pub session: RwSignal<Option<Session>>,
    /// Why the session could not be read, other than "not signed in".
    pub failure: RwSignal<Option<Failure>>,
}

impl SessionState {
    fn new() -> SessionState {
        SessionState {
            loaded: RwSignal::new(false),
            session: RwSignal::new(None),
            failure: RwSignal::new(None),
        }
    }

    /// Asks the server who is signed in.
    pub fn refresh(self, lang: Lang) {
        leptos::task::spawn_local(async move {
            match client::get::<Session>("/auth/me", lang).await {
                Ok(session) => {
                    client::set_csrf_token(Some(&session.csrf_token));
                    self.session.set(Some(session));
                    self.failure.set(None);
                }
                Err(f) if f.is_unauthenticated() => {
                    client::set_csrf_token(None);
                    self.session.set(None);
                    self.failure.set(None);
                }
                Err(f) => self.failure.set(Some(f)),
            }
            self.loaded.set(true);
        });
    }

    pub fn role(&self) -> Option<Role> {
        self.session.with(|s| s.as_ref().map(|s| s.account.role))
    }
}

/// The session state from context; provided by [`Portal`].
pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}

/// An address inside the signed-in areas, in `lang`: `my_path(Lang::Kk, "apply")` →
/// `/kk/my/apply`; an empty `rest` is the account home.
pub fn my_path(lang: Lang, rest: &str) -> String {
    if rest.is_empty() {
        format!("/{}/my", lang.code())
    } else {
        format!("/{}/my/{}", lang.code(), rest.trim_start_matches('/'))
    }
}

/// The sign-in page, coming back to `next` afterwards.
pub fn login_path(lang: Lang, next: &str) -> String {
    format!("/{}/login?next={}", lang.code(), encode_component(next))
}

/// Percent-encodes everything but unreserved characters, for a query value.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A role's name for people.
pub fn role_name(role: Role, lang: Lang) -> &'static str {
    t(
        lang,
        match role {
            Role::Resettler => PortalKey::RoleResettler,
            Role::Employer => PortalKey::RoleEmployer,
            Role::Akimat => PortalKey::RoleAkimat,
            Role::Admin => PortalKey::RoleAdmin,
        },
    )
}

/// The signed-in areas, in the language of the shell page they were loaded into.
#[component]
pub fn Portal(lang: Lang) -> impl IntoView {
    provide_context(UiLang {
        current: Memo::new(move |_| lang),
        from_url: Memo::new(move |_| Some(lang)),
    });
    let session = SessionState::new();
    provide_context(session);
    session.refresh(lang);

    view! {
        <Router>
            <SameLanguage/>
            <AccountBar/>
            <Routes fallback=Elsewhere>
                <Route path=path!("/:lang/my") view=Home/>
                <Route path=path!("/:lang/my/register") view=register::Register/>
                <Route path=path!("/:lang/my/apply") view=resettler::Apply/>
                <Route path=path!("/:lang/my/vacancies/new") view=employer::NewVacancy/>
                <Route path=path!("/:lang/my/vacancies/:id") view=employer::EditVacancy/>
                <Route
                    path=path!("/:lang/my/vacancies/:id/applicants")
                    view=employer::Applicants
                />
                <Route path=path!("/:lang/my/applications") view=staff::Queue/>
                <Route path=path!("/:lang/my/quota") view=staff::QuotaEditor/>
                <Route path=path!("/:lang/my/staff") view=staff::StaffAccounts/>
                <Route path=path!("/:lang/my/wallet") view=wallet::WalletPage/>
                <Route path=path!("/:lang/my/payees") view=payees::Payees/>
                <Route
                    path=path!("/:lang/my/payees/register")
                    view=payees::RegisterPayeePage
                />
                <Route path=path!("/:lang/my/budgets") view=wallet::Budgets/>
                <Route path=path!("/:lang/my/contracts") view=contracts::Contracts/>
                <Route path=path!("/:lang/my/contracts/new") view=contracts::NewContract/>
                <Route path=path!("/:lang/my/contracts/:id") view=contracts::ContractPage/>
                <Route
                    path=path!("/:lang/my/contracts/:id/print")
                    view=contracts::PrintContract
                />
                <Route path=path!("/:lang/my/key") view=keys::KeyPage/>
                <Route path=path!("/:lang/my/feed") view=feed::FeedUpload/>
            </Routes>
        </Router>
    }
}

/// The shell page is in one language: an address in another one (the language switcher,
/// a pasted link) is loaded afresh, so header, footer and content agree. The switcher's
/// links are kept pointing at the current account page in each language.
#[component]
fn SameLanguage() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    Effect::new(move |_| {
        let path = location.pathname.get();
        let search = location.search.get();
        if lang_from_path(&path).is_some_and(|l| l != lang.get()) {
            browser::go(&format!("{path}{}", query(&search)));
            return;
        }
        browser::point_language_links(&path, &query(&search));
    });
}

fn query(search: &str) -> String {
    if search.is_empty() || search.starts_with('?') {
        search.to_string()
    } else {
        format!("?{search}")
    }
}

/// Any address the routes do not know. Outside the account pages (a header link to a
/// public page) it is a normal page load; inside, the account's own not-found text.
#[component]
fn Elsewhere() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let mine = my_path(lang.get(), "");
    if path != mine && !path.starts_with(&format!("{mine}/")) {
        browser::go(&format!(
            "{path}{}",
            query(&location.search.get_untracked())
        ));
        return ().into_any();
    }
    view! {
        <h1>{tr(PortalKey::NotFound)}</h1>
        <p>
            <a href=mine>{tr(PortalKey::NavHome)}</a>
        </p>
    }
    .into_any()
}

/// Who is signed in, a way home and out; nothing before the session is known.
#[component]
fn AccountBar() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let sign_out = move |_| {
        let l = lang.get();
        leptos::task::spawn_local(async move {
            // Signed out on the server or not, the page forgets the session.
            let _ = client::post_empty("/auth/logout", l).await;
            client::set_csrf_token(None);
            browser::go(&format!("/{}/login", l.code()));
        });
    };
    move || {
        let l = lang.get();
        session.session.get().map(|s| {
            let who = match &s.account.organisation {
                Some(org) => format!("{org} ({})", role_name(s.account.role, l)),
                None => format!("{} ({})", s.account.login, role_name(s.account.role, l)),
            };
            view! {
                <nav class="account-bar" aria-label=t(l, PortalKey::NavLabel)>
                    <p>{tf(l, PortalKey::SignedInAs, &[&who])}</p>
                    <ul>
                        <li>
                            <a href=my_path(l, "")>{t(l, PortalKey::NavHome)}</a>
                        </li>
                        <li>
                            <button type="button" class="button-link" on:click=sign_out>
                                {t(l, PortalKey::SignOut)}
                            </button>
                        </li>
                    </ul>
                </nav>
            }
        })
    }
}

/// Shows `children` only to a signed-in account of one of `roles`; otherwise says why,
/// with a way to sign in that comes back here.
#[component]
pub fn Signed(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let location = use_location();
    move || {
        let l = lang.get();
        if !session.loaded.get() {
            return view! { <p class="status" role="status">{t(l, PortalKey::LoadingAccount)}</p> }
                .into_any();
        }
        if let Some(failure) = session.failure.get() {
            return view! {
                <div class="notice notice-error" role="alert">
                    <p>{failure_message(&failure, l)}</p>
                </div>
            }
            .into_any();
        }
        match session.role() {
            Some(role) if roles.contains(&role) => children().into_any(),
            Some(_) => view! { <p class="notice notice-warning">{t(l, PortalKey::WrongRole)}</p> }
                .into_any(),
            None => {
                let here = format!(
                    "{}{}",
                    location.pathname.get_untracked(),
                    query(&location.search.get_untracked())
                );
                view! {
                    <div class="notice">
                        <p>{t(l, PortalKey::SignInNeeded)}</p>
                        <p>
                            <a class="button" rel="external" href=login_path(l, &here)>
                                {t(l, PortalKey::SignIn)}
                            </a>
                        </p>
                    </div>
                }
                .into_any()
            }
        }
    }
}

/// The account home: each role's own.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        <Signed roles=&[Role::Resettler, Role::Employer, Role::Akimat, Role::Admin]>
            {move || match session.role() {
                Some(Role::Resettler) => view! { <resettler::Home/> }.into_any(),
                Some(Role::Employer) => view! { <employer::Home/> }.into_any(),
                _ => view! { <staff::Home/> }.into_any(),
            }}
        </Signed>
    }
}

/// An application's status for people.
pub fn status_name(status: shared::application::ApplicationStatus, lang: Lang) -> &'static str {
    use shared::application::ApplicationStatus as S;
    t(
        lang,
        match status {
            S::Submitted => PortalKey::StatusSubmitted,
            S::Approved => PortalKey::StatusApproved,
            S::Rejected => PortalKey::StatusRejected,
            S::Withdrawn => PortalKey::StatusWithdrawn,
        },
    )
}

/// Browser facilities for the portal frame; inert natively.
pub mod browser {
    /// A full page load of `href` (a public page, or the shell in another language).
    pub fn go(href: &str) {
        #[cfg(target_arch = "wasm32")]
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign(href);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = href;
    }

    /// Points the header's language links at `path` + `query` in each language.
    pub fn point_language_links(path: &str, query: &str) {
        #[cfg(target_arch = "wasm32")]
        {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Ok(links) = doc.query_selector_all(".lang-switch a[hreflang]") else {
                return;
            };
            for i in 0..links.length() {
                let Some(link) = links.item(i) else { continue };
                use wasm_bindgen::JsCast;
                let Ok(link) = link.dyn_into::<web_sys::Element>() else {
                    continue;
                };
                let Some(lang) = link
                    .get_attribute("hreflang")
                    .and_then(|c| shared::Lang::from_code(&c))
                else {
                    continue;
                };
                let href = format!("{}{query}", crate::path_in_lang(path, lang));
                let _ = link.set_attribute("href", &href);
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (path, query);
    }
}

/// Mounts the signed-in areas into the shell page's `#portal`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc
        .get_element_by_id(PORTAL_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let lang = crate::browser::page_lang(&doc);
    root.set_text_content(None);
    leptos::mount::mount_to(root, move || view! { <Portal lang/> }).forget();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_addresses() {
        assert_eq!(my_path(Lang::Ru, ""), "/ru/my");
        assert_eq!(my_path(Lang::En, "apply"), "/en/my/apply");
        assert_eq!(
            login_path(Lang::Kk, "/kk/my/apply?vacancy=3"),
            "/kk/login?next=/kk/my/apply%3Fvacancy%3D3"
        );
    }
}
