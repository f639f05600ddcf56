//! Folding new rows into the tallies, taking deleted ones back out, and the
//! reads: the tallies plus the tail not folded yet. Portable SQL: the same
//! statements on SQLite and PostgreSQL (sums cast back to whole numbers,
//! which PostgreSQL would otherwise widen).

use super::{month_bounds, month_key, AnswerRow, Fold, Who, POSITIVE_SQL};
pub(crate) use crate::db::Sql;
use crate::db::{id_list, now, Backend, Db};
use crate::error::AppError;
use std::collections::BTreeMap;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// An answer with its question and response, as folding reads it.
type AnswerTuple = (
    i64,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    i64,
    String,
    i64,
    i64,
    String,
    String,
    String,
);

/// Responses folded (with their answers) in one short write transaction.
const BATCH: i64 = 500;

/// How long a fold waits on PostgreSQL for the submissions under way to
/// finish before it reads where they end; past it, it tries next round.
const CEILING_WAIT: &str = "100ms";

/// Folding servers take turns on PostgreSQL through this advisory lock.
const FOLDER_LOCK: i64 = 0x6865_6172_6401;

/// PostgreSQL advisory lock that every transaction storing a new response
/// holds shared ([`before_new_response`]) and [`ceiling`] takes alone, for a
/// moment. Not a lock on `responses` itself: that would also wait for
/// VACUUM, and make submissions wait behind it.
const NEW_RESPONSES_LOCK: i64 = 0x6865_6172_6402;

/// How far the fold has gone, in one statement's own snapshot: every
/// response with an id up to it is in the tallies, every later one is the
/// tail. Responses are never deleted, so ids are never given again.
const FOLDED_TO: &str = "(SELECT folded_to FROM tally_folder WHERE id = 1)";

/// Folds what is waiting, a batch per transaction, until nothing is (or
/// `max_batches` have run). Returns the responses folded.
pub async fn fold(db: &Db, max_batches: usize) -> Result<u64, AppError> {
    let Some(ceiling) = ceiling(db).await? else {
        return Ok(0);
    };
    let mut total = 0;
    for _ in 0..max_batches {
        let n = fold_batch(db, ceiling).await?;
        total += n;
        if n == 0 {
            break;
        }
    }
    Ok(total)
}

/// The fold job, until the process stops: every [`super::FOLD_EVERY`] it
/// folds what is waiting (up to `max_batches` batches, each its own short
/// transaction).
pub async fn keep_folding(db: Db, max_batches: usize) {
    let mut tick = tokio::time::interval(super::FOLD_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = fold(&db, max_batches).await {
            tracing::warn!(error = ?e, "could not fold new responses into the tallies");
        }
    }
}

/// Where the fold may go this round: an id such that every response up to
/// it has committed (or never will), so none can turn up behind the mark
/// later. `None`: try next round.
///
/// PostgreSQL hands out ids as submissions start and they commit in any
/// order, so the largest id seen may have smaller ones still under way.
/// Taking [`NEW_RESPONSES_LOCK`] alone waits for every transaction storing
/// a response (at most [`CEILING_WAIT`]) and is let go at once: the largest
/// id then is a ceiling. On SQLite the one writer reads it in the fold's own
/// transaction ([`fold_batch`]), so here it says "any".
async fn ceiling(db: &Db) -> Result<Option<i64>, AppError> {
    if db.backend() == Backend::Sqlite {
        return Ok(Some(i64::MAX));
    }
    let mut tx = db.pool().begin().await?;
    sqlx::query(&format!("SET LOCAL lock_timeout = '{CEILING_WAIT}'"))
        .execute(&mut *tx)
        .await?;
    match sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(NEW_RESPONSES_LOCK)
        .execute(&mut *tx)
        .await
    {
        Ok(_) => {}
        // lock_not_available: a slow submission is under way.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
            tracing::debug!("a submission is slow: folding next round");
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    }
    let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM responses")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(max))
}

/// One batch: the next responses after the mark, up to [`BATCH`] and no
/// further than `ceiling`, with all their answers, then the mark moved past
/// them, in one transaction. The mark's row is locked first, so a change to
/// a response's answers either waits for the fold and then tallies itself
/// ([`lock_response`]), or lands before and is read by it: never both,
/// never neither. Nothing is written to the responses themselves.
async fn fold_batch(db: &Db, ceiling: i64) -> Result<u64, AppError> {
    let mut tx = db.write().await?;
    let postgres = db.backend() == Backend::Postgres;
    if postgres {
        // Servers fold one at a time: a server that finds another folding
        // skips this round rather than wait (SQLite's writers queue).
        let (mine,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_xact_lock($1)")
            .bind(FOLDER_LOCK)
            .fetch_one(&mut **tx)
            .await?;
        if !mine {
            return Ok(0);
        }
    }
    // Written first: the mark's row is locked (and SQLite's write lock
    // taken) before anything is read.
    let (from,): (i64,) =
        sqlx::query_as("UPDATE tally_folder SET folded_at = $1 WHERE id = 1 RETURNING folded_to")
            .bind(now())
            .fetch_one(&mut **tx)
            .await?;
    // Along the primary key from the mark: the tail, whatever its surveys.
    let (n, to): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(id) FROM (
           SELECT id FROM responses WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3
         ) batch",
    )
    .bind(from)
    .bind(ceiling)
    .bind(BATCH)
    .fetch_one(&mut **tx)
    .await?;
    let Some(to) = to else {
        tx.commit().await?;
        return Ok(0);
    };
    // Counted by the database: a few hundred grouped rows come back, not
    // every answer.
    let mut fold = Fold::default();
    count_into(&mut tx, from, to, &mut fold).await?;
    apply(&mut tx, &fold).await?;
    sqlx::query("UPDATE tally_folder SET folded_to = $1 WHERE id = 1")
        .bind(to)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(n as u64)
}

