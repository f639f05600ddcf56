//! Organisation staff download their own survey's responses: one row a
//! response, the day only, redacted free text only where nothing flagged it
//! (never offensive, hidden or with the safeguarding lead). Read a page of
//! responses at a time and streamed, so memory stays flat whatever the size;
//! the workbook is written in constant-memory mode to a temporary file that
//! is gone from the folder before the first byte is sent. Every download is
//! in the audit log.

use crate::accounts::viewer::Staff;
use crate::audit::store::{record_now, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::state::AppState;
use crate::surveys::model::{QuestionKind, SurveyForm};
use axum::extract::{Path, State};
use axum::response::Response;
use std::borrow::Cow;
use std::collections::HashMap;

/// Responses read at once.
pub const STEP: i64 = 2000;

/// The header: who answered (as they said), then each question.
pub fn header(form: &SurveyForm) -> Vec<String> {
    let mut h: Vec<String> = ["Response", "Day", "Age band", "Area", "Groups"]
        .map(String::from)
        .to_vec();
    h.extend(
        form.questions
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{}. {}", i + 1, q.prompt)),
    );
    h
}

/// One stored answer: (question, position, value, shown).
type AnswerCell<'a> = (i64, i64, &'a str, bool);

/// A response's cells, its answers as their labels.
fn cells(
    form: &SurveyForm,
    labels: &[HashMap<String, String>],
    number: u64,
    (day, age, area, groups): (i64, Option<String>, Option<String>, Option<String>),
    answers: &[AnswerCell<'_>],
) -> Vec<String> {
    let mut c = vec![
        number.to_string(),
        crate::db::human_day(day),
        age.unwrap_or_default(),
        area.unwrap_or_default(),
        groups.unwrap_or_default(),
    ];
    for (q, labels) in form.questions.iter().zip(labels) {
        let mut mine: Vec<&AnswerCell> = answers.iter().filter(|a| a.0 == q.id).collect();
        mine.sort_by_key(|a| a.1);
        let label = |v: &str| labels.get(v).cloned().unwrap_or_else(|| v.to_string());
        let text = match q.kind {
            QuestionKind::ShortText | QuestionKind::LongText => mine
                .iter()
                .filter(|a| a.3)
                .map(|a| a.2)
                .collect::<Vec<_>>()
                .join(" / "),
            QuestionKind::Ranking => mine
                .iter()
                .map(|a| format!("{}. {}", a.1, label(a.2)))
                .collect::<Vec<_>>()
                .join("; "),
            _ => mine
                .iter()
                .map(|a| label(a.2))
                .collect::<Vec<_>>()
                .join("; "),
        };
        c.push(text);
    }
    c
}

/// A page of responses, each with its answers packed into one JSON array of
/// `[question, position, state, offensive, at_risk, value]`: one row a
/// response rather than one an answer (a million responses are ten million
/// answers). The database's own JSON functions escape the words, whatever
/// they hold, and are quick: SQLite packs a million responses' answers in
/// about 7 s this way, against 24 s joining the same fields as text. The
/// responses are read along the primary key from where the last page ended:
/// `+` keeps both databases off the `(survey_id, submission_key)` index,
/// which would find every response of the survey and sort them again for
/// each page (a 1M-response download took 76 s that way).
pub fn page_sql(backend: Backend) -> String {
    let fields = "a.question_id, a.position, a.state, a.offensive, a.at_risk, a.value";
    let packed = match backend {
        Backend::Sqlite => format!("json_group_array(json_array({fields}))"),
        Backend::Postgres => format!("CAST(json_agg(json_build_array({fields})) AS TEXT)"),
    };
    format!(
        "SELECT r.id, r.submitted_at, r.age_band, r.area_code, r.groups,
                (SELECT {packed} FROM answers a WHERE a.response_id = r.id)
         FROM responses r
         WHERE +r.survey_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3"
    )
}

/// An answer read back from its packed form ([`page_sql`]): question,
/// position, state, offensive, at risk (both unset until screened), value.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct Packed<'a>(
    i64,
    i64,
    Option<Cow<'a, str>>,
    Option<i64>,
    Option<i64>,
    #[serde(borrow)] Cow<'a, str>,
);

/// Reads a response's packed answers back (none packed: no answers); `None`
/// if they are not as [`page_sql`] packs them.
fn unpack(packed: Option<&str>) -> Option<Vec<Packed<'_>>> {
    match packed {
        None => Some(Vec::new()),
        Some(json) => serde_json::from_str(json).ok(),
    }
}

/// A response as a page reads it: id, day, age band, area, groups, and its
/// answers packed ([`page_sql`]).
type ResponseRow = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Up to [`STEP`] responses to `survey` after response `after`, as stored.
async fn fetch(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    survey: i64,
    after: i64,
) -> Result<Vec<ResponseRow>, AppError> {
    Ok(sqlx::query_as(&page_sql(backend))
        .bind(survey)
        .bind(after)
        .bind(STEP)
        .fetch_all(conn)
        .await?)
}

