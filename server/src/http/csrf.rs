//! CSRF defence for every state-changing request, server functions included (Leptos has none).
//!
//! A request that is not GET, HEAD or OPTIONS must come from our own pages: the browser says so in
//! `Sec-Fetch-Site`, or its `Origin` names this site. Requests with neither are refused, since
//! every browser in use sends at least one of them on a POST. Forms keep working without
//! JavaScript because a plain form post carries the same headers.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Which origin is this site's.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The public base URL (`https://omroep.example`).
    pub base_url: String,
    /// Whether an `Origin` naming the request's own `Host` counts too: only when the operator
    /// did not name the public address (`ZENDER_PUBLIC_URL`), since `Host` is the client's say.
    pub host_counts: bool,
}

pub async fn same_origin_only(
    State(policy): State<Policy>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || is_same_origin(request.headers(), &policy.base_url, policy.host_counts) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        "refused a cross-origin request"
    );
    (
        StatusCode::FORBIDDEN,
        "Dit verzoek is geweigerd: het kwam niet van deze website.",
    )
        .into_response()
}

/// Whether the request headers show that it came from a page of this site.
pub fn is_same_origin(headers: &HeaderMap, public_base_url: &str, host_counts: bool) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return false;
    };
    if origin == "null" {
        return false;
    }
    if origin.trim_end_matches('/') == public_base_url {
        return true;
    }
    if !host_counts {
        return false;
    }
    let origin_host = origin.split_once("://").map(|(_, host)| host);
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    matches!((origin_host, host), (Some(o), Some(h)) if o == h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const BASE: &str = "https://omroep.example";

    #[test]
    fn same_origin_fetch_metadata_is_accepted() {
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            BASE,
            true
        ));
    }

    #[test]
    fn cross_site_fetch_metadata_is_refused_even_with_a_matching_origin() {
        let h = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://omroep.example"),
        ]);
        assert!(!is_same_origin(&h, BASE, true));
    }

    #[test]
    fn origin_matching_the_host_or_public_url_is_accepted() {
        let h = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(is_same_origin(&h, BASE, true));
        assert!(is_same_origin(
            &headers(&[("origin", "https://omroep.example")]),
            BASE,
            true
        ));
    }

    #[test]
    fn with_the_public_address_named_the_host_header_does_not_count() {
        // A request to this server under another name (DNS rebinding, a forged Host).
        let h = headers(&[
            ("origin", "http://kwaad.example"),
            ("host", "kwaad.example"),
        ]);
        assert!(!is_same_origin(&h, BASE, false));
        assert!(is_same_origin(
            &headers(&[("origin", "https://omroep.example")]),
            BASE,
            false
        ));
    }

    #[test]
    fn foreign_null_or_missing_origin_is_refused() {
        let h = headers(&[
            ("origin", "https://kwaadwillend.example"),
            ("host", "omroep.example"),
        ]);
        assert!(!is_same_origin(&h, BASE, true));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), BASE, true));
        assert!(!is_same_origin(
            &headers(&[("host", "omroep.example")]),
            BASE,
            true
        ));
    }
}
