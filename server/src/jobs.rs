//! Housekeeping in the background: whatever grows with visitors is pruned
//! on a timer, so memory and tables hold only what is still live.

use app::state::AppState;
use std::time::Duration;

/// How often housekeeping runs.
pub const EVERY: Duration = Duration::from_secs(5 * 60);

/// Runs [`tidy`] every [`EVERY`] until the process stops.
pub fn spawn_housekeeping(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            tidy(&state).await;
        }
    })
}

/// Batches folded in one round at most (each its own short transaction);
/// the rest waits for the next round, so a flood of answers never starves
/// writers.
const FOLD_BATCHES: usize = 50;

/// Folds new responses into the running tallies every second
/// (`app::tallies`). Reads are exact either way; folding keeps them fast.
/// On a hub, the job that pulls every instance's feed
/// (`HEARD_HUB_PULL_MINUTES`).
pub fn spawn_hub_pulling(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let every = state
        .settings
        .hub
        .then_some(state.settings.hub_pull_every)?;
    Some(tokio::spawn(app::feed::handlers::keep_pulling(
        state, every,
    )))
}

pub fn spawn_folding(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(app::tallies::store::keep_folding(
        state.db.clone(),
        FOLD_BATCHES,
    ))
}

/// One round: forget sign-in counts whose quota has refilled, delete
/// sessions that have ended, and delete what young people wrote once it is
/// past its retention (`HEARD_RETENTION_DAYS`). Failures are logged and
/// tried again next round.
pub async fn tidy(state: &AppState) {
    state.sign_in_limiter.prune();
    match app::accounts::sessions::purge_ended(&state.db, &state.settings).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(sessions = n, "ended sessions deleted"),
        Err(e) => tracing::warn!(error = ?e, "could not delete ended sessions"),
    }
    // A phone's "rated lately" marks, once it may rate again.
    match app::phone::forget_expired(&state.db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(marks = n, "expired once-per-phone marks deleted"),
        Err(e) => tracing::warn!(error = ?e, "could not delete expired once-per-phone marks"),
    }
    let days = i64::from(state.settings.retention_days);
    match app::safeguarding::store::apply_retention(&state.db, days).await {
        Ok(app::safeguarding::store::Retained {
            originals: 0,
            items: 0,
        }) => {}
        Ok(done) => tracing::info!(
            originals = done.originals,
            safeguarding_items = done.items,
            days,
            "text past its retention deleted"
        ),
        Err(e) => tracing::warn!(error = ?e, "could not delete text past its retention"),
    }
}
