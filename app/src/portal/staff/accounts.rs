//! Staff accounts, for admins: every akimat officer and admin, and a form to create one.
//! The login and password are checked with the rules the server applies.

use super::{day_text, region_name, Load, LoadFailure, RegionSelect};
use crate::{
    client::{self, FieldProblem, Method},
    forms::{busy_label, described_by, ErrorSummary, FieldError, FormErrors, TextField},
    i18n::{t, tf, StaffKey},
    portal::{role_name, Signed},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    account::{
        check_password, normalize_staff_login, CreateStaff, Role, StaffAccount, StaffList,
        StaffRole, PASSWORD_MIN_CHARS,
    },
    Lang, Region,
};

/// The form's values as a request, or every problem with them, each about its field.
fn create_request(
    role: StaffRole,
    login: &str,
    region: Option<Region>,
    password: &str,
    lang: Lang,
) -> Result<CreateStaff, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| {
        problems.push(FieldProblem {
            field: Some(field.to_string()),
            message,
        })
    };
    let login = normalize_staff_login(login)
        .map_err(|e| problem("login", e.message(lang)))
        .ok();
    // An officer belongs to one region; an admin to none.
    let region = match role {
        StaffRole::Akimat => {
            if region.is_none() {
                problem("region", t(lang, StaffKey::RegionRequired).to_string());
            }
            region
        }
        StaffRole::Admin => None,
    };
    if let Err(e) = check_password(password) {
        problem("password", e.message(lang));
    }
    match login {
        Some(login) if problems.is_empty() => Ok(CreateStaff {
            role,
            login,
            region,
            password: password.to_string(),
        }),
        _ => Err(problems),
    }
}

/// `/{lang}/my/staff`, admins only.
#[component]
pub fn StaffAccounts() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Admin]>
            <StaffPage/>
        </Signed>
    }
}

