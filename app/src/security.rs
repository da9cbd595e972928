//! The Content Security Policy every response is sent with.
//!
//! Scripts run only from this site or, inline, with the nonce of the render that wrote them:
//! Leptos puts the render's nonce on the hydration script and its own inline scripts. A public
//! page is rendered once per content version and then shared (see the page cache), so its
//! readers share that render's nonce; text that reaches a page (a comment, a search query) is in
//! the page before its nonce is drawn, and any change of content is a new render with a new one.

use http::HeaderValue;

/// Where a page may be framed: newsroom pages never (clickjacking on an editor's session),
/// reader pages only by this site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    Never,
    SameSite,
}

impl Framing {
    pub fn for_path(path: &str) -> Self {
        if crate::paths::in_newsroom(path) {
            Framing::Never
        } else {
            Framing::SameSite
        }
    }
}

/// The policy, directive by directive. `nonce` is the render's; without one (files, parts,
/// redirects) no inline script may run at all.
pub fn content_security_policy(nonce: Option<&str>, framing: Framing) -> HeaderValue {
    let nonce_source = nonce.map(|nonce| format!("'nonce-{nonce}'"));
    let mut scripts = vec!["'self'"];
    if let Some(source) = &nonce_source {
        scripts.push(source);
    }
    // The islands are WebAssembly: compiling it needs this, and nothing else of eval does.
    scripts.push("'wasm-unsafe-eval'");
    let script_sources = scripts.join(" ");
    let frame_ancestors = match framing {
        Framing::Never => "'none'",
        Framing::SameSite => "'self'",
    };
    let directives: [(&str, &str); 12] = [
        ("default-src", "'self'"),
        ("script-src", &script_sources),
        ("style-src", "'self'"),
        // Editors may place images from other sites in an article's Markdown.
        ("img-src", "'self' data: https:"),
        ("font-src", "'self'"),
        ("connect-src", "'self'"),
        ("media-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", frame_ancestors),
        ("frame-src", "'none'"),
    ];
    let policy = directives
        .iter()
        .map(|(name, sources)| format!("{name} {sources}"))
        .collect::<Vec<_>>()
        .join("; ");
    // A nonce is URL-safe base64, so the policy is always a valid header value.
    HeaderValue::from_str(&policy).expect("a policy of ASCII directives")
}

/// Sends the policy with the page being rendered, carrying this render's nonce.
pub fn send_policy() {
    use leptos::prelude::use_context;
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce();
    let framing = use_context::<http::request::Parts>()
        .map(|parts| Framing::for_path(parts.uri.path()))
        .unwrap_or(Framing::Never);
    response.insert_header(
        http::header::CONTENT_SECURITY_POLICY,
        content_security_policy(nonce.as_deref(), framing),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_need_the_nonce_of_their_render() {
        let with = content_security_policy(Some("abc123"), Framing::SameSite);
        let with = with.to_str().unwrap();
        assert!(
            with.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"),
            "{with}"
        );
        assert!(!with.contains("unsafe-inline"), "{with}");
        let without = content_security_policy(None, Framing::SameSite);
        assert!(!without.to_str().unwrap().contains("nonce"));
    }

    #[test]
    fn newsroom_pages_are_never_framed() {
        assert_eq!(Framing::for_path("/redactie"), Framing::Never);
        assert_eq!(Framing::for_path("/redactie/artikelen/3"), Framing::Never);
        assert_eq!(Framing::for_path("/redactiekamer"), Framing::SameSite);
        let policy = content_security_policy(None, Framing::Never);
        let policy = policy.to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(policy.contains("object-src 'none'"), "{policy}");
        assert!(policy.contains("base-uri 'self'"), "{policy}");
    }
}
