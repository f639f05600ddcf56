//! The only code young people's phones run: two small islands. The form is
//! plain server-rendered HTML; `AnswerKeeper` adds inline checks (the same
//! rules the server applies) and keeps answers in the browser until they
//! are sent, so a reload or a dropped connection loses nothing.
//!
//! Phones and tablets are shared (youth clubs hand them round), so what is
//! kept is kept briefly and never speaks for the next person:
//! - a kept draft lasts [`KEEP_FOR`] (2 hours) from its last change, then is
//!   thrown away unread;
//! - "Start again" on the page clears it;
//! - the thank-you page ([`ForgetAnswers`]) clears it;
//! - the submission key is restored only with a draft marked "sent, not
//!   confirmed" (see [`Draft::to_restore`]).

use super::rules::IDEMPOTENCY_FIELD;
use crate::surveys::model::SurveyForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a survey's unsent answers wait in the browser.
pub fn storage_key(slug: &str) -> String {
    format!("heard:answers:{slug}")
}

/// How long kept answers last after their last change, in milliseconds
/// (browsers count time in milliseconds): 2 hours, long enough for a session
/// at a club with a break in it, short enough that the next person to pick
/// up the phone that evening finds an empty form.
pub const KEEP_FOR: f64 = 2.0 * 60.0 * 60.0 * 1000.0;

/// A survey's answers as kept in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// When it was last saved, in milliseconds since the Unix epoch.
    pub saved_at: f64,
    /// The young person tapped "send" and no thank-you page has come back
    /// (yet): the send may or may not have been stored.
    pub sent: bool,
    /// The form's fields as the browser would post them, key included.
    pub values: Vec<(String, String)>,
}

impl Draft {
    /// The kept draft in `json`, unless it is unreadable (an older format
    /// included) or older than [`KEEP_FOR`] at `now`. A draft "saved" more
    /// than a few minutes in the future means the clock has been changed:
    /// its age is unknown, so it goes too.
    pub fn read(json: &str, now: f64) -> Option<Draft> {
        let draft: Draft = serde_json::from_str(json).ok()?;
        let age = now - draft.saved_at;
        (age.is_finite() && age < KEEP_FOR && age > -5.0 * 60.0 * 1000.0).then_some(draft)
    }

