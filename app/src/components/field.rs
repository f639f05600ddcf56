//! The form kit: one way to draw a labelled field (label, hint, the problem
//! with it, the control, the value kept after a failed post), and the state a
//! form is drawn again with. Ids follow one pattern: the control is `id`, its
//! hint `{id}-hint`, its problem `{id}-error`, so error summaries can link to
//! the control and screen readers read hint and problem with it.

use crate::forms::Feedback;
use leptos::prelude::*;

/// What a form shows when it is drawn again after a failed post: the values
/// typed and the problems, or nothing on a first visit.
#[derive(Debug, Clone, Default)]
pub struct FormState(Option<Feedback>);

impl FormState {
    /// The state of `form` on this page (see [`Feedback::for_form`]).
    pub fn for_form(form: &str) -> FormState {
        FormState(Feedback::for_form(form))
    }

    /// The text typed into `name`, untrimmed, or empty.
    pub fn value(&self, name: &str) -> String {
        self.0
            .as_ref()
            .map(|f| f.values.raw(name).to_string())
            .unwrap_or_default()
    }

    /// Whether `value` was among those chosen for `name`.
    pub fn chosen(&self, name: &str, value: &str) -> bool {
        self.0.as_ref().is_some_and(|f| f.values.has(name, value))
    }

    /// The problem with `name`, if there was one.
    pub fn error(&self, name: &str) -> Option<String> {
        self.0.as_ref().and_then(|f| f.field(name))
    }

    /// The message about the whole form, if there was one.
    pub fn summary(&self) -> Option<String> {
        self.0.as_ref().and_then(|f| f.summary.clone())
    }

    pub fn feedback(&self) -> Option<Feedback> {
        self.0.clone()
    }
}

/// Text made safe to put between HTML tags or in an attribute. Leptos
/// escapes text itself, except a `<textarea>`'s children, which it writes as
/// they are: typed text holding `</textarea>` would end the field and the
/// rest would become markup. So every textarea that shows typed text is
/// given it through `inner_html`, escaped here; the problem page uses it too.
/// Escaped, not sanitised: what people type is plain text, so no tag of it
/// survives (ammonia is for staff-written rich text, which keeps some tags).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn described_by(id: &str, hint: bool) -> String {
    if hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// Label, hint and problem around a control; the control carries `id` and
/// `aria-describedby` pointing at the hint and the problem.
#[component]
fn FieldFrame(
    id: String,
    label: String,
    hint: Option<String>,
    error: Option<String>,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="field-error" id=error_id hidden=error.is_none()>{error.clone()}</p>
            {children()}
        </div>
    }
}

/// A one-line text input (text, email, password, date, number…) in the kit.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    /// The keyboard a phone shows, e.g. `numeric`.
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let describe = described_by(&id, hint.is_some());
    let input_id = id.clone();
    view! {
        <FieldFrame id=id label=label hint=hint error=error>
            <input
                id=input_id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                minlength=minlength.map(|m| m.to_string())
                inputmode=inputmode
                aria-describedby=describe
            />
        </FieldFrame>
    }
}

/// A choice from a list; the options are its children.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    children: Children,
) -> impl IntoView {
    let describe = described_by(&id, hint.is_some());
    let select_id = id.clone();
    view! {
        <FieldFrame id=id label=label hint=hint error=error>
            <select id=select_id name=name aria-describedby=describe>{children()}</select>
        </FieldFrame>
    }
}

/// Several lines of text.
#[component]
pub fn TextAreaField(
    #[prop(into)] id: String,
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let describe = described_by(&id, hint.is_some());
    let area_id = id.clone();
    view! {
        <FieldFrame id=id label=label hint=hint error=error>
            <textarea id=area_id name=name rows=rows aria-describedby=describe inner_html=escape_html(&value)></textarea>
        </FieldFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_cannot_end_a_textarea() {
        assert_eq!(
            escape_html("</textarea><script>alert(1)</script> & 'x' \"y\""),
            "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39; &quot;y&quot;"
        );
        assert_eq!(escape_html("Café 🎉\nline two"), "Café 🎉\nline two");
    }
}
