//! The rules a comment meets, shared by the browser (validation as the reader types) and the
//! server (which enforces them again before anything is stored). Messages are plain Dutch.

pub const NAME_MIN: usize = 2;
pub const NAME_MAX: usize = 50;
pub const EMAIL_MAX: usize = 254;
pub const BODY_MIN: usize = 3;
pub const BODY_MAX: usize = 2000;
/// More links than this and a comment is refused; more than one and it waits for a moderator.
pub const LINKS_MAX: usize = 3;

/// The form's fields, in the order the form shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Email,
    Body,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Name, Field::Email, Field::Body];

    /// The form field's `name` (and, with `reactie-`, its `id`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "naam",
            Field::Email => "email",
            Field::Body => "bericht",
        }
    }

    /// Checks one field's raw value.
    pub fn check(self, value: &str) -> Result<(), String> {
        match self {
            Field::Name => AuthorName::parse(value).map(drop),
            Field::Email => check_email(value).map(drop),
            Field::Body => CommentBody::parse(value).map(drop),
        }
    }
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// A name to show with the comment: 2 to 50 characters, with at least one letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorName(String);

impl AuthorName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = name.chars().count();
        if n == 0 {
            return Err("Vul je naam in.".into());
        }
        if n < NAME_MIN {
            return Err(format!("Je naam is te kort: minstens {NAME_MIN} tekens."));
        }
        if n > NAME_MAX {
            return Err(format!(
                "Je naam is te lang: hoogstens {NAME_MAX} tekens (nu {n})."
            ));
        }
        if !name.chars().any(char::is_alphabetic) || has_control(&name) {
            return Err("Gebruik letters in je naam.".into());
        }
        Ok(AuthorName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address of a real shape: `naam@domein.nl`. Never shown to readers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        check_email(raw).map(|email| Email(email.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shape check alone: the browser needs no lower-casing (and its tables).
fn check_email(raw: &str) -> Result<&str, String> {
    {
        let email = raw.trim();
        if email.is_empty() {
            return Err("Vul je e-mailadres in. We tonen het nooit op de site.".into());
        }
        let bad = || Err("Dit lijkt geen e-mailadres. Voorbeeld: naam@voorbeeld.nl".into());
        if email.chars().count() > EMAIL_MAX
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return bad();
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return bad();
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && !local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '"', '\\']);
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| {
                tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
            });
        if !(local_ok && domain_ok) {
            return bad();
        }
        Ok(email)
    }
}

/// The comment itself: 3 to 2,000 characters of plain text, at most a few links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let body = raw.replace("\r\n", "\n").trim().to_string();
        let n = body.chars().count();
        if n == 0 {
            return Err("Schrijf je reactie.".into());
        }
        if n < BODY_MIN {
            return Err(format!(
                "Je reactie is te kort: minstens {BODY_MIN} tekens."
            ));
        }
        if n > BODY_MAX {
            return Err(format!(
                "Je reactie is te lang: hoogstens {BODY_MAX} tekens (nu {n})."
            ));
        }
        if has_control(&body) {
            return Err("Je reactie bevat tekens die we niet kunnen tonen.".into());
        }
        let links = count_links(&body);
        if links > LINKS_MAX {
            return Err(format!(
                "Je reactie bevat {links} links; hoogstens {LINKS_MAX} zijn toegestaan."
            ));
        }
        Ok(CommentBody(body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn links(&self) -> usize {
        count_links(&self.0)
    }
}

/// Web addresses in a text, as the page would turn them into links.
pub fn count_links(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| link_in(word).is_some())
        .count()
}

/// The address in a word, if it is one: `https://…`, `http://…` or `www.…`, without trailing
/// punctuation.
pub fn link_in(word: &str) -> Option<&str> {
    // Every word of every comment passes here on every page: no copy of it.
    const STARTS: [&str; 3] = ["https://", "http://", "www."];
    let bytes = word.as_bytes();
    // The first byte an address starts at (ASCII, so a character boundary).
    let start = (0..bytes.len()).find(|&at| {
        STARTS.iter().any(|p| {
            bytes
                .get(at..at + p.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
        })
    })?;
    let link = word[start..].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
    let host = STARTS.iter().find_map(|prefix| {
        let head = link.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| &link[prefix.len()..])
    })?;
    let ok = host.contains('.') && !host.starts_with('.') && !link.contains(['<', '>', '"']);
    ok.then_some(link)
}