    /// The values to put back into a freshly loaded form.
    ///
    /// The submission key the server put in the new page stays, unless this
    /// draft was sent and not confirmed. Then the old key comes back with
    /// the answers: sending again is the same send, and the server stores it
    /// once (same key, same answers: "already stored", the thank-you page).
    /// Any other kept key may already have been used, by this person or the
    /// one before them on a shared phone, so it is never brought back. If the
    /// answers are changed before sending, the keeper swaps the fresh key
    /// back in; and should an old key ever arrive with different answers, the
    /// server keeps a digest of each response's answers, says these were not
    /// sent, and hands back a fresh key. Either way, nothing is lost.
    pub fn to_restore(&self) -> Vec<(String, String)> {
        self.values
            .iter()
            .filter(|(name, _)| self.sent || name != IDEMPOTENCY_FIELD)
            .cloned()
            .collect()
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Keeper {
    slug: String,
    survey: SurveyForm,
    /// Put kept answers back (false when the server has shown the page again
    /// with the answers just sent: those are the latest).
    restore: bool,
}

impl Keeper {
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn mounted(&self, root: NodeRef<leptos::html::Div>) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = root.get_untracked() {
            browser::remember_fresh_key(&el);
            if self.restore {
                browser::restore(&el, &self.slug);
            } else {
                browser::save(&el, &self.slug, false);
            }
            browser::show_progress(&el, &self.survey);
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn changed(&self, root: NodeRef<leptos::html::Div>) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = root.get_untracked() {
            // Changed answers are a new send: the page's own fresh key goes
            // with them, never one restored from an earlier send.
            browser::use_fresh_key(&el);
            browser::save(&el, &self.slug, false);
            browser::show_progress(&el, &self.survey);
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn submitted(&self, ev: &leptos::ev::SubmitEvent, root: NodeRef<leptos::html::Div>) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = root.get_untracked() {
            let sending = browser::check(&el, &self.survey);
            browser::save(&el, &self.slug, sending);
            if !sending {
                ev.prevent_default();
            }
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn clicked(&self, ev: &leptos::ev::MouseEvent) {
        #[cfg(feature = "hydrate")]
        if browser::is_start_again(ev) {
            // The link then loads the page afresh: a new key, nothing kept.
            browser::forget(&self.slug);
        }
    }
}

#[island]
pub fn AnswerKeeper(
    slug: String,
    survey: SurveyForm,
    restore: bool,
    children: Children,
) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let keeper = std::sync::Arc::new(Keeper {
        slug,
        survey,
        restore,
    });
    let (k1, k2, k3, k4) = (keeper.clone(), keeper.clone(), keeper.clone(), keeper);
    Effect::new(move || k1.mounted(root));
    let on_input = move |_: leptos::ev::Event| k2.changed(root);
    let on_change = on_input.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| k3.submitted(&ev, root);
    let on_click = move |ev: leptos::ev::MouseEvent| k4.clicked(&ev);
    view! {
        <div node_ref=root on:input=on_input on:change=on_change on:submit=on_submit on:click=on_click>
            {children()}
        </div>
    }
}

/// On the thank-you page: the answers are stored, so the browser's copy goes.
#[island]
pub fn ForgetAnswers(slug: String) -> impl IntoView {
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        browser::forget(&slug);
        #[cfg(not(feature = "hydrate"))]
        let _ = &slug;
    });
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{storage_key, Draft};
    use crate::copy;
    use crate::forms::FormValues;
    use crate::surveys::answering::rules::check_answers;
    use crate::surveys::answering::rules::IDEMPOTENCY_FIELD;
    use crate::surveys::model::SurveyForm;
    use wasm_bindgen::JsCast;
    use web_sys::{
        Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, Storage,
    };

    fn storage() -> Option<Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn controls(root: &Element) -> Vec<Element> {
        let Ok(list) = root.query_selector_all("input, select, textarea") else {
            return vec![];
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    /// The form's current values, as the browser would post them.
    fn entries(root: &Element) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for el in controls(root) {
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                let kind = i.type_();
                if (kind == "radio" || kind == "checkbox") && !i.checked() {
                    continue;
                }
                out.push((i.name(), i.value()));
            } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
                out.push((s.name(), s.value()));
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                out.push((t.name(), t.value()));
            }
        }
        out.retain(|(name, _)| !name.is_empty());
        out
    }

    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        /// Milliseconds since the Unix epoch.
        #[wasm_bindgen(js_namespace = Date, js_name = now)]
        fn date_now() -> f64;
    }

    /// The hidden submission key field.
    fn key_input(root: &Element) -> Option<HtmlInputElement> {
        root.query_selector(&format!("input[name=\"{IDEMPOTENCY_FIELD}\"]"))
            .ok()
            .flatten()?
            .dyn_into::<HtmlInputElement>()
            .ok()
    }

    const FRESH_KEY: &str = "data-fresh-key";

    /// Notes the key the server drew this page with, before anything is restored.
    pub fn remember_fresh_key(root: &Element) {
        if let Some(input) = key_input(root) {
            let _ = root.set_attribute(FRESH_KEY, &input.value());
        }
    }

    /// Puts the page's own fresh key back in the form.
    pub fn use_fresh_key(root: &Element) {
        if let (Some(input), Some(fresh)) = (key_input(root), root.get_attribute(FRESH_KEY)) {
            input.set_value(&fresh);
        }
    }

    pub fn save(root: &Element, slug: &str, sent: bool) {
        let draft = Draft {
            saved_at: date_now(),
            sent,
            values: entries(root),
        };
        if let (Some(store), Ok(json)) = (storage(), serde_json::to_string(&draft)) {
            // A full or blocked storage only loses the convenience, never the form.
            let _ = store.set_item(&storage_key(slug), &json);
        }
    }