/// SQLite's page cache for a download's connection, in KiB (SQLite's own
/// default is 2,000). A page of answers spans more of the file than the
/// default holds: with it, a 200,000-response download read about 1.7
/// pages from the operating system a response; with this, a fifth of that,
/// and took half the time.
const EXPORT_CACHE_KIB: i64 = 16_000;

/// Pages of a survey's responses, read one ahead on one connection of
/// their own: the database reads the next page while the last is written
/// out (each takes about as long, on different cores). An empty page ends
/// them; an error too. Reading stops as soon as nobody takes the pages (the
/// download was stopped), and at most two wait, so memory stays flat.
fn read_ahead(
    db: Db,
    survey: i64,
) -> tokio::sync::mpsc::Receiver<Result<Vec<ResponseRow>, AppError>> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        let mut conn = match db.pool().acquire().await {
            Ok(conn) => conn,
            Err(e) => {
                let _ = tx.send(Err(e.into())).await;
                return;
            }
        };
        // SQLite: a bigger page cache while the download reads (and its
        // own size back after, so the pool keeps nothing of it).
        let sqlite = db.backend() == Backend::Sqlite;
        let mut cache = None;
        if sqlite {
            cache = sqlx::query_as::<_, (i64,)>("PRAGMA cache_size")
                .fetch_one(&mut *conn)
                .await
                .ok();
            let set = format!("PRAGMA cache_size = -{EXPORT_CACHE_KIB}");
            let _ = sqlx::query(&set).execute(&mut *conn).await;
        }
        let mut after = 0;
        loop {
            let page = fetch(&mut conn, db.backend(), survey, after).await;
            let last = page.as_ref().ok().and_then(|p| p.last()).map(|r| r.0);
            if tx.send(page).await.is_err() {
                break;
            }
            match last {
                Some(last) => after = last,
                None => break,
            }
        }
        if let Some((size,)) = cache {
            let _ = sqlx::query(&format!("PRAGMA cache_size = {size}"))
                .execute(&mut *conn)
                .await;
        }
    });
    rx
}

/// The next page from [`read_ahead`]: `None` when there are no more.
async fn next_page(
    pages: &mut tokio::sync::mpsc::Receiver<Result<Vec<ResponseRow>, AppError>>,
) -> Result<Option<Vec<ResponseRow>>, AppError> {
    match pages.recv().await {
        Some(Ok(page)) if page.is_empty() => Ok(None),
        Some(Ok(page)) => Ok(Some(page)),
        Some(Err(e)) => Err(e),
        // The reader stopped without saying it had finished.
        None => Err(AppError::Unexpected),
    }
}

/// A page of responses as rows of the file, numbered from `numbered_from`.
fn rows_of(
    form: &SurveyForm,
    labels: &[HashMap<String, String>],
    numbered_from: u64,
    responses: Vec<ResponseRow>,
) -> Result<Vec<Vec<String>>, AppError> {
    let free_text: Vec<i64> = form
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::ShortText | QuestionKind::LongText))
        .map(|q| q.id)
        .collect();
    let mut rows = Vec::with_capacity(responses.len());
    for (i, (id, day, age, area, groups, packed)) in responses.into_iter().enumerate() {
        let Some(answers) = unpack(packed.as_deref()) else {
            tracing::error!(response = id, "a response's answers could not be read back");
            return Err(AppError::Unexpected);
        };
        // Free text only as the organisation's results show it, less
        // anything flagged: never offensive, hidden, unscreened or with the
        // safeguarding lead. (Other answers have no state: always shown.)
        let answers: Vec<AnswerCell> = answers
            .iter()
            .map(|Packed(q, p, state, offensive, at_risk, v)| {
                // Never screened counts as flagged.
                let shown = !free_text.contains(q)
                    || crate::moderation::FreeTextState::from_stored(
                        state.as_deref().unwrap_or_default(),
                        offensive.unwrap_or(1) != 0,
                        at_risk.unwrap_or(1) != 0,
                        String::new(),
                    )
                    .in_own_download();
                (*q, *p, v.as_ref(), shown)
            })
            .collect();
        rows.push(cells(
            form,
            labels,
            numbered_from + i as u64,
            (day, age, area, groups),
            &answers,
        ));
    }
    Ok(rows)
}

