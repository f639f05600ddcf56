//! The errors people see. 4xx variants carry a message a young person or a
//! youth worker can act on; anything unexpected is logged once, with context,
//! on the server and shown as a plain apology.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to see this page.")]
    NotSignedIn,
    #[error("You don't have access to that.")]
    Forbidden,
    #[error("We couldn't find that page. Check the link and try again.")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    /// Too much is happening at once (a queue is full, or a wait ran out).
    #[error("heard is very busy right now. Nothing you entered has been lost: please try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side. Nothing you entered has been lost: please try again in a moment.")]
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
                AppError::invalid("That request wasn't in the form we expected.")
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
                AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Unexpected => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }
    }

    /// How long a busy server asks people to wait before trying again.
    pub const BUSY_RETRY_AFTER_SECONDS: u32 = 5;

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut res = (self.status(), self.to_string()).into_response();
            if self == AppError::Busy {
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(BUSY_RETRY_AFTER_SECONDS),
                );
            }
            res
        }
    }
}
