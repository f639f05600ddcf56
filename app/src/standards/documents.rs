//! Documents uploaded as evidence. A file is checked by its first bytes
//! (never its name or the type the browser claims), written to the uploads
//! folder (`HEARD_UPLOADS_DIR`, outside anything the web server serves)
//! under a random name, and served back only as an attachment, with its
//! checked type, to those allowed. The uploaded name is kept cleaned, for
//! the download's file name only: it never touches the file system.

use crate::accounts::StaffUser;
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{now, Db};
use crate::error::AppError;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// The largest document: 10 MB.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// What is read before the type is decided (office files are zip archives:
/// their parts are named near the start).
const SNIFF_BYTES: usize = 64 * 1024;

/// The kinds of document heard keeps: `(type, extension, what people call it)`.
pub const ALLOWED: &[(&str, &str, &str)] = &[
    ("application/pdf", "pdf", "PDF"),
    ("image/png", "png", "PNG image"),
    ("image/jpeg", "jpg", "JPEG photo"),
    ("image/gif", "gif", "GIF image"),
    ("image/webp", "webp", "WebP image"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "Word document",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "Excel spreadsheet",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "PowerPoint presentation",
    ),
    (
        "application/vnd.oasis.opendocument.text",
        "odt",
        "OpenDocument text",
    ),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        "ods",
        "OpenDocument spreadsheet",
    ),
    (
        "application/vnd.oasis.opendocument.presentation",
        "odp",
        "OpenDocument presentation",
    ),
];

/// Said when a file is not one of [`ALLOWED`].
pub const NOT_ALLOWED: &str = "heard keeps PDFs, images (PNG, JPEG, GIF, WebP) and office documents (Word, Excel, PowerPoint, OpenDocument). Save the file as one of those and try again.";

/// Said when a file is over [`MAX_DOCUMENT_BYTES`].
pub const TOO_BIG: &str =
    "The file is larger than 10 MB: make it smaller (for a scan, a lower resolution) and try again.";

/// The type of a file from its first bytes: `(type, extension)` when heard
/// keeps that kind, `None` otherwise (HTML, scripts, programs, anything
/// unknown).
pub fn sniff(head: &[u8]) -> Option<(&'static str, &'static str)> {
    let found = infer::get(head)?.mime_type();
    ALLOWED
        .iter()
        .find(|(mime, _, _)| *mime == found)
        .map(|(mime, ext, _)| (*mime, *ext))
}

/// A download's file name from the uploaded one: its last part only (no
/// folders), letters, digits, spaces, dots, dashes and underscores, at most
/// 80 characters, ending with the extension its content earned.
pub fn safe_name(uploaded: &str, ext: &str) -> String {
    let last = uploaded.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = last.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(last);
    let cleaned: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        .take(80)
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if cleaned.is_empty() {
        "document"
    } else {
        cleaned
    };
    format!("{stem}.{ext}")
}

/// Whether `stored_as` is a name heard made (random letters and digits):
/// nothing else is ever joined to the uploads folder.
fn is_stored_name(stored_as: &str) -> bool {
    stored_as.len() == 32 && stored_as.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn random_name() -> String {
    // 24 random bytes as URL-safe base64 is 32 characters; `-` and `_` become
    // letters, so the name is letters and digits only.
    crate::random::token::<24>()
        .chars()
        .map(|c| match c {
            '-' => 'x',
            '_' => 'y',
            c => c,
        })
        .collect()
}

/// Where a stored document lives, or `None` for a name heard did not make.
pub fn path_of(folder: &Path, stored_as: &str) -> Option<PathBuf> {
    is_stored_name(stored_as).then(|| folder.join(stored_as))
}

/// Why an upload was not kept.
#[derive(Debug)]
pub enum Refused {
    TooBig,
    NotAllowed,
    Empty,
}

impl Refused {
    pub fn message(&self) -> &'static str {
        match self {
            Refused::TooBig => TOO_BIG,
            Refused::NotAllowed => NOT_ALLOWED,
            Refused::Empty => "Choose a file to upload.",
        }
    }
}

/// A file being received: written to a hidden part-file as it arrives, so
/// memory holds at most the first [`SNIFF_BYTES`] whatever the size. Dropped
/// before it is finished (refused, the upload broke off, the request timed
/// out), the part-file is deleted.
pub struct Incoming {
    folder: PathBuf,
    part: PathBuf,
    file: Option<tokio::fs::File>,
    head: Vec<u8>,
    bytes: usize,
    kind: Option<(&'static str, &'static str)>,
}

impl Drop for Incoming {
    fn drop(&mut self) {
        // After `finish` the part-file has its final name: nothing to delete.
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.part);
        }
    }
}

impl Incoming {
    pub async fn begin(folder: &Path) -> Result<Incoming, AppError> {
        tokio::fs::create_dir_all(folder).await.map_err(io_error)?;
        let part = folder.join(format!(".part-{}", random_name()));
        let file = tokio::fs::File::create(&part).await.map_err(io_error)?;
        Ok(Incoming {
            folder: folder.to_path_buf(),
            part,
            file: Some(file),
            head: Vec::new(),
            bytes: 0,
            kind: None,
        })
    }

