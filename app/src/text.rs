//! Text as the search index holds it: folded (case and diacritics) and without markup. The
//! article save writes the index with these, and search folds queries the same way.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Lower case, compatibility-decomposed, without diacritics: "Café Één" → "cafe een".
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of sanitised article HTML: tags dropped, block ends as spaces, the entities the
/// sanitiser writes decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_diacritics() {
        assert_eq!(
            fold("Café Één coördinator Première"),
            "cafe een coordinator premiere"
        );
        assert_eq!(fold("ĳsbaan"), "ijsbaan");
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            plain_text("<p>Koffie &amp; <strong>taal</strong></p><p>in het café &lt;3</p>"),
            "Koffie & taal in het café <3"
        );
    }
}
