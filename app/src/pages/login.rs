//! The sign-in page. The form is the sign-in island (`account::login`), pre-rendered here
//! so it is on screen before the app starts; the rest is static.

use crate::{
    account::login::{SignIn, ROOT_ID},
    i18n::{t, AccountKey, PageKey},
    pages::not_found::NotFound,
    portal::my_path,
    use_lang,
};
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    move || match lang.from_url.get() {
        Some(l) => view! {
            <div class="wrap page">
                <h1>{t(l, PageKey::LoginTitle)}</h1>
                <noscript>
                    <p class="notice notice-warning">{t(l, AccountKey::SignInNeedsJs)}</p>
                </noscript>
                <div id=ROOT_ID>
                    <SignIn/>
                </div>
                <p>
                    {t(l, PageKey::AlreadySignedIn)} " "
                    <a href=my_path(l, "")>{t(l, PageKey::GoToAccount)}</a>
                </p>
                <h2>{t(l, AccountKey::NoAccount)}</h2>
                <ul class="list">
                    <li>
                        <a href=my_path(l, "register")>{t(l, AccountKey::RegisterResettler)}</a>
                    </li>
                    <li>
                        <a href=my_path(l, "register?as=employer")>
                            {t(l, AccountKey::RegisterEmployer)}
                        </a>
                    </li>
                    <li>
                        <a href=my_path(l, "payees/register")>{t(l, PageKey::PayeeRegister)}</a>
                    </li>
                </ul>
            </div>
        }
        .into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}
