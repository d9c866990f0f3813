//! The admin's upload of a state data feed file (SPEC §8), with progress and the per-row
//! report.
//!
//! The file goes up with `XMLHttpRequest`, the one browser API that reports upload
//! progress. The server imports rows as the body arrives, so the upload's progress is the
//! import's; once everything is sent, the last rows are being written until the report
//! comes back.

use crate::{
    client::Failure,
    forms::{ErrorSummary, FieldError, FormErrors},
    i18n::{t, tf, KeysKey as K},
    portal::{wallet::FailureNotice, Signed},
    use_lang,
};
use leptos::{ev::SubmitEvent, html, prelude::*};
use shared::{
    account::Role,
    contract::api::{FeedReport, RejectedRow},
    Lang,
};

/// The server's limit on a feed file (64 MiB): larger files are refused before sending.
const MAX_BYTES: f64 = 64.0 * 1024.0 * 1024.0;
/// Rejected rows listed in the report; the rest are counted.
const ROWS_SHOWN: usize = 100;
const FILE_FIELD: &str = "feed-file";

/// The content type to send a file as: by its extension first (Windows calls CSV files
/// `application/vnd.ms-excel`), else by the type the browser gives it.
pub fn content_type(name: &str, mime: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    let mime = mime.to_ascii_lowercase();
    if name.ends_with(".csv") || mime == "text/csv" {
        Some("text/csv")
    } else if name.ends_with(".json") || mime == "application/json" {
        Some("application/json")
    } else {
        None
    }
}

/// Where an upload is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Idle,
    /// Whole percent of the file sent (and so imported).
    Sending(u32),
    /// All sent; the server is finishing and writing the report.
    Importing,
}

/// Whole percent of `loaded` out of `total`, never past 100.
fn percent(loaded: f64, total: f64) -> u32 {
    if total <= 0.0 {
        0
    } else {
        ((loaded / total) * 100.0).floor().clamp(0.0, 100.0) as u32
    }
}

/// `/{lang}/my/feed`, for the administrator.
#[component]
pub fn FeedUpload() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Admin]>
            <FeedForm/>
        </Signed>
    }
}