    pub fn restore(root: &Element, slug: &str) {
        let Some(json) = storage().and_then(|s| s.get_item(&storage_key(slug)).ok().flatten())
        else {
            return;
        };
        let Some(draft) = Draft::read(&json, date_now()) else {
            // Too old, or unreadable: it is nobody's answers any more.
            forget(slug);
            return;
        };
        let values = FormValues::from_pairs(draft.to_restore());
        for el in controls(root) {
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                let kind = i.type_();
                if kind == "radio" || kind == "checkbox" {
                    i.set_checked(values.has(&i.name(), &i.value()));
                } else if values.0.contains_key(&i.name()) {
                    i.set_value(values.raw(&i.name()));
                }
            } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
                s.set_value(values.raw(&s.name()));
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                t.set_value(values.raw(&t.name()));
            }
        }
    }

    /// Whether a click was on the "start again" link.
    pub fn is_start_again(ev: &leptos::ev::MouseEvent) -> bool {
        ev.target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("[data-start-again]").ok().flatten())
            .is_some()
    }

    pub fn forget(slug: &str) {
        if let Some(store) = storage() {
            let _ = store.remove_item(&storage_key(slug));
        }
    }

    pub fn show_progress(root: &Element, survey: &SurveyForm) {
        let values = FormValues::from_pairs(entries(root));
        let answered = survey
            .questions
            .iter()
            .filter(|q| values.value(&q.first_field()).is_some())
            .count();
        if let Some(el) = document().and_then(|d| d.get_element_by_id("progress-text")) {
            el.set_text_content(Some(&format!(
                "{answered} of {} answered",
                survey.questions.len()
            )));
        }
    }

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// Shows every problem beside its question and in the summary. Returns
    /// whether the answers may be sent.
    pub fn check(root: &Element, survey: &SurveyForm) -> bool {
        let Some(doc) = document() else { return true };
        let values = FormValues::from_pairs(entries(root));
        let errors = match check_answers(survey, &values, &|_| true) {
            Ok(_) => vec![],
            Err(errors) => errors,
        };
        if let Ok(list) = root.query_selector_all(".field-error") {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                    el.set_hidden(true);
                    el.set_text_content(None);
                }
            }
        }
        if let Ok(list) = root.query_selector_all(".has-error") {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let _ = el.class_list().remove_1("has-error");
                }
            }
        }
        let summary = doc
            .get_element_by_id("error-summary")
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        let list = doc.get_element_by_id("error-list");
        if let Some(list) = &list {
            list.set_text_content(None);
        }
        if errors.is_empty() {
            if let Some(s) = summary {
                s.set_hidden(true);
            }
            return true;
        }
        for e in &errors {
            let message = copy::problem(&e.problem, &e.about);
            if let Some(el) = doc
                .get_element_by_id(&format!("{}-error", e.field))
                .and_then(|n| n.dyn_into::<HtmlElement>().ok())
            {
                el.set_text_content(Some(&message));
                el.set_hidden(false);
                if let Ok(Some(block)) = el.closest(".question") {
                    let _ = block.class_list().add_1("has-error");
                }
            }
            if let (Some(list), Ok(li), Ok(a)) =
                (&list, doc.create_element("li"), doc.create_element("a"))
            {
                let _ = a.set_attribute("href", &format!("#{}", e.field));
                a.set_text_content(Some(&message));
                let _ = li.append_child(&a);
                let _ = list.append_child(&li);
            }
        }
        if let Some(s) = summary {
            s.set_hidden(false);
            let _ = s.focus();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_800_000_000_000.0;

    fn draft(saved_at: f64, sent: bool) -> String {
        serde_json::to_string(&Draft {
            saved_at,
            sent,
            values: vec![
                (IDEMPOTENCY_FIELD.into(), "k".repeat(32)),
                ("q1".into(), "o2".into()),
            ],
        })
        .unwrap()
    }

    #[test]
    fn kept_answers_last_two_hours_from_their_last_change() {
        let minute = 60.0 * 1000.0;
        assert!(Draft::read(&draft(NOW - 119.0 * minute, false), NOW).is_some());
        assert!(Draft::read(&draft(NOW - 121.0 * minute, false), NOW).is_none());
        assert!(
            Draft::read(&draft(NOW + 60.0 * minute, false), NOW).is_none(),
            "a clock put back leaves the age unknown"
        );
    }

    #[test]
    fn drafts_in_the_old_format_without_a_time_are_dropped() {
        let old = r#"[["submission_key","kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"],["q1","o2"]]"#;
        assert_eq!(Draft::read(old, NOW), None);
        assert_eq!(Draft::read("not json", NOW), None);
    }

    #[test]
    fn the_key_comes_back_only_with_a_send_not_yet_confirmed() {
        let saved = Draft::read(&draft(NOW - 1000.0, false), NOW).unwrap();
        assert_eq!(
            saved.to_restore(),
            vec![("q1".to_string(), "o2".to_string())],
            "answers come back, the key stays the page's fresh one"
        );
        let sent = Draft::read(&draft(NOW - 1000.0, true), NOW).unwrap();
        assert!(sent
            .to_restore()
            .iter()
            .any(|(n, v)| n == IDEMPOTENCY_FIELD && *v == "k".repeat(32)));
    }
}