/// Adds what responses `from` < id <= `to` hold to `fold`, counted as
/// [`Fold::answers`] counts (the integration tests hold the two to the
/// same answers): responses by who and month; answers by question, place
/// and value (never free text, never hidden); who answered each question
/// (multiple choice once a response, free text every answer, the rest their
/// first place); outcome answers by who.
async fn count_into(tx: &mut Tx, from: i64, to: i64, fold: &mut Fold) -> Result<(), AppError> {
    let who = "COALESCE(r.age_band, ''), COALESCE(r.area_code, ''), COALESCE(r.groups, '')";
    let responses: Vec<(i64, i64, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT r.survey_id, r.submitted_at, {who}, COUNT(*) FROM responses r
         WHERE r.id > $1 AND r.id <= $2
         GROUP BY r.survey_id, r.submitted_at, r.age_band, r.area_code, r.groups"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?;
    for (survey_id, day, age_band, area_code, groups, n) in responses {
        let survey = fold.surveys.entry(survey_id).or_insert((0, 0));
        survey.0 += n;
        survey.1 = survey.1.max(day);
        let w = Who {
            month: month_key(day),
            age_band,
            area_code,
            groups,
        };
        *fold.responses.entry((survey_id, w)).or_default() += n;
    }
    let answers: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.position, a.value, COUNT(*) FROM answers a
         JOIN questions q ON q.id = a.question_id
         WHERE a.response_id > $1 AND a.response_id <= $2 AND a.state IS NULL
           AND q.kind NOT IN ('short_text', 'long_text')
         GROUP BY a.question_id, a.position, a.value",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?;
    for (q, p, v, n) in answers {
        *fold.answers.entry((q, p, v)).or_default() += n;
    }
    let answered: Vec<(i64, i64)> = sqlx::query_as(&answered_sql(
        "answers a",
        "a.response_id > $1 AND a.response_id <= $2",
        "",
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?;
    for (q, n) in answered {
        *fold.answered.entry(q).or_default() += n;
    }
    type OutcomeRow = (i64, String, i64, String, String, String, i64, i64);
    let outcomes: Vec<OutcomeRow> = sqlx::query_as(&format!(
        "SELECT q.survey_id, q.outcome, r.submitted_at, {who},
                    CAST(SUM({POSITIVE_SQL}) AS BIGINT), COUNT(*)
             FROM answers a JOIN questions q ON q.id = a.question_id
             JOIN responses r ON r.id = a.response_id
             WHERE a.response_id > $1 AND a.response_id <= $2 AND a.state IS NULL
               AND q.outcome IS NOT NULL AND q.kind IN {kinds}
             GROUP BY q.survey_id, q.outcome, r.submitted_at, r.age_band, r.area_code, r.groups",
        kinds = super::OUTCOME_KINDS_SQL
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?;
    for (survey_id, outcome, day, age_band, area_code, groups, positive, n) in outcomes {
        let w = Who {
            month: month_key(day),
            age_band,
            area_code,
            groups,
        };
        let e = fold.outcomes.entry((survey_id, outcome, w)).or_default();
        e.0 += positive;
        e.1 += n;
    }
    Ok(())
}

/// Answers with what folding needs of their question and response.
const ANSWERS_SQL: &str =
    "SELECT a.id, a.response_id, q.survey_id, a.question_id, q.kind, q.outcome,
        a.position, a.value, CASE WHEN a.state IS NULL THEN 1 ELSE 0 END,
        r.submitted_at, COALESCE(r.age_band, ''), COALESCE(r.area_code, ''), COALESCE(r.groups, '')
     FROM answers a
     JOIN questions q ON q.id = a.question_id
     JOIN responses r ON r.id = a.response_id";

/// One answer with its question and response, as read for folding.
fn answer_row(
    (
        _,
        response_id,
        survey_id,
        question_id,
        kind,
        outcome,
        position,
        value,
        counted,
        day,
        age_band,
        area_code,
        groups,
    ): AnswerTuple,
) -> AnswerRow {
    let positive = super::is_positive(&kind, &value);
    AnswerRow {
        response_id,
        survey_id,
        question_id,
        kind,
        outcome,
        position,
        value,
        counted: counted == 1,
        positive,
        who: Who {
            month: month_key(day),
            age_band,
            area_code,
            groups,
        },
    }
}

/// Adds `fold` to the tallies: each table's rows in a few statements, in
/// key order (so two writers lock rows in the same order).
async fn apply(tx: &mut Tx, fold: &Fold) -> Result<(), AppError> {
    upsert(
        tx,
        "INSERT INTO survey_tallies (survey_id, responses, last_day)",
        3,
        "ON CONFLICT (survey_id) DO UPDATE SET
           responses = survey_tallies.responses + excluded.responses,
           last_day = CASE WHEN excluded.last_day > survey_tallies.last_day
                           THEN excluded.last_day ELSE survey_tallies.last_day END",
        fold.surveys.iter(),
        |q, (survey, (n, last))| q.bind(*survey).bind(*n).bind(*last),
    )
    .await?;
    upsert(
        tx,
        "INSERT INTO response_tallies (survey_id, month, age_band, area_code, groups, responses)",
        6,
        "ON CONFLICT (survey_id, month, age_band, area_code, groups) DO UPDATE SET
           responses = response_tallies.responses + excluded.responses",
        fold.responses.iter(),
        |q, ((survey, who), n)| bind_who(q.bind(*survey), who).bind(*n),
    )
    .await?;
    upsert(
        tx,
        "INSERT INTO answer_tallies (question_id, position, value, answers)",
        4,
        "ON CONFLICT (question_id, position, value) DO UPDATE SET
           answers = answer_tallies.answers + excluded.answers",
        fold.answers.iter(),
        |q, ((question, position, value), n)| {
            q.bind(*question)
                .bind(*position)
                .bind(value.clone())
                .bind(*n)
        },
    )
    .await?;
    upsert(
        tx,
        "INSERT INTO question_tallies (question_id, answered)",
        2,
        "ON CONFLICT (question_id) DO UPDATE SET
           answered = question_tallies.answered + excluded.answered",
        fold.answered.iter(),
        |q, (question, n)| q.bind(*question).bind(*n),
    )
    .await?;
    upsert(
        tx,
        "INSERT INTO outcome_tallies
           (survey_id, outcome, month, age_band, area_code, groups, positive, answered)",
        8,
        "ON CONFLICT (survey_id, outcome, month, age_band, area_code, groups) DO UPDATE SET
           positive = outcome_tallies.positive + excluded.positive,
           answered = outcome_tallies.answered + excluded.answered",
        fold.outcomes.iter(),
        |q, ((survey, outcome, who), (positive, answered))| {
            bind_who(q.bind(*survey).bind(outcome.clone()), who)
                .bind(*positive)
                .bind(*answered)
        },
    )
    .await?;
    Ok(())
}

/// Binds who answered: month, age band, area and groups.
fn bind_who<'q>(q: AnyQuery<'q>, who: &Who) -> AnyQuery<'q> {
    q.bind(who.month)
        .bind(who.age_band.clone())
        .bind(who.area_code.clone())
        .bind(who.groups.clone())
}

/// Rows bound in one statement at most (8 values a row stays far below
/// every driver's limit on bound parameters).
const UPSERT_ROWS: usize = 200;

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// `insert VALUES (…), (…) conflict` for `rows`, [`UPSERT_ROWS`] a
/// statement, each row binding `width` values through `bind`. One
/// statement a few hundred rows rather than one a row: a fold writes its
/// counts in a handful of round trips.
async fn upsert<T: Send>(
    tx: &mut Tx,
    insert: &str,
    width: usize,
    conflict: &str,
    rows: impl Iterator<Item = T>,
    bind: impl for<'q> Fn(AnyQuery<'q>, T) -> AnyQuery<'q>,
) -> Result<(), AppError> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let chunk: Vec<T> = rows.by_ref().take(UPSERT_ROWS).collect();
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let row: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", row.join(", "))
            })
            .collect();
        let sql = format!("{insert} VALUES {} {conflict}", values.join(", "));
        // Not kept prepared: its text varies with the number of rows, and
        // kept it would push the submissions' statements out of the cache.
        let mut q = sqlx::query(&sql).persistent(false);
        for row in chunk {
            q = bind(q, row);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Locks response `id` for a change to its answers, and says whether it
/// is folded already: if it is, the change must tally itself ([`forget`],
/// [`add`]) in the same transaction; if not, the fold will read the
/// answers as they then are. The response's row is locked against other
/// changes to it, and the fold's mark against moving on while this
/// transaction runs (a fold under way finishes first).
pub async fn lock_response(tx: &mut Tx, backend: Backend, id: i64) -> Result<bool, AppError> {
    let row = match backend {
        // One writer at a time already.
        Backend::Sqlite => "SELECT id FROM responses WHERE id = $1",
        Backend::Postgres => "SELECT id FROM responses WHERE id = $1 FOR UPDATE",
    };
    let found: Option<(i64,)> = sqlx::query_as(row)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some() && id <= lock_mark(tx, backend).await?)
}

