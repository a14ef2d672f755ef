//! Who may talk to the server: only the reader who started it.
//!
//! The server runs whatever code it is sent, so every request passes, in
//! order:
//! 1. the Host check: exactly `127.0.0.1:PORT` or `localhost:PORT`, the
//!    address it bound. A page on another site whose DNS name was pointed at
//!    127.0.0.1 (DNS rebinding) sends its own name, and is refused.
//! 2. the Origin check: a request that carries an Origin must come from this
//!    server's own pages; another site's page in the same browser is refused.
//! 3. the token: a random secret printed in the terminal when the server
//!    starts. Opening `/?token=T` stores it in an HttpOnly, SameSite=Strict
//!    cookie; scripts may instead send `Authorization: token T`. Compared in
//!    constant time.
//!
//! Every refusal is a short plain-text message saying what was wrong.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use super::AppState;

/// The name of the cookie that carries the token.
pub const COOKIE: &str = "notebook_token";

/// A fresh random token: 32 bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing means the machine cannot make secrets at
    // all; the server must not start with a guessable token.
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{message}\n")).into_response()
}

fn tokens_equal(given: &str, expected: &str) -> bool {
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// The token a request carries, from the Authorization header or the cookie.
fn presented_token(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(token) = value.strip_prefix("token ")
    {
        return Some(token.trim().to_string());
    }
    for value in headers.get_all(header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, token)) = pair.trim().split_once('=')
                && name == COOKIE
            {
                return Some(token.to_string());
            }
        }
    }
    None
}

/// The `token` parameter of a query string, and the query without it.
fn split_token_param(query: &str) -> (Option<String>, String) {
    let mut token = None;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.strip_prefix("token=") {
            Some(t) => token = Some(t.to_string()),
            None => rest.push(pair),
        }
    }
    (token, rest.join("&"))
}

/// The middleware: host, origin, then token.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !state.allowed_hosts.iter().any(|allowed| allowed == host) {
        return refuse(
            StatusCode::FORBIDDEN,
            &format!("refused: this server answers only to {}, not to Host {host:?}", state.allowed_hosts.join(" or ")),
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !state.allowed_origins.iter().any(|allowed| allowed == origin) {
            return refuse(
                StatusCode::FORBIDDEN,
                &format!("refused: requests from {origin:?} are not allowed; only this server's own pages may ask"),
            );
        }
    }

    // Opening the printed URL: check the token, keep it in a cookie, and
    // take it out of the address bar.
    let (query_token, rest) = split_token_param(request.uri().query().unwrap_or(""));
    if let Some(token) = query_token {
        if !tokens_equal(&token, &state.token) {
            return refuse(StatusCode::UNAUTHORIZED, "refused: wrong token; use the address the server printed");
        }
        let path = request.uri().path();
        let location = if rest.is_empty() { path.to_string() } else { format!("{path}?{rest}") };
        let mut response = Redirect::to(&location).into_response();
        let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", state.token);
        // A hex token and fixed attributes are always a valid header value.
        response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("a valid cookie"));
        return response;
    }

    match presented_token(headers) {
        Some(token) if tokens_equal(&token, &state.token) => next.run(request).await,
        Some(_) => refuse(StatusCode::UNAUTHORIZED, "refused: wrong token; use the address the server printed"),
        None => refuse(
            StatusCode::UNAUTHORIZED,
            "refused: no token. Open the address `cargo book serve` printed (it ends in ?token=...)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_token_parameter_is_taken_out_of_the_query() {
        assert_eq!(split_token_param("token=abc"), (Some("abc".into()), String::new()));
        assert_eq!(split_token_param("a=1&token=abc&b=2"), (Some("abc".into()), "a=1&b=2".into()));
        assert_eq!(split_token_param("a=1"), (None, "a=1".into()));
    }

    #[test]
    fn tokens_come_from_the_header_or_the_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("x=1; notebook_token=abc"));
        assert_eq!(presented_token(&headers).as_deref(), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("token def"));
        assert_eq!(presented_token(&headers).as_deref(), Some("def"));
    }

    #[test]
    fn a_token_must_match_whole() {
        assert!(tokens_equal("abc", "abc"));
        assert!(!tokens_equal("ab", "abc"));
        assert!(!tokens_equal("abd", "abc"));
    }
}
