//! The only code young people's phones run: two small islands. The form is
//! plain server-rendered HTML; `AnswerKeeper` adds inline checks (the same
//! rules the server applies) and keeps answers in the browser until they
//! are sent, so a reload or a dropped connection loses nothing.

use super::model::SurveyForm;
use leptos::prelude::*;

/// Where a survey's unsent answers wait in the browser.
pub fn storage_key(slug: &str) -> String {
    format!("heard:answers:{slug}")
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Keeper {
    slug: String,
    survey: SurveyForm,
}

impl Keeper {
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn mounted(&self, root: NodeRef<leptos::html::Div>) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = root.get_untracked() {
            browser::restore(&el, &self.slug);
            browser::show_progress(&el, &self.survey);
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn changed(&self, root: NodeRef<leptos::html::Div>) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = root.get_untracked() {
            browser::save(&el, &self.slug);
            browser::show_progress(&el, &self.survey);
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    fn submitted(&self, ev: &leptos::ev::SubmitEvent, root: NodeRef<leptos::html::Div>) {
        #[cfg(feature = "hydrate")]
        if let Some(el) = root.get_untracked() {
            browser::save(&el, &self.slug);
            if !browser::check(&el, &self.survey) {
                ev.prevent_default();
            }
        }
    }
}

#[island]
pub fn AnswerKeeper(slug: String, survey: SurveyForm, children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let keeper = std::sync::Arc::new(Keeper { slug, survey });
    let (k1, k2, k3) = (keeper.clone(), keeper.clone(), keeper);
    Effect::new(move || k1.mounted(root));
    let on_input = move |_: leptos::ev::Event| k2.changed(root);
    let on_change = on_input.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| k3.submitted(&ev, root);
    view! {
        <div node_ref=root on:input=on_input on:change=on_change on:submit=on_submit>
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
    use super::storage_key;
    use crate::copy;
    use crate::forms::FormValues;
    use crate::surveys::answers::check_answers;
    use crate::surveys::model::{QuestionKind, SurveyForm};
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

    pub fn save(root: &Element, slug: &str) {
        if let (Some(store), Ok(json)) = (storage(), serde_json::to_string(&entries(root))) {
            // A full or blocked storage only loses the convenience, never the form.
            let _ = store.set_item(&storage_key(slug), &json);
        }
    }

    pub fn restore(root: &Element, slug: &str) {
        let Some(json) = storage().and_then(|s| s.get_item(&storage_key(slug)).ok().flatten())
        else {
            return;
        };
        let Ok(saved) = serde_json::from_str::<Vec<(String, String)>>(&json) else {
            return;
        };
        let values = FormValues::from_pairs(saved);
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
            .filter(|q| {
                let field = if q.kind == QuestionKind::Ranking {
                    q.rank_field(1)
                } else {
                    q.field()
                };
                values.value(&field).is_some()
            })
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
