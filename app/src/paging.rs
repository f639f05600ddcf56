//! One page of a long list: which page, how long, and how to read one more
//! row than shown to know whether another page follows. Every list a page
//! shows is read this way, so none loads every row.

/// Page `index` (from 0) of `size` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub index: i64,
    pub size: i64,
}

impl Page {
    /// Page `index` of `size`, the index kept within sane bounds.
    pub fn new(index: Option<i64>, size: i64) -> Page {
        Page {
            index: index.unwrap_or(0).clamp(0, 1_000_000),
            size: size.max(1),
        }
    }

    /// Rows to ask for: one more than shown, to learn whether more follow.
    pub fn limit(self) -> i64 {
        self.size + 1
    }

    pub fn offset(self) -> i64 {
        self.index * self.size
    }

    /// The rows of this page, and whether another page follows.
    pub fn split<T>(self, mut rows: Vec<T>) -> (Vec<T>, bool) {
        let more = rows.len() as i64 > self.size;
        rows.truncate(self.size as usize);
        (rows, more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_one_row_more_than_it_shows() {
        let p = Page::new(Some(2), 50);
        assert_eq!((p.limit(), p.offset()), (51, 100));
        assert_eq!(
            p.split((0..51).collect::<Vec<_>>()),
            ((0..50).collect(), true)
        );
        assert_eq!(p.split(vec![1, 2]), (vec![1, 2], false));
        assert_eq!(Page::new(Some(-3), 0), Page { index: 0, size: 1 });
    }
}
