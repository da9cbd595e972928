//! Search text: query terms and highlighted snippets, folded as the index is
//! ([`crate::text::fold`]).

use super::Highlighted;
use crate::text::fold;

/// At most this many words of a query are searched for.
pub const MAX_TERMS: usize = 8;
/// A longer word is not a word a reader types; it is cut to this many characters.
const MAX_TERM_CHARS: usize = 40;
/// Words in a snippet.
const SNIPPET_WORDS: usize = 32;
/// Words shown before the first match.
const SNIPPET_LEAD_IN: usize = 8;

/// The words of a query, folded, without duplicates; punctuation and operators are dropped, so
/// nothing a reader types reaches the engine's query syntax.
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in fold(query).split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let word: String = word.chars().take(MAX_TERM_CHARS).collect();
        if !terms.contains(&word) {
            terms.push(word);
        }
        if terms.len() == MAX_TERMS {
            break;
        }
    }
    terms
}

/// Whether a word of the text matches a query term: the same way the engines match (prefix), and
/// a little looser so that a Dutch inflection the stemmer joined is marked too ("fietsen" marks
/// "fietser").
fn matches(word: &str, terms: &[String]) -> bool {
    let word = fold(word);
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    !word.is_empty()
        && terms.iter().any(|term| {
            word.starts_with(term.as_str())
                || (term.chars().count() > 4 && {
                    let stem: String = term.chars().take(term.chars().count() - 2).collect();
                    word.starts_with(&stem)
                })
        })
}

/// `text` with the words that match marked.
pub fn highlight(text: &str, terms: &[String]) -> Vec<Highlighted> {
    let mut parts: Vec<Highlighted> = Vec::new();
    let push = |parts: &mut Vec<Highlighted>, text: &str, mark: bool| match parts.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ => parts.push(Highlighted {
            text: text.to_string(),
            mark,
        }),
    };
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            push(&mut parts, " ", false);
        }
        // Only the word is marked, not the punctuation around it.
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() || !matches(core, terms) {
            push(&mut parts, word, false);
            continue;
        }
        let start = word.find(core).unwrap_or(0);
        push(&mut parts, &word[..start], false);
        push(&mut parts, core, true);
        push(&mut parts, &word[start + core.len()..], false);
    }
    parts.retain(|part| !part.text.is_empty());
    parts
}

/// A window of `text` around its first match (or its start), with matches marked and "…" where
/// it was cut.
pub fn snippet(text: &str, terms: &[String]) -> Vec<Highlighted> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = words.iter().position(|w| matches(w, terms)).unwrap_or(0);
    let start = first.saturating_sub(SNIPPET_LEAD_IN);
    let end = (start + SNIPPET_WORDS).min(words.len());
    let mut window = words[start..end].join(" ");
    if start > 0 {
        window.insert_str(0, "… ");
    }
    if end < words.len() {
        window.push_str(" …");
    }
    highlight(&window, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(parts: &[Highlighted]) -> Vec<String> {
        parts
            .iter()
            .filter(|p| p.mark)
            .map(|p| p.text.clone())
            .collect()
    }

    #[test]
    fn query_terms_are_folded_words_without_operators() {
        assert_eq!(
            terms("  Taalcafé AND \"lindewijk\"* -nacht "),
            ["taalcafe", "and", "lindewijk", "nacht"]
        );
        assert_eq!(terms("cafe café CAFE"), ["cafe"]);
        assert!(terms("*** \" ( )").is_empty());
        assert_eq!(terms(&"a ".repeat(100)).len(), 1);
        assert_eq!(terms(&"woord".repeat(100))[0].chars().count(), 40);
        let many: String = (0..20).map(|i| format!("w{i} ")).collect();
        assert_eq!(terms(&many).len(), MAX_TERMS);
    }

    #[test]
    fn a_snippet_marks_matches_without_accents_and_cuts_around_the_first() {
        let text = format!(
            "{} Het taalcafé opent. {}",
            "woord ".repeat(20),
            "eind ".repeat(40)
        );
        let parts = snippet(&text, &terms("taalcafe"));
        assert_eq!(marked(&parts), ["taalcafé"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.starts_with("… woord"), "{joined}");
        assert!(joined.ends_with(" …"), "{joined}");
        assert!(joined.split_whitespace().count() <= SNIPPET_WORDS + 2);
    }

    #[test]
    fn a_snippet_without_a_match_is_the_start_of_the_text() {
        let parts = snippet("Een korte tekst.", &terms("fiets"));
        assert_eq!(marked(&parts), Vec::<String>::new());
        assert_eq!(parts[0].text, "Een korte tekst.");
    }

    #[test]
    fn highlighting_marks_inflections_and_keeps_punctuation() {
        let parts = highlight("Fietsers, fietsen en een fiets.", &terms("fietsen"));
        assert_eq!(marked(&parts), ["Fietsers", "fietsen", "fiets"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "Fietsers, fietsen en een fiets.");
    }
}
