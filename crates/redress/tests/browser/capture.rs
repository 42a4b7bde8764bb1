//! What a test keeps and checks of a page: full-page screenshots into
//! `target/test-artifacts/screenshots/`, and axe-core's accessibility check.

use super::{Browser, Violation, artifacts_dir, axe, shorten};
use base64::Engine as _;
use serde_json::json;
use std::path::PathBuf;

impl Browser {
    /// Saves a PNG of the whole page (beyond the viewport, through Chromium's DevTools
    /// protocol; the viewport only if that fails) as `target/test-artifacts/screenshots/
    /// <name>.png`, and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = match self.full_page_png().await {
            Ok(png) => png,
            Err(e) => {
                eprintln!("full-page screenshot failed ({e}); taking the viewport instead");
                match self.client.screenshot().await {
                    Ok(png) => png,
                    Err(e) => panic!("take a screenshot of {}: {e}", self.where_().await),
                }
            }
        };
        let dir = artifacts_dir().join("screenshots");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let file: String = name
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c,
                _ => '-',
            })
            .collect();
        let path = dir.join(format!("{file}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    async fn full_page_png(&self) -> Result<Vec<u8>, String> {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await?;
        let (content, viewport) = (&metrics["cssContentSize"], &metrics["cssLayoutViewport"]);
        let (Some(width), Some(content_height), Some(viewport_height)) = (
            content["width"].as_f64(),
            content["height"].as_f64(),
            viewport["clientHeight"].as_f64(),
        ) else {
            return Err(format!("no page or viewport size in {metrics}"));
        };
        // A short page is still photographed down to the bottom of the window.
        let height = content_height.max(viewport_height);
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width.ceil(), "height": height.ceil(), "scale": 1 },
                }),
            )
            .await?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| format!("no data in {shot}"))?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| e.to_string())
    }

    /// Runs axe-core on the current page and panics, listing each violation (rule, impact,
    /// help, and each failing element's selector and HTML), if there is any.
    /// `page` names the page in the message.
    pub async fn check_accessibility(&self, page: &str) {
        let (version, violations) = self.run_axe().await;
        if !violations.is_empty() {
            let url = shorten(&self.current_url().await);
            panic!("{}", axe::report(page, &url, &version, &violations));
        }
    }

    /// The axe-core violations on the current page (empty when it passes), without panicking.
    pub async fn accessibility_violations(&self) -> Vec<Violation> {
        self.run_axe().await.1
    }

    async fn run_axe(&self) -> (String, Vec<Violation>) {
        // Injected once per page: a navigation gives a fresh window without `axe`.
        let injected = self.execute("return typeof window.axe;", vec![]).await;
        if injected != "object" {
            let source = std::fs::read_to_string(self.axe_js)
                .unwrap_or_else(|e| panic!("read {}: {e}", self.axe_js.display()));
            self.execute(&source, vec![]).await;
        }
        let outcome = self
            .client
            .execute_async(axe::RUN, vec![json!(axe::TAGS)])
            .await
            .unwrap_or_else(|e| panic!("run axe-core: {e}"));
        let outcome: axe::Outcome = serde_json::from_value(outcome.clone())
            .unwrap_or_else(|e| panic!("read axe-core's results ({e}): {outcome}"));
        if let Some(error) = outcome.error {
            panic!("axe-core failed on {}: {error}", self.where_().await);
        }
        (outcome.version.unwrap_or_default(), outcome.violations)
    }
}
