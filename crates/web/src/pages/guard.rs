//! Protection of every form against cross-site requests: the browser must say the post comes
//! from this site (Sec-Fetch-Site, or Origin matching Host), and the form must carry a token
//! that only this site can make for this browser's cookie (a signed double-submit token, keyed
//! by the site key that all nodes share).

use super::Pages;
use super::layout::{Layout, cookie};
use axum::http::{HeaderMap, Uri, header};
use data_encoding::BASE32_NOPAD;
use redress_app::AppError;

/// Holds a random value; the forms carry its signature.
const FORM_COOKIE: &str = "redress_form";
const FORM_COOKIE_SECONDS: u32 = 7 * 24 * 3600;

/// Why a form post was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormRefusal {
    /// The browser says the post comes from another site.
    CrossSite,
    /// The browser sent no form cookie (cookies blocked, or it expired).
    NoCookie,
    /// The token does not match this browser's cookie (an old page, or a forgery).
    Expired,
}

impl FormRefusal {
    /// The catalogue message that tells a person what happened and what to do.
    pub(crate) fn message_id(self) -> &'static str {
        match self {
            FormRefusal::NoCookie => "problem-no-cookie",
            FormRefusal::CrossSite | FormRefusal::Expired => "problem-form-expired",
        }
    }
}

/// The token a form must carry, and the cookie to set if the browser has none yet.
pub(crate) struct FormToken {
    pub token: String,
    pub set_cookie: Option<String>,
}

/// Random bytes, base32: for cookie values and form nonces.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 16];
    // A failing system random source leaves no safe way to go on.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the system's random source works");
    BASE32_NOPAD.encode(&bytes)
}

fn usable_nonce(value: &str) -> bool {
    (16..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Pages {
    async fn sign(&self, nonce: &str) -> Result<String, AppError> {
        let key = self.app.site_key().await?;
        Ok(BASE32_NOPAD.encode(&key.mac("form", &[nonce.as_bytes()])))
    }

    /// The token for a form about to be shown to this browser.
    pub(crate) async fn form_token(&self, headers: &HeaderMap) -> Result<FormToken, AppError> {
        match cookie(headers, FORM_COOKIE).filter(|v| usable_nonce(v)) {
            Some(nonce) => Ok(FormToken {
                token: self.sign(nonce).await?,
                set_cookie: None,
            }),
            None => {
                let nonce = random_id();
                Ok(FormToken {
                    token: self.sign(&nonce).await?,
                    set_cookie: Some(self.cookie_header(FORM_COOKIE, &nonce, FORM_COOKIE_SECONDS)),
                })
            }
        }
    }

    /// What refuses a post before its body is read: another site, or no form cookie.
    pub(crate) fn early_refusal(&self, headers: &HeaderMap) -> Option<FormRefusal> {
        if !same_site(headers, self.inner.public_url.as_deref()) {
            Some(FormRefusal::CrossSite)
        } else if cookie(headers, FORM_COOKIE).is_none_or(|v| !usable_nonce(v)) {
            Some(FormRefusal::NoCookie)
        } else {
            None
        }
    }

    /// The frame of a page with forms: the layout, the token its forms carry, and every cookie
    /// the response must set (the language picked, the form cookie if the browser had none).
    pub(crate) async fn form_frame(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        case_language: Option<&str>,
    ) -> Result<(Layout, String, Vec<String>), AppError> {
        let mut layout = self.layout(headers, uri, case_language);
        let form = self.form_token(headers).await?;
        let mut cookies = std::mem::take(&mut layout.cookies);
        cookies.extend(form.set_cookie);
        Ok((layout, form.token, cookies))
    }

    /// Whether a posted form may be acted on.
    pub(crate) async fn check_form(
        &self,
        headers: &HeaderMap,
        token: &str,
    ) -> Result<Result<(), FormRefusal>, AppError> {
        if !same_site(headers, self.inner.public_url.as_deref()) {
            return Ok(Err(FormRefusal::CrossSite));
        }
        let Some(nonce) = cookie(headers, FORM_COOKIE).filter(|v| usable_nonce(v)) else {
            return Ok(Err(FormRefusal::NoCookie));
        };
        let expected = self.sign(nonce).await?;
        // Both are public-length strings of the same shape; compare without early exit anyway.
        let same = expected.len() == token.len()
            && expected
                .bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        Ok(if same {
            Ok(())
        } else {
            Err(FormRefusal::Expired)
        })
    }
}

/// The browser's word that a request comes from this site. Browsers send Sec-Fetch-Site on
/// every request; older ones send Origin on posts, compared with the public address (behind a
/// proxy the Host header may be the proxy's) or else with Host. "null" (sent under a strict
/// referrer policy) and no Origin at all say nothing either way: the signed token decides.
fn same_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| *o != "null")
    else {
        return true;
    };
    let origin_host = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.trim_end_matches('/').to_ascii_lowercase())
    };
    let Some(theirs) = origin_host(origin) else {
        return false;
    };
    if let Some(ours) = public_url.and_then(origin_host) {
        return theirs == ours;
    }
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.eq_ignore_ascii_case(&theirs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn posts_from_other_sites_are_refused() {
        let same = |pairs: &[(&'static str, &'static str)]| same_site(&headers(pairs), None);
        assert!(same(&[("sec-fetch-site", "same-origin")]));
        assert!(!same(&[("sec-fetch-site", "cross-site")]));
        assert!(!same(&[("sec-fetch-site", "same-site")]));
        assert!(same(&[
            ("origin", "http://care.example"),
            ("host", "care.example")
        ]));
        assert!(!same(&[
            ("origin", "http://evil.example"),
            ("host", "care.example")
        ]));
        // Under a no-referrer policy older browsers send "null": the token decides.
        assert!(same(&[("origin", "null"), ("host", "care.example")]));
        assert!(same(&[("host", "care.example")]));
        // Behind a proxy that rewrites Host, the public address is what Origin must match.
        let behind = |origin: &'static str| {
            same_site(
                &headers(&[("origin", origin), ("host", "127.0.0.1:8080")]),
                Some("https://care.example"),
            )
        };
        assert!(behind("https://care.example"));
        assert!(!behind("https://evil.example"));
    }
}
