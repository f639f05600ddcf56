//! Plain HTML forms, the way every page takes input. A form posts; on success
//! the server redirects (POST, redirect, GET); on failure it renders the same
//! page again with the errors beside their fields and every value kept.
//!
//! Staff forms that change things carry a key made when the form was drawn
//! ([`OnceKey`]): a double tap, or a retry after a dropped connection, does the
//! job once and both taps land where the first one went.

use leptos::prelude::*;
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

/// Declares what a page's forms may ask a handler to do, named once for the
/// page (`action.key()` in a hidden `action` field) and the handler
/// (`Action::parse`), instead of string literals repeated on both sides.
#[macro_export]
macro_rules! form_actions {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value posted in the form's `action` field.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(key: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|a| a.key() == key)
            }

            /// The action a posted form asks for.
            pub fn of(form: &$crate::forms::FormValues) -> Option<$name> {
                form.value("action").and_then(Self::parse)
            }
        }
    };
}

/// The field holding a form's one-time key.
pub const ONCE_FIELD: &str = "once";

/// A key a form was given when it was drawn (a [`OnceKey`], or a young
/// person's submission key): 16 to 64 letters, digits, `-` or `_`.
pub fn is_key(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The form's [`OnceKey`], if it carries a well-formed one.
pub fn once_key(form: &FormValues) -> Option<&str> {
    form.value(ONCE_FIELD).filter(|k| is_key(k))
}

/// A hidden field with a fresh random key, so the form's action happens once.
#[component]
pub fn OnceKey() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let key = crate::random::token::<16>();
    #[cfg(not(feature = "ssr"))]
    let key = String::new();
    view! { <input type="hidden" name=ONCE_FIELD value=key/> }
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

/// What a CSV import showed: the problems (nothing was loaded), or how many
/// rows were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Refused(Vec<String>),
    Added(usize),
}

/// The most problems an import lists at once.
pub const PROBLEMS_SHOWN: usize = 50;

