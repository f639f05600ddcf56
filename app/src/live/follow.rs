//! The two islands that make a session live. Everything they do, the pages
//! also do without them: a phone can reload ("check for the next question"),
//! and the presenter's buttons are plain forms.
//!
//! - [`LiveFollower`] (a phone): listens to `/j/{code}/events` and reloads
//!   the page when the presenter moves on, unless something typed is not
//!   sent yet (then it offers the next question instead of losing it). It
//!   sends an answer with `fetch`, waits at most 10 seconds for each try,
//!   and tries again (the same post, stored once) while the connection is
//!   down, saying so; after the last try it says to tap send again.
//! - [`LivePresenter`] (the projector): listens to `/staff/live/{id}/events`
//!   and draws the stage and review list from the data each event carries,
//!   with the same views as the page (never markup from the wire); the arrow
//!   keys and Page Up/Down press "previous" and "next" (a clicker sends them).

use super::pages::{ReviewList, Stage};
use super::StageData;
use leptos::prelude::*;

#[island]
pub fn LiveFollower(code: String, version: i64, children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        browser::follow(&code, version, root);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&code, version, root);
    });
    let on_input = move |_: leptos::ev::Event| {
        if let Some(el) = root.get_untracked() {
            let _ = el.set_attribute("data-dirty", "");
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        browser::send(ev, root);
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! { <div node_ref=root on:input=on_input on:submit=on_submit>{children()}</div> }
}

/// The projector's live part: the stage and the review list, drawn by the
/// same views as the server's page from the data each event carries (never
/// markup from the wire), around the controls given as children.
#[island]
pub fn LivePresenter(id: i64, version: i64, stage: StageData, children: Children) -> impl IntoView {
    let (current, set_current) = signal(stage);
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        browser::present(id, version, set_current);
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, version, set_current);
    });
    view! {
        <div id="stage" class="stage" aria-live="polite">{move || view! { <Stage data=current.get()/> }}</div>
        {children()}
        <details class="review">
            <summary>"Free text to show or hide (only on your screen if it isn't mirrored)"</summary>
            <div id="review">{move || view! { <ReviewList data=current.get()/> }}</div>
        </details>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::StageData;
    use leptos::prelude::{GetUntracked, NodeRef, Set, WriteSignal};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        AbortController, Element, EventSource, HtmlButtonElement, HtmlFormElement, KeyboardEvent,
        MessageEvent, RequestInit, Response, UrlSearchParams,
    };

    /// Tries to send one answer before asking the young person to tap again.
    const TRIES: u32 = 5;
    /// The longest one try waits for the server.
    const TRY_FOR_MS: i32 = 10_000;

    fn window() -> Option<web_sys::Window> {
        web_sys::window()
    }

    fn reload() {
        if let Some(w) = window() {
            let _ = w.location().reload();
        }
    }

    /// The page afresh, without a notice about an earlier answer
    /// (`?saved=1` belongs to the question it was about).
    fn show_now(page: &str) {
        if let Some(w) = window() {
            let _ = w.location().replace(page);
        }
    }

    /// Calls `on` with each event's data, for as long as the page is open.
    /// The browser reconnects by itself after a drop (sending the last id).
    fn listen(source: &EventSource, event: &str, on: impl FnMut(String) + 'static) {
        let mut on = on;
        let cb = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(data) = e.data().as_string() {
                on(data);
            }
        });
        let _ = source.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        cb.forget();
    }

    pub fn follow(code: &str, version: i64, root: NodeRef<leptos::html::Div>) {
        let page = format!("/j/{code}");
        let Ok(source) = EventSource::new(&format!("{page}/events")) else {
            return;
        };
        listen(&source, "state", move |data| {
            let Ok(now) = data.parse::<i64>() else { return };
            if now == version {
                return;
            }
            // Typed and not sent, or being sent now (a reload would drop it).
            let dirty = root.get_untracked().is_some_and(|el| {
                el.has_attribute("data-dirty") || el.has_attribute("data-sending")
            });
            if dirty {
                // Never throw away what someone is typing: offer instead.
                if let Some(el) = root.get_untracked() {
                    if let Ok(Some(next)) = el.query_selector(".live-next") {
                        let _ = next.remove_attribute("hidden");
                    }
                }
            } else {
                show_now(&page);
            }
        });
        std::mem::forget(source);
    }

    fn say(form: &HtmlFormElement, text: &str) {
        if let Ok(Some(el)) = form.query_selector(".live-sending") {
            el.set_text_content(Some(text));
        }
    }

    async fn pause(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    /// One try: the response, or `None` when the network failed or the
    /// server took longer than [`TRY_FOR_MS`].
    async fn try_once(action: &str, body: &str) -> Option<Response> {
        let w = window()?;
        let controller = AbortController::new().ok()?;
        let abort = Closure::once_into_js({
            let c = controller.clone();
            move || c.abort()
        });
        let timer = w
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TRY_FOR_MS,
            )
            .ok();
        let init = RequestInit::new();
        init.set_method("POST");
        let params = UrlSearchParams::new_with_str(body).ok()?;
        init.set_body(&params);
        init.set_signal(Some(&controller.signal()));
        let sent = JsFuture::from(w.fetch_with_str_and_init(action, &init)).await;
        if let Some(t) = timer {
            w.clear_timeout_with_handle(t);
        }
        sent.ok()?.dyn_into::<Response>().ok()
    }

    pub fn send(ev: leptos::ev::SubmitEvent, root: NodeRef<leptos::html::Div>) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let Ok(params) = UrlSearchParams::new_with_str_sequence_sequence(&data) else {
            return;
        };
        ev.prevent_default();
        let body: String = params.to_string().into();
        let action = form.action();
        if let Some(el) = root.get_untracked() {
            let _ = el.remove_attribute("data-dirty");
            let _ = el.set_attribute("data-sending", "");
        }
        say(&form, "Sending…");
        leptos::task::spawn_local(async move {
            for attempt in 0..TRIES {
                if attempt > 0 {
                    say(&form, "Not sent yet: no connection. Trying again…");
                    pause(1_000 * 2_i32.pow(attempt - 1)).await;
                }
                let Some(res) = try_once(&action, &body).await else {
                    continue;
                };
                if res.ok() {
                    // Stored (or the session moved on): show where it stands.
                    if let Some(w) = window() {
                        let _ = w.location().assign(&res.url());
                    }
                } else {
                    // A problem the server explains on its own page (an answer
                    // to fix, too many codes, busy): the plain form shows it.
                    let _ = form.submit();
                }
                return;
            }
            say(
                &form,
                "Couldn't send your answer: check your connection, then tap the button again.",
            );
            if let Some(el) = root.get_untracked() {
                let _ = el.remove_attribute("data-sending");
                let _ = el.set_attribute("data-dirty", "");
            }
        });
    }

    fn press(key: &str) {
        let button = window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("button[data-key=\"{key}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok());
        if let Some(b) = button.filter(|b| !b.disabled()) {
            b.click();
        }
    }

    pub fn present(id: i64, version: i64, stage: WriteSignal<StageData>) {
        if let Ok(source) = EventSource::new(&format!("/staff/live/{id}/events")) {
            listen(&source, "stage", move |json| {
                if let Ok(now) = serde_json::from_str::<StageData>(&json) {
                    stage.set(now);
                }
            });
            listen(&source, "state", move |data| {
                if data.parse::<i64>().is_ok_and(|now| now != version) {
                    reload();
                }
            });
            std::mem::forget(source);
        }
        let keys = Closure::<dyn FnMut(KeyboardEvent)>::new(|e: KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if typing || e.alt_key() || e.ctrl_key() || e.meta_key() {
                return;
            }
            match e.key().as_str() {
                "ArrowRight" | "PageDown" => {
                    e.prevent_default();
                    press("next");
                }
                "ArrowLeft" | "PageUp" => {
                    e.prevent_default();
                    press("previous");
                }
                _ => {}
            }
        });
        if let Some(w) = window() {
            let _ = w.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
        }
        keys.forget();
    }
}
