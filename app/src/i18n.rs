//! Every user-facing string of the public site, in one place.
//!
//! Dutch is the first language; an English table can be added beside `NL` and chosen per site
//! without touching the components.

/// The strings of one UI language.
pub struct Ui {
    pub lang: &'static str,
    pub skip_to_content: &'static str,
    pub sections_nav_label: &'static str,
    pub menu_open: &'static str,
    pub menu_close: &'static str,
    pub top_story: &'static str,
    pub latest_news: &'static str,
    pub more_from_section: &'static str,
    pub by: &'static str,
    pub updated_at: &'static str,
    pub tags: &'static str,
    pub related: &'static str,
    pub latest: &'static str,
    pub page_of: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub pagination_label: &'static str,
    pub no_articles: &'static str,
    pub tag_title: &'static str,
    pub tag_description: &'static str,
    pub author_articles: &'static str,
    pub author_description: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub not_found_home: &'static str,
    pub server_error_title: &'static str,
    pub server_error_text: &'static str,
    pub footer_demo_notice: &'static str,
}

pub const NL: Ui = Ui {
    lang: "nl",
    skip_to_content: "Direct naar de inhoud",
    sections_nav_label: "Rubrieken",
    menu_open: "Menu",
    menu_close: "Sluit menu",
    top_story: "Uitgelicht",
    latest_news: "Laatste nieuws",
    more_from_section: "Meer",
    by: "Door",
    updated_at: "Bijgewerkt om",
    tags: "Onderwerpen",
    related: "Gerelateerd",
    latest: "Net binnen",
    page_of: "Pagina {page} van {pages}",
    previous_page: "Vorige pagina",
    next_page: "Volgende pagina",
    pagination_label: "Paginering",
    no_articles: "Er zijn hier nog geen berichten.",
    tag_title: "Alles over {tag}",
    tag_description: "Alle berichten van {site} over {tag}.",
    author_articles: "Artikelen van {name}",
    author_description: "Alle artikelen van {name} voor {site}.",
    not_found_title: "Pagina niet gevonden",
    not_found_text: "Deze pagina bestaat niet (meer). Misschien is het bericht verplaatst of is de link niet helemaal goed.",
    not_found_home: "Naar de voorpagina",
    server_error_title: "Er ging iets mis",
    server_error_text: "Deze pagina kon nu niet worden geladen. Probeer het over een paar minuten opnieuw.",
    footer_demo_notice: "Demo-inhoud: alle berichten, personen en plaatsen op deze site zijn verzonnen.",
};

/// The UI language of this site.
pub fn ui() -> &'static Ui {
    &NL
}

/// Fills `{name}` placeholders in a UI string.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), &value.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_named_placeholder() {
        assert_eq!(
            fill(NL.page_of, &[("page", &2), ("pages", &7)]),
            "Pagina 2 van 7"
        );
    }
}
