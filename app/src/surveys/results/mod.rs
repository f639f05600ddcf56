//! Results for staff: tallies and what each audience may be shown (the
//! rules), the results page, and the counting queries behind it.
//!
//! [`disclose`] is the one seam every reader of results goes through: what an
//! audience may see is decided there and nowhere else.

#[cfg(feature = "ssr")]
pub mod export;
pub mod page;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod store;

pub use rules::{disclose, tally, Audience};
