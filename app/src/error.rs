//! The errors people see. 4xx variants carry a message a young person or a
//! youth worker can act on; anything unexpected is logged once, with context,
//! on the server and shown as a plain apology.

use crate::copy;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{}", copy::NOT_SIGNED_IN)]
    NotSignedIn,
    #[error("{}", copy::FORBIDDEN)]
    Forbidden,
    /// Signed in with a one-time password that has not been replaced yet.
    #[error("{}", copy::MUST_CHANGE_PASSWORD)]
    MustChangePassword,
    #[error("{}", copy::NOT_FOUND)]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    /// A form that could not be read at all (not a form, not UTF-8).
    #[error("{}", copy::FORM_UNREADABLE)]
    BadForm,
    /// A form larger than any of heard's forms can be.
    #[error("{}", copy::FORM_TOO_LARGE)]
    TooLarge,
    /// Too much is happening at once (a queue is full, or a wait ran out).
    #[error("{}", copy::BUSY)]
    Busy,
    /// Too many tries from one address (wrong join codes): wait and try again.
    #[error("{0}")]
    TooMany(String),
    #[error("{}", copy::UNEXPECTED)]
    Unexpected,
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(message.into())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::invalid(copy::UNEXPECTED_REQUEST)
            }
            _ => AppError::Unexpected,
        }
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            tracing::error!(error = %e, "database error");
            AppError::Unexpected
        }
    }

    impl AppError {
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
                AppError::Forbidden | AppError::MustChangePassword => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
                AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
                AppError::BadForm => StatusCode::BAD_REQUEST,
                AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                AppError::Unexpected => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }
    }

    /// How long a busy server asks people to wait before trying again.
    pub const BUSY_RETRY_AFTER_SECONDS: u32 = 5;

    impl IntoResponse for AppError {
        /// A small page in heard's own frame (the same CSS, header and help),
        /// with the message and a way on: never bare text, which a phone
        /// shows as a browser error.
        fn into_response(self) -> Response {
            let status = self.status();
            let mut res = (
                status,
                [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                problem_page(&self),
            )
                .into_response();
            if self == AppError::Busy {
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(BUSY_RETRY_AFTER_SECONDS),
                );
            }
            res
        }
    }

    fn problem_page(error: &AppError) -> String {
        use crate::copy;
        let way_on = match error {
            AppError::NotSignedIn => r#"<a href="/sign-in">Sign in</a>"#.to_string(),
            AppError::MustChangePassword => {
                r#"<a href="/staff/password">Choose your password</a>"#.to_string()
            }
            _ => format!(
                r#"{} <a href="/">{}</a>."#,
                copy::GO_BACK_OR,
                copy::HOME_PAGE
            ),
        };
        format!(
            r##"<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} – heard</title><link rel="stylesheet" href="/pkg/heard.css"></head><body><a class="skip-link" href="#main">Skip to content</a><header class="site-header"><a class="brand" href="/">heard</a></header><main id="main" tabindex="-1"><div class="panel error-panel" role="alert"><h1>{title}</h1><p>{message}</p><p>{way_on}</p></div></main></body></html>"##,
            title = copy::THERE_IS_A_PROBLEM,
            message = crate::components::escape_html(&error.to_string()),
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn problems_are_pages_with_the_message_escaped_and_a_way_on() {
            let page = problem_page(&AppError::invalid(
                "There is already an account for <b>x</b>.",
            ));
            assert!(page.contains("There is already an account for &lt;b&gt;x&lt;/b&gt;."));
            assert!(!page.contains("<b>"));
            assert!(page.contains(r#"<a href="/">"#));
            assert!(problem_page(&AppError::NotSignedIn).contains(r#"href="/sign-in""#));
        }
    }
}
