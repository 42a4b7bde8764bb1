//! Chrome DevTools Protocol commands, sent through chromedriver's `goog/cdp/execute`: for what
//! WebDriver cannot do (typing emoji, photographing beyond the viewport).

use super::Browser;
use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value as Json, json};

impl Browser {
    /// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
    pub(super) async fn cdp(&self, command: &'static str, params: Json) -> Result<Json, String> {
        self.client
            .issue_cmd(Cdp { command, params })
            .await
            .map_err(|e: CmdError| format!("{command}: {e}"))
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    command: &'static str,
    params: Json,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
