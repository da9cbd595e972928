//! Two versions of an article side by side, for an editor whose save was refused because
//! someone saved in between (server only: the browser gets the marked runs, not the diff code).

use similar::{ChangeTag, TextDiff};

use super::draft::{ArticleForm, DiffRun, FieldDiff};

/// The fields an editor compares: title, intro and body always; the rest where they differ.
pub fn compare(theirs: &ArticleForm, mine: &ArticleForm) -> Vec<FieldDiff> {
    let fields: [(&str, &str, &str, bool); 10] = [
        ("Kop", &theirs.titel, &mine.titel, true),
        ("Intro", &theirs.intro, &mine.intro, true),
        ("Tekst", &theirs.tekst, &mine.tekst, true),
        ("Slug", &theirs.slug, &mine.slug, false),
        ("Rubriek", &theirs.rubriek, &mine.rubriek, false),
        ("Onderwerpen", &theirs.onderwerpen, &mine.onderwerpen, false),
        ("Plaats", &theirs.plaats, &mine.plaats, false),
        ("Afbeelding", &theirs.beeld_src, &mine.beeld_src, false),
        ("Alt-tekst", &theirs.beeld_alt, &mine.beeld_alt, false),
        (
            "Bijschrift",
            &theirs.beeld_bijschrift,
            &mine.beeld_bijschrift,
            false,
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b, always)| *always || normalise(a) != normalise(b))
        .map(|(label, a, b, _)| diff(label, &normalise(a), &normalise(b)))
        .collect()
}

/// Browsers post textareas with CRLF; the stored text has LF.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Word by word: what only theirs has is marked on their side, what only mine has on mine.
fn diff(label: &str, theirs: &str, mine: &str) -> FieldDiff {
    let mut field = FieldDiff {
        label: label.into(),
        theirs: Vec::new(),
        mine: Vec::new(),
    };
    for change in TextDiff::from_words(theirs, mine).iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut field.theirs, text, false);
                push(&mut field.mine, text, false);
            }
            ChangeTag::Delete => push(&mut field.theirs, text, true),
            ChangeTag::Insert => push(&mut field.mine, text, true),
        }
    }
    field
}

/// Adds `text` to `runs`, joining it to the last run when that is marked the same.
fn push(runs: &mut Vec<DiffRun>, text: &str, changed: bool) {
    match runs.last_mut() {
        Some(last) if last.changed == changed => last.text.push_str(text),
        _ => runs.push(DiffRun {
            text: text.into(),
            changed,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, body: &str) -> ArticleForm {
        ArticleForm {
            titel: title.into(),
            tekst: body.into(),
            ..Default::default()
        }
    }

    fn marked(runs: &[DiffRun]) -> Vec<&str> {
        runs.iter()
            .filter(|r| r.changed)
            .map(|r| r.text.as_str())
            .collect()
    }

    #[test]
    fn each_side_marks_only_what_it_alone_has() {
        let theirs = form("Brug gaat open", "De brug gaat maandag open.");
        let mine = form(
            "Brug gaat open",
            "De brug gaat dinsdag open.\r\nMet muziek.",
        );
        let fields = compare(&theirs, &mine);
        let labels: Vec<&str> = fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Kop", "Intro", "Tekst"]);
        let body = &fields[2];
        assert_eq!(marked(&body.theirs), ["maandag"]);
        assert!(marked(&body.mine).concat().contains("dinsdag"));
        assert!(marked(&body.mine).concat().contains("muziek"));
        assert!(marked(&fields[0].mine).is_empty(), "the same title");
    }

    #[test]
    fn other_fields_appear_only_when_they_differ() {
        let theirs = ArticleForm {
            plaats: "Lindewijk".into(),
            ..Default::default()
        };
        let labels: Vec<String> = compare(&theirs, &ArticleForm::default())
            .into_iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(labels, ["Kop", "Intro", "Tekst", "Plaats"]);
    }
}