/// How far the fold has gone, held there until this transaction ends (a
/// fold under way finishes first): responses up to it are in the tallies,
/// later ones will be folded as they then are. Shared on PostgreSQL, so
/// changes to different responses go on side by side.
pub async fn lock_mark(tx: &mut Tx, backend: Backend) -> Result<i64, AppError> {
    let sql = match backend {
        // One writer at a time already.
        Backend::Sqlite => format!("SELECT {FOLDED_TO}"),
        Backend::Postgres => "SELECT folded_to FROM tally_folder WHERE id = 1 FOR SHARE".into(),
    };
    let (to,): (i64,) = sqlx::query_as(&sql).fetch_one(&mut **tx).await?;
    Ok(to)
}

/// Called by every transaction that stores a new response, before its
/// `INSERT INTO responses` (answering and live sessions do):
/// on PostgreSQL it holds [`NEW_RESPONSES_LOCK`] shared until it commits, so
/// a fold can wait for responses still being stored ([`ceiling`]).
pub async fn before_new_response(tx: &mut Tx, backend: Backend) -> Result<(), AppError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind(NEW_RESPONSES_LOCK)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// What a `DELETE FROM answers` returns for [`forget`].
pub const DELETED_RETURNING: &str = "RETURNING response_id, question_id, position, value,
    CASE WHEN state IS NULL THEN 1 ELSE 0 END";

