//! Who is calling, said once. The server's middleware resolves the session
//! cookie into a [`Viewer`] in the request's extensions; pages and server
//! functions ask [`require_staff`], form handlers take the [`Staff`]
//! extractor, and both apply the same rule ([`staff_only`]): signed in, and
//! not still holding a one-time password.

use super::StaffUser;
use crate::error::AppError;

/// The one rule: a signed-in member of staff who has chosen their own password.
pub fn staff_only(viewer: Option<StaffUser>) -> Result<StaffUser, AppError> {
    match viewer {
        None => Err(AppError::NotSignedIn),
        // A one-time password opens only the page to replace it.
        Some(u) if u.must_change_password => Err(AppError::MustChangePassword),
        Some(u) => Ok(u),
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::staff_only;
    use crate::accounts::StaffUser;
    use crate::error::AppError;
    use axum::extract::FromRequestParts;
    use axum::http::request::Parts;
    use leptos::prelude::use_context;

    /// Who is signed in, as resolved from the session cookie by the server's
    /// middleware for this request.
    #[derive(Debug, Clone, Default)]
    pub struct Viewer(pub Option<StaffUser>);

    fn from_parts(parts: &Parts) -> Option<StaffUser> {
        parts.extensions.get::<Viewer>().and_then(|v| v.0.clone())
    }

    /// Who is signed in, inside a page or server function.
    pub fn viewer() -> Option<StaffUser> {
        use_context::<Parts>().as_ref().and_then(from_parts)
    }

    /// The signed-in member of staff, or the error that asks them to sign in,
    /// inside a page or server function.
    pub fn require_staff() -> Result<StaffUser, AppError> {
        staff_only(viewer())
    }

    /// A handler's signed-in member of staff ([`staff_only`]).
    #[derive(Debug, Clone)]
    pub struct Staff(pub StaffUser);

    impl<S: Send + Sync> FromRequestParts<S> for Staff {
        type Rejection = AppError;

        async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
            staff_only(from_parts(parts)).map(Staff)
        }
    }

    /// Anyone signed in, a one-time password holder included: only for
    /// choosing a new password and signing out.
    #[derive(Debug, Clone)]
    pub struct SignedIn(pub StaffUser);

    impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
        type Rejection = AppError;

        async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
            from_parts(parts).map(SignedIn).ok_or(AppError::NotSignedIn)
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{require_staff, viewer, SignedIn, Staff, Viewer};