#[component]
fn StaffPage() -> impl IntoView {
    let lang = use_lang();
    let accounts = RwSignal::new(Load::<Vec<StaffAccount>>::Loading);
    Effect::new(move |_| {
        let l = lang.current.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = client::get::<StaffList>("/staff", l).await;
            accounts.set(answer.map(|list| list.staff).into());
        });
    });

    let role = RwSignal::new(StaffRole::Akimat);
    let login = RwSignal::new(String::new());
    let region = RwSignal::new(None::<Region>);
    let password = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let announcement = RwSignal::new(String::new());

    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.current.get_untracked();
        announcement.set(String::new());
        let request = match create_request(
            role.get_untracked(),
            &login.get_untracked(),
            region.get_untracked(),
            &password.get_untracked(),
            l,
        ) {
            Ok(request) => request,
            Err(problems) => {
                errors.set(problems);
                return;
            }
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = client::send::<_, StaffAccount>(Method::Post, "/staff", &request, l).await;
            busy.set(false);
            match answer {
                Ok(created) => {
                    announcement.set(tf(l, StaffKey::StaffCreated, &[&created.login]));
                    accounts.update(|a| match a {
                        Load::Ready(list) => list.push(created),
                        _ => *a = Load::Ready(vec![created]),
                    });
                    login.set(String::new());
                    password.set(String::new());
                }
                Err(failure) => errors.show(&failure, l),
            }
        });
    };

    let list = move || {
        let l = lang.get();
        match accounts.get() {
            Load::Loading => {
                view! { <p class="status">{t(l, crate::i18n::AccountKey::Loading)}</p> }.into_any()
            }
            Load::Failed(failure) => view! { <LoadFailure failure/> }.into_any(),
            Load::Ready(list) if list.is_empty() => {
                view! { <p>{t(l, StaffKey::StaffEmpty)}</p> }.into_any()
            }
            Load::Ready(list) => view! {
                <ul class="list" id="staff-list">
                    {list
                        .into_iter()
                        .map(|a| {
                            let mut about = vec![role_name(a.role, l).to_string()];
                            about.extend(a.region.map(|r| region_name(r, l)));
                            about.push(tf(l, StaffKey::CreatedOn, &[&day_text(&a.created_at, l)]));
                            let login = a.login.clone();
                            view! {
                                <li data-login=a.login>
                                    <strong>{login}</strong>
                                    " — "
                                    {about.join(", ")}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        }
    };

    let role_choice = move |value: StaffRole, id: &'static str, text: Role| {
        view! {
            <div class="radio">
                <input
                    type="radio"
                    id=id
                    name="role"
                    value=Role::from(value).id()
                    prop:checked=move || role.get() == value
                    on:change=move |_| role.set(value)
                />
                <label for=id>{move || role_name(text, lang.get())}</label>
            </div>
        }
    };

    view! {
        <h1>{move || t(lang.get(), StaffKey::StaffTitle)}</h1>
        {list}
        <h2>{move || t(lang.get(), StaffKey::NewStaffTitle)}</h2>
        <form class="staff-form" novalidate on:submit=create aria-busy=move || busy.get().to_string()>
            <ErrorSummary errors/>
            <fieldset class="field choice" id="role" aria-describedby=described_by(errors, "role", false)>
                <legend>{move || t(lang.get(), StaffKey::LegendRole)}</legend>
                <FieldError errors field="role"/>
                {role_choice(StaffRole::Akimat, "role-akimat", Role::Akimat)}
                {role_choice(StaffRole::Admin, "role-admin", Role::Admin)}
            </fieldset>
            {move || {
                let l = lang.get();
                view! {
                    <TextField
                        errors
                        field="login"
                        label=t(l, StaffKey::LabelLogin).to_string()
                        hint=t(l, StaffKey::LoginHint).to_string()
                        value=login
                        autocomplete="off"
                    />
                }
            }}
            {move || {
                (role.get() == StaffRole::Akimat)
                    .then(|| {
                        let l = lang.get();
                        view! {
                            <div class="field">
                                <label for="region">{t(l, StaffKey::LabelRegion)}</label>
                                <p class="hint" id="region-hint">{t(l, StaffKey::RegionHint)}</p>
                                <FieldError errors field="region"/>
                                <RegionSelect
                                    id="region"
                                    selected=region
                                    none=StaffKey::ChooseRegion
                                    errors
                                    hint=true
                                />
                            </div>
                        }
                    })
            }}
            {move || {
                let l = lang.get();
                view! {
                    <TextField
                        errors
                        field="password"
                        label=t(l, StaffKey::LabelPassword).to_string()
                        hint=tf(l, StaffKey::PasswordHint, &[&PASSWORD_MIN_CHARS.to_string()])
                        value=password
                        kind="password"
                        autocomplete="new-password"
                    />
                }
            }}
            <button
                type="submit"
                class="button"
                id="create-staff"
                aria-disabled=move || busy.get().then_some("true")
            >
                {move || busy_label(lang.get(), busy.get(), t(lang.get(), StaffKey::Create))}
            </button>
        </form>
        <p id="staff-status" class="status" role="status">
            {move || announcement.get()}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(problems: &[FieldProblem]) -> Vec<&str> {
        problems.iter().filter_map(|p| p.field.as_deref()).collect()
    }

    #[test]
    fn an_officer_needs_a_login_a_region_and_a_password() {
        let ok = create_request(
            StaffRole::Akimat,
            " Akimat.North ",
            Some(Region::NorthKazakhstan),
            "long enough password",
            Lang::En,
        )
        .unwrap();
        assert_eq!(ok.login, "akimat.north");
        assert_eq!(ok.region, Some(Region::NorthKazakhstan));
        assert_eq!(ok.role, StaffRole::Akimat);

        let bad = create_request(StaffRole::Akimat, "1x", None, "short", Lang::Ru).unwrap_err();
        assert_eq!(fields(&bad), ["login", "region", "password"]);
        assert!(bad.iter().all(|p| !p.message.is_empty()));
    }

    #[test]
    fn an_admin_has_no_region() {
        let ok = create_request(
            StaffRole::Admin,
            "admin2",
            Some(Region::NorthKazakhstan),
            "long enough password",
            Lang::En,
        )
        .unwrap();
        assert_eq!(ok.region, None);
        let json = serde_json::to_value(&ok).unwrap();
        assert_eq!(json["role"], "admin");
        assert_eq!(json["region"], serde_json::Value::Null);
    }

    #[test]
    fn the_form_asks_for_an_officers_region_with_labels() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::Kk),
                from_url: Memo::new(|_| Some(Lang::Kk)),
            });
            view! { <StaffPage/> }.to_html()
        });
        for id in ["role-akimat", "role-admin", "login", "region", "password"] {
            assert!(html.contains(&format!(r#"for="{id}""#)), "{id}: {html}");
        }
        assert!(html.contains(r#"autocomplete="new-password""#), "{html}");
        assert!(html.contains(r#"role="status""#), "{html}");
    }
}