/// One deleted answer, as [`DELETED_RETURNING`] returns it.
pub type Deleted = (i64, i64, i64, String, i64);

/// Takes deleted answers of folded responses back out of the tallies, in
/// the deleting transaction, which has [`lock_response`]d each first.
pub async fn forget(tx: &mut Tx, deleted: &[Deleted]) -> Result<(), AppError> {
    let mut rows = Vec::new();
    for (response_id, question_id, position, value, counted) in deleted {
        let (tallied, survey_id, kind, outcome, day, age_band, area_code, groups): (
            i64,
            i64,
            String,
            Option<String>,
            i64,
            String,
            String,
            String,
        ) = sqlx::query_as(&format!(
            "SELECT CASE WHEN r.id <= {FOLDED_TO} THEN 1 ELSE 0 END, q.survey_id, q.kind, q.outcome, r.submitted_at, COALESCE(r.age_band, ''),
                    COALESCE(r.area_code, ''), COALESCE(r.groups, '')
             FROM questions q, responses r WHERE q.id = $1 AND r.id = $2"
        ))
        .bind(question_id)
        .bind(response_id)
        .fetch_one(&mut **tx)
        .await?;
        if tallied != 1 {
            continue;
        }
        rows.push(AnswerRow {
            response_id: *response_id,
            survey_id,
            question_id: *question_id,
            positive: super::is_positive(&kind, value),
            kind,
            outcome,
            position: *position,
            value: value.clone(),
            counted: *counted == 1,
            who: Who {
                month: month_key(day),
                age_band,
                area_code,
                groups,
            },
        });
    }
    if rows.is_empty() {
        return Ok(());
    }
    let mut fold = Fold::default();
    fold.answers(&rows, -1);
    apply(tx, &fold).await
}

/// Adds answers `ids`, just stored for a folded response, to the tallies in
/// the storing transaction (a live session's changed answer).
pub async fn add(tx: &mut Tx, ids: &[i64]) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = id_list(ids);
    let rows: Vec<AnswerRow> =
        sqlx::query_as::<_, AnswerTuple>(&format!("{ANSWERS_SQL} WHERE a.id IN ({list})"))
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(answer_row)
            .collect();
    let mut fold = Fold::default();
    fold.answers(&rows, 1);
    apply(tx, &fold).await
}

// Each read is one statement, the tallies and the tail together: a fold
// that commits between two statements would otherwise be counted in
// neither or both. One statement sees one snapshot on both databases. The
// tail starts from the survey's untallied responses ([`tail_answers`]):
// starting from the questions' answers would read every answer ever given.

/// A survey's untallied responses `r` and their answers `a`, read in that
/// order on both databases: each untallied response, then its answers
/// through `answers_response`. SQLite keeps a `CROSS JOIN` to the order
/// written. PostgreSQL plans joins by cost, from statistics: gathered while
/// a bulk load or a big fold had every response untallied, they made it
/// hash all ten million answers of a 1M-response survey for one results
/// page (8.4 s). A lateral subquery it may not flatten (`OFFSET 0`) can
/// only be read once a response, through the index.
pub fn tail_answers(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "responses r CROSS JOIN answers a",
        Backend::Postgres => {
            "responses r CROSS JOIN LATERAL
               (SELECT a.response_id, a.question_id, a.position, a.value, a.state
                FROM answers a WHERE a.response_id = r.id OFFSET 0) a"
        }
    }
}

