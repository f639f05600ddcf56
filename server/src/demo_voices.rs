//! Demo responses: a few thousand plausible answers across several
//! organisations in a few areas, age bands, groups and the last six months,
//! so every results, insights and export view shows something on first run
//! (with some cells too small to show). Each goes through the real answering
//! path (screening, redaction, digests); the same seed gives the same data.
//! Free text is approved as a moderator would, so the moderation queue
//! starts empty.

use app::about_you::{AboutYou, AgeBand, Choice, Group};
use app::db::Db;
use app::surveys::answering::rules::{Answer, Submission};
use app::surveys::answering::screening::Screening;
use app::surveys::answering::store::{record_response, Destination};
use app::surveys::model::{QuestionKind, SurveyForm};
use app::words::risk::RiskList;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Other organisations taking part: (name, kind, area, responses to their
/// "Feeling safe" survey). Hartlepool's stays below the minimum.
pub const OTHERS: [(&str, &str, &str, usize); 3] = [
    ("Leeds Youth Council", "council", "E08000035", 900),
    (
        "Camden Young People's Service",
        "youth_service",
        "E09000007",
        400,
    ),
    ("Hartlepool Youth Forum", "charity", "E06000001", 24),
];

/// Things young people might write, none naming anyone.
const ONE_WORD: [&str; 8] = [
    "fun",
    "friendly",
    "boring",
    "safe",
    "loud",
    "brilliant",
    "ok",
    "welcoming",
];
const SENTENCES: [&str; 10] = [
    "Better lights on the path by the park would help a lot.",
    "More trips please, and cheaper ones.",
    "Open later on Fridays so we have somewhere to go.",
    "The youth workers actually listen, that is why I come.",
    "Somewhere quiet to do homework after school.",
    "The bus stops running too early in the evening.",
    "More girls-only sessions for sport.",
    "The shops are the only place to hang out at night.",
    "Cooking sessions were the best thing this year.",
    "Ask us before you change things, not after.",
];

fn pick<'a>(rng: &mut StdRng, list: &'a [&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// Who answered: most say their age band and some their groups.
fn about(rng: &mut StdRng, area: &str) -> AboutYou {
    let age_band = match rng.gen_range(0..20) {
        0 => Some(Choice::PreferNotToSay),
        1 => None,
        // 18 to 19 year olds are few: their cells stay small.
        2 => Some(Choice::Said(AgeBand::ALL[4])),
        n => Some(Choice::Said(AgeBand::ALL[1 + (n as usize % 3)])),
    };
    let mut groups = Vec::new();
    if rng.gen_range(0..100) < 12 {
        groups.push(Group::YoungCarer);
    }
    if rng.gen_range(0..100) < 6 {
        groups.push(Group::InCareOrCareLeaver);
    }
    if rng.gen_range(0..100) < 15 {
        groups.push(Group::DisabilityOrSend);
    }
    AboutYou {
        age_band,
        area_code: (rng.gen_range(0..10) > 0).then(|| Choice::Said(area.to_string())),
        groups: Some(Choice::Said(groups)),
    }
}

/// Plausible answers to every question; young carers and those in care feel
/// a little less safe, so the comparisons show something.
fn answers(rng: &mut StdRng, form: &SurveyForm, about: &AboutYou) -> Vec<(i64, Answer)> {
    let pressed = matches!(&about.groups, Some(Choice::Said(g)) if !g.is_empty());
    let mut out = Vec::new();
    for q in &form.questions {
        let keys: Vec<String> = q.settings.options.iter().map(|o| o.key.clone()).collect();
        let answer = match q.kind {
            QuestionKind::SingleChoice => {
                Answer::Choice(keys[rng.gen_range(0..keys.len())].clone())
            }
            QuestionKind::MultipleChoice => {
                let most = usize::from(q.settings.max_picks.unwrap_or(2)).min(keys.len());
                let mut picked: Vec<String> = Vec::new();
                for _ in 0..rng.gen_range(1..=most) {
                    let k = keys[rng.gen_range(0..keys.len())].clone();
                    if !picked.contains(&k) {
                        picked.push(k);
                    }
                }
                Answer::Choices(picked)
            }
            QuestionKind::Scale => {
                let base: u8 = if pressed { 2 } else { 3 };
                Answer::Scale((base + rng.gen_range(0..3)).min(5))
            }
            QuestionKind::YesNo => Answer::Choice(
                match rng.gen_range(0..10) {
                    0..=5 if !pressed => "yes",
                    0..=3 => "yes",
                    6..=7 => "no",
                    _ => "not_sure",
                }
                .to_string(),
            ),
            QuestionKind::ShortText => {
                if rng.gen_range(0..3) > 0 {
                    continue;
                }
                Answer::Text(pick(rng, &ONE_WORD).to_string())
            }
            QuestionKind::LongText => {
                if rng.gen_range(0..4) > 0 {
                    continue;
                }
                Answer::Text(pick(rng, &SENTENCES).to_string())
            }
            QuestionKind::Ranking => {
                let places = usize::from(q.settings.max_picks.unwrap_or(3)).min(keys.len());
                let mut order = keys.clone();
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.gen_range(0..=i));
                }
                order.truncate(places);
                Answer::Ranking(order)
            }
        };
        out.push((q.id, answer));
    }
    out
}

