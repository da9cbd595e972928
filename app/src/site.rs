//! What a broadcaster configures about its site: name, tagline, sections.

use serde::{Deserialize, Serialize};

/// One of the site's sections ("rubrieken"), e.g. Nieuws or Cultuur.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub slug: String,
    pub name: String,
}

impl Section {
    pub fn url(&self) -> String {
        format!("/{}", self.slug)
    }
}

/// The site as every page shows it; provided as context on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub name: String,
    pub tagline: String,
    /// Public base URL without trailing slash, for canonical links and feeds.
    pub base_url: String,
    pub sections: Vec<Section>,
}

/// The five sections of a Dutch local broadcaster, used when the configuration names none.
pub fn default_sections() -> Vec<Section> {
    [
        ("nieuws", "Nieuws"),
        ("cultuur", "Cultuur"),
        ("educatie", "Educatie"),
        ("informatie", "Informatie"),
        ("entertainment", "Entertainment"),
    ]
    .into_iter()
    .map(|(slug, name)| Section {
        slug: slug.into(),
        name: name.into(),
    })
    .collect()
}
