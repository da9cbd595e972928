//! Where raw text meets markup that the renderer does not escape for us, and which addresses
//! count as "on this site".
//!
//! Leptos (tachys 0.2) writes the contents of `<title>`, `<textarea>`, `<script>`, `<style>` and
//! `<noscript>` unescaped: it treats them as raw-text elements. A `<textarea>` holding a reader's
//! or a contributor's text therefore goes through [`textarea_html`], passed as `inner_html`
//! (which is raw by contract, so the escaping cannot silently happen twice or not at all).

/// `text` with the characters that could end an element or start markup escaped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The inside of a `<textarea>` showing `text`: escaped, and with a leading line break kept
/// (the HTML parser drops one newline straight after `<textarea>`).
pub fn textarea_html(text: &str) -> String {
    let escaped = escape_text(text);
    if text.starts_with('\n') || text.starts_with("\r\n") {
        format!("\n{escaped}")
    } else {
        escaped
    }
}

/// A path on this site: `/` and then no second slash or backslash (browsers read `//x` and
/// `/\x` as another host), nothing a browser would strip or a header could not carry (control
/// characters, whitespace), no backslash anywhere.
pub fn is_site_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// Renders a view to HTML outside any page: what live events and polled parts carry.
#[cfg(feature = "ssr")]
pub fn render<V: leptos::prelude::IntoView>(view: impl FnOnce() -> V) -> String {
    use leptos::prelude::*;
    Owner::new().with(|| view().to_html())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_close_its_element_or_open_another() {
        assert_eq!(
            escape_text("</textarea><script>window.__x=1</script> & meer"),
            "&lt;/textarea&gt;&lt;script&gt;window.__x=1&lt;/script&gt; &amp; meer"
        );
    }

    #[test]
    fn a_textarea_keeps_a_leading_line_break() {
        assert_eq!(textarea_html("\nregel"), "\n\nregel");
        assert_eq!(textarea_html("regel\n"), "regel\n");
    }

    #[test]
    fn site_paths_stay_on_this_site() {
        for good in ["/", "/nieuws/brug", "/media/a.jpg?w=2", "/redactie"] {
            assert!(is_site_path(good), "{good}");
        }
        for bad in [
            "",
            "nieuws",
            "//evil.example",
            "/\\evil.example",
            "/a\\b",
            "/\t/evil.example",
            "/a\nb",
            "/a\rb",
            "/a\0b",
            "/a b",
            "https://evil.example",
        ] {
            assert!(!is_site_path(bad), "{bad:?}");
        }
    }
}