/// `GET /staff/surveys/{id}/responses.csv` (or `.xlsx`)
pub async fn download(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let format = if uri.path().ends_with(".xlsx") {
        "xlsx"
    } else {
        "csv"
    };
    let owned = crate::surveys::access::readable(&state.db, &user, id).await?;
    let form = owned.form;
    record_now(
        &state.db,
        Actor::Staff(&user),
        AuditAction::Exported,
        Subject::Survey(id),
        &format!("responses to \u{201c}{}\u{201d} ({format})", form.title),
    )
    .await?;
    let labels: Vec<HashMap<String, String>> = form
        .questions
        .iter()
        .map(|q| q.answer_values().into_iter().collect())
        .collect();
    let name = format!("responses-{}.{format}", form.slug);
    let header = header(&form);
    let form = std::sync::Arc::new(form);
    let labels = std::sync::Arc::new(labels);
    let pages = read_ahead(state.db.clone(), id);
    if format == "csv" {
        let first =
            crate::export::CsvFile::new(&header.iter().map(String::as_str).collect::<Vec<_>>())
                .take();
        let rows = futures::stream::unfold(Some((pages, 1u64)), move |at| {
            let (form, labels) = (form.clone(), labels.clone());
            async move {
                let (mut pages, number) = at?;
                let page = next_page(&mut pages)
                    .await
                    .and_then(|p| p.map(|p| rows_of(&form, &labels, number, p)).transpose());
                match page {
                    Ok(None) => None,
                    Ok(Some(rows)) => {
                        let n = rows.len() as u64;
                        let mut file = crate::export::CsvFile::bare();
                        for r in &rows {
                            file.row(r.iter().map(String::as_str));
                        }
                        Some((
                            Ok::<_, std::io::Error>(file.take()),
                            Some((pages, number + n)),
                        ))
                    }
                    Err(e) => {
                        tracing::error!(error = ?e, "responses export failed part way");
                        Some((Err(std::io::Error::other("export failed")), None))
                    }
                }
            }
        });
        return Ok(crate::insights::export::attachment(
            "text/csv; charset=utf-8",
            &name,
            crate::export::streamed(first, rows),
        ));
    }
    // The workbook: pages are read here and written on a thread of their
    // own (the writer is synchronous), into a temporary file.
    let (tx_rows, rx_rows) = std::sync::mpsc::sync_channel::<Vec<Vec<String>>>(2);
    let path = std::env::temp_dir().join(format!(
        "heard-export-{}.xlsx",
        crate::random::token::<16>()
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|_| AppError::Unexpected)?;
    // Gone from the folder at once; the open file lives on until dropped.
    let _ = std::fs::remove_file(&path);
    let writer = tokio::task::spawn_blocking(move || {
        let mut out = std::io::BufWriter::new(file);
        let rows = rx_rows.into_iter().flatten();
        crate::insights::export::workbook("Responses", &header, rows, &mut out)
            .map_err(|e| e.to_string())?;
        out.into_inner().map_err(|e| e.to_string())
    });
    let mut pages = pages;
    let mut number = 1u64;
    while let Some(page) = next_page(&mut pages).await? {
        let rows = rows_of(&form, &labels, number, page)?;
        number += rows.len() as u64;
        let tx_rows = tx_rows.clone();
        // Waits while the writer is two pages behind: memory stays flat.
        tokio::task::spawn_blocking(move || tx_rows.send(rows))
            .await
            .map_err(|_| AppError::Unexpected)?
            .map_err(|_| AppError::Unexpected)?;
    }
    drop(tx_rows);
    let mut file = writer
        .await
        .map_err(|_| AppError::Unexpected)?
        .map_err(|e| {
            tracing::error!(error = %e, "could not write the responses workbook");
            AppError::Unexpected
        })?;
    use std::io::Seek;
    file.rewind().map_err(|_| AppError::Unexpected)?;
    let file = tokio::fs::File::from_std(file);
    let stream = futures::stream::unfold(Some(file), |f| async move {
        use tokio::io::AsyncReadExt;
        let mut f = f?;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(buf), Some(f)))
            }
            // The download stops short; nothing more is read.
            Err(e) => Some((Err(e), None)),
        }
    });
    Ok(crate::insights::export::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        crate::export::streamed(Vec::new(), stream),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_answers_read_back_whatever_the_words_hold() {
        let words = "Tea, coffee: \"12\",[3] \\ trick \u{1f642} caf\u{e9}\nnext";
        let packed = serde_json::json!([
            [7, 1, null, null, null, "o2"],
            [9, 0, "approved", 0, 0, words],
            [9, 1, "hidden", 1, 0, ""],
        ])
        .to_string();
        let back = unpack(Some(&packed)).expect("reads back");
        assert_eq!(
            back,
            vec![
                Packed(7, 1, None, None, None, "o2".into()),
                Packed(
                    9,
                    0,
                    Some("approved".into()),
                    Some(0),
                    Some(0),
                    words.into()
                ),
                Packed(9, 1, Some("hidden".into()), Some(1), Some(0), "".into()),
            ]
        );
        assert_eq!(
            unpack(Some("[]")),
            Some(vec![]),
            "a response with no answers"
        );
        assert_eq!(unpack(None), Some(vec![]), "PostgreSQL packs none as null");
    }

    #[test]
    fn anything_not_packed_as_written_is_refused_not_guessed() {
        for bad in [
            "",
            "[[7,1,null,null,null]]",
            "[[\"7\",1,null,null,null,\"o2\"]]",
            "[[7,1,null,null,null,2]]",
            "[[7,1,null,null,null,\"o2\"]",
            "{\"7\":\"o2\"}",
        ] {
            assert_eq!(unpack(Some(bad)), None, "{bad}");
        }
    }
}
