//! The rules a tip or a correction meets, shared by the browser and the server (which checks
//! again before anything is stored). Names and e-mail addresses follow the comment rules.

// The comment fields' checks: shape only, no lower-casing, so the browser bundle carries no
// Unicode case tables (the server lower-cases the address when it stores it).
use crate::comments::rules::Field as CommentField;

pub const MESSAGE_MIN: usize = 10;
pub const MESSAGE_MAX: usize = 5000;
pub const PHONE_MAX: usize = 30;
/// Largest photo with a tip; the browser refuses bigger files before sending, the server again.
pub const PHOTO_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The fields of the tip and correction forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Email,
    Phone,
    Message,
    Photo,
}

impl Field {
    /// The form field's `name`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "naam",
            Field::Email => "email",
            Field::Phone => "telefoon",
            Field::Message => "bericht",
            Field::Photo => "foto",
        }
    }
}

/// A phone number as people write it: digits with spaces, dashes, brackets, a leading +.
pub fn check_phone(raw: &str) -> Result<String, String> {
    let phone = raw.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let shape = phone.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.') || (c == '+' && i == 0)
    });
    if !shape || !(8..=15).contains(&digits) || phone.chars().count() > PHONE_MAX {
        return Err("Dit lijkt geen telefoonnummer. Voorbeeld: 06 12345678".into());
    }
    Ok(phone.to_string())
}

/// The message: plain text between `min` and [`MESSAGE_MAX`] characters.
pub fn check_message(raw: &str, min: usize, empty: &str) -> Result<String, String> {
    let text = raw.replace("\r\n", "\n").trim().to_string();
    let n = text.chars().count();
    if n == 0 {
        return Err(empty.into());
    }
    if n < min {
        return Err(format!("Schrijf iets meer: minstens {min} tekens."));
    }
    if n > MESSAGE_MAX {
        return Err(format!(
            "Je bericht is te lang: hoogstens {MESSAGE_MAX} tekens (nu {n})."
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err("Je bericht bevat tekens die we niet kunnen opslaan.".into());
    }
    Ok(text)
}

/// What is wrong with a tip, per field, in form order. One way to reach the sender is needed:
/// an e-mail address or a phone number.
pub fn tip_problems(name: &str, email: &str, phone: &str, message: &str) -> Vec<(Field, String)> {
    let mut problems = Vec::new();
    if let Err(e) = CommentField::Name.check(name) {
        problems.push((Field::Name, e));
    }
    let (email, phone) = (email.trim(), phone.trim());
    if email.is_empty() && phone.is_empty() {
        problems.push((
            Field::Email,
            "Vul een e-mailadres of een telefoonnummer in, zodat we je kunnen bereiken.".into(),
        ));
    }
    if !email.is_empty() {
        if let Err(e) = CommentField::Email.check(email) {
            problems.push((Field::Email, e));
        }
    }
    if !phone.is_empty() {
        if let Err(e) = check_phone(phone) {
            problems.push((Field::Phone, e));
        }
    }
    if let Err(e) = check_message(message, MESSAGE_MIN, "Vertel ons wat je tip is.") {
        problems.push((Field::Message, e));
    }
    problems
}

/// What is wrong with a correction: only the message is required; a name or an address, when
/// given, must be one.
pub fn correction_problems(name: &str, email: &str, message: &str) -> Vec<(Field, String)> {
    let mut problems = Vec::new();
    if !name.trim().is_empty() {
        if let Err(e) = CommentField::Name.check(name) {
            problems.push((Field::Name, e));
        }
    }
    if !email.trim().is_empty() {
        if let Err(e) = CommentField::Email.check(email) {
            problems.push((Field::Email, e));
        }
    }
    if let Err(e) = check_message(message, 5, "Vertel ons wat er niet klopt.") {
        problems.push((Field::Message, e));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(problems: &[(Field, String)]) -> Vec<Field> {
        problems.iter().map(|(f, _)| *f).collect()
    }

    #[test]
    fn a_tip_needs_a_name_a_way_to_reach_the_sender_and_a_message() {
        assert_eq!(
            fields(&tip_problems("", "", "", "")),
            [Field::Name, Field::Email, Field::Message]
        );
        let ok = "Er staat een boom over de weg bij de Molenstraat.";
        assert!(tip_problems("Anna", "anna@voorbeeld.nl", "", ok).is_empty());
        assert!(tip_problems("Anna", "", "06-12345678", ok).is_empty());
        assert!(tip_problems("Anna", "", "+31 (0)6 1234 5678", ok).is_empty());
        assert_eq!(
            fields(&tip_problems("Anna", "geen-adres", "", ok)),
            [Field::Email]
        );
        assert_eq!(
            fields(&tip_problems("Anna", "", "bel me", ok)),
            [Field::Phone]
        );
        assert_eq!(fields(&tip_problems("Anna", "", "123", ok)), [Field::Phone]);
    }

    #[test]
    fn a_message_is_plain_text_of_a_sensible_length() {
        assert!(check_message("kort", MESSAGE_MIN, "leeg").is_err());
        assert_eq!(check_message("  ", MESSAGE_MIN, "leeg"), Err("leeg".into()));
        assert!(
            check_message(&"a".repeat(MESSAGE_MAX + 1), MESSAGE_MIN, "leeg")
                .unwrap_err()
                .contains("te lang")
        );
        assert!(check_message("Een bericht met \u{0} erin", MESSAGE_MIN, "leeg").is_err());
        assert_eq!(
            check_message(" <b>Tien tekens</b>\r\nen meer ", MESSAGE_MIN, "leeg").unwrap(),
            "<b>Tien tekens</b>\nen meer"
        );
    }

    #[test]
    fn a_correction_needs_only_the_message() {
        assert!(correction_problems("", "", "Het is Molenweg, niet Molenstraat.").is_empty());
        assert_eq!(fields(&correction_problems("", "", "")), [Field::Message]);
        assert_eq!(
            fields(&correction_problems("", "nee", "Het jaartal klopt niet.")),
            [Field::Email]
        );
    }
}
