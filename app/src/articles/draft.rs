//! What the article editor submits, and the rules it must meet before anything is saved.
//! Shared: the same messages appear whether the server or (later) the browser checks.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

use crate::{
    articles::{ArticleStatus, HeroImage},
    site::Section,
    slug::{slugify, Slug},
};

pub const TITLE_MAX: usize = 200;
pub const LEAD_MAX: usize = 600;
pub const BODY_MAX: usize = 100_000;
pub const TAGS_MAX: usize = 10;
/// Longer headlines are cut off in search results and on social cards (the check before
/// publishing says so; the hard limit is [`TITLE_MAX`]).
pub const HEADLINE_MAX: usize = 110;

/// The editor form as submitted (field names are the form's, in Dutch).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    pub titel: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub rubriek: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub tekst: String,
    #[serde(default)]
    pub onderwerpen: String,
    #[serde(default)]
    pub plaats: String,
    #[serde(default)]
    pub beeld_src: String,
    #[serde(default)]
    pub beeld_alt: String,
    #[serde(default)]
    pub beeld_bijschrift: String,
    #[serde(default)]
    pub beeld_credit: String,
    /// `YYYY-MM-DDTHH:MM` in Europe/Amsterdam, from `<input type="datetime-local">`.
    #[serde(default)]
    pub inplannen_op: String,
    #[serde(default)]
    pub actie: String,
    /// The version of the article this form started from (hidden): a save over a newer one
    /// is refused rather than overwriting it.
    #[serde(default)]
    pub versie: String,
    /// This editor page's key for its autosaves (hidden, new with every page).
    #[serde(default)]
    pub concept: String,
}

/// What the editor asked for with the button they pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditAction {
    /// Save, keeping the status (an edit of a published article stays published).
    Save,
    SubmitForReview,
    Publish,
    /// Publish at the given moment (Unix seconds).
    Schedule(i64),
    Unpublish,
}

impl EditAction {
    /// Actions a contributor may take; the rest need an editor.
    pub fn allowed_for_contributors(self) -> bool {
        matches!(self, EditAction::Save | EditAction::SubmitForReview)
    }
}

/// A problem with one field, in plain Dutch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// A submission that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDraft {
    pub slug: Slug,
    pub section: String,
    pub title: String,
    pub lead: String,
    pub body_md: String,
    pub tags: Vec<String>,
    pub place: String,
    pub hero: Option<HeroImage>,
    pub action: EditAction,
    /// The version the editor started from; `None` when the form did not say (a save of an
    /// existing article without it cannot prove it overwrites nothing, and is refused).
    pub base_version: Option<i64>,
    /// The editor page's autosave key; the save marks its autosaves done.
    pub draft_key: String,
}

pub(crate) fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Parses `YYYY-MM-DDTHH:MM` as Amsterdam local time.
pub fn parse_local_datetime(input: &str) -> Option<i64> {
    let naive = NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M").ok()?;
    Amsterdam
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.timestamp())
}

impl ArticleForm {
    /// Whether the editor chose to publish after the check before publishing listed things.
    pub fn skips_checks(&self) -> bool {
        self.actie.starts_with("toch-")
    }

    /// The button pressed, as the notice after saving names it.
    pub fn action_code(&self) -> &str {
        match self.actie.trim_start_matches("toch-") {
            "" => "opslaan",
            other => other,
        }
    }

    /// The tags as typed: comma-separated, blanks dropped.
    pub fn tag_names(&self) -> Vec<String> {
        self.onderwerpen.split(',').filter_map(non_empty).collect()
    }