/// What an import showed, at the top of its page: `done` says what `n`
/// rows became ("{n} services added.").
#[component]
pub fn ImportReport(outcome: Option<ImportOutcome>, done: fn(usize) -> String) -> impl IntoView {
    match outcome {
        Some(ImportOutcome::Added(n)) => Some(
            view! { <div class="panel success-panel" role="status"><p>{done(n)}</p></div> }
                .into_any(),
        ),
        Some(ImportOutcome::Refused(problems)) => Some(
            view! {
                <div class="error-summary" role="alert" tabindex="-1" id="form-error">
                    <h2>"Nothing was loaded"</h2>
                    <p>"Put these right and load the file again:"</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        ),
        None => None,
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{Feedback, FormValues};
    use crate::db::{now, Db};
    use crate::error::AppError;
    use crate::state::AppState;
    use axum::body::Body;
    use axum::http::{header, request::Parts, Method, Request, StatusCode};
    use axum::response::{IntoResponse, Response};

    /// Forms are small; anything larger is refused before it is read.
    pub const MAX_FORM_BYTES: usize = 256 * 1024;

    /// Reads an `application/x-www-form-urlencoded` body. Anything else is a
    /// malformed form and gets a plain 400 or 413 page.
    pub async fn read_form(req: Request<Body>) -> Result<(Parts, FormValues), Response> {
        read_form_values(req)
            .await
            .map_err(IntoResponse::into_response)
    }

    async fn read_form_values(req: Request<Body>) -> Result<(Parts, FormValues), AppError> {
        let (parts, body) = req.into_parts();
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::BadForm);
        }
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::TooLarge)?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(AppError::BadForm);
        }
        Ok((
            parts,
            FormValues::from_pairs(form_urlencoded::parse(&bytes).into_owned()),
        ))
    }

    /// A form post, as a handler's last argument: the request's parts (to
    /// render its page again) and the fields posted.
    pub struct FormPost {
        pub parts: Parts,
        pub values: FormValues,
    }

    impl<S: Send + Sync> axum::extract::FromRequest<S> for FormPost {
        type Rejection = AppError;

        async fn from_request(req: Request<Body>, _: &S) -> Result<Self, AppError> {
            let (parts, values) = read_form_values(req).await?;
            Ok(FormPost { parts, values })
        }
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

    /// The largest file an import reads: 1 MiB (2,000 rows of about 500
    /// characters), under the 2 MB every request body is held to.
    pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

    /// Reads the `file` field of a multipart post (at most
    /// [`MAX_UPLOAD_BYTES`]) as UTF-8 text, or says plainly why not. The
    /// request's parts come back for re-rendering the page.
    pub async fn uploaded_text(
        req: Request<Body>,
    ) -> Result<(Parts, Result<String, super::ImportOutcome>), AppError> {
        uploaded_text_saying(
            req,
            "Choose a CSV file to load.",
            "The file is not plain text in UTF-8: in Excel, save it as \u{201c}CSV UTF-8\u{201d}.",
        )
        .await
    }

    /// [`uploaded_text`] for a file of another kind: `choose` is said when
    /// no file came (or an empty one), `not_utf8` when it is not text.
    pub async fn uploaded_text_saying(
        req: Request<Body>,
        choose: &str,
        not_utf8: &str,
    ) -> Result<(Parts, Result<String, super::ImportOutcome>), AppError> {
        use axum::extract::{FromRequest, Multipart};
        let (parts, body) = req.into_parts();
        let mut multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), &())
            .await
            .map_err(|_| AppError::BadForm)?;
        let mut file: Option<Vec<u8>> = None;
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::BadForm)?
        {
            if field.name() != Some("file") {
                continue;
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadForm)? {
                if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                    return Err(AppError::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some(bytes);
        }
        let refused = |m: &str| Err(super::ImportOutcome::Refused(vec![m.to_string()]));
        let text = match file.map(String::from_utf8) {
            None => refused(choose),
            Some(Ok(t)) if t.trim().is_empty() => refused(choose),
            Some(Ok(t)) => Ok(t),
            Some(Err(_)) => refused(not_utf8),
        };
        Ok((parts, text))
    }

    /// Renders the page at `page` (or the one posted to) with `value` in its
    /// context: feedback on a failed post, or something shown only once.
    pub async fn render_with<T: Clone + Send + Sync + 'static>(
        state: AppState,
        parts: Parts,
        page: Option<&str>,
        value: T,
        status: StatusCode,
    ) -> Response {
        render_with_both(state, parts, page, value, (), status).await
    }

    /// [`render_with`] with two values in the page's context.
    pub async fn render_with_both<T, U>(
        state: AppState,
        mut parts: Parts,
        page: Option<&str>,
        value: T,
        also: U,
        status: StatusCode,
    ) -> Response
    where
        T: Clone + Send + Sync + 'static,
        U: Clone + Send + Sync + 'static,
    {
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
                leptos::prelude::provide_context(also.clone());
            },
            move || crate::shell(options.clone()),
        );
        let mut res = handler(req).await;
        *res.status_mut() = status;
        res
    }

    /// Runs `action` once per [`OnceKey`](super::OnceKey). The first post with a
    /// key claims it; if its action redirects, the key remembers where to. A
    /// repeat (a double tap, a retry) waits for the first to finish and is sent
    /// to the same place; if the first failed, its key was let go and the
    /// repeat is sent to `page` to see how things stand. Posts without a key
    /// (not from heard's own forms) just run.
    pub async fn once<F, Fut>(db: &Db, form: &FormValues, page: &str, action: F) -> Response
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Response>,
    {
        let Some(key) = super::once_key(form) else {
            return action().await;
        };
        match claim(db, key).await {
            Ok(true) => {}
            Ok(false) => return see_other(&wait_for_first(db, key, page).await),
            Err(e) => return e.into_response(),
        }
        let res = action().await;
        let location = (res.status() == StatusCode::SEE_OTHER)
            .then(|| res.headers().get(header::LOCATION))
            .flatten()
            .and_then(|l| l.to_str().ok());
        let settled = match location {
            Some(l) => remember(db, key, l).await,
            None => let_go(db, key).await,
        };
        if let Err(e) = settled {
            tracing::error!(error = ?e, "could not settle a form key");
        }
        res
    }

    /// Keys are kept a day: long enough for any retry.
    const KEEP_KEYS_SECONDS: i64 = 24 * 60 * 60;

    async fn claim(db: &Db, key: &str) -> Result<bool, AppError> {
        let mut tx = db.write().await?;
        sqlx::query("DELETE FROM form_keys WHERE created_at < $1")
            .bind(now() - KEEP_KEYS_SECONDS)
            .execute(&mut **tx)
            .await?;
        let claimed = sqlx::query(
            "INSERT INTO form_keys (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(now())
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(claimed)
    }

    async fn remember(db: &Db, key: &str, location: &str) -> Result<(), AppError> {
        let mut tx = db.write().await?;
        sqlx::query("UPDATE form_keys SET location = $1 WHERE key = $2")
            .bind(location)
            .bind(key)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn let_go(db: &Db, key: &str) -> Result<(), AppError> {
        let mut tx = db.write().await?;
        sqlx::query("DELETE FROM form_keys WHERE key = $1")
            .bind(key)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Where the first post with `key` went, once it has finished (or `page`).
    async fn wait_for_first(db: &Db, key: &str, page: &str) -> String {
        for _ in 0..100 {
            let row: Result<Option<(Option<String>,)>, _> =
                sqlx::query_as("SELECT location FROM form_keys WHERE key = $1")
                    .bind(key)
                    .fetch_optional(db.pool())
                    .await;
            match row {
                Ok(Some((Some(location),))) => return location,
                Ok(Some((None,))) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                _ => break,
            }
        }
        page.to_string()
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