    /// Takes the next chunk: refused as soon as the file is too big, or its
    /// first bytes show a kind heard does not keep.
    pub async fn chunk(&mut self, chunk: &[u8]) -> Result<Result<(), Refused>, AppError> {
        self.bytes += chunk.len();
        if self.bytes > MAX_DOCUMENT_BYTES {
            return Ok(Err(Refused::TooBig));
        }
        if self.kind.is_none() && self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
            if self.head.len() >= SNIFF_BYTES {
                match sniff(&self.head) {
                    Some(kind) => self.kind = Some(kind),
                    None => return Ok(Err(Refused::NotAllowed)),
                }
            }
        }
        if let Some(file) = self.file.as_mut() {
            file.write_all(chunk).await.map_err(io_error)?;
        }
        Ok(Ok(()))
    }

    /// The whole file has arrived: its kind, decided now for a small file.
    pub async fn finish(mut self) -> Result<Result<Received, Refused>, AppError> {
        if self.bytes == 0 {
            self.discard().await;
            return Ok(Err(Refused::Empty));
        }
        let kind = match self.kind.or_else(|| sniff(&self.head)) {
            Some(kind) => kind,
            None => {
                self.discard().await;
                return Ok(Err(Refused::NotAllowed));
            }
        };
        let Some(file) = self.file.as_mut() else {
            return Err(AppError::Unexpected);
        };
        file.flush().await.map_err(io_error)?;
        file.sync_all().await.map_err(io_error)?;
        let stored_as = random_name();
        let path = self.folder.join(&stored_as);
        tokio::fs::rename(&self.part, &path)
            .await
            .map_err(io_error)?;
        // Renamed: from here the file is the Received's to keep or delete.
        self.file = None;
        Ok(Ok(Received {
            stored_as,
            path,
            mime: kind.0,
            ext: kind.1,
            bytes: self.bytes,
            kept: false,
        }))
    }

    /// Deletes what arrived (refused, or the upload broke off).
    pub async fn discard(self) {
        drop(self);
    }
}

/// A received file, not yet recorded: dropped without [`Received::keep`]
/// (its record was not written, a double tap, a request cut short), the
/// file is deleted, so no file is ever left without its record.
pub struct Received {
    pub stored_as: String,
    pub path: PathBuf,
    pub mime: &'static str,
    pub ext: &'static str,
    pub bytes: usize,
    kept: bool,
}

impl Received {
    /// Its record is written: the file stays.
    pub fn keep(mut self) {
        self.kept = true;
    }

    /// Deletes the file (its record could not be written).
    pub async fn discard(self) {
        drop(self);
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn io_error(e: std::io::Error) -> AppError {
    tracing::error!(error = %e, "uploads folder");
    AppError::Unexpected
}

/// Records a kept file as a document of `organisation_id`, with an
/// evidence item pointing at it, in one transaction: the evidence's id.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: &Db,
    organisation_id: i64,
    assessment_id: i64,
    indicator: &str,
    title: &str,
    uploaded_name: &str,
    file: &Received,
    user: &StaffUser,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let at = now();
    let name = safe_name(uploaded_name, file.ext);
    let (document_id,): (i64,) = sqlx::query_as(
        "INSERT INTO documents (organisation_id, stored_as, name, content_type, bytes, uploaded_at, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(organisation_id)
    .bind(&file.stored_as)
    .bind(&name)
    .bind(file.mime)
    .bind(file.bytes as i64)
    .bind(at)
    .bind(user.id)
    .fetch_one(&mut **tx)
    .await?;
    let evidence = super::store::NewEvidence {
        indicator,
        kind: super::rules::EvidenceKind::Document,
        title,
        note: "",
        url: None,
        document_id: Some(document_id),
        ref_id: None,
    };
    let id = super::store::insert_evidence(&mut tx, assessment_id, &evidence, user).await?;
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::DocumentUploaded,
        Subject::Document(document_id),
        &name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A stored document, to serve.
pub struct Stored {
    pub organisation_id: i64,
    pub stored_as: String,
    pub name: String,
    pub content_type: String,
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Stored>, AppError> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT organisation_id, stored_as, name, content_type FROM documents WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(
        row.map(|(organisation_id, stored_as, name, content_type)| Stored {
            organisation_id,
            stored_as,
            name,
            content_type,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_bytes_not_their_names() {
        assert_eq!(sniff(b"%PDF-1.7\n%...").map(|k| k.1), Some("pdf"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).map(|k| k.1),
            Some("png")
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).map(|k| k.1),
            Some("jpg")
        );
        for refused in [
            &b"<!DOCTYPE html><script>alert(1)</script>"[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            b"MZ\x90\x00\x03\x00\x00\x00",
            b"\x7fELF\x02\x01\x01",
            b"#!/bin/sh\nrm -rf /",
            b"just some words",
            b"",
        ] {
            assert_eq!(
                sniff(refused),
                None,
                "{:?}",
                String::from_utf8_lossy(refused)
            );
        }
    }

    #[test]
    fn uploaded_names_never_reach_the_file_system() {
        assert_eq!(safe_name("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(safe_name("..\\..\\windows\\evil.exe", "png"), "evil.png");
        assert_eq!(
            safe_name("Board minutes (May).pdf", "pdf"),
            "Board minutes May.pdf"
        );
        assert_eq!(safe_name("report.html", "pdf"), "report.pdf");
        assert_eq!(safe_name("...", "pdf"), "document.pdf");
        assert_eq!(safe_name("", "docx"), "document.docx");
        assert_eq!(safe_name("a\u{0}b\r\nc\".pdf", "pdf"), "abc.pdf");
        assert!(safe_name(&"x".repeat(500), "pdf").len() <= 84);
        // Only names heard made are joined to the folder.
        let folder = Path::new("/srv/uploads");
        let name = random_name();
        assert_eq!(path_of(folder, &name), Some(folder.join(&name)));
        for bad in [
            "../x",
            "/etc/passwd",
            "",
            "a/b",
            &"a".repeat(31),
            &format!("{}/", "a".repeat(31)),
        ] {
            assert_eq!(path_of(folder, bad), None, "{bad}");
        }
    }
}
