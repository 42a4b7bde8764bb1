//! What every page has around its content (the language, the organisation's name, the language
//! switch), how the page's language is chosen, and how a page becomes a response.

use super::Pages;
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use redress_catalogue::{Locale, Messages};

/// Remembers a language the visitor picked with the language switch.
const LANG_COOKIE: &str = "redress_lang";

/// Bumped with each release, so browsers fetch new styles and script.
pub(crate) const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The frame around every page.
pub(crate) struct Layout {
    pub t: Messages,
    pub lang: String,
    pub organisation: String,
    pub languages: Vec<LanguageLink>,
    pub asset_version: &'static str,
    /// `Set-Cookie` values the response must carry.
    pub cookies: Vec<String>,
}

/// One entry of the language switch.
pub(crate) struct LanguageLink {
    pub tag: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

impl Layout {
    /// A message without arguments (templates call this).
    pub fn tr(&self, id: &str) -> String {
        self.t.get(id)
    }

    /// A message with one argument, for templates.
    pub fn tr_with(&self, id: &str, name: &str, value: &str) -> String {
        self.t.format(id, &[(name, value.into())])
    }
}

/// The value of one cookie in the request, if sent.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// The value of one query-string parameter, if given.
pub(crate) fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

impl Pages {
    /// The frame for a page at `uri`. The language is, in order: one just picked with the switch
    /// (`?lang=`), one picked earlier in this browser, the language the customer wrote their
    /// case in, the browser's preference, English.
    pub(crate) fn layout(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        case_language: Option<&str>,
    ) -> Layout {
        let catalogue = &self.inner.catalogue;
        let mut cookies = Vec::new();
        let picked = query_param(uri, "lang").and_then(|l| catalogue.find(&l));
        if let Some(locale) = picked {
            let tag = catalogue.messages(locale).tag();
            cookies.push(self.cookie_header(LANG_COOKIE, &tag, 365 * 24 * 3600));
        }
        let locale = picked
            .or_else(|| cookie(headers, LANG_COOKIE).and_then(|l| catalogue.find(l)))
            .or_else(|| case_language.and_then(|l| catalogue.find(l)))
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| catalogue.from_accept_language(v))
            })
            .unwrap_or(Locale::FALLBACK);
        let languages = catalogue
            .languages()
            .into_iter()
            .map(|(l, tag, name)| LanguageLink {
                // Relative to the page itself: the path is never echoed into a link, so a path
                // like //elsewhere.example cannot become an off-site link.
                href: format!("?lang={tag}"),
                tag,
                name,
                current: l == locale,
            })
            .collect();
        let t = catalogue.messages(locale);
        Layout {
            lang: t.tag(),
            t,
            organisation: self.app.settings().organisation.clone(),
            languages,
            asset_version: ASSET_VERSION,
            cookies,
        }
    }

    /// A `Set-Cookie` value: never readable by script; sent on arrival from a link elsewhere
    /// (an email) but never with another site's posts. These cookies prove nothing by
    /// themselves: a form's token must also match.
    pub(crate) fn cookie_header(&self, name: &str, value: &str, max_age_secs: u32) -> String {
        let secure = if self.inner.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}")
    }
}

/// A rendered page with its status and cookies.
pub(crate) fn render<T: Template>(status: StatusCode, page: &T, cookies: &[String]) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                html,
            )
                .into_response();
            for c in cookies {
                if let Ok(v) = HeaderValue::from_str(c) {
                    response.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response()
        }
    }
}
