//! What the answering path reads on every page and every submission but
//! rarely changes: an open survey by its link, the areas offered, and each
//! organisation's risk list (heard's standard phrases and those added in the
//! app, compiled). Kept in
//! memory so a submission makes one database round trip (its write), and a
//! refused post does not load the survey twice.
//!
//! Fresh by construction: every store function that changes a survey or the
//! areas notes the change on the [`Db`] after it commits ([`Db::note_change`]),
//! and an entry loaded before a change is never used after it. Other servers
//! on the same PostgreSQL database cannot tell this one, so every entry is
//! also dropped after [`FRESH_FOR`]: an edit (closing a survey, retiring an
//! area) reaches every server within 30 seconds. Staff pages never read from
//! here; they always see the database.

use crate::db::{Changed, Db};
use crate::error::AppError;
use crate::surveys::store::{self, OwnedSurvey};
use crate::words::risk::RiskList;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long anything loaded here is used, at most.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

/// Surveys kept at once. Only surveys that exist are kept (an unknown link is
/// never remembered), so the map is bounded by real surveys, and this caps it
/// even so.
pub const MAX_SURVEYS: usize = 1_000;

struct Entry<T> {
    value: T,
    loaded: Instant,
    /// [`Db::changes`] when it was loaded.
    generation: u64,
}

impl<T> Entry<T> {
    fn fresh(&self, generation: u64, now: Instant) -> bool {
        self.generation == generation && now.duration_since(self.loaded) < FRESH_FOR
    }
}

/// The active areas as `(code, name)`, in the order people choose from.
pub type AreaList = Arc<Vec<(String, String)>>;

#[derive(Default)]
pub struct AnsweringCache {
    surveys: Mutex<HashMap<String, Entry<OwnedSurvey>>>,
    areas: Mutex<Option<Entry<AreaList>>>,
    /// By organisation: only organisations with a survey open reach here.
    risks: Mutex<HashMap<i64, Entry<Arc<RiskList>>>>,
}

impl AnsweringCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The survey at `slug`, as [`store::by_slug`] would load it now.
    pub async fn survey(&self, db: &Db, slug: &str) -> Result<Option<OwnedSurvey>, AppError> {
        // Read the count before loading: a change that commits while this
        // loads makes the entry stale at once, never the other way round.
        let generation = db.changes(Changed::Surveys);
        if let Some(hit) = self
            .lock_surveys()
            .get(slug)
            .filter(|e| e.fresh(generation, Instant::now()))
        {
            return Ok(Some(hit.value.clone()));
        }
        let loaded = store::by_slug(db, slug).await?;
        if let Some(survey) = &loaded {
            let mut surveys = self.lock_surveys();
            if surveys.len() >= MAX_SURVEYS {
                let now = Instant::now();
                surveys.retain(|_, e| e.fresh(generation, now));
                if surveys.len() >= MAX_SURVEYS {
                    surveys.clear();
                }
            }
            surveys.insert(
                slug.to_string(),
                Entry {
                    value: survey.clone(),
                    loaded: Instant::now(),
                    generation,
                },
            );
        }
        Ok(loaded)
    }

    /// The areas a young person may choose, as `(code, name)`.
    pub async fn areas(&self, db: &Db) -> Result<AreaList, AppError> {
        let generation = db.changes(Changed::Areas);
        if let Some(hit) = self
            .lock_areas()
            .as_ref()
            .filter(|e| e.fresh(generation, Instant::now()))
        {
            return Ok(hit.value.clone());
        }
        let list: AreaList = Arc::new(
            crate::areas::store::active(db)
                .await?
                .into_iter()
                .map(|a| (a.code, a.name))
                .collect(),
        );
        *self.lock_areas() = Some(Entry {
            value: list.clone(),
            loaded: Instant::now(),
            generation,
        });
        Ok(list)
    }

    /// The risk list screening uses for `organisation_id`'s surveys: heard's
    /// standard phrases, those added for everyone and the organisation's own.
    /// A phrase added on this server is used from the next submission; on
    /// another server within [`FRESH_FOR`].
    pub async fn risks(&self, db: &Db, organisation_id: i64) -> Result<Arc<RiskList>, AppError> {
        let generation = db.changes(Changed::RiskPhrases);
        if let Some(hit) = self
            .lock_risks()
            .get(&organisation_id)
            .filter(|e| e.fresh(generation, Instant::now()))
        {
            return Ok(hit.value.clone());
        }
        let added = crate::safeguarding::store::phrases_in_use(db, organisation_id).await?;
        let list = Arc::new(RiskList::with_additions(&added));
        let mut risks = self.lock_risks();
        if risks.len() >= MAX_SURVEYS {
            risks.clear();
        }
        risks.insert(
            organisation_id,
            Entry {
                value: list.clone(),
                loaded: Instant::now(),
                generation,
            },
        );
        Ok(list)
    }

    /// How many surveys are kept (for tests).
    pub fn surveys_kept(&self) -> usize {
        self.lock_surveys().len()
    }

    fn lock_surveys(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry<OwnedSurvey>>> {
        // A panic while holding the lock leaves nothing half-written worth
        // refusing over: entries are replaced whole.
        self.surveys.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_risks(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Entry<Arc<RiskList>>>> {
        self.risks.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_areas(&self) -> std::sync::MutexGuard<'_, Option<Entry<AreaList>>> {
        self.areas.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_used_only_until_a_change_or_thirty_seconds() {
        let t = Instant::now();
        let e = Entry {
            value: (),
            loaded: t,
            generation: 3,
        };
        assert!(e.fresh(3, t + Duration::from_secs(29)));
        assert!(!e.fresh(4, t + Duration::from_secs(1)), "changed since");
        assert!(!e.fresh(3, t + FRESH_FOR), "too old");
    }
}