/// Response `r` is in the tail, not folded yet: after the mark as the
/// statement itself sees it ([`FOLDED_TO`]), and after `hint` (where the
/// statement binds [`folded_hint`]). The mark only moves on, so the hint
/// never changes which rows count; it tells the planner where the tail
/// starts, so it reads the tail along the primary key, a second's worth of
/// responses, whatever the statistics say. The survey conditions beside it
/// are written `+r.survey_id`, which no index answers, so no plan reads a
/// whole survey's responses to find its tail.
pub fn untallied(r: &str, hint: &str) -> String {
    format!("{r}.id > {hint} AND {r}.id > {FOLDED_TO}")
}

/// How far the fold had gone a moment ago: the hint for [`untallied`].
pub async fn folded_hint(db: &Db) -> Result<i64, AppError> {
    let (to,): (i64,) = sqlx::query_as(&format!("SELECT {FOLDED_TO}"))
        .fetch_one(db.pool())
        .await?;
    Ok(to)
}

/// Runs `sql`, a read of survey `$1` with its tail ([`untallied`], the hint
/// at `$2`), planned with its values each time (not kept prepared), so
/// PostgreSQL sees where the tail starts.
async fn survey_rows<O>(db: &Db, sql: &str, survey_id: i64) -> Result<Vec<O>, AppError>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let hint = folded_hint(db).await?;
    Ok(sqlx::query_as(sql)
        .persistent(false)
        .bind(survey_id)
        .bind(hint)
        .fetch_all(db.pool())
        .await?)
}

/// A survey's responses and the day of the last one.
pub async fn survey_totals(db: &Db, survey_id: i64) -> Result<(i64, Option<i64>), AppError> {
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT), MAX(d) FROM (
           SELECT responses AS n, CASE WHEN responses > 0 THEN last_day END AS d
           FROM survey_tallies WHERE survey_id = $1
           UNION ALL
           SELECT COUNT(*), MAX(r.submitted_at) FROM responses r
           WHERE +r.survey_id = $1 AND {tail}
         ) x",
        tail = untallied("r", "$2")
    );
    let totals = survey_rows(db, &sql, survey_id).await?;
    Ok(totals.into_iter().next().unwrap_or((0, None)))
}

/// Counts of every `(question, position, value)` of a survey's questions but
/// free text (hidden answers left out).
pub async fn answer_counts(
    db: &Db,
    survey_id: i64,
) -> Result<Vec<(i64, i64, String, i64)>, AppError> {
    survey_rows(db, &answer_counts_sql(db.backend()), survey_id).await
}

/// [`answer_counts`]' statement: the survey is `$1`, [`folded_hint`] `$2`.
pub fn answer_counts_sql(backend: Backend) -> String {
    format!(
        "SELECT question_id, position, value, CAST(SUM(n) AS BIGINT) FROM (
           SELECT t.question_id, t.position, t.value, t.answers AS n FROM answer_tallies t
           WHERE t.question_id IN (SELECT id FROM questions WHERE survey_id = $1)
           UNION ALL
           SELECT a.question_id, a.position, a.value, COUNT(*)
           FROM {tail}
           WHERE +r.survey_id = $1 AND {untallied} AND a.response_id = r.id
             AND a.state IS NULL
             AND a.question_id IN (SELECT id FROM questions
                                   WHERE survey_id = $1 AND kind NOT IN ('short_text', 'long_text'))
           GROUP BY a.question_id, a.position, a.value
         ) x
         GROUP BY question_id, position, value HAVING SUM(n) > 0
         ORDER BY question_id, position, value",
        tail = tail_answers(backend),
        untallied = untallied("r", "$2"),
    )
}

/// How many responses answered each of a survey's questions: the tallies
/// and the untallied tail, counted by [`answered_sql`] as folding counts.
pub async fn answered(db: &Db, survey_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    survey_rows(db, &answered_survey_sql(db.backend()), survey_id).await
}

/// [`answered`]'s statement: the survey is `$1`, [`folded_hint`] `$2`.
pub fn answered_survey_sql(backend: Backend) -> String {
    let tail = answered_sql(
        tail_answers(backend),
        &format!(
            "+r.survey_id = $1 AND {} AND a.response_id = r.id",
            untallied("r", "$2")
        ),
        "survey_id = $1 AND",
    );
    format!(
        "SELECT question_id, CAST(SUM(n) AS BIGINT) FROM (
           SELECT question_id, answered AS n FROM question_tallies
           WHERE question_id IN (SELECT id FROM questions WHERE survey_id = $1)
           UNION ALL
           {tail}
         ) x
         GROUP BY question_id HAVING SUM(n) > 0 ORDER BY question_id",
    )
}

