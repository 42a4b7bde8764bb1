//! The visitor the page tests are: a browser without JavaScript over plain HTTP ([`Visitor`],
//! keeping cookies and never following redirects), the pages it gets back ([`Page`]), text as
//! the pages escape it, and a small real PNG to attach.

use crate::helpers::TestApp;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode, multipart};

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub struct Visitor {
    pub(super) client: Client,
    pub(super) site: String,
    pub(super) cookies: Vec<(String, String)>,
    pub language: Option<&'static str>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    /// The value of a form field (`name="x" ... value="v"`) as the page holds it.
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\"");
        let at = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.html));
        let rest = &self.html[at..];
        let start = rest.find("value=\"").expect("a value") + 7;
        let len = rest[start..].find('"').expect("closing quote");
        rest[start..start + len].to_owned()
    }

    /// Where the link with this id goes (`id="x" href="..."` or `href="..." ... id="x"`).
    pub fn field_href(&self, id: &str) -> String {
        let marker = format!("id=\"{id}\"");
        let at = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no {id} in {}", self.html));
        let tag_start = self.html[..at].rfind('<').expect("a tag");
        let tag = &self.html[tag_start..];
        let tag = &tag[..tag.find('>').expect("tag end")];
        let start = tag.find("href=\"").expect("an href") + 6;
        let len = tag[start..].find('"').expect("closing quote");
        tag[start..start + len]
            .replace("&amp;", "&")
            .replace("&#38;", "&")
    }

    pub fn location(&self) -> String {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no Location ({}): {}", self.status, self.html))
            .to_owned()
    }
}

/// The password the page tests give staff.
pub const PASSWORD: &str = "correct horse battery staple";

impl Visitor {
    /// A browser signed in at the desk as the staff member with this email and `PASSWORD`.
    pub async fn signed_in(app: &TestApp, email: &str) -> Visitor {
        let mut visitor = Visitor::new(app);
        let form = visitor.get("/desk/sign-in").await;
        let csrf = form.field("csrf");
        let page = visitor
            .post_form(
                "/desk/sign-in",
                &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
        visitor
    }

    pub fn new(app: &TestApp) -> Visitor {
        Visitor {
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            site: app.site(),
            cookies: Vec::new(),
            language: None,
        }
    }

    pub(super) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, req: reqwest::RequestBuilder) -> Page {
        let mut req = req.header("cookie", self.cookie_header());
        if let Some(lang) = self.language {
            req = req.header("accept-language", lang);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        for c in headers.get_all(SET_COOKIE) {
            let c = c.to_str().expect("cookie");
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(name, _)| name != k);
            self.cookies.push((k.to_owned(), v.to_owned()));
        }
        let html = res.text().await.expect("body");
        Page {
            status,
            headers,
            html,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(format!("{}{path}", self.site));
        self.finish(req).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.site))
            .header("origin", self.site.clone())
            .form(fields);
        self.finish(req).await
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Page {
        let mut form = multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (name, bytes) in files {
            form = form.part(
                "attachments",
                multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        }
        let req = self
            .client
            .post(format!("{}{path}", self.site))
            .header("origin", self.site.clone())
            .multipart(form);
        self.finish(req).await
    }

    /// Opens the form and sends it with `fields` (plus the form's own hidden fields).
    pub async fn complain(&mut self, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Page {
        let form = self.get("/complain").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.field("csrf");
        let nonce = form.field("form");
        let mut all = vec![("csrf", csrf.as_str()), ("form", nonce.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart("/complain", &all, files).await
    }
}

/// Text as the pages write it into HTML: every markup character escaped.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
