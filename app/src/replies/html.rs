//! Staff-written text with simple formatting, made safe with ammonia on the
//! server before it is stored: paragraphs, lists, emphasis and links (http,
//! https and mailto, opened without passing the page along). Plain text is
//! turned into paragraphs and lists first.

use std::collections::HashSet;

/// Tags a reply may use.
const TAGS: [&str; 8] = ["p", "ul", "ol", "li", "a", "strong", "em", "br"];

/// Cleans `text` (plain text or simple HTML) into HTML safe to show.
pub fn clean(text: &str) -> String {
    let html = if text.contains('<') {
        text.to_string()
    } else {
        from_plain(text)
    };
    ammonia::Builder::default()
        .tags(TAGS.into_iter().collect::<HashSet<_>>())
        .tag_attributes(Default::default())
        .generic_attributes(Default::default())
        .add_tag_attributes("a", ["href"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Blank lines make paragraphs; lines starting "- " or "* " make a list.
fn from_plain(text: &str) -> String {
    let mut out = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<&str> = block.lines().map(str::trim).collect();
        if lines
            .iter()
            .all(|l| l.starts_with("- ") || l.starts_with("* "))
        {
            out.push_str("<ul>");
            for l in lines {
                out.push_str(&format!("<li>{}</li>", escape(l[2..].trim())));
            }
            out.push_str("</ul>");
        } else {
            let body: Vec<String> = lines.iter().map(|l| escape(l)).collect();
            out.push_str(&format!("<p>{}</p>", body.join("<br>")));
        }
    }
    out
}

/// The words alone (for searching and for plain-text places).
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_becomes_paragraphs_and_lists() {
        assert_eq!(
            clean("We heard you.\nThank you.\n\n- a pool table\n- longer hours"),
            "<p>We heard you.<br>Thank you.</p><ul><li>a pool table</li><li>longer hours</li></ul>"
        );
        assert_eq!(clean("5 > 3 & fish"), "<p>5 &gt; 3 &amp; fish</p>");
    }

    #[test]
    fn html_keeps_only_simple_formatting_and_safe_links() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">bad</a>
            <a href="https://example.org" target="_blank" style="color:red">good</a><img src=x onerror=y></p>"#;
        let clean = clean(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("javascript")
        );
        assert!(!clean.contains("<img") && !clean.contains("style") && !clean.contains("target"));
        assert!(
            clean.contains(
                r#"<a href="https://example.org" rel="noopener noreferrer nofollow">good</a>"#
            ),
            "{clean}"
        );
    }

    #[test]
    fn the_words_alone() {
        assert_eq!(
            text_of("<p>We &amp; you</p><ul><li>a</li></ul>"),
            "We & you a"
        );
    }
}