/// `(question, responses that answered it)` over the answers `from` holds
/// where `rows`, of questions where `questions` (a condition ending in
/// `AND`, or empty): one answer a response (at place 0, or 1 for rankings,
/// not hidden) but multiple choice (distinct responses) and free text (every
/// answer, whatever its moderation). The fold and the read of the untallied
/// tail both count with it, so the two can never disagree.
fn answered_sql(from: &str, rows: &str, questions: &str) -> String {
    let part = |count: &str, also: &str, kinds: &str| {
        format!(
            "SELECT a.question_id, {count} FROM {from}
             WHERE {rows}{also}
               AND a.question_id IN (SELECT id FROM questions WHERE {questions} kind {kinds})
             GROUP BY a.question_id"
        )
    };
    [
        part(
            "COUNT(*)",
            " AND a.position <= 1 AND a.state IS NULL",
            "NOT IN ('multiple_choice', 'short_text', 'long_text')",
        ),
        part("COUNT(*)", "", "IN ('short_text', 'long_text')"),
        part("COUNT(DISTINCT a.response_id)", "", "= 'multiple_choice'"),
    ]
    .join(" UNION ALL ")
}

/// A survey's responses by what they said about themselves: (age band,
/// area, groups) → responses, '' where they did not say.
pub async fn about(
    db: &Db,
    survey_id: i64,
) -> Result<Vec<(String, String, String, i64)>, AppError> {
    let sql = format!(
        "SELECT age_band, area_code, groups, CAST(SUM(n) AS BIGINT) FROM (
           SELECT age_band, area_code, groups, responses AS n FROM response_tallies
           WHERE survey_id = $1
           UNION ALL
           SELECT COALESCE(r.age_band, ''), COALESCE(r.area_code, ''), COALESCE(r.groups, ''),
                  COUNT(*)
           FROM responses r WHERE +r.survey_id = $1 AND {tail}
           GROUP BY r.age_band, r.area_code, r.groups
         ) x
         GROUP BY age_band, area_code, groups HAVING SUM(n) > 0
         ORDER BY age_band, area_code, groups",
        tail = untallied("r", "$2")
    );
    survey_rows(db, &sql, survey_id).await
}

// ------------------------------------------------------- across surveys

/// Which surveys count: not a service's ratings, not drafts, with at least
/// `minimum` responses, of organisations in `areas` (everywhere for
/// `None`), optionally of one organisation.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub areas: Option<Vec<String>>,
    pub minimum: i64,
    pub organisation: Option<i64>,
    pub survey: Option<i64>,
}

/// Who is counted within the scope: each `None` is everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slice {
    /// The young person's area, or the organisation's where they gave none.
    pub area: Option<String>,
    pub age_band: Option<String>,
    pub group: Option<String>,
    /// Months `year * 100 + month`, both ends included.
    pub from_month: Option<i64>,
    pub to_month: Option<i64>,
}

/// How counts are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Whole,
    Area,
    AgeBand,
    /// The stored list of groups ("in_care,young_carer"); callers count a
    /// response in each of its groups.
    Groups,
    Month,
    /// "month|survey"
    MonthSurvey,
    Survey,
    /// "area|age band|groups"
    Who,
}

/// Folded rows (`t`) or the tail (`r`, the response itself).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Folded,
    Tail,
}

impl Part {
    fn area(self) -> &'static str {
        match self {
            Part::Folded => {
                "CASE WHEN t.area_code = '' THEN COALESCE(o.area_code, '') ELSE t.area_code END"
            }
            Part::Tail => "COALESCE(r.area_code, o.area_code, '')",
        }
    }
    fn age(self) -> &'static str {
        match self {
            Part::Folded => "t.age_band",
            Part::Tail => "COALESCE(r.age_band, '')",
        }
    }
    fn groups(self) -> &'static str {
        match self {
            Part::Folded => "t.groups",
            Part::Tail => "COALESCE(r.groups, '')",
        }
    }
    /// What the rows are grouped by. Months of the tail come as days (SQL
    /// cannot tell months portably) and are turned into months after.
    fn key(self, by: By) -> String {
        match by {
            // Never grouped by (PostgreSQL refuses a constant there).
            By::Whole => "''".into(),
            By::Area => self.area().into(),
            By::AgeBand => self.age().into(),
            By::Groups => self.groups().into(),
            By::Month => match self {
                Part::Folded => "CAST(t.month AS TEXT)".into(),
                Part::Tail => "CAST(r.submitted_at AS TEXT)".into(),
            },
            By::MonthSurvey => format!("{} || '|' || CAST(s.id AS TEXT)", self.key(By::Month)),
            By::Survey => "CAST(s.id AS TEXT)".into(),
            By::Who => format!(
                "{} || '|' || {} || '|' || {}",
                self.area(),
                self.age(),
                self.groups()
            ),
        }
    }
}

/// The surveys in scope, as a subquery (`hint`: [`folded_hint`]).
pub(crate) fn eligible(sql: &mut Sql, scope: &Scope, hint: i64) -> String {
    let mut clauses = vec![
        "s.service_id IS NULL".to_string(),
        "s.status <> 'draft'".to_string(),
    ];
    if let Some(areas) = &scope.areas {
        if areas.is_empty() {
            clauses.push("1 = 0".into());
        } else {
            let list: Vec<String> = areas.iter().map(|a| sql.text(a)).collect();
            clauses.push(format!("o.area_code IN ({})", list.join(", ")));
        }
    }
    if let Some(org) = scope.organisation {
        clauses.push(format!("s.organisation_id = {}", sql.int(org)));
    }
    if let Some(survey) = scope.survey {
        clauses.push(format!("s.id = {}", sql.int(survey)));
    }
    let minimum = sql.int(scope.minimum);
    format!(
        "SELECT s.id FROM surveys s JOIN organisations o ON o.id = s.organisation_id
         {} WHERE {} AND {RESPONSES_OF_S} >= {minimum}",
        responses_of_surveys(&sql.int(hint)),
        clauses.join(" AND "),
    )
}

