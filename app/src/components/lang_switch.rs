//! Links to the same page in the other languages. The page's language is remembered for
//! the next visit to `/` by the boot script.

use crate::{
    i18n::{lang_name, tr, PageKey},
    path_in_lang, use_lang,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::Lang;

/// The name abbreviated, as Kazakh government sites do, for narrow screens.
fn lang_short(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "Қаз",
        Lang::Ru => "Рус",
        Lang::En => "Eng",
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let pathname = use_location().pathname;
    let links = Lang::ALL
        .into_iter()
        .map(|l| {
            view! {
                <li>
                    <a
                        href=move || pathname.with(|p| path_in_lang(p, l))
                        hreflang=l.code()
                        lang=l.code()
                        aria-current=move || (lang.get() == l).then_some("true")
                    >
                        <span class="lang-short">{lang_short(l)}</span>
                        <span class="lang-long">{lang_name(l)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="lang-switch" aria-label=tr(PageKey::LangSwitchLabel)>
            <ul>{links}</ul>
        </nav>
    }
}
