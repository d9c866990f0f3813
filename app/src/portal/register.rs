//! Registration for resettlers (IIN, phone, password) and employers (BIN, organisation,
//! contact, password). The form is checked in the browser with the shared crate's rules,
//! the same the server enforces, so every problem shows at once before anything is sent.
//!
//! The server answers every well-formed registration alike, whether or not the number
//! already had an account, so the page says so in the same careful words.

use crate::{
    browser,
    client::{self, FieldProblem, Method},
    forms::{busy_label, ErrorSummary, FormErrors, TextField},
    i18n::{t, tf, tr, PortalKey, ResettlerKey},
    portal::{my_path, use_session},
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::hooks::use_query_map;
use shared::{
    account::{
        check_password, clean_text, id_message, normalize_phone, parse_bin, parse_iin, IdKind,
        RegisterEmployer, RegisterResettler, RegistrationAccepted, TextFieldError,
        PASSWORD_MIN_CHARS,
    },
    Lang,
};

/// Which account is being registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Resettler,
    Employer,
}

impl Kind {
    /// From the address's `?as=`: `employer` preselects the employer form (links from
    /// the vacancy pages), anything else the resettler one.
    pub fn from_query(value: Option<&str>) -> Kind {
        if value == Some("employer") {
            Kind::Employer
        } else {
            Kind::Resettler
        }
    }
}

/// What is typed into the form. Both kinds' fields are kept, so switching back and forth
/// loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterInput {
    pub iin: String,
    pub phone: String,
    pub bin: String,
    pub organisation: String,
    pub contact: String,
    pub password: String,
}

fn problem(field: &str, message: String) -> FieldProblem {
    FieldProblem {
        field: Some(field.to_string()),
        message,
    }
}

fn password_problem(password: &str, lang: Lang) -> Option<FieldProblem> {
    check_password(password)
        .err()
        .map(|e| problem("password", e.message(lang)))
}

impl RegisterInput {
    /// The resettler's request, or every problem in form order.
    pub fn resettler(&self, lang: Lang) -> Result<RegisterResettler, Vec<FieldProblem>> {
        let iin = parse_iin(&self.iin);
        let phone = normalize_phone(&self.phone);
        let mut problems = Vec::new();
        if let Err(e) = &iin {
            problems.push(problem("iin", id_message(IdKind::Iin, *e, lang)));
        }
        if let Err(e) = &phone {
            problems.push(problem("phone", e.message(lang)));
        }
        problems.extend(password_problem(&self.password, lang));
        match (iin, phone) {
            (Ok(iin), Ok(phone)) if problems.is_empty() => Ok(RegisterResettler {
                iin,
                phone,
                password: self.password.clone(),
            }),
            _ => Err(problems),
        }
    }

    /// The employer's request, or every problem in form order.
    pub fn employer(&self, lang: Lang) -> Result<RegisterEmployer, Vec<FieldProblem>> {
        let bin = parse_bin(&self.bin);
        let organisation = clean_text(&self.organisation);
        let contact = clean_text(&self.contact);
        let mut problems = Vec::new();
        if let Err(e) = &bin {
            problems.push(problem("bin", id_message(IdKind::Bin, *e, lang)));
        }
        if organisation.is_none() {
            let message = TextFieldError::Organisation.message(lang);
            problems.push(problem("organisation", message));
        }
        if contact.is_none() {
            problems.push(problem("contact", TextFieldError::Contact.message(lang)));
        }
        problems.extend(password_problem(&self.password, lang));
        match (bin, organisation, contact) {
            (Ok(bin), Some(organisation), Some(contact)) if problems.is_empty() => {
                Ok(RegisterEmployer {
                    bin,
                    organisation,
                    contact,
                    password: self.password.clone(),
                })
            }
            _ => Err(problems),
        }
    }
}

/// One request, ready to send.
enum Request {
    Resettler(RegisterResettler),
    Employer(RegisterEmployer),
}

impl Request {
    async fn send(self, lang: Lang) -> Result<RegistrationAccepted, client::Failure> {
        match self {
            Request::Resettler(body) => {
                client::send(Method::Post, "/auth/register/resettler", &body, lang).await
            }
            Request::Employer(body) => {
                client::send(Method::Post, "/auth/register/employer", &body, lang).await
            }
        }
    }
}

