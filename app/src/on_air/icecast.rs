//! Now playing, from an Icecast server's status document (`/status-json.xsl`; server only).
//!
//! The document lists the server's mounts under `icestats.source`: one object for one mount,
//! an array for several. The station's mount is the one whose `listenurl` has the path of the
//! station's stream address (Icecast names itself by its own host name, which need not be the
//! one readers use).

use serde_json::Value;

/// Longest title kept.
const TITLE_MAX: usize = 200;

/// The title playing on the mount of `stream_url`, if the document names one.
pub fn now_playing(status: &str, stream_url: &str) -> Option<String> {
    let document: Value = serde_json::from_str(status).ok()?;
    let sources = match document.get("icestats")?.get("source")? {
        Value::Array(all) => all.iter().collect::<Vec<_>>(),
        one @ Value::Object(_) => vec![one],
        _ => return None,
    };
    let mount = path_of(stream_url)?;
    let source = sources.into_iter().find(|s| {
        s.get("listenurl")
            .and_then(Value::as_str)
            .and_then(path_of)
            .is_some_and(|path| path == mount)
    })?;
    let text = |key: &str| {
        source
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    let title = match (text("artist"), text("title")) {
        (Some(artist), Some(title)) => format!("{artist} - {title}"),
        (None, Some(title)) => title.to_string(),
        (Some(artist), None) => artist.to_string(),
        (None, None) => return None,
    };
    Some(
        title
            .chars()
            .filter(|c| !c.is_control())
            .take(TITLE_MAX)
            .collect(),
    )
}

fn path_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = rest.find('/').map_or("/", |at| &rest[at..]);
    Some(path.split(['?', '#']).next().unwrap_or("/").to_string())
}

#[cfg(test)]
mod tests {
    use super::now_playing;

    // As Icecast 2.4.4 writes it, for one mount and for two.
    const ONE: &str = r#"{"icestats":{"admin":"icemaster@localhost","host":"localhost","location":"Earth","server_id":"Icecast 2.4.4","server_start":"Tue, 08 Dec 2026 09:00:00 +0100","server_start_iso8601":"2026-12-08T09:00:00+0100","source":{"audio_info":"channels=2;samplerate=44100;bitrate=128","bitrate":128,"genre":"Various","listener_peak":3,"listeners":2,"listenurl":"http://localhost:8000/lindewijk.mp3","server_description":"Radio Lindewijk","server_name":"Radio Lindewijk","server_type":"audio/mpeg","server_url":"http://lindewijk.example","stream_start":"Tue, 08 Dec 2026 09:00:05 +0100","stream_start_iso8601":"2026-12-08T09:00:05+0100","title":"De Lindewijkers - Zomer aan de Vaart","dummy":null}}}"#;
    const TWO: &str = r#"{"icestats":{"host":"icecast","server_id":"Icecast 2.4.4","source":[{"listenurl":"http://icecast:8000/tv.ogg","title":"Journaal"},{"listenurl":"http://icecast:8000/lindewijk.mp3","artist":"Fanfare Meerveld","title":"Mars van de Vaart"}]}}"#;

    #[test]
    fn the_title_of_the_stations_mount_whatever_host_icecast_calls_itself() {
        assert_eq!(
            now_playing(ONE, "http://127.0.0.1:8000/lindewijk.mp3").as_deref(),
            Some("De Lindewijkers - Zomer aan de Vaart")
        );
        assert_eq!(
            now_playing(TWO, "https://radio.lindewijk.example/lindewijk.mp3").as_deref(),
            Some("Fanfare Meerveld - Mars van de Vaart")
        );
        assert_eq!(
            now_playing(TWO, "http://icecast:8000/andere.mp3"),
            None,
            "another mount"
        );
        assert_eq!(
            now_playing("<html>", "http://x/lindewijk.mp3"),
            None,
            "not a status document"
        );
        assert_eq!(
            now_playing(r#"{"icestats":{}}"#, "http://x/lindewijk.mp3"),
            None,
            "no sources"
        );
    }
}
