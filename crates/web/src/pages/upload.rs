//! Reading the complaint form's multipart body: the typed words always, the files only when the
//! post can be taken, each file streamed and dropped the moment it passes the size limit, and
//! the files' problems found by their content, in the customer's language.

use super::complain::Typed;
use super::problems::human_size;
use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use redress_app::{Settings, Upload};
use redress_catalogue::Messages;
use redress_domain::AttachmentType;

/// More parts than any real form sends: the rest of the body is not read.
const MAX_PARTS: usize = 64;

pub(crate) struct UploadLimits {
    pub max_file_bytes: usize,
    pub max_files: usize,
    /// Whether files are read at all (not for posts that will be refused anyway).
    pub keep_files: bool,
}

/// What a multipart post carried.
#[derive(Default)]
pub(crate) struct Posted {
    pub typed: Typed,
    pub csrf: String,
    pub nonce: String,
    pub honeypot: String,
    pub uploads: Vec<Upload>,
    /// The customer chose at least one file.
    pub files_posted: bool,
    /// The first file over the size limit; reading stopped there.
    pub too_large: Option<String>,
    /// More files than allowed were chosen.
    pub too_many: bool,
    /// The body broke off (the connection dropped, or it was not a form).
    pub cut_short: bool,
}

enum FileRead {
    Done(Vec<u8>),
    TooLarge,
    Broke,
}

async fn read_file(field: &mut Field<'_>, max: usize) -> FileRead {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > max {
                    return FileRead::TooLarge;
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return FileRead::Done(bytes),
            Err(_) => return FileRead::Broke,
        }
    }
}

pub(crate) async fn read_post(
    multipart: Result<Multipart, MultipartRejection>,
    limits: &UploadLimits,
) -> Posted {
    let mut posted = Posted::default();
    let Ok(mut multipart) = multipart else {
        posted.cut_short = true;
        return posted;
    };
    for _ in 0..MAX_PARTS {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return posted,
            Err(e) => {
                tracing::info!(error = %e, "a complaint form's body broke off");
                posted.cut_short = true;
                return posted;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "attachments" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            // A file input left empty still sends an empty, nameless part.
            if file_name.is_empty() {
                continue;
            }
            posted.files_posted = true;
            if !limits.keep_files {
                // The form comes back anyway; the files are not worth reading.
                return posted;
            }
            if posted.uploads.len() == limits.max_files {
                posted.too_many = true;
                return posted;
            }
            match read_file(&mut field, limits.max_file_bytes).await {
                FileRead::Done(bytes) => posted.uploads.push(Upload { file_name, bytes }),
                FileRead::TooLarge => {
                    posted.too_large = Some(file_name);
                    return posted;
                }
                FileRead::Broke => {
                    posted.cut_short = true;
                    return posted;
                }
            }
            continue;
        }
        let Ok(value) = field.text().await else {
            posted.cut_short = true;
            return posted;
        };
        match name.as_str() {
            "csrf" => posted.csrf = value,
            "form" => posted.nonce = value,
            "website" => posted.honeypot = value,
            other => posted
                .typed
                .set(other, super::complain::plain_line_breaks(&value)),
        }
    }
    posted.cut_short = true;
    posted
}

/// What is wrong with the files, if anything, judged by their content (the same checks the
/// domain makes, said in the customer's language).
pub(crate) fn upload_problem(t: &Messages, posted: &Posted, settings: &Settings) -> Option<String> {
    let size = human_size(settings.max_attachment_bytes);
    if let Some(name) = &posted.too_large {
        return Some(t.format(
            "problem-attachments-size",
            &[("name", name.as_str().into()), ("size", size.into())],
        ));
    }
    if posted.too_many {
        let count = i64::try_from(settings.max_attachments).unwrap_or(i64::MAX);
        return Some(t.format("problem-attachments-count", &[("count", count.into())]));
    }
    if posted.cut_short {
        return Some(t.get("problem-attachments-broke"));
    }
    posted.uploads.iter().find_map(|upload| {
        let name = upload.file_name.as_str();
        if upload.bytes.is_empty() {
            Some(t.format("problem-attachments-empty", &[("name", name.into())]))
        } else if AttachmentType::sniff(&upload.bytes).is_none() {
            Some(t.format("problem-attachments-type", &[("name", name.into())]))
        } else {
            None
        }
    })
}
