//! Acting on the page as a user does: typing into fields (found by CSS or by their label),
//! choosing options and files, clicking elements and buttons, and clicking through to the next
//! page.

use super::Browser;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::key::Key;
use serde_json::{Value as Json, json};
use std::path::Path;

impl Browser {
    /// Types `value` into the field matching `css`, replacing what was there. Date, time, colour
    /// and range inputs get their value set directly (with `input` and `change` events), since
    /// typing into them depends on the browser's locale. Emoji and other characters beyond the
    /// Basic Multilingual Plane are entered too.
    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        self.fill_element(&field, value, css).await;
    }

    /// Fills the field whose `<label>` (or `aria-label`) reads `label`: the exact text after
    /// collapsing white space, else the one label containing it.
    pub async fn fill_labelled(&self, label: &str, value: &str) {
        let field = self.labelled(label).await;
        self.fill_element(&field, value, &format!("the field labelled {label:?}"))
            .await;
    }

    /// The form control labelled `label` (see [`Browser::fill_labelled`]).
    pub async fn labelled(&self, label: &str) -> Element {
        const FIND: &str = r#"
            const [wanted] = arguments;
            const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
            const labels = [...document.querySelectorAll("label")];
            const named = [...document.querySelectorAll("[aria-label]")];
            const pick = (test) => [...new Set([
                ...labels.filter((l) => test(norm(l.textContent))).map((l) => l.control),
                ...named.filter((e) => test(norm(e.getAttribute("aria-label")))),
            ].filter(Boolean))];
            let found = pick((t) => t === wanted);
            if (found.length === 0) found = pick((t) => t.includes(wanted));
            return {
                found: found.length === 1 ? found[0] : null,
                count: found.length,
                labels: labels.map((l) => norm(l.textContent)),
            };
        "#;
        let result = self.execute(FIND, vec![json!(label)]).await;
        match element_in(&result["found"]) {
            Some(id) => Element::from_element_id(self.client.clone(), id),
            None => panic!(
                "{} form controls are labelled {label:?} on {}; the labels are {}",
                result["count"],
                self.where_().await,
                result["labels"]
            ),
        }
    }

    async fn fill_element(&self, field: &Element, value: &str, what: &str) {
        const TYPED_BY_LOCALE: [&str; 7] = [
            "date",
            "time",
            "datetime-local",
            "month",
            "week",
            "color",
            "range",
        ];
        let kind = field
            .attr("type")
            .await
            .unwrap_or_else(|e| panic!("read the type of {what}: {e}"))
            .unwrap_or_default();
        if TYPED_BY_LOCALE.contains(&kind.as_str()) {
            const SET: &str = r#"
                const [field, value] = arguments;
                field.value = value;
                field.dispatchEvent(new Event("input", { bubbles: true }));
                field.dispatchEvent(new Event("change", { bubbles: true }));
            "#;
            let element = serde_json::to_value(field).expect("an element serialises");
            self.execute(SET, vec![element, json!(value)]).await;
            return;
        }
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {what}: {e}"));
        // chromedriver types only characters of the Basic Multilingual Plane. The others (most
        // emoji) go in as an emoji keyboard or an input method puts them, through DevTools'
        // Input.insertText at the caret, which fires the same input events.
        let element = serde_json::to_value(field).expect("an element serialises");
        self.execute("arguments[0].focus();", vec![element]).await;
        let mut rest = value;
        while !rest.is_empty() {
            let typed = rest.find(|c| c > '\u{ffff}').unwrap_or(rest.len());
            let (bmp, tail) = rest.split_at(typed);
            if !bmp.is_empty() {
                field
                    .send_keys(bmp)
                    .await
                    .unwrap_or_else(|e| panic!("type into {what}: {e}"));
            }
            let inserted = tail.find(|c| c <= '\u{ffff}').unwrap_or(tail.len());
            let (astral, tail) = tail.split_at(inserted);
            if !astral.is_empty() {
                self.cdp("Input.insertText", json!({ "text": astral }))
                    .await
                    .unwrap_or_else(|e| panic!("type {astral:?} into {what}: {e}"));
            }
            rest = tail;
        }
    }

    /// One key pressed and released, sent to whatever has focus (as a keyboard would).
    pub async fn press(&self, key: Key) {
        let key = char::from(key);
        let keyboard = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client()
            .perform_actions(keyboard)
            .await
            .unwrap_or_else(|e| panic!("press a key: {e}"));
    }

    /// Types `text` into whatever has focus, as a keyboard would.
    pub async fn type_here(&self, text: &str) {
        self.client()
            .active_element()
            .await
            .unwrap_or_else(|e| panic!("the focused element: {e}"))
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type {text:?}: {e}"));
    }

    /// Picks the option whose visible text is `option` in the `<select>` matching `css`.
    pub async fn select(&self, css: &str, option: &str) {
        self.find(css)
            .await
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("select {option:?} in {css:?}: {e}"));
    }

    /// Chooses `file` (an existing file, given by absolute path since the browser is another
    /// process with another working directory) in the `<input type=file>` matching `css`.
    pub async fn choose_file(&self, css: &str, file: &Path) {
        assert!(
            file.is_absolute() && file.is_file(),
            "choose_file needs an existing file's absolute path, not {}",
            file.display()
        );
        let path = file.to_str().expect("a UTF-8 file path");
        self.find(css)
            .await
            .send_keys(path)
            .await
            .unwrap_or_else(|e| panic!("choose {path} in {css:?}: {e}"));
    }

    /// Clicks the element matching `css`, as a user would (it must be visible and enabled).
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    /// Clicks the element matching `css`, which leads to another page, and waits for an element
    /// matching `ready` on that page (see [`Browser::wait_for_next_page`]).
    pub async fn click_to(&self, css: &str, ready: &str) -> Element {
        self.mark_leaving().await;
        self.click(css).await;
        self.wait_for_next_page(ready).await
    }

    /// Clicks the button or link whose visible text (or a submit input's value) is `text`:
    /// exactly after collapsing white space, else the one containing it.
    pub async fn click_button(&self, text: &str) {
        const FIND: &str = r#"
            const [wanted] = arguments;
            const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
            const all = [...document.querySelectorAll(
                "button, a[href], [role=button], input[type=submit], input[type=button]")];
            const name = (e) => norm(e.tagName === "INPUT" ? e.value : e.innerText);
            let found = all.filter((e) => name(e) === wanted);
            if (found.length === 0) found = all.filter((e) => name(e).includes(wanted));
            return {
                found: found.length === 1 ? found[0] : null,
                count: found.length,
                names: all.map(name),
            };
        "#;
        let result = self.execute(FIND, vec![json!(text)]).await;
        let Some(id) = element_in(&result["found"]) else {
            panic!(
                "{} buttons or links read {text:?} on {}; there are {}",
                result["count"],
                self.where_().await,
                result["names"]
            )
        };
        Element::from_element_id(self.client.clone(), id)
            .click()
            .await
            .unwrap_or_else(|e| panic!("click the button {text:?}: {e}"));
    }

    /// Clicks the button or link reading `text` (as [`Browser::click_button`]), which leads to
    /// another page, and waits for an element matching `ready` on that page (see
    /// [`Browser::wait_for_next_page`]).
    pub async fn click_button_to(&self, text: &str, ready: &str) -> Element {
        self.mark_leaving().await;
        self.click_button(text).await;
        self.wait_for_next_page(ready).await
    }
}

/// The WebDriver reference to an element in a script's result, if it is one.
fn element_in(value: &Json) -> Option<ElementRef> {
    // The W3C WebDriver element identifier key.
    let id = value.get("element-6066-11e4-a52e-4f735466cecf")?.as_str()?;
    Some(ElementRef::from(id.to_owned()))
}
