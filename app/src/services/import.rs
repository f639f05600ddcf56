//! Reading a list of services from a CSV file (administrators). Every row is
//! checked and every problem named with its row number; the store then adds
//! them all in one transaction or none.

use super::{Kind, ServiceFields};
use crate::outcomes::Outcome;

pub use super::IMPORT_COLUMNS as COLUMNS;

/// The most rows one import takes: all are added in one write, which holds
/// SQLite's writer (young people's answers wait meanwhile) for about a second.
pub const MAX_ROWS: usize = 2_000;

/// A row that read well: its line number, organisation name and fields (not
/// yet checked against the areas and organisations heard has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub organisation: String,
    pub fields: ServiceFields,
}

/// Reads the file: the rows that read well, and every problem found, each
/// starting with where (an import goes ahead only with none).
pub fn read(text: &str) -> (Vec<ImportRow>, Vec<String>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => return (vec![], vec!["The file could not be read as CSV.".into()]),
    };
    let at = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = ["organisation", "name", "kind", "area"]
        .into_iter()
        .filter(|c| at(c).is_none())
        .collect();
    if !missing.is_empty() {
        return (
            vec![],
            vec![format!(
                "The first row must name the columns; missing: {}. Columns heard reads: {}.",
                missing.join(", "),
                COLUMNS.join(", ")
            )],
        );
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            problems.push(format!(
                "The file has more than {MAX_ROWS} rows: split it into smaller files."
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| line_at(text, p.byte() as usize))
                    .unwrap_or(i + 2);
                problems.push(format!("Row {line}: could not be read (check its quotes)."));
                continue;
            }
        };
        // The file's own line, blank lines included (the header is 1).
        let line = record
            .position()
            .map(|p| line_at(text, p.byte() as usize))
            .unwrap_or(i + 2);
        let cell = |name: &str| {
            at(name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let kind_text = cell("kind");
        let kind = Kind::parse_loosely(&kind_text);
        if kind.is_none() {
            problems.push(format!(
                "Row {line}: kind \u{201c}{kind_text}\u{201d} is not one heard knows. Use one of: {}.",
                Kind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>().join("; ")
            ));
        }
        let mut outcomes = Vec::new();
        for part in cell("outcomes")
            .split([';', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let folded = super::search::fold(part);
            match Outcome::ALL.into_iter().find(|o| {
                super::search::fold(o.key()) == folded || super::search::fold(o.label()) == folded
            }) {
                Some(o) => outcomes.push(o),
                None => problems.push(format!(
                    "Row {line}: outcome \u{201c}{part}\u{201d} is not one of the five Every Child Matters outcomes."
                )),
            }
        }
        outcomes.sort();
        outcomes.dedup();
        let organisation = crate::text::clean_line(&cell("organisation"));
        if organisation.is_empty() {
            problems.push(format!(
                "Row {line}: say which organisation runs the service."
            ));
        }
        rows.push(ImportRow {
            line,
            organisation,
            fields: ServiceFields {
                name: cell("name"),
                kind,
                area_code: cell("area"),
                outcomes,
                description: cell("description"),
                contact: cell("contact"),
                website: Some(cell("website")),
            },
        });
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("The file has no services in it.".into());
    }
    (rows, problems)
}

/// The line (from 1) that a record starting at byte `at` of `text` is on
/// (the reader counts blank lines before a record as its start).
fn line_at(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = at.min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
        at += 1;
    }
    bytes[..at].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\u{feff}Name,Kind,Area,Organisation,Outcomes,Description\n\
        Northfield Youth Club,Youth club or youth service,E08000025,Northfield Youth Service,\"Enjoy and achieve; stay safe\",\"Tuesdays, 6 to 9\"\n\
        \n\
        Kooth,mental_health,E08000025,Northfield Youth Service,,\n";

    #[test]
    fn a_good_file_reads_every_row_with_its_line() {
        let (rows, problems) = read(GOOD);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].fields.kind, Some(Kind::YouthService));
        assert_eq!(
            rows[0].fields.outcomes,
            vec![Outcome::Safe, Outcome::EnjoyAchieve]
        );
        assert_eq!(rows[0].fields.description, "Tuesdays, 6 to 9");
        assert_eq!(rows[1].line, 4, "the blank line still counts");
        assert_eq!(rows[1].organisation, "Northfield Youth Service");
    }

    #[test]
    fn every_bad_row_is_named() {
        let bad = "name,kind,area,organisation,outcomes\nA,gym,E08000025,Org,\nB,health,E08000025,,happy\n";
        let (rows, problems) = read(bad);
        assert_eq!(rows.len(), 2, "rows that read are kept for further checks");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("Row 2: kind \u{201c}gym\u{201d}"));
        assert!(problems[1].starts_with("Row 3: outcome"));
        assert!(problems[2].starts_with("Row 3: say which organisation"));
    }

    #[test]
    fn missing_columns_and_empty_files_are_refused() {
        assert!(read("name,kind\nA,health\n").1[0].contains("missing: organisation, area"));
        assert_eq!(
            read("name,kind,area,organisation\n").1,
            vec!["The file has no services in it."]
        );
    }
}