/// Joined to surveys `s`, what [`RESPONSES_OF_S`] reads: each survey's
/// tally, and the tail counted once for every survey (`hint`: where
/// [`folded_hint`] is bound), not read again for each.
pub fn responses_of_surveys(hint: &str) -> String {
    format!(
        "LEFT JOIN survey_tallies s_tally ON s_tally.survey_id = s.id
         LEFT JOIN (SELECT +u.survey_id AS survey_id, COUNT(*) AS n FROM responses u WHERE {}
                    GROUP BY +u.survey_id) s_tail ON s_tail.survey_id = s.id",
        untallied("u", hint)
    )
}

/// How many responses survey `s` has, with [`responses_of_surveys`] joined.
pub const RESPONSES_OF_S: &str = "(COALESCE(s_tally.responses, 0) + COALESCE(s_tail.n, 0))";

/// The slice's conditions for one part (the tail's: `r` the response, `o`
/// its survey's organisation).
pub(crate) fn sliced(sql: &mut Sql, slice: &Slice, part: Part) -> String {
    let mut c = Vec::new();
    if let Some(area) = &slice.area {
        c.push(format!("{} = {}", part.area(), sql.text(area)));
    }
    if let Some(age) = &slice.age_band {
        c.push(format!("{} = {}", part.age(), sql.text(age)));
    }
    if let Some(group) = &slice.group {
        c.push(format!(
            "(',' || {} || ',') LIKE {}",
            part.groups(),
            sql.text(&format!("%,{group},%"))
        ));
    }
    match part {
        Part::Folded => {
            if let Some(from) = slice.from_month {
                c.push(format!("t.month >= {}", sql.int(from)));
            }
            if let Some(to) = slice.to_month {
                c.push(format!("t.month <= {}", sql.int(to)));
            }
        }
        Part::Tail => {
            if let Some(from) = slice.from_month {
                c.push(format!(
                    "r.submitted_at >= {}",
                    sql.int(month_bounds(from).0)
                ));
            }
            if let Some(to) = slice.to_month {
                c.push(format!("r.submitted_at < {}", sql.int(month_bounds(to).1)));
            }
        }
    }
    if c.is_empty() {
        "1 = 1".into()
    } else {
        c.join(" AND ")
    }
}

/// `GROUP BY` for `by` (nothing for the whole).
fn grouping(by: By, key: &str) -> String {
    if by == By::Whole {
        String::new()
    } else {
        format!("GROUP BY {key}")
    }
}

fn merge_key(part: Part, by: By, key: String) -> String {
    let month = |day: &str| day.parse::<i64>().map(month_key).unwrap_or(0).to_string();
    match (part, by) {
        (Part::Tail, By::Month) => month(&key),
        (Part::Tail, By::MonthSurvey) => match key.split_once('|') {
            Some((day, survey)) => format!("{}|{survey}", month(day)),
            None => key,
        },
        _ => key,
    }
}

/// Responses in scope and slice, grouped `by`: key → responses.
pub async fn responses(
    db: &Db,
    scope: &Scope,
    slice: &Slice,
    by: By,
) -> Result<BTreeMap<String, i64>, AppError> {
    let hint = folded_hint(db).await?;
    let mut sql = Sql::default();
    let mut parts = Vec::new();
    for part in [Part::Folded, Part::Tail] {
        let eligible = eligible(&mut sql, scope, hint);
        let tail = match part {
            Part::Folded => String::new(),
            Part::Tail => untallied("r", &sql.int(hint)),
        };
        let cond = sliced(&mut sql, slice, part);
        let key = part.key(by);
        let group = grouping(by, &key);
        parts.push(match part {
            Part::Folded => format!(
                "SELECT CAST(0 AS BIGINT), {key}, CAST(COALESCE(SUM(t.responses), 0) AS BIGINT)
                 FROM response_tallies t
                 JOIN surveys s ON s.id = t.survey_id JOIN organisations o ON o.id = s.organisation_id
                 WHERE t.survey_id IN ({eligible}) AND {cond} {group}"
            ),
            Part::Tail => format!(
                "SELECT CAST(1 AS BIGINT), {key}, COUNT(*) FROM responses r
                 JOIN surveys s ON s.id = +r.survey_id JOIN organisations o ON o.id = s.organisation_id
                 WHERE {tail} AND +r.survey_id IN ({eligible}) AND {cond} {group}"
            ),
        });
    }
    let mut all = BTreeMap::new();
    for (part, k, n) in sql
        .rows::<(i64, String, i64)>(db, &parts.join(" UNION ALL "))
        .await?
    {
        let part = if part == 0 { Part::Folded } else { Part::Tail };
        *all.entry(merge_key(part, by, k)).or_default() += n;
    }
    all.retain(|_, n| *n > 0);
    Ok(all)
}

