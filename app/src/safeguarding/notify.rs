//! Telling an organisation's safeguarding leads that a new item is waiting:
//! an email with a link, never the text itself, nor the phrase, the survey or
//! the question (an inbox is read on phones, forwarded and kept for ever).
//!
//! Email is a nudge, not the record: the item is already stored when it is
//! sent. When email is not set up (`HEARD_SMTP_URL`), or the mail server
//! refuses or does not answer, the count of new items in the lead's
//! navigation on every staff page is the fallback; a failure is logged (never
//! with anything the young person wrote) and never touches their submission.
//!
//! At most one round of emails per organisation is on its way at a time:
//! items that arrive meanwhile get one more round after [`AGAIN_AFTER`], so
//! a burst of answers sends each lead two emails, not one per answer, and no
//! item arrives without an email that starts after it.

use super::store;
use crate::db::Db;
use crate::mail::{Email, Mailer};
use crate::state::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The wait before another round of emails for items that arrived while the
/// last round was being sent.
pub const AGAIN_AFTER: Duration = Duration::from_secs(60);

/// The email a lead gets: that something waits, and where. It takes only the
/// address heard is reached at, so nothing about the item can slip into it.
pub fn new_item_email(public_url: &str) -> Email {
    let link = format!("{}/staff/safeguarding", public_url.trim_end_matches('/'));
    Email {
        subject: "A new item is waiting in heard's safeguarding queue".into(),
        // Lines under 76 characters: the email goes as plain 7-bit text.
        body: format!(
            "Hello,\n\n\
             A new item is waiting for you in heard's safeguarding queue.\n\n\
             Sign in to see it:\n{link}\n\n\
             This email never says what a young person wrote, or where:\n\
             heard shows that only to you, once you have signed in.\n\n\
             You get this email because you are a safeguarding lead for\n\
             your organisation in heard.\n"
        ),
    }
}

/// Organisations whose leads are being emailed, each with whether more items
/// arrived since that round began. Holds one entry per organisation at most,
/// and only while its emails are on their way.
#[derive(Debug, Default)]
pub struct InFlight(Mutex<HashMap<i64, bool>>);

impl InFlight {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, bool>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// True when no round is on its way for `organisation_id`: the caller
    /// starts one. Otherwise the round on its way is asked to go again.
    pub fn claim(&self, organisation_id: i64) -> bool {
        let mut rounds = self.lock();
        match rounds.get_mut(&organisation_id) {
            Some(again) => {
                *again = true;
                false
            }
            None => {
                rounds.insert(organisation_id, false);
                true
            }
        }
    }

    /// After a round: true when more items arrived meanwhile (send another
    /// round); otherwise the organisation is let go, in the same step, so an
    /// item arriving now starts a round of its own.
    pub fn finish(&self, organisation_id: i64) -> bool {
        let mut rounds = self.lock();
        if let Some(again) = rounds.get_mut(&organisation_id) {
            if *again {
                *again = false;
                return true;
            }
        }
        rounds.remove(&organisation_id);
        false
    }

    fn release(&self, organisation_id: i64) {
        self.lock().remove(&organisation_id);
    }

    /// Organisations with a round on its way.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Lets the organisation go if the task ends without finishing (it panicked,
/// or the server stopped), so later items are still emailed.
struct Claim {
    rounds: Arc<InFlight>,
    organisation_id: i64,
    finished: bool,
}

impl Claim {
    /// See [`InFlight::finish`].
    fn finish(&mut self) -> bool {
        let again = self.rounds.finish(self.organisation_id);
        self.finished = !again;
        again
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.finished {
            self.rounds.release(self.organisation_id);
        }
    }
}

/// Emails `organisation_id`'s safeguarding leads in the background when email
/// is set up; the submission never waits for it.
pub fn new_items(state: &AppState, organisation_id: i64) {
    let Some(mailer) = state.settings.mail.clone() else {
        return;
    };
    if !state.lead_alerts.claim(organisation_id) {
        return;
    }
    let mut claim = Claim {
        rounds: state.lead_alerts.clone(),
        organisation_id,
        finished: false,
    };
    let db = state.db.clone();
    let email = new_item_email(&state.settings.public_url);
    tokio::spawn(async move {
        loop {
            email_leads(&db, &mailer, organisation_id, &email).await;
            if !claim.finish() {
                break;
            }
            tokio::time::sleep(AGAIN_AFTER).await;
        }
    });
}

/// One email to each lead who can sign in, one after another, each bounded
/// by [`crate::mail::SEND_TIMEOUT`].
async fn email_leads(db: &Db, mailer: &Mailer, organisation_id: i64, email: &Email) {
    let leads = match store::lead_emails(db, organisation_id).await {
        Ok(leads) => leads,
        Err(e) => {
            tracing::warn!(organisation_id, error = ?e,
                "could not read whom to email about a new safeguarding item; the count in their navigation still shows it");
            return;
        }
    };
    if leads.is_empty() {
        tracing::warn!(
            organisation_id,
            "a new safeguarding item, and no safeguarding lead or administrator who can sign in to email"
        );
        return;
    }
    let mut sent = 0;
    for to in &leads {
        match mailer.send(to, email).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(organisation_id, server = mailer.server(), error = %e,
                "could not email a safeguarding lead about a new item; the count in their navigation still shows it"),
        }
    }
    tracing::info!(
        organisation_id,
        sent,
        leads = leads.len(),
        "safeguarding leads emailed about a new item"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_links_to_the_queue() {
        let e = new_item_email("https://heard.example.org");
        assert!(
            e.body
                .contains("\nhttps://heard.example.org/staff/safeguarding\n"),
            "{}",
            e.body
        );
        let e = new_item_email("https://heard.example.org/");
        assert!(e
            .body
            .contains("https://heard.example.org/staff/safeguarding\n"));
    }

    #[test]
    fn the_email_says_nothing_but_where_to_look() {
        // Built from the address alone, the words are the same for every
        // item: take the link out and two emails are identical.
        let a = new_item_email("https://a.example.org");
        let b = new_item_email("http://127.0.0.1:3000");
        assert_eq!(a.subject, b.subject);
        assert_eq!(
            a.body.replace("https://a.example.org", ""),
            b.body.replace("http://127.0.0.1:3000", "")
        );
        assert!(!a.subject.contains("http"));
        assert_eq!(a.body.matches("http").count(), 1);
        assert!(a
            .body
            .lines()
            .all(|l| l.len() < 76 || l.starts_with("http")));
    }

    #[test]
    fn one_round_at_a_time_per_organisation() {
        let rounds = InFlight::default();
        assert!(rounds.claim(1));
        assert!(!rounds.claim(1), "a second item joins the round on its way");
        assert!(rounds.claim(2), "another organisation has its own");
        assert!(rounds.finish(1), "items arrived meanwhile: one more round");
        assert!(!rounds.finish(1), "nothing since: done");
        assert!(!rounds.finish(2));
        assert!(rounds.is_empty(), "nothing kept once the emails are sent");
        assert!(rounds.claim(1), "a later item starts a round of its own");
    }

    #[test]
    fn a_round_that_ends_early_lets_its_organisation_go() {
        let rounds = Arc::new(InFlight::default());
        assert!(rounds.claim(7));
        drop(Claim {
            rounds: rounds.clone(),
            organisation_id: 7,
            finished: false,
        });
        assert!(rounds.claim(7));
    }
}
