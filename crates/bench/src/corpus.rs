//! Complaint texts: real consumer narratives from the CFPB sample (mean 1,120 characters), or
//! with `--corpus short` a few short form-style complaints (about 70 characters), which is also
//! the fallback on a machine without the data.

use std::path::Path;

pub fn load(path: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    if path == Path::new("short") {
        return short();
    }
    if let Ok(mut reader) = csv::Reader::from_path(path) {
        let column = reader
            .headers()
            .ok()
            .and_then(|h| h.iter().position(|c| c == "Consumer complaint narrative"));
        if let Some(column) = column {
            for record in reader.records().flatten() {
                if let Some(text) = record.get(column).filter(|t| !t.trim().is_empty()) {
                    // The API takes up to 20,000 characters.
                    texts.push(text.chars().take(20_000).collect());
                }
            }
        }
    }
    if texts.is_empty() {
        eprintln!(
            "no corpus at {}: using short built-in texts",
            path.display()
        );
        texts = short();
    }
    texts
}

fn short() -> Vec<String> {
    vec![
        "The heater in my room broke on the second day and nobody came to fix it.".to_owned(),
        "I was charged twice for the same order and nobody answers my emails.".to_owned(),
        "My parcel arrived crushed and the replacement never came.".to_owned(),
    ]
}
