//! The check before publishing (server only): what an editor may have missed, each item with
//! why it matters. None of it stops a publication; the editor may publish anyway.

use super::{
    draft::{FieldError, ValidDraft, HEADLINE_MAX},
    markdown,
    store::VISIBLE,
};
use crate::{
    db::{Db, Purpose, StoreError},
    site::Section,
};

fn finding(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        message,
    }
}

/// What to look at again before `draft` goes out.
pub async fn before_publishing(
    db: &Db,
    draft: &ValidDraft,
    sections: &[Section],
    now: i64,
) -> Result<Vec<FieldError>, StoreError> {
    let mut findings = Vec::new();
    if draft.hero.as_ref().is_some_and(|h| h.alt.trim().is_empty()) {
        findings.push(finding(
            "beeld_alt",
            "De afbeelding heeft geen alt-tekst. Wie niet kan zien, hoort dan niets over wat \
             erop staat: beschrijf het in een zin."
                .into(),
        ));
    }
    if draft.lead.trim().is_empty() {
        findings.push(finding(
            "intro",
            "Er is geen intro. Overzichten, zoekmachines en gedeelde links tonen dan alleen de \
             kop; een zin of twee vertelt lezers waarom ze verder moeten lezen."
                .into(),
        ));
    }
    let length = draft.title.chars().count();
    if length > HEADLINE_MAX {
        findings.push(finding(
            "titel",
            format!(
                "De kop is {length} tekens. Zoekmachines en sociale media kappen hem na \
                 ongeveer {HEADLINE_MAX} tekens af, midden in de zin."
            ),
        ));
    }
    for link in markdown::links(&draft.body_md) {
        if !resolves(db, &link, sections, now).await? {
            findings.push(finding(
                "tekst",
                format!(
                    "De link naar {link} werkt niet: die pagina bestaat niet op de site, of is \
                     nog niet gepubliceerd."
                ),
            ));
        }
    }
    Ok(findings)
}

/// Whether a link to this site (`/…`) leads to a page readers can open now. Links elsewhere,
/// and paths of this site this check does not know, count as fine.
async fn resolves(db: &Db, link: &str, sections: &[Section], now: i64) -> Result<bool, StoreError> {
    if !link.starts_with('/') || link.starts_with("//") {
        return Ok(true);
    }
    let path = link.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let section = |slug: &str| sections.iter().any(|s| s.slug == slug);
    let found: Option<i64> = match segments.as_slice() {
        [first] if section(first) => return Ok(true),
        [first, slug] if section(first) => sqlx::query_scalar(&format!(
            "SELECT a.id FROM articles a JOIN sections s ON s.id = a.section_id \
             WHERE {VISIBLE} AND s.slug = $2 AND a.slug = $3"
        ))
        .bind(now)
        .bind(*first)
        .bind(*slug)
        .fetch_optional(db.pool())
        .await
        .purpose("checking a link to an article")?,
        ["tag", slug] => sqlx::query_scalar("SELECT id FROM tags WHERE slug = $1")
            .bind(*slug)
            .fetch_optional(db.pool())
            .await
            .purpose("checking a link to a tag")?,
        ["auteur", slug] => sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1")
            .bind(*slug)
            .fetch_optional(db.pool())
            .await
            .purpose("checking a link to an author")?,
        _ => return Ok(true),
    };
    Ok(found.is_some())
}
