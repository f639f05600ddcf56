//! Staff accounts: who is signed in and what they may do. Young people have
//! no accounts.

pub mod email;
pub mod pages;
pub mod roles;
pub mod viewer;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod limiter;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod store;

pub use email::Email;
pub use roles::{Reach, Role, StaffUser, StandardsAccess};

/// A one-time password stops working this many days after it was given out.
pub const ONE_TIME_DAYS: i64 = 7;
