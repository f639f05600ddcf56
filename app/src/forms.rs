//! Plain HTML forms, the way every page takes input. A form posts; on success
//! the server redirects (POST, redirect, GET); on failure it renders the same
//! page again with the errors beside their fields and every value kept.

use leptos::prelude::use_context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Form fields as posted: every value of every name, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormValues(pub BTreeMap<String, Vec<String>>);

impl FormValues {
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            map.entry(k.into()).or_default().push(v.into());
        }
        FormValues(map)
    }

    /// Non-empty values of a field, trimmed.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.0
            .get(name)
            .map(|vs| {
                vs.iter()
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values(name).into_iter().next()
    }

    /// The text typed into a field, untrimmed, for showing it back.
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0
            .get(name)
            .is_some_and(|vs| vs.iter().any(|v| v == value))
    }

    pub fn checked(&self, name: &str) -> bool {
        self.value(name).is_some()
    }
}

/// What a failed post hands back to the page it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    /// Which form on the page was posted.
    pub form: String,
    pub values: FormValues,
    /// A message about the whole form.
    pub summary: Option<String>,
    /// `(field, message)`, in the order the fields appear.
    pub fields: Vec<(String, String)>,
}

impl Feedback {
    pub fn message(form: &str, values: FormValues, summary: impl Into<String>) -> Self {
        Feedback {
            form: form.into(),
            values,
            summary: Some(summary.into()),
            fields: vec![],
        }
    }

    /// The feedback for `form`, if the page is being shown again after it was posted.
    pub fn for_form(form: &str) -> Option<Feedback> {
        use_context::<Feedback>().filter(|f| f.form == form)
    }

    pub fn field(&self, field: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{Feedback, FormValues};
    use crate::state::AppState;
    use axum::body::Body;
    use axum::http::{header, request::Parts, Method, Request, StatusCode};
    use axum::response::{IntoResponse, Response};

    /// Forms are small; anything larger is refused before it is read.
    pub const MAX_FORM_BYTES: usize = 256 * 1024;

    /// Reads an `application/x-www-form-urlencoded` body. Anything else is a
    /// malformed form and gets a plain 400 or 413.
    pub async fn read_form(req: Request<Body>) -> Result<(Parts, FormValues), Response> {
        let (parts, body) = req.into_parts();
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err((
                StatusCode::BAD_REQUEST,
                "This form could not be read. Please go back and try again.",
            )
                .into_response());
        }
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "That was more than this form can take. Please shorten your answers.",
                )
                    .into_response()
            })?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err((
                StatusCode::BAD_REQUEST,
                "This form could not be read. Please go back and try again.",
            )
                .into_response());
        }
        Ok((
            parts,
            FormValues::from_pairs(form_urlencoded::parse(&bytes).into_owned()),
        ))
    }

    /// Renders the page the form was on again, with feedback, under `status`.
    pub async fn rerender(
        state: AppState,
        parts: Parts,
        feedback: Feedback,
        status: StatusCode,
    ) -> Response {
        rerender_page(state, parts, None, feedback, status).await
    }

    /// Like [`rerender`], for a form that posts somewhere other than its page.
    pub async fn rerender_page(
        state: AppState,
        parts: Parts,
        page: Option<&str>,
        feedback: Feedback,
        status: StatusCode,
    ) -> Response {
        render_with(state, parts, page, feedback, status).await
    }

    /// Renders the page at `page` (or the one posted to) with `value` in its
    /// context: feedback on a failed post, or something shown only once.
    pub async fn render_with<T: Clone + Send + Sync + 'static>(
        state: AppState,
        mut parts: Parts,
        page: Option<&str>,
        value: T,
        status: StatusCode,
    ) -> Response {
        parts.method = Method::GET;
        if let Some(uri) = page.and_then(|p| p.parse().ok()) {
            parts.uri = uri;
        }
        let req = Request::from_parts(parts, Body::empty());
        let options = state.leptos_options.clone();
        let context = crate::server_context(state);
        let handler = leptos_axum::render_app_async_with_context(
            move || {
                context();
                leptos::prelude::provide_context(value.clone());
            },
            move || crate::shell(options.clone()),
        );
        let mut res = handler(req).await;
        *res.status_mut() = status;
        res
    }

    /// 303: the browser follows with a GET, so a reload never posts twice.
    pub fn see_other(location: &str) -> Response {
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, location.to_string())],
        )
            .into_response()
    }
}
