//! HTML escaping for the dashboard's pages: every text that did not come
//! from the page's own template goes through [`e`], so a resident named
//! `<script>` is shown as a name.

/// `text` safe inside an element or a double-quoted attribute.
pub fn e(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A query or form value, percent-encoded, for a link's `href`.
pub fn url_value(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(e(r#"<script>alert("x")</script>"#), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
        assert_eq!(e("' onmouseover='x' & y"), "&#39; onmouseover=&#39;x&#39; &amp; y");
        assert_eq!(e("Ibu Siti, RT 02"), "Ibu Siti, RT 02");
        assert_eq!(url_value("32.77.01 & x"), "32.77.01+%26+x");
    }
}
