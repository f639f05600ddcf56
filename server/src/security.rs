//! Headers and checks on every request: a nonce-based Content-Security-Policy,
//! the usual hardening headers, cross-origin state changes refused, and who
//! (if anyone) is signed in.

use app::accounts::sessions;
use app::accounts::viewer::Viewer;
use app::state::AppState;
use app::CspNonce;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// True when a browser says the request came from another site. Requests
/// with neither `Sec-Fetch-Site` nor `Origin` (not from a browser) pass.
pub fn is_cross_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        return origin == "null" || origin_host != host;
    }
    false
}

pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// `Strict-Transport-Security` for a site reached over https: a year, and
/// subdomains too (sent only when `HEARD_HTTPS` says so).
const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn headers(State(https): State<bool>, mut req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let nonce = app::random::token::<16>();
    // Refusals carry the same headers as everything else.
    let mut res = if !safe && is_cross_origin(req.headers()) {
        (
            StatusCode::FORBIDDEN,
            "Requests from other sites can't change anything here.",
        )
            .into_response()
    } else {
        req.extensions_mut().insert(CspNonce(nonce.clone()));
        next.run(req).await
    };
    let h = res.headers_mut();
    // A response that set a stricter policy of its own (a document served
    // sandboxed) keeps it.
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.entry(header::CONTENT_SECURITY_POLICY).or_insert(csp);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(), camera=(), microphone=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    res
}

/// Resolves the session cookie (only when there is one: young people's pages
/// never touch the sessions table), sends signed-out visitors of staff pages
/// to sign in, and keeps signed-in pages out of every cache.
pub async fn viewer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let staff_page = path == "/staff" || path.starts_with("/staff/");
    // Only staff pages, signing in and out, and server functions ask who is
    // signed in. Young people's pages never touch the sessions table, even
    // on a youth worker's signed-in tablet passed round the room, so a busy
    // sessions table can never stand between a young person and their answers.
    let asks_who =
        staff_page || path == "/sign-in" || path == "/sign-out" || path.starts_with("/api/");
    let token = asks_who
        .then(|| sessions::token_from_headers(req.headers(), &state.settings))
        .flatten();
    let user = match token {
        Some(t) => match sessions::resolve(&state.db, &t, &state.settings).await {
            Ok(u) => u,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    if staff_page && user.is_none() && req.method() == Method::GET {
        let next_path = form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>();
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, format!("/sign-in?next={next_path}"))
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    // Someone holding a one-time password may only replace it: pages send
    // them there; form posts are refused by the `Staff` extractor itself.
    if staff_page
        && path != "/staff/password"
        && req.method() == Method::GET
        && user.as_ref().is_some_and(|u| u.must_change_password)
    {
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, "/staff/password")
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    let signed_in = user.is_some();
    req.extensions_mut().insert(Viewer(user));
    let mut res = next.run(req).await;
    if signed_in || staff_page || path == "/sign-in" || path.starts_with("/api/") {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn other_sites_are_recognised() {
        assert!(is_cross_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(is_cross_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(!is_cross_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "heard.example")
        ])));
        assert!(!is_cross_origin(&headers(&[
            ("origin", "https://heard.example"),
            ("host", "heard.example")
        ])));
        assert!(is_cross_origin(&headers(&[
            ("origin", "null"),
            ("host", "heard.example")
        ])));
        assert!(!is_cross_origin(&headers(&[])));
    }

    #[test]
    fn the_policy_loads_nothing_from_elsewhere() {
        let csp = content_security_policy("abc");
        assert!(csp.contains("script-src 'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("http"));
    }
}
