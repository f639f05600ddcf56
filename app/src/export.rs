//! Files people download and open in Excel: CSV in UTF-8 with a byte-order
//! mark (so Excel keeps accents), and no cell that Excel would run as a
//! formula. Every export uses this one writer.

/// Characters that make a spreadsheet treat a cell as a formula (or a
/// command) when they start it.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// A cell as written: one that would start a formula gets a leading `'`,
/// which Excel shows as text and does not display.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A streamed download's body: `first` (the header), then each piece of
/// `rest` as it is made. Fused, so a layer that polls again after the end
/// (response compression does) is told "done" again rather than panicking.
#[cfg(feature = "ssr")]
pub fn streamed<S>(first: Vec<u8>, rest: S) -> axum::body::Body
where
    S: futures::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static,
{
    use futures::StreamExt;
    axum::body::Body::from_stream(futures::stream::iter([Ok(first)]).chain(rest).fuse())
}

/// Builds a CSV file a row at a time.
pub struct CsvFile {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    /// A file with the byte-order mark and `header` as its first row.
    pub fn new(header: &[&str]) -> CsvFile {
        let mut file = CsvFile {
            writer: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer("\u{feff}".as_bytes().to_vec()),
        };
        file.row(header.iter().copied());
        file
    }

    /// A file that continues another: no byte-order mark, no header.
    pub fn bare() -> CsvFile {
        CsvFile {
            writer: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        }
    }

    /// Adds a row; every cell is made safe first.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        let cells: Vec<std::borrow::Cow<'_, str>> = cells.into_iter().map(safe_cell).collect();
        // Writing to memory cannot fail.
        let _ = self.writer.write_record(cells.iter().map(|c| c.as_bytes()));
    }

    /// The bytes written so far (taking them empties the file).
    pub fn take(&mut self) -> Vec<u8> {
        let done = std::mem::replace(&mut self.writer, CsvFile::bare().writer);
        // Flushing into memory cannot fail.
        done.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(safe_cell("fine = good"), "fine = good");
        assert_eq!(safe_cell(""), "");
    }

    #[test]
    fn files_start_with_a_bom_and_quote_what_needs_it() {
        let mut f = CsvFile::new(&["a", "b"]);
        f.row(["x, y", "=cmd"]);
        f.row(["line\nbreak", "\"q\""]);
        let text = String::from_utf8(f.take()).unwrap();
        assert_eq!(
            text,
            "\u{feff}a,b\r\n\"x, y\",'=cmd\r\n\"line\nbreak\",\"\"\"q\"\"\"\r\n"
        );
        assert!(f.take().is_empty(), "taken once");
    }
}