    pub fn validate(&self, sections: &[Section], now: i64) -> Result<ValidDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.titel.trim().to_string();
        if title.chars().count() < 5 {
            errors.push(error(
                "titel",
                "Geef het artikel een kop van minstens 5 tekens.",
            ));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(error(
                "titel",
                format!("De kop is langer dan {TITLE_MAX} tekens."),
            ));
        }
        let slug = if self.slug.trim().is_empty() {
            slugify(&title)
        } else {
            match Slug::parse(self.slug.trim()) {
                Ok(slug) => Some(slug),
                Err(e) => {
                    errors.push(error("slug", e.to_string()));
                    None
                }
            }
        };
        if slug.is_none()
            && !errors
                .iter()
                .any(|e| e.field == "slug" || e.field == "titel")
        {
            errors.push(error(
                "slug",
                "Kies een slug: kleine letters, cijfers en streepjes.",
            ));
        }
        if !sections.iter().any(|s| s.slug == self.rubriek) {
            errors.push(error("rubriek", "Kies een rubriek."));
        }
        let lead = self.intro.trim().to_string();
        if lead.chars().count() > LEAD_MAX {
            errors.push(error(
                "intro",
                format!("De intro is langer dan {LEAD_MAX} tekens."),
            ));
        }
        if self.tekst.len() > BODY_MAX {
            errors.push(error("tekst", "De tekst is te lang."));
        }
        let tags = self.tag_names();
        if tags.len() > TAGS_MAX {
            errors.push(error(
                "onderwerpen",
                format!("Gebruik hoogstens {TAGS_MAX} onderwerpen."),
            ));
        }
        let hero = match (non_empty(&self.beeld_src), non_empty(&self.beeld_alt)) {
            (None, _) => None,
            (Some(src), alt) => {
                let safe_src = crate::markup::is_site_path(&src)
                    || src.starts_with("https://")
                        && !src.chars().any(|c| c.is_whitespace() || c.is_control());
                if !safe_src {
                    errors.push(error(
                        "beeld_src",
                        "Gebruik een afbeelding van deze site (/media/…) of een https-adres.",
                    ));
                }
                // A missing alt text does not stop a draft; the check before publishing asks.
                Some(HeroImage {
                    src,
                    alt: alt.unwrap_or_default(),
                    caption: non_empty(&self.beeld_bijschrift),
                    credit: non_empty(&self.beeld_credit),
                })
            }
        };
        let action = match self.actie.as_str() {
            "opslaan" | "" => Some(EditAction::Save),
            "ter-beoordeling" => Some(EditAction::SubmitForReview),
            "publiceren" | "toch-publiceren" => Some(EditAction::Publish),
            "depubliceren" => Some(EditAction::Unpublish),
            "inplannen" | "toch-inplannen" => match parse_local_datetime(&self.inplannen_op) {
                Some(at) if at > now => Some(EditAction::Schedule(at)),
                Some(_) => {
                    errors.push(error("inplannen_op", "Kies een moment in de toekomst."));
                    None
                }
                None => {
                    errors.push(error(
                        "inplannen_op",
                        "Kies een datum en tijd om te publiceren.",
                    ));
                    None
                }
            },
            _ => {
                errors.push(error("actie", "Onbekende actie."));
                None
            }
        };
        match (errors.is_empty(), slug, action) {
            (true, Some(slug), Some(action)) => Ok(ValidDraft {
                slug,
                section: self.rubriek.clone(),
                title,
                lead,
                body_md: self.tekst.replace("\r\n", "\n"),
                tags,
                place: self.plaats.trim().to_string(),
                hero,
                action,
                base_version: self.versie.trim().parse().ok(),
                draft_key: self.concept.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::default_sections;

    const NOW: i64 = 1_731_503_100; // wo 13 november 2024, 14:05 in Amsterdam

    fn form() -> ArticleForm {
        ArticleForm {
            titel: "Raad stemt in met nieuwe brug".into(),
            rubriek: "nieuws".into(),
            intro: "De gemeenteraad is akkoord.".into(),
            tekst: "## Kop\r\n\r\nTekst.".into(),
            onderwerpen: "gemeenteraad, brug , ".into(),
            actie: "opslaan".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_form_becomes_a_draft_with_a_slug_from_the_title() {
        let draft = form().validate(&default_sections(), NOW).unwrap();
        assert_eq!(draft.slug.as_str(), "raad-stemt-in-met-nieuwe-brug");
        assert_eq!(draft.tags, ["gemeenteraad", "brug"]);
        assert_eq!(draft.body_md, "## Kop\n\nTekst.");
        assert_eq!(draft.action, EditAction::Save);
    }

    #[test]
    fn each_problem_is_reported_on_its_field() {
        let bad = ArticleForm {
            titel: "Kop".into(),
            slug: "Geen Slug".into(),
            rubriek: "sport".into(),
            beeld_src: "/media/foto.jpg".into(),
            actie: "inplannen".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .validate(&default_sections(), NOW)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["titel", "slug", "rubriek", "inplannen_op"]);
    }

    #[test]
    fn scheduling_reads_amsterdam_time_and_must_be_in_the_future() {
        let mut f = form();
        f.actie = "inplannen".into();
        f.inplannen_op = "2024-11-13T15:00".into();
        // 15:00 Amsterdam (CET) is 14:00 UTC.
        assert_eq!(
            f.validate(&default_sections(), NOW).unwrap().action,
            EditAction::Schedule(1_731_506_400)
        );
        f.inplannen_op = "2024-11-13T14:00".into();
        assert!(f.validate(&default_sections(), NOW).is_err());
    }

    #[test]
    fn only_local_or_https_images_are_accepted() {
        let mut f = form();
        f.beeld_src = "javascript:alert(1)".into();
        f.beeld_alt = "x".into();
        let errors = f.validate(&default_sections(), NOW).unwrap_err();
        assert_eq!(errors[0].field, "beeld_src");
    }

    #[test]
    fn contributors_may_save_and_submit_but_not_publish() {
        assert!(EditAction::Save.allowed_for_contributors());
        assert!(EditAction::SubmitForReview.allowed_for_contributors());
        assert!(!EditAction::Publish.allowed_for_contributors());
        assert!(!EditAction::Schedule(0).allowed_for_contributors());
        assert!(!EditAction::Unpublish.allowed_for_contributors());
    }
}

/// An article as the newsroom list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsroomRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub section_slug: String,
    pub section_name: String,
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub review_requested: bool,
}

/// Filters of the newsroom list; empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsroomFilter {
    pub status: String,
    pub section: String,
    pub author: String,
    pub search: String,
}

/// An article loaded into the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorArticle {
    pub id: i64,
    pub form: ArticleForm,
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub review_requested: bool,
    pub comments_closed: bool,
    pub revisions: Vec<Revision>,
    /// The viewer's own autosaved text, when it has not been saved as a version yet.
    pub autosave: Option<Autosave>,
    /// Who else has this article open in the editor right now.
    pub present: Vec<String>,
    /// When the stored version was saved, for comparing with a copy kept in the browser.
    pub updated_at: i64,
}

/// What the editor last typed, saved in the background: it neither publishes nor counts as an
/// edit, and only its author sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autosave {
    pub form: ArticleForm,
    pub saved_at: i64,
}

/// A save refused because someone saved a newer version after the editor started: both texts,
/// with the differences marked, so the editor can take theirs, keep their own or merge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub saved_by: String,
    pub saved_at: i64,
    pub fields: Vec<FieldDiff>,
}

/// One field of both versions, split into runs that are the same in both or only in one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub label: String,
    pub theirs: Vec<DiffRun>,
    pub mine: Vec<DiffRun>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRun {
    pub text: String,
    /// Only in this version.
    pub changed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub title: String,
    pub editor: String,
    pub created_at: i64,
}
