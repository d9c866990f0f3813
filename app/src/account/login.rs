//! Sign-in with an IIN, a BIN or a staff login and the password; then on to the account
//! pages, by a full page load (they are another bundle).

use super::query_value;
use crate::{
    client::{self, Failure, Method},
    forms::{busy_label, ErrorSummary, FormErrors, TextField},
    i18n::{t, AccountKey},
    portal::my_path,
    use_lang,
};
use leptos::{prelude::*, task::spawn_local};
use serde::Deserialize;
use shared::{account::LoginRequest, Lang};

/// The id of the element the sign-in form is mounted into.
pub const ROOT_ID: &str = "sign-in";

/// Where to go once signed in: the address's `next` if it is one of this language's
/// account pages, else the account home. Anything else (another site, `//host`, a
/// `javascript:` URL) is ignored, so a crafted link cannot send the person elsewhere.
pub fn after_sign_in(lang: Lang, search: &str) -> String {
    let home = my_path(lang, "");
    match query_value(search, "next") {
        Some(next) if is_account_page(&home, &next) => next,
        _ => home,
    }
}

/// `next` is `home` or a path under it. Starting with `home` (`/kk/my`) it is a path on
/// this site; backslashes and control characters are refused, as browsers read some of
/// them as `/`.
fn is_account_page(home: &str, next: &str) -> bool {
    let Some(rest) = next.strip_prefix(home) else {
        return false;
    };
    (rest.is_empty() || rest.starts_with(['/', '?', '#']))
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

/// The part of a `shared::account::Session` this page needs; reading only it keeps the
/// rest of the account types out of the public bundle.
#[derive(Deserialize)]
struct Token {
    csrf_token: String,
}

/// Sends the sign-in. A browser still holding a session this tab has no CSRF token for
/// (signed in in a tab since closed) is refused with 403 `csrf_token_invalid`: the token
/// is then fetched and the sign-in sent once more.
async fn sign_in(request: &LoginRequest, lang: Lang) -> Result<Token, Failure> {
    match client::send(Method::Post, "/auth/login", request, lang).await {
        Err(f) if f.code == "csrf_token_invalid" => {
            let current: Token = client::get("/auth/me", lang).await?;
            client::set_csrf_token(Some(&current.csrf_token));
            client::send(Method::Post, "/auth/login", request, lang).await
        }
        answer => answer,
    }
}

/// The sign-in form. `login` and `password` start with what was typed into the
/// pre-rendered form; `next` is where to go once signed in (see [`after_sign_in`]).
#[component]
pub fn SignIn(
    #[prop(optional)] login: String,
    #[prop(optional)] password: String,
    #[prop(optional)] next: String,
) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let errors = FormErrors::new();
    let login = RwSignal::new(login);
    let password = RwSignal::new(password);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            login: login.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        errors.clear();
        if request.login.is_empty() {
            errors.push("login", t(lang, AccountKey::ErrLoginMissing));
        }
        if request.password.is_empty() {
            errors.push("password", t(lang, AccountKey::ErrPasswordMissing));
        }
        if !errors.is_empty() {
            return;
        }
        busy.set(true);
        let next = next.clone();
        spawn_local(async move {
            match sign_in(&request, lang).await {
                // Stays busy while the account pages load.
                Ok(token) => {
                    client::set_csrf_token(Some(&token.csrf_token));
                    crate::portal::browser::go(&next);
                }
                // A wrong login or password (401) and too many attempts (429) come with
                // one message for the whole form, shown in the summary.
                Err(failure) => {
                    errors.show(&failure, lang);
                    busy.set(false);
                }
            }
        });
    };

    view! {
        // `post`: should it be sent before the app is ready, the password stays out of the
        // address.
        <form method="post" novalidate on:submit=submit aria-busy=move || busy.get().then_some("true")>
            <ErrorSummary errors/>
            <TextField
                errors
                field="login"
                label=t(lang, AccountKey::LoginLabel).to_string()
                hint=t(lang, AccountKey::LoginHint).to_string()
                value=login
                autocomplete="username"
            />
            <TextField
                errors
                field="password"
                label=t(lang, AccountKey::PasswordLabel).to_string()
                value=password
                kind="password"
                autocomplete="current-password"
            />
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || busy_label(lang, busy.get(), t(lang, AccountKey::SignInButton))}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_languages_account_pages_are_followed() {
        let to = |search: &str| after_sign_in(Lang::Kk, search);
        assert_eq!(to(""), "/kk/my");
        assert_eq!(to("?next=/kk/my"), "/kk/my");
        assert_eq!(
            to("?next=/kk/my/apply%3Fvacancy%3D3"),
            "/kk/my/apply?vacancy=3"
        );
        assert_eq!(to("?next=%2Fkk%2Fmy%2Fquota"), "/kk/my/quota");
        assert_eq!(to("?next=/kk/my?x=1"), "/kk/my?x=1");
        for bad in [
            "https://evil.example/kk/my",
            "//evil.example/kk/my",
            "/\\evil.example",
            "javascript:alert(1)",
            "/kk/mystery",
            "/kk/check",
            "/ru/my/apply",
            "/kk/my/\nhttps://evil.example",
            "/kk/my/\\evil",
            "kk/my",
            "",
        ] {
            let search = format!("?next={}", crate::portal::encode_component(bad));
            assert_eq!(to(&search), "/kk/my", "{bad}");
        }
    }
}
