//! URL slugs: `Slug::parse` accepts only what is safe in a path; `slugify` makes one from a title.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub const MAX_SLUG_LEN: usize = 120;

/// A lowercase ASCII slug: letters, digits and single hyphens, never at the ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("De slug is leeg.")]
    Empty,
    #[error("De slug is langer dan {MAX_SLUG_LEN} tekens.")]
    TooLong,
    #[error("Gebruik alleen kleine letters, cijfers en losse streepjes.")]
    InvalidCharacters,
}

impl Slug {
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        if input.is_empty() {
            return Err(SlugError::Empty);
        }
        if input.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let valid_chars = input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_chars || input.starts_with('-') || input.ends_with('-') || input.contains("--") {
            return Err(SlugError::InvalidCharacters);
        }
        Ok(Self(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Makes a slug from free text, folding Dutch diacritics ("Café één" → "cafe-een").
///
/// Returns `None` when nothing usable remains (a title of only symbols).
pub fn slugify(text: &str) -> Option<Slug> {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            // Combining marks are what NFKD split off the letters: drop them.
            '\u{300}'..='\u{36f}' => {}
            _ => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    let mut slug = out.trim_end_matches('-').to_string();
    if slug.len() > MAX_SLUG_LEN {
        slug.truncate(MAX_SLUG_LEN);
        slug = slug.trim_end_matches('-').to_string();
    }
    Slug::parse(&slug).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_dutch_diacritics_and_punctuation() {
        assert_eq!(
            slugify("Café \"De Één\" opent: 2 nieuwe zalen!")
                .unwrap()
                .as_str(),
            "cafe-de-een-opent-2-nieuwe-zalen"
        );
        assert_eq!(
            slugify("Ĳsbaan in Groningen").unwrap().as_str(),
            "ijsbaan-in-groningen"
        );
    }

    #[test]
    fn slugify_of_only_symbols_is_none() {
        assert_eq!(slugify("!!! ???"), None);
    }

    #[test]
    fn slugify_caps_the_length_without_a_trailing_hyphen() {
        let slug = slugify(&"woord ".repeat(60)).unwrap();
        assert!(slug.as_str().len() <= MAX_SLUG_LEN);
        assert!(!slug.as_str().ends_with('-'));
    }

    #[test]
    fn parse_rejects_unsafe_slugs() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(
            Slug::parse("Hoofdletter"),
            Err(SlugError::InvalidCharacters)
        );
        assert_eq!(Slug::parse("../etc"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("-rand"), Err(SlugError::InvalidCharacters));
        assert_eq!(
            Slug::parse("dubbel--streepje"),
            Err(SlugError::InvalidCharacters)
        );
        assert!(Slug::parse("raad-stemt-in-2024").is_ok());
    }
}
