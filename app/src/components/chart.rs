//! Accessible bar charts: an SVG for the eye, a table of the same numbers for
//! everyone (screen readers read the table; the SVG is marked as an image
//! with a summary).

use crate::about_you::fewer_than;
use crate::surveys::results::rules::{Bar, Tally};
use leptos::prelude::*;

const WIDTH: u32 = 300;
const ROW: u32 = 40;

/// Labels in the picture are trimmed to fit a phone; the table and the
/// chart's title carry them whole.
fn short_label(label: &str) -> String {
    const MAX: usize = 40;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        format!(
            "{}…",
            label.chars().take(MAX - 1).collect::<String>().trim_end()
        )
    }
}

#[component]
pub fn BarChart(
    /// Unique on the page, for labelling.
    id: String,
    caption: String,
    bars: Vec<Bar>,
    #[prop(optional)] value_heading: Option<&'static str>,
) -> impl IntoView {
    let height = ROW * bars.len() as u32 + 4;
    let summary = bars
        .iter()
        .map(|b| match b.tally {
            Tally::Shown { count, percent } => format!("{}: {count} ({percent}%)", b.label),
            Tally::Counted(count) => format!("{}: {count}", b.label),
            Tally::FewerThan(n) => format!("{}: {}", b.label, fewer_than(n)),
            Tally::Hidden => format!("{}: {}", b.label, crate::copy::COUNT_HIDDEN),
        })
        .collect::<Vec<_>>()
        .join("; ");
    // Counts with no per cent are drawn against the largest of them; beside
    // per cents they draw no bar (the two lengths would not compare).
    let largest = bars.iter().filter_map(Bar::count).max().unwrap_or(0).max(1);
    let any_percent = bars.iter().any(|b| b.percent().is_some());
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let rects = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as u32 * ROW + 2;
            // A withheld count draws no bar: its length would give it away.
            let (w, value) = match b.tally {
                Tally::Shown { percent, .. } => (
                    (percent.min(100) * (WIDTH - 50)) / 100,
                    format!("{percent}%"),
                ),
                Tally::Counted(count) if any_percent => (0, count.to_string()),
                Tally::Counted(count) => (
                    (count.max(0) as u32).saturating_mul(WIDTH - 50) / largest as u32,
                    count.to_string(),
                ),
                Tally::FewerThan(n) => (0, fewer_than(n)),
                Tally::Hidden => (0, crate::copy::COUNT_HIDDEN.to_string()),
            };
            let bar = (b.percent().is_some() || (b.count().is_some() && !any_percent)).then(|| {
                view! { <rect class="bar" x="0" y=y + 17 width=w.max(1) height="14" rx="3"></rect> }
            });
            view! {
                <text class="bar-label" x="0" y=y + 12>{short_label(&b.label)}</text>
                {bar}
                <text class="bar-value" x=w + 6 y=y + 29>{value}</text>
            }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .map(|b| {
            let (count, percent) = match b.tally {
                Tally::Shown { count, percent } => (count.to_string(), format!("{percent}%")),
                Tally::Counted(count) => (count.to_string(), "–".to_string()),
                Tally::FewerThan(n) => (fewer_than(n), "–".to_string()),
                Tally::Hidden => (crate::copy::COUNT_HIDDEN.to_string(), "–".to_string()),
            };
            view! { <tr><th scope="row">{b.label}</th><td>{count}</td><td>{percent}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="chart">
            <svg class="bars" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled_by focusable="false">
                <title id=title_id>{format!("{caption}. {summary}")}</title>
                {rects}
            </svg>
            <table class="chart-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr><th scope="col">"Answer"</th><th scope="col">{value_heading.unwrap_or("Count")}</th><th scope="col">"Per cent"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_labels_are_trimmed_for_the_picture_only() {
        assert_eq!(super::short_label("Yes"), "Yes");
        let long = "I have a disability or special educational needs (SEND)";
        let short = super::short_label(long);
        assert!(short.ends_with('…') && short.chars().count() <= 40);
    }
}
