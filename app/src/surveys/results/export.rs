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
use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;
use crate::surveys::model::{QuestionKind, SurveyForm};
use axum::extract::{Path, State};
use axum::response::Response;
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

/// One stored answer row: (question, position, value, shown).
type AnswerCell = (i64, i64, String, bool);

/// A response's cells, its answers as their labels.
fn cells(
    form: &SurveyForm,
    labels: &[HashMap<String, String>],
    number: u64,
    (day, age, area, groups): (i64, Option<String>, Option<String>, Option<String>),
    answers: &[AnswerCell],
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
                .map(|a| a.2.clone())
                .collect::<Vec<_>>()
                .join(" / "),
            QuestionKind::Ranking => mine
                .iter()
                .map(|a| format!("{}. {}", a.1, label(&a.2)))
                .collect::<Vec<_>>()
                .join("; "),
            _ => mine
                .iter()
                .map(|a| label(&a.2))
                .collect::<Vec<_>>()
                .join("; "),
        };
        c.push(text);
    }
    c
}

/// One page of rows after response `after`: (last id, rows).
async fn page(
    db: &Db,
    form: &SurveyForm,
    labels: &[HashMap<String, String>],
    after: i64,
    numbered_from: u64,
) -> Result<(i64, Vec<Vec<String>>), AppError> {
    type ResponseRow = (i64, i64, Option<String>, Option<String>, Option<String>);
    let responses: Vec<ResponseRow> = sqlx::query_as(
        "SELECT id, submitted_at, age_band, area_code, groups FROM responses
         WHERE survey_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(form.id)
    .bind(after)
    .bind(STEP)
    .fetch_all(db.pool())
    .await?;
    let (Some(first), Some(last)) = (responses.first(), responses.last()) else {
        return Ok((after, vec![]));
    };
    type Stored = (i64, i64, i64, String, String, i64, i64);
    let answers: Vec<Stored> = sqlx::query_as(
        "SELECT a.response_id, a.question_id, a.position, a.value,
                COALESCE(a.state, ''), COALESCE(a.offensive, 1), COALESCE(a.at_risk, 1)
         FROM answers a
         WHERE a.response_id >= $1 AND a.response_id <= $2
           AND a.question_id IN (SELECT id FROM questions WHERE survey_id = $3)",
    )
    .bind(first.0)
    .bind(last.0)
    .bind(form.id)
    .fetch_all(db.pool())
    .await?;
    let mut by_response: HashMap<i64, Vec<AnswerCell>> = HashMap::new();
    for (r, q, p, v, state, offensive, at_risk) in answers {
        // Free text only as the organisation's results show it, less
        // anything flagged: never offensive, hidden, unscreened or with the
        // safeguarding lead. (Other answers have no state: always shown.)
        let kind = form.questions.iter().find(|x| x.id == q).map(|x| x.kind);
        let shown = !matches!(kind, Some(QuestionKind::ShortText | QuestionKind::LongText))
            || crate::moderation::FreeTextState::from_stored(
                &state,
                offensive != 0,
                at_risk != 0,
                String::new(),
            )
            .in_own_download();
        by_response.entry(r).or_default().push((q, p, v, shown));
    }
    let last_id = last.0;
    let rows = responses
        .into_iter()
        .enumerate()
        .map(|(i, (id, day, age, area, groups))| {
            cells(
                form,
                labels,
                numbered_from + i as u64,
                (day, age, area, groups),
                by_response.get(&id).map(Vec::as_slice).unwrap_or(&[]),
            )
        })
        .collect();
    Ok((last_id, rows))
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
    if format == "csv" {
        let first =
            crate::export::CsvFile::new(&header.iter().map(String::as_str).collect::<Vec<_>>())
                .take();
        let db = state.db.clone();
        let rows = futures::stream::unfold(Some((0i64, 1u64)), move |at| {
            let (db, form, labels) = (db.clone(), form.clone(), labels.clone());
            async move {
                let (after, number) = at?;
                match page(&db, &form, &labels, after, number).await {
                    Ok((_, rows)) if rows.is_empty() => None,
                    Ok((last, rows)) => {
                        let n = rows.len() as u64;
                        let mut file = crate::export::CsvFile::bare();
                        for r in &rows {
                            file.row(r.iter().map(String::as_str));
                        }
                        Some((
                            Ok::<_, std::io::Error>(file.take()),
                            Some((last, number + n)),
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
    let (mut after, mut number) = (0i64, 1u64);
    loop {
        let (last, rows) = page(&state.db, &form, &labels, after, number).await?;
        if rows.is_empty() {
            break;
        }
        number += rows.len() as u64;
        after = last;
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