/// `/{lang}/my/register`: for people without an account.
#[component]
pub fn Register() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    view! {
        <h1>{tr(ResettlerKey::RegisterTitle)}</h1>
        {move || {
            let l = lang.get();
            if !session.loaded.get() {
                view! {
                    <p class="status" role="status">
                        {t(l, PortalKey::LoadingAccount)}
                    </p>
                }
                    .into_any()
            } else if session.session.with(Option::is_some) {
                view! {
                    <div class="notice">
                        <p>{t(l, ResettlerKey::RegisterSignedIn)}</p>
                        <p>
                            <a href=my_path(l, "")>{t(l, PortalKey::NavHome)}</a>
                        </p>
                    </div>
                }
                    .into_any()
            } else {
                view! { <RegisterForm/> }.into_any()
            }
        }}
    }
}

/// The two forms behind one choice of kind, then the answer.
#[component]
fn RegisterForm() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = RwSignal::new(Kind::from_query(
        query.with_untracked(|q| q.get("as")).as_deref(),
    ));
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<Kind>);
    let fields = [(); 6].map(|_| RwSignal::new(String::new()));
    let [iin, phone, bin, organisation, contact, password] = fields;
    let input = move || RegisterInput {
        iin: iin.get_untracked(),
        phone: phone.get_untracked(),
        bin: bin.get_untracked(),
        organisation: organisation.get_untracked(),
        contact: contact.get_untracked(),
        password: password.get_untracked(),
    };

    let choose = move |k: Kind| {
        // The other form's problems are about fields no longer shown.
        errors.clear();
        kind.set(k);
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.current.get_untracked();
        let k = kind.get_untracked();
        let request = match k {
            Kind::Resettler => input().resettler(l).map(Request::Resettler),
            Kind::Employer => input().employer(l).map(Request::Employer),
        };
        let request = match request {
            Ok(r) => r,
            Err(problems) => return errors.set(problems),
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = request.send(l).await;
            busy.set(false);
            match answer {
                Ok(_) => {
                    password.set(String::new());
                    done.set(Some(k));
                    request_animation_frame(|| browser::focus("registration-done", false));
                }
                Err(failure) => errors.show(&failure, l),
            }
        });
    };

    let l = lang.current.get_untracked();
    // Only the fields change with the kind: the radios keep the focus.
    let kind_fields = move || match kind.get() {
        Kind::Resettler => view! {
            <TextField
                errors
                field="iin"
                label=t(l, ResettlerKey::LabelIin).to_string()
                hint=t(l, ResettlerKey::HintIin).to_string()
                value=iin
                inputmode="numeric"
                autocomplete="username"
            />
            <TextField
                errors
                field="phone"
                label=t(l, ResettlerKey::LabelPhone).to_string()
                hint=t(l, ResettlerKey::HintPhone).to_string()
                value=phone
                kind="tel"
                autocomplete="tel"
            />
        }
        .into_any(),
        Kind::Employer => view! {
            <TextField
                errors
                field="bin"
                label=t(l, ResettlerKey::LabelBin).to_string()
                hint=t(l, ResettlerKey::HintBin).to_string()
                value=bin
                inputmode="numeric"
                autocomplete="username"
            />
            <TextField
                errors
                field="organisation"
                label=t(l, ResettlerKey::LabelOrganisation).to_string()
                value=organisation
                autocomplete="organization"
            />
            <TextField
                errors
                field="contact"
                label=t(l, ResettlerKey::LabelContact).to_string()
                hint=t(l, ResettlerKey::HintContact).to_string()
                value=contact
            />
        }
        .into_any(),
    };
    let form = view! {
        <form novalidate on:submit=submit aria-busy=move || busy.get().then_some("true")>
            <ErrorSummary errors/>
            <fieldset class="field choice">
                <legend>{t(l, ResettlerKey::RegisterAs)}</legend>
                <div class="radio">
                    <input
                        type="radio"
                        id="role_resettler"
                        name="role"
                        value="resettler"
                        prop:checked=move || kind.get() == Kind::Resettler
                        on:change=move |_| choose(Kind::Resettler)
                    />
                    <label for="role_resettler">{t(l, ResettlerKey::RegisterAsResettler)}</label>
                </div>
                <div class="radio">
                    <input
                        type="radio"
                        id="role_employer"
                        name="role"
                        value="employer"
                        prop:checked=move || kind.get() == Kind::Employer
                        on:change=move |_| choose(Kind::Employer)
                    />
                    <label for="role_employer">{t(l, ResettlerKey::RegisterAsEmployer)}</label>
                </div>
            </fieldset>
            {kind_fields}
            <TextField
                errors
                field="password"
                label=t(l, ResettlerKey::LabelPassword).to_string()
                hint=tf(l, ResettlerKey::HintPassword, &[&PASSWORD_MIN_CHARS.to_string()])
                value=password
                kind="password"
                autocomplete="new-password"
            />
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || busy_label(l, busy.get(), t(l, ResettlerKey::RegisterButton))}
            </button>
            <p>
                {t(l, ResettlerKey::HaveAccount)} " "
                <a rel="external" href=format!("/{}/login", l.code())>
                    {t(l, PortalKey::SignIn)}
                </a>
            </p>
        </form>
    };

    // The form stays in the page (hidden) so nothing typed is lost if it comes back.
    view! {
        <div hidden=move || done.get().is_some()>{form}</div>
        {move || done.get().map(|kind| view! { <Done kind/> })}
    }
}
/// The answer to a registration: the same whether or not the number had an account.
#[component]
fn Done(kind: Kind) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let text = match kind {
        Kind::Resettler => ResettlerKey::RegisteredResettler,
        Kind::Employer => ResettlerKey::RegisteredEmployer,
    };
    view! {
        <div class="notice" role="status" id="registration-done" tabindex="-1">
            <h2>{t(l, ResettlerKey::RegisteredTitle)}</h2>
            <p>{t(l, text)}</p>
            <p>
                <a class="button" rel="external" href=format!("/{}/login", l.code())>
                    {t(l, PortalKey::SignIn)}
                </a>
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UiLang;

    /// A valid IIN and BIN (made up, with correct check digits).
    const IIN: &str = "900514300121";
    const BIN: &str = "971240001315";

    fn fields(problems: &[FieldProblem]) -> Vec<&str> {
        problems.iter().filter_map(|p| p.field.as_deref()).collect()
    }

    #[test]
    fn the_address_can_preselect_the_employer_form() {
        assert_eq!(Kind::from_query(Some("employer")), Kind::Employer);
        assert_eq!(Kind::from_query(Some("resettler")), Kind::Resettler);
        assert_eq!(Kind::from_query(None), Kind::Resettler);
    }

    #[test]
    fn a_resettler_request_is_cleaned_up() {
        let input = RegisterInput {
            iin: format!(" {IIN} "),
            phone: "8 (701) 123-45-67".into(),
            password: "long enough pass".into(),
            ..RegisterInput::default()
        };
        let request = input.resettler(Lang::En).unwrap();
        assert_eq!(request.iin, IIN);
        assert_eq!(request.phone, "+77011234567");
        assert_eq!(request.password, "long enough pass");
    }

    #[test]
    fn every_resettler_problem_shows_at_once() {
        let input = RegisterInput {
            iin: "12345".into(),
            phone: "call me".into(),
            password: "short".into(),
            ..RegisterInput::default()
        };
        let problems = input.resettler(Lang::Ru).unwrap_err();
        assert_eq!(fields(&problems), ["iin", "phone", "password"]);
        assert_eq!(problems[0].message, "ИИН должен состоять ровно из 12 цифр.");
        assert!(problems[2].message.contains("10"));
    }

    #[test]
    fn an_employer_request_needs_every_field() {
        let mut input = RegisterInput {
            bin: BIN.into(),
            organisation: "  ТОО «Астық»  ".into(),
            contact: "Айгерим, +7 701 000 00 00".into(),
            password: "0123456789".into(),
            ..RegisterInput::default()
        };
        let request = input.employer(Lang::Kk).unwrap();
        assert_eq!(request.organisation, "ТОО «Астық»");
        assert_eq!(request.bin, BIN);

        input.bin = "971240001316".into();
        input.organisation = "x".into();
        input.contact.clear();
        input.password.clear();
        let problems = input.employer(Lang::En).unwrap_err();
        assert_eq!(
            fields(&problems),
            ["bin", "organisation", "contact", "password"]
        );
        assert!(problems[0].message.contains("check digit"));
    }

    fn render(view: impl FnOnce() -> AnyView) -> String {
        Owner::new().with(|| {
            provide_context(UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view().to_html()
        })
    }

    #[test]
    fn the_answer_does_not_say_whether_the_account_existed() {
        let html = render(|| view! { <Done kind=Kind::Employer/> }.into_any());
        assert!(html.contains(r#"id="registration-done""#), "{html}");
        assert!(html.contains(r#"role="status""#));
        assert!(html.contains(r#"href="/en/login""#));
        assert!(html.contains(r#"rel="external""#));
    }
}