/// Sends `n` responses to `form` through the answering path, spread over the
/// last six months.
pub async fn respond(
    db: &Db,
    rng: &mut StdRng,
    form: &SurveyForm,
    organisation_id: i64,
    area: &str,
    n: usize,
) -> Result<(), String> {
    let err = |e: app::error::AppError| format!("demo responses: {e}");
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let about = about(rng, area);
        let submission = Submission {
            answers: answers(rng, form, &about),
            about,
        };
        let screening = Screening::of(&submission, RiskList::standard());
        let stored = screening.stored(&submission);
        let key = format!("demo-{}-{i}", form.id);
        record_response(
            db,
            Destination {
                survey_id: form.id,
                organisation_id,
                key: &key,
                once: None,
            },
            &stored,
            &screening,
        )
        .await
        .map_err(err)?;
        ids.push((key, rng.gen_range(0..183i64)));
    }
    // The days they came in: spread back over six months (before folding,
    // which the server does once it runs).
    let today = app::db::now() / 86_400 * 86_400;
    let mut tx = db.write().await.map_err(err)?;
    // Only responses not folded yet, with the fold held off meanwhile.
    let mark = app::tallies::store::lock_mark(&mut tx.tx, db.backend())
        .await
        .map_err(err)?;
    for (key, days_ago) in ids {
        sqlx::query(
            "UPDATE responses SET submitted_at = $1 WHERE survey_id = $2 AND submission_key = $3
             AND id > $4",
        )
        .bind(today - days_ago * 86_400)
        .bind(form.id)
        .bind(key)
        .bind(mark)
        .execute(&mut **tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    // A moderator read the words and approved them.
    sqlx::query(
        "UPDATE answers SET state = 'approved' WHERE state = 'waiting' AND at_risk = 0
           AND offensive = 0 AND question_id IN (SELECT id FROM questions WHERE survey_id = $1)",
    )
    .bind(form.id)
    .execute(&mut **tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Ratings of a service: `n` of them, faces leaning `lean` (1 to 5).
pub async fn rate(
    db: &Db,
    rng: &mut StdRng,
    form: &SurveyForm,
    organisation_id: i64,
    n: usize,
    lean: u8,
) -> Result<(), String> {
    for i in 0..n {
        let mut answers = Vec::new();
        for q in &form.questions {
            match q.kind {
                QuestionKind::Scale => answers.push((
                    q.id,
                    Answer::Scale((lean + rng.gen_range(0..3)).saturating_sub(1).clamp(1, 5)),
                )),
                QuestionKind::LongText | QuestionKind::ShortText if rng.gen_range(0..5) == 0 => {
                    answers.push((q.id, Answer::Text(pick(rng, &SENTENCES).to_string())))
                }
                _ => {}
            }
        }
        let submission = Submission {
            answers,
            about: AboutYou {
                age_band: Some(Choice::Said(AgeBand::ALL[1 + rng.gen_range(0..4)])),
                area_code: None,
                groups: None,
            },
        };
        let screening = Screening::of(&submission, RiskList::standard());
        let key = format!("demo-rating-{}-{i}", form.id);
        record_response(
            db,
            Destination {
                survey_id: form.id,
                organisation_id,
                key: &key,
                once: None,
            },
            &screening.stored(&submission),
            &screening,
        )
        .await
        .map_err(|e| format!("demo ratings: {e}"))?;
    }
    sqlx::query(
        "UPDATE answers SET state = 'approved' WHERE state = 'waiting' AND at_risk = 0
           AND offensive = 0 AND question_id IN (SELECT id FROM questions WHERE survey_id = $1)",
    )
    .bind(form.id)
    .execute(db.pool())
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// A seeded generator: the same demo every time.
pub fn seeded() -> StdRng {
    StdRng::seed_from_u64(2026)
}