/// Answers to outcome-tagged questions in scope and slice, grouped `by`:
/// (outcome, key) → (positive, answered).
pub async fn outcomes(
    db: &Db,
    scope: &Scope,
    slice: &Slice,
    by: By,
) -> Result<BTreeMap<(String, String), (i64, i64)>, AppError> {
    let hint = folded_hint(db).await?;
    let mut sql = Sql::default();
    let mut parts = Vec::new();
    for part in [Part::Folded, Part::Tail] {
        let eligible = eligible(&mut sql, scope, hint);
        let tail = match part {
            Part::Folded => String::new(),
            Part::Tail => untallied("r", &sql.int(hint)),
        };
        let cond = sliced(&mut sql, slice, part);
        let key = part.key(by);
        let outcome = match part {
            Part::Folded => "t.outcome",
            Part::Tail => "q.outcome",
        };
        let group = match by {
            By::Whole => format!("GROUP BY {outcome}"),
            _ => format!("GROUP BY {outcome}, {key}"),
        };
        parts.push(match part {
            Part::Folded => format!(
                "SELECT CAST(0 AS BIGINT), t.outcome, {key}, CAST(COALESCE(SUM(t.positive), 0) AS BIGINT),
                        CAST(COALESCE(SUM(t.answered), 0) AS BIGINT)
                 FROM outcome_tallies t
                 JOIN surveys s ON s.id = t.survey_id JOIN organisations o ON o.id = s.organisation_id
                 WHERE t.survey_id IN ({eligible}) AND {cond} {group}"
            ),
            Part::Tail => format!(
                "SELECT CAST(1 AS BIGINT), q.outcome, {key}, CAST(SUM({POSITIVE_SQL}) AS BIGINT), COUNT(*)
                 FROM {answers} JOIN questions q ON q.id = a.question_id
                 JOIN surveys s ON s.id = q.survey_id JOIN organisations o ON o.id = s.organisation_id
                 WHERE {tail} AND +r.survey_id IN ({eligible}) AND a.response_id = r.id
                   AND a.state IS NULL AND q.outcome IS NOT NULL AND q.kind IN {kinds} AND {cond}
                 {group}",
                kinds = super::OUTCOME_KINDS_SQL,
                answers = tail_answers(db.backend()),
            ),
        });
    }
    let mut all: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for (part, o, k, p, n) in sql
        .rows::<(i64, String, String, i64, i64)>(db, &parts.join(" UNION ALL "))
        .await?
    {
        let part = if part == 0 { Part::Folded } else { Part::Tail };
        let e = all.entry((o, merge_key(part, by, k))).or_default();
        e.0 += p;
        e.1 += n;
    }
    all.retain(|_, (_, n)| *n > 0);
    Ok(all)
}

pub use super::split_who;

/// The surveys in scope, newest first (at most `limit`): (id, title,
/// organisation, organisation's area).
pub async fn surveys(
    db: &Db,
    scope: &Scope,
    limit: i64,
) -> Result<Vec<(i64, String, String, Option<String>)>, AppError> {
    let hint = folded_hint(db).await?;
    let mut sql = Sql::default();
    let eligible = eligible(&mut sql, scope, hint);
    let limit = sql.int(limit);
    let text = format!(
        "SELECT s.id, s.title, o.name, o.area_code FROM surveys s
         JOIN organisations o ON o.id = s.organisation_id
         WHERE s.id IN ({eligible}) ORDER BY s.updated_at DESC, s.id DESC LIMIT {limit}"
    );
    sql.rows(db, &text).await
}

/// The organisations with surveys in scope, by name: (id, name).
pub async fn organisations(db: &Db, scope: &Scope) -> Result<Vec<(i64, String)>, AppError> {
    let hint = folded_hint(db).await?;
    let mut sql = Sql::default();
    let eligible = eligible(&mut sql, scope, hint);
    let text = format!(
        "SELECT DISTINCT o.id, o.name FROM organisations o JOIN surveys s ON s.organisation_id = o.id
         WHERE s.id IN ({eligible}) ORDER BY o.name"
    );
    sql.rows(db, &text).await
}

/// How many surveys and organisations are in scope.
pub async fn scope_size(db: &Db, scope: &Scope) -> Result<(i64, i64), AppError> {
    let hint = folded_hint(db).await?;
    let mut sql = Sql::default();
    let eligible = eligible(&mut sql, scope, hint);
    let text = format!(
        "SELECT COUNT(*), COUNT(DISTINCT s.organisation_id) FROM surveys s WHERE s.id IN ({eligible})"
    );
    Ok(sql
        .rows::<(i64, i64)>(db, &text)
        .await?
        .into_iter()
        .next()
        .unwrap_or((0, 0)))
}
