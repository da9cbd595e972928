//! Security headers on every response. Pages bring their own Content Security Policy (it holds
//! their render's nonce, see `app::security`); everything else gets the same policy without one.

use app::security::{content_security_policy, Framing};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::{header, HeaderName, HeaderValue};
use std::sync::Arc;

/// The headers, built once.
#[derive(Clone)]
pub struct SecurityHeaders(Arc<Values>);

struct Values {
    newsroom_policy: HeaderValue,
    reader_policy: HeaderValue,
    hsts: Option<HeaderValue>,
}

/// Browsers may not use these on any page of the site (a news site asks for none of them).
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
/// Two years, the subdomains included: meant for a site served over https only.
const HSTS: &str = "max-age=63072000; includeSubDomains";

impl SecurityHeaders {
    /// `hsts`: the operator serves the site over https only (ZENDER_HSTS).
    pub fn new(hsts: bool) -> Self {
        SecurityHeaders(Arc::new(Values {
            newsroom_policy: content_security_policy(None, Framing::Never),
            reader_policy: content_security_policy(None, Framing::SameSite),
            hsts: hsts.then(|| HeaderValue::from_static(HSTS)),
        }))
    }
}

pub async fn secure(
    State(values): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let framing = Framing::for_path(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    values.apply(framing, status, response.headers_mut());
    response
}

impl SecurityHeaders {
    /// Adds the headers to those of a response with `status` on a page framed as `framing`.
    pub fn apply(&self, framing: Framing, status: http::StatusCode, headers: &mut http::HeaderMap) {
        let values = &self.0;
        // A 304's headers replace those the browser stored with the page, whose policy names
        // the nonce of the page's scripts: it must not come with one of its own.
        let revalidated = status == http::StatusCode::NOT_MODIFIED;
        if !revalidated && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            let policy = match framing {
                Framing::Never => &values.newsroom_policy,
                Framing::SameSite => &values.reader_policy,
            };
            headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
        }
        // For browsers that predate frame-ancestors.
        let frame_options = match framing {
            Framing::Never => "DENY",
            Framing::SameSite => "SAMEORIGIN",
        };
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static(frame_options),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS),
        );
        headers.insert(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        if let Some(hsts) = &values.hsts {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
}