#[component]
fn FeedForm() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let input = NodeRef::<html::Input>::new();
    let errors = FormErrors::new();
    let phase = RwSignal::new(Phase::Idle);
    let outcome = RwSignal::new(None::<Result<FeedReport, Failure>>);
    let busy = move || phase.get() != Phase::Idle;

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if phase.get_untracked() != Phase::Idle {
            return;
        }
        errors.clear();
        let chosen = input.get_untracked().and_then(|i| chosen_file(&i));
        let Some((file, name, mime, size)) = chosen else {
            return errors.push(FILE_FIELD, t(l, K::ErrNoFile));
        };
        let Some(kind) = content_type(&name, &mime) else {
            return errors.push(FILE_FIELD, t(l, K::ErrFileType));
        };
        if size > MAX_BYTES {
            return errors.push(FILE_FIELD, t(l, K::ErrFileLarge));
        }
        outcome.set(None);
        phase.set(Phase::Sending(0));
        leptos::task::spawn_local(async move {
            let answer = upload(file, kind, l, move |loaded, total| {
                let done = percent(loaded, total);
                phase.set(if done >= 100 {
                    Phase::Importing
                } else {
                    Phase::Sending(done)
                });
            })
            .await;
            phase.set(Phase::Idle);
            outcome.set(Some(answer.and_then(|body| {
                serde_json::from_str::<FeedReport>(&body).map_err(|_| bad_response(200))
            })));
        });
    };

    // The bar appears once while sending; only its value and percentage follow the upload.
    let sending = Memo::new(move |_| phase.get() != Phase::Idle);
    let done = move || match phase.get() {
        Phase::Sending(done) => done,
        _ => 100,
    };
    let progress = move || {
        sending.get().then(|| {
            view! {
                <label for="feed-progress">{t(l, K::ProgressLabel)}</label>
                <progress id="feed-progress" max="100" value=done></progress>
                <span id="feed-progress-text" aria-live="polite">
                    {move || match phase.get() {
                        Phase::Sending(done) => format!("{done} %"),
                        _ => t(l, K::Importing).to_string(),
                    }}
                </span>
            }
        })
    };
    // A one-line summary of the report, announced when it comes.
    let summary = move || {
        outcome.with(|o| match o {
            Some(Ok(report)) => {
                let counts = [
                    report.accepted,
                    report.replaced,
                    report.rejected.len() as u64,
                ]
                .map(|n| n.to_string());
                let counts: Vec<&str> = counts.iter().map(String::as_str).collect();
                tf(l, K::ImportDone, &counts)
            }
            _ => String::new(),
        })
    };

    view! {
        <h1>{t(l, K::FeedTitle)}</h1>
        <p>{t(l, K::FeedIntro)}</p>
        <ul class="list">
            <li>
                {t(l, K::FeedCsv)} " "
                <code>"iin, bin, month, resident, employed, social_paid, pension_paid"</code>
                ". " {t(l, K::FeedValues)}
            </li>
            <li>{t(l, K::FeedJson)}</li>
        </ul>
        <p>{t(l, K::FeedRules)}</p>
        <form novalidate on:submit=submit aria-busy=move || busy().then_some("true")>
            <ErrorSummary errors/>
            <div class="field">
                <label for=FILE_FIELD>{t(l, K::LabelFeedFile)}</label>
                <FieldError errors field=FILE_FIELD/>
                <input
                    type="file"
                    id=FILE_FIELD
                    name=FILE_FIELD
                    accept=".csv,.json,text/csv,application/json"
                    node_ref=input
                    aria-invalid=move || errors.for_field(FILE_FIELD).map(|_| "true")
                    aria-describedby=move || {
                        errors.for_field(FILE_FIELD).map(|_| format!("{FILE_FIELD}-error"))
                    }
                />
            </div>
            <button type="submit" class="button" id="feed-upload" disabled=busy>
                {t(l, K::UploadButton)}
            </button>
        </form>
        <div class="feed-status">{progress}</div>
        <p id="feed-summary" aria-live="polite">
            {summary}
        </p>
        <div id="feed-outcome">
            {move || {
                outcome
                    .get()
                    .map(|answer| match answer {
                        Ok(report) => view! { <Report report/> }.into_any(),
                        Err(failure) => view! { <FailureNotice failure/> }.into_any(),
                    })
            }}
        </div>
    }
}

/// The import's result: counts, and the rejected rows (the first [`ROWS_SHOWN`]).
#[component]
fn Report(report: FeedReport) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let rejected = report.rejected.len();
    let more = rejected.saturating_sub(ROWS_SHOWN);
    let table = (rejected > 0).then(|| {
        let rows = report
            .rejected
            .into_iter()
            .take(ROWS_SHOWN)
            .map(|RejectedRow { row, code, message }| {
                view! {
                    <tr>
                        <td>{row}</td>
                        <td>
                            <code>{code}</code>
                        </td>
                        <td>{message}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="feed-table" role="region" aria-labelledby="feed-rejected-caption" tabindex="0">
                <table>
                    <caption id="feed-rejected-caption">{t(l, K::RejectedCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(l, K::ColRow)}</th>
                            <th scope="col">{t(l, K::ColCode)}</th>
                            <th scope="col">{t(l, K::ColMessage)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p id="feed-more">{tf(l, K::MoreRows, &[&more.to_string()])}</p> })}
        }
        .into_any()
    });
    view! {
        <section id="feed-report" class="card" aria-labelledby="feed-report-title">
            <h2 id="feed-report-title">{t(l, K::ReportTitle)}</h2>
            <dl class="keys-facts">
                <dt>{t(l, K::Accepted)}</dt>
                <dd id="feed-accepted">{report.accepted}</dd>
                <dt>{t(l, K::Replaced)}</dt>
                <dd id="feed-replaced">{report.replaced}</dd>
                <dt>{t(l, K::Rejected)}</dt>
                <dd id="feed-rejected">{rejected}</dd>
            </dl>
            {table.unwrap_or_else(|| {
                view! { <p>{t(l, K::NoneRejected)}</p> }.into_any()
            })}
        </section>
    }
}

fn bad_response(status: u16) -> Failure {
    Failure {
        status,
        code: "bad_response".into(),
        problems: Vec::new(),
        rules: Vec::new(),
    }
}

