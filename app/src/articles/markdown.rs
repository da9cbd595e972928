//! Article bodies: Markdown in, sanitised HTML out. Runs when an article is saved, never per view.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to HTML and strips everything unsafe (scripts, event handlers, `javascript:`
/// links, raw HTML the editor typed).
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// The addresses a Markdown text links to, in order.
pub fn links(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Tag};
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .filter_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
        _ => None,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::{links, render};

    #[test]
    fn renders_subheadings_quotes_and_lists() {
        let html = render("## Kopje\n\n> Een citaat\n\n- een\n- twee\n");
        assert!(html.contains("<h2>Kopje</h2>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<li>twee</li>"), "{html}");
    }

    #[test]
    fn finds_the_links_of_a_text() {
        assert_eq!(
            links("Zie [dit](/nieuws/brug) en <https://example.org>, niet `[x](/y)`."),
            ["/nieuws/brug", "https://example.org"]
        );
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_links() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[klik](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