/// Every field's problem, in form order; empty when the comment may be posted.
pub fn problems(name: &str, email: &str, body: &str) -> Vec<(Field, String)> {
    [
        (Field::Name, name),
        (Field::Email, email),
        (Field::Body, body),
    ]
    .into_iter()
    .filter_map(|(field, value)| field.check(value).err().map(|e| (field, e)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_two_to_fifty_characters_with_a_letter() {
        assert_eq!(
            AuthorName::parse("  Anouk   de  Vries ").unwrap().as_str(),
            "Anouk de Vries"
        );
        assert!(AuthorName::parse("")
            .unwrap_err()
            .contains("Vul je naam in"));
        assert!(AuthorName::parse("A").unwrap_err().contains("te kort"));
        assert!(AuthorName::parse(&"a".repeat(51))
            .unwrap_err()
            .contains("nu 51"));
        assert!(AuthorName::parse("1234").unwrap_err().contains("letters"));
        assert!(
            AuthorName::parse("Ab\u{0007}c").is_err(),
            "control characters"
        );
    }

    #[test]
    fn unicode_names_count_characters_not_bytes() {
        for name in [
            "Zoë",
            "Çağla Öztürk",
            "Łukasz",
            "李明",
            "Ñandú",
            "Émile-Jean Dupré",
        ] {
            assert!(AuthorName::parse(name).is_ok(), "{name}");
        }
        // 50 two-byte letters fit; 51 do not.
        assert!(AuthorName::parse(&"ë".repeat(50)).is_ok());
        assert!(AuthorName::parse(&"ë".repeat(51)).is_err());
    }

    #[test]
    fn email_addresses_have_a_real_shape() {
        for good in [
            "anouk@voorbeeld.nl",
            "a.b+c@sub.voorbeeld.org",
            "Jan@Voorbeeld.NL",
            "zoë@café.nl",
        ] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        assert_eq!(
            Email::parse(" Jan@Voorbeeld.NL ").unwrap().as_str(),
            "jan@voorbeeld.nl"
        );
        for bad in [
            "",
            "anouk",
            "anouk@",
            "@voorbeeld.nl",
            "anouk@voorbeeld",
            "anouk@voorbeeld.n",
            "an ouk@voorbeeld.nl",
            "anouk@@voorbeeld.nl",
            "anouk@-voorbeeld.nl",
            "a..b@voorbeeld.nl",
            "<script>@x.nl",
            "anouk@voorbeeld.nl<script>",
            "anouk@voorbeeld..nl",
            "anouk@voorbeeld.123",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@voorbeeld.nl", "a".repeat(250))).is_err());
    }

    #[test]
    fn bodies_are_three_to_two_thousand_characters() {
        assert!(CommentBody::parse("  ").unwrap_err().contains("Schrijf"));
        assert!(CommentBody::parse("Hé").unwrap_err().contains("te kort"));
        assert!(CommentBody::parse("Top").is_ok());
        assert!(CommentBody::parse(&"é".repeat(2000)).is_ok());
        assert!(CommentBody::parse(&"é".repeat(2001))
            .unwrap_err()
            .contains("nu 2001"));
        assert_eq!(
            CommentBody::parse(" Een\r\ntwee ").unwrap().as_str(),
            "Een\ntwee"
        );
        // Very long input is refused without trouble.
        assert!(CommentBody::parse(&"x".repeat(1_000_000)).is_err());
    }

    #[test]
    fn malicious_input_is_text_not_a_problem_for_the_rules() {
        // Markup is allowed as text: it is escaped when shown, never interpreted.
        let body = CommentBody::parse("<script>alert('x')</script> & <b>vet</b>").unwrap();
        assert!(body.as_str().contains("<script>"));
        assert!(CommentBody::parse("null\u{0000}byte").is_err());
    }

    #[test]
    fn links_are_counted_and_limited() {
        assert_eq!(
            count_links("zie https://a.nl/x, en www.b.nl. Of http://c.nl!"),
            3
        );
        assert_eq!(link_in("(https://a.nl/x)."), Some("https://a.nl/x"));
        assert_eq!(link_in("https://"), None);
        let four = "https://a.nl https://b.nl https://c.nl https://d.nl";
        assert!(CommentBody::parse(four).unwrap_err().contains("4 links"));
        assert_eq!(CommentBody::parse("https://a.nl/één").unwrap().links(), 1);
    }

    #[test]
    fn problems_come_in_form_order() {
        let found = problems("", "geen-adres", "ok");
        let fields: Vec<Field> = found.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec![Field::Name, Field::Email, Field::Body]);
        assert!(problems("Anouk", "anouk@voorbeeld.nl", "Mooi stuk!").is_empty());
    }
}