#[cfg(target_arch = "wasm32")]
type File = web_sys::File;
/// Natively there are no files; nothing is ever chosen.
#[cfg(not(target_arch = "wasm32"))]
type File = ();

/// The file chosen in `input`: the file, its name, its type and its size in bytes.
#[cfg(target_arch = "wasm32")]
fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<(File, String, String, f64)> {
    let file = input.files()?.get(0)?;
    let (name, mime, size) = (file.name(), file.type_(), file.size());
    Some((file, name, mime, size))
}

#[cfg(not(target_arch = "wasm32"))]
fn chosen_file(_input: &web_sys::HtmlInputElement) -> Option<(File, String, String, f64)> {
    None
}

/// Sends `file` as the body of the upload with the session's cookie and CSRF token,
/// calling `on_progress(sent, total)` as it goes; the answer's body, or why there is none.
#[cfg(target_arch = "wasm32")]
async fn upload(
    file: File,
    content_type: &str,
    lang: Lang,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Result<String, Failure> {
    use crate::client;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{ProgressEvent, XmlHttpRequest};

    let xhr = XmlHttpRequest::new().map_err(|_| Failure::network())?;
    xhr.open_with_async("POST", &client::url("/feed/confirmations", lang), true)
        .map_err(|_| Failure::network())?;
    let _ = xhr.set_request_header("Content-Type", content_type);
    if let Some(token) = client::csrf_token() {
        let _ = xhr.set_request_header(shared::account::CSRF_HEADER, &token);
    }
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            on_progress(e.loaded(), e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // `loadend` comes after success, failure or abort alike.
    let finished = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_blob(Some(&file))
        .map_err(|_| Failure::network())?;
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(progress);

    let status = xhr.status().unwrap_or(0);
    if status == 0 {
        return Err(Failure::network());
    }
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(Failure::from_body(status, &body).unwrap_or_else(|| bad_response(status)))
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn upload(
    _file: File,
    _content_type: &str,
    _lang: Lang,
    _on_progress: impl Fn(f64, f64) + 'static,
) -> Result<String, Failure> {
    Err(Failure::network())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UiLang;

    #[test]
    fn files_are_sent_as_csv_or_json() {
        assert_eq!(content_type("march.CSV", ""), Some("text/csv"));
        assert_eq!(
            content_type("march.csv", "application/vnd.ms-excel"),
            Some("text/csv")
        );
        assert_eq!(content_type("feed", "text/csv"), Some("text/csv"));
        assert_eq!(content_type("march.json", ""), Some("application/json"));
        assert_eq!(
            content_type("feed", "application/json"),
            Some("application/json")
        );
        assert_eq!(content_type("march.xlsx", "application/vnd.ms-excel"), None);
    }

    #[test]
    fn progress_is_whole_percent_up_to_100() {
        assert_eq!(percent(0.0, 0.0), 0);
        assert_eq!(percent(1.0, 3.0), 33);
        assert_eq!(percent(3.0, 3.0), 100);
        assert_eq!(percent(4.0, 3.0), 100);
    }

    fn render(report: FeedReport) -> String {
        Owner::new().with(|| {
            provide_context(UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view! { <Report report/> }.to_html()
        })
    }

    #[test]
    fn the_report_counts_rows_and_caps_the_rejected_list() {
        let rejected = (1..=130)
            .map(|row| RejectedRow {
                row,
                code: "unknown_contract".into(),
                message: format!("Row {row} names no contract."),
            })
            .collect();
        let html = render(FeedReport {
            accepted: 12,
            replaced: 3,
            rejected,
        });
        assert!(html.contains(r#"id="feed-accepted">12<"#), "{html}");
        assert!(html.contains(r#"id="feed-replaced">3<"#), "{html}");
        assert!(html.contains("Row 100 names no contract."), "{html}");
        assert!(!html.contains("Row 101 names no contract."), "{html}");
        assert!(html.contains(&tf(Lang::En, K::MoreRows, &["30"])), "{html}");

        let clean = render(FeedReport {
            accepted: 1,
            replaced: 0,
            rejected: vec![],
        });
        assert!(clean.contains(t(Lang::En, K::NoneRejected)), "{clean}");
        assert!(!clean.contains("<table"), "{clean}");
    }
}
