//! Staff building surveys: the staff home list, the builder page, their form
//! posts and the writes behind them.

pub mod list;
pub mod page;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;
