//! Taking a new case from a customer, through any channel: the draft and the files sent with it
//! are checked together (every problem reported at once, nothing stored unless all is well) and
//! stored as one. A web form's submission is taken once, however often it is sent.

use crate::{App, AppError, now};
use redress_domain::{Actor, Attachment, Channel, Intake, IntakeDraft, Invalid, TrackingToken};
use redress_store::{NewCase, StoreError};
use sha2::{Digest, Sha256};
use std::fmt;
use time::{Duration, OffsetDateTime};

/// The field attachment problems are reported on.
const ATTACHMENTS: &str = "attachments";
/// Longest form nonce accepted, in characters.
const MAX_NONCE_CHARS: usize = 64;

/// A file as a channel received it (a form's upload, a mail's attachment): not yet checked.
#[derive(Clone)]
pub struct Upload {
    /// The name the sender's device gave it; only shown, never trusted.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Upload({:?}, {} bytes)",
            self.file_name,
            self.bytes.len()
        )
    }
}

/// A case just received.
#[derive(Debug)]
pub struct Submitted {
    pub case: redress_domain::Case,
    pub customer: redress_domain::Customer,
    /// The customer's private key to the case: shown or sent to them once, never stored.
    pub token: TrackingToken,
    /// The customer had written to us before (not known for a duplicate: false).
    pub returning_customer: bool,
    /// This was a form already taken (sent twice): `case` is the case it made, and nothing new
    /// was stored.
    pub duplicate: bool,
}

impl App {
    /// Takes a new case from a customer, with the files they sent. When this returns Ok the case
    /// and its attachments are durably stored; when the draft or a file is at fault, every
    /// problem is reported (files on the field "attachments") and nothing is stored.
    pub async fn submit(
        &self,
        draft: &IntakeDraft,
        channel: Channel,
        uploads: Vec<Upload>,
    ) -> Result<Submitted, AppError> {
        self.submit_answering(draft, channel, uploads, None).await
    }

    /// `submit`, for a case that came by email: its acknowledgement answers the customer's
    /// message `answers` (a Message-ID) so that their mail program threads it.
    pub(crate) async fn submit_answering(
        &self,
        draft: &IntakeDraft,
        channel: Channel,
        uploads: Vec<Upload>,
        answers: Option<&str>,
    ) -> Result<Submitted, AppError> {
        let now = now();
        let intake = self.intake(draft, channel, uploads, now)?;
        let submitted = self.receive(&intake, None, now).await?;
        self.acknowledge_by_mail(&submitted, answers).await;
        Ok(submitted)
    }

    /// Takes a case from the web form, once: `form_nonce` is the random value the page put in
    /// this rendering of the form. Sent again with the same content (a double click, a resend
    /// after a lost answer), it answers the case the first sending made, with `duplicate` set
    /// and the same token, and stores nothing. The same form changed and sent again makes a new
    /// case.
    ///
    /// How: the tracking token is derived, a MAC under the site key of the nonce and a
    /// fingerprint of everything sent, and the case looked up by it before storing. So no table
    /// of seen forms is needed, the token is still 256 bits that cannot be guessed without the
    /// site key, and the database holds only the token's digest (and the key), never the nonce:
    /// a leaked database does not reveal tracking tokens.
    pub async fn submit_form(
        &self,
        draft: &IntakeDraft,
        uploads: Vec<Upload>,
        form_nonce: &str,
    ) -> Result<Submitted, AppError> {
        check_nonce(form_nonce)?;
        let key = self.site_key().await?;
        let fingerprint = fingerprint(draft, &uploads);
        let token = TrackingToken::from_bytes(
            key.mac("tracking-token", &[form_nonce.as_bytes(), &fingerprint]),
        );
        if let Some(taken) = self.already_received(&token).await? {
            return Ok(taken);
        }
        let now = now();
        let intake = self.intake(draft, Channel::Web, uploads, now)?;
        match self.receive(&intake, Some(&token), now).await {
            // The same form sent at the same moment: the other sending stored it first.
            Err(StoreError::Conflict { what }) if what == "token" => self
                .already_received(&token)
                .await?
                .ok_or_else(|| AppError::Conflict("this form was taken already".to_owned())),
            other => {
                let submitted = other?;
                self.acknowledge_by_mail(&submitted, None).await;
                Ok(submitted)
            }
        }
    }

    /// The case a token already names, as a duplicate submission's answer.
    async fn already_received(&self, token: &TrackingToken) -> Result<Option<Submitted>, AppError> {
        let Some(case) = self.store.case_by_token(&token.digest()).await? else {
            return Ok(None);
        };
        let customer = self.store.customer(case.customer_id).await?;
        tracing::info!(case = %case.id, "form sent again; answered with its case");
        Ok(Some(Submitted {
            case,
            customer,
            token: token.clone(),
            returning_customer: false,
            duplicate: true,
        }))
    }

    /// Checks the draft and the files together, reporting every problem at once.
    fn intake(
        &self,
        draft: &IntakeDraft,
        channel: Channel,
        uploads: Vec<Upload>,
        now: OffsetDateTime,
    ) -> Result<Intake, AppError> {
        let parsed = Intake::parse(draft, channel, now.date());
        let mut file_errors = Invalid::default();
        let attachments = self.check_uploads(&mut file_errors, uploads);
        let mut intake = match parsed {
            Ok(intake) if file_errors.is_empty() => intake,
            Ok(_) => return Err(file_errors.into()),
            Err(mut invalid) => {
                invalid.errors.extend(file_errors.errors);
                return Err(invalid.into());
            }
        };
        intake.attachments = attachments;
        intake.respond_by =
            Some(now.date() + Duration::days(i64::from(self.settings().first_response_days)));
        Ok(intake)
    }

    /// The uploads as checked attachments, within the configured limits.
    fn check_uploads(&self, errors: &mut Invalid, uploads: Vec<Upload>) -> Vec<Attachment> {
        // A form whose file field was left empty still sends a part with no name and no bytes:
        // that is no file, not an empty one.
        let uploads: Vec<Upload> = uploads
            .into_iter()
            .filter(|u| !(u.file_name.is_empty() && u.bytes.is_empty()))
            .collect();
        let max = self.settings().max_attachments;
        if uploads.len() > max {
            let files = if max == 1 { "file" } else { "files" };
            errors.add(
                ATTACHMENTS,
                format!("send at most {max} {files} with one case"),
            );
            return Vec::new();
        }
        let max_bytes = u64::try_from(self.settings().max_attachment_bytes).unwrap_or(u64::MAX);
        uploads
            .into_iter()
            .filter_map(|u| {
                Attachment::check(errors, ATTACHMENTS, &u.file_name, u.bytes, max_bytes)
            })
            .collect()
    }

    /// Stores a new case from `intake`. With a token `given`, that is its token, and a clash on
    /// it is the caller's to handle; otherwise a fresh one is made (again, on a clash).
    async fn receive(
        &self,
        intake: &Intake,
        given: Option<&TrackingToken>,
        now: OffsetDateTime,
    ) -> Result<Submitted, StoreError> {
        // References and tokens are random; a collision is astronomically rare but handled.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let token = given.cloned().unwrap_or_else(TrackingToken::generate);
            let new = NewCase::receive(intake, &token, Actor::Customer, now);
            match self.store.create_case(new).await {
                Ok(created) => {
                    tracing::info!(
                        case = %created.case.id,
                        kind = %created.case.kind,
                        channel = %created.case.channel,
                        returning = created.returning_customer,
                        attachments = intake.attachments.len(),
                        "case received"
                    );
                    return Ok(Submitted {
                        case: created.case,
                        customer: created.customer,
                        token,
                        returning_customer: created.returning_customer,
                        duplicate: false,
                    });
                }
                Err(StoreError::Conflict { what })
                    if attempts < 3
                        && (what == "reference" || (what == "token" && given.is_none())) =>
                {
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// A form nonce is what the page made: 1 to 64 of `A-Z a-z 0-9 _ -`.
fn check_nonce(nonce: &str) -> Result<(), Invalid> {
    let ok = !nonce.is_empty()
        && nonce.chars().count() <= MAX_NONCE_CHARS
        && nonce
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::field(
            "form",
            "this form cannot be sent as it is; reload the page and send it again",
        ))
    }
}

/// SHA-256 over everything a submission holds: every field of the draft, and every upload's name
/// and bytes, in order. Each value is written with a presence mark and its length, so no two
/// different submissions are written alike.
fn fingerprint(draft: &IntakeDraft, uploads: &[Upload]) -> [u8; 32] {
    // Taken apart in full: a field added to the draft must be added here, or a form changed
    // only in that field would pass for the one sent before.
    let IntakeDraft {
        kind,
        what_happened,
        what_would_make_it_right,
        needed_by,
        product,
        service,
        location,
        name,
        email,
        phone,
        preferred_channel,
        language,
    } = draft;
    let mut hash = Sha256::new();
    let mut put = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_be_bytes());
        hash.update(bytes);
    };
    put(b"redress web form, version 1");
    for field in [
        kind,
        what_happened,
        what_would_make_it_right,
        needed_by,
        product,
        service,
        location,
        name,
        email,
        phone,
        preferred_channel,
        language,
    ] {
        match field {
            None => put(b"-"),
            Some(value) => {
                put(b"+");
                put(value.as_bytes());
            }
        }
    }
    put(&(uploads.len() as u64).to_be_bytes());
    for upload in uploads {
        put(upload.file_name.as_bytes());
        put(&upload.bytes);
    }
    hash.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(words: &str) -> IntakeDraft {
        IntakeDraft {
            what_happened: Some(words.into()),
            email: Some("ana@example.com".into()),
            ..IntakeDraft::default()
        }
    }

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            file_name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn fingerprints_tell_every_change_apart() {
        let base = fingerprint(&draft("Cold room."), &[]);
        assert_eq!(base, fingerprint(&draft("Cold room."), &[]));
        assert_ne!(base, fingerprint(&draft("Cold room!"), &[]));
        let no_name = draft("Cold room.");
        let empty_name = IntakeDraft {
            name: Some(String::new()),
            ..draft("Cold room.")
        };
        assert_ne!(fingerprint(&no_name, &[]), fingerprint(&empty_name, &[]));
        // Values cannot run into the next field.
        let a = IntakeDraft {
            product: Some("ab".into()),
            service: Some("c".into()),
            ..draft("x")
        };
        let b = IntakeDraft {
            product: Some("a".into()),
            service: Some("bc".into()),
            ..draft("x")
        };
        assert_ne!(fingerprint(&a, &[]), fingerprint(&b, &[]));
        let one = [upload("a.png", b"12")];
        assert_ne!(base, fingerprint(&draft("Cold room."), &one));
        assert_ne!(
            fingerprint(&draft("x"), &[upload("a.png1", b"2")]),
            fingerprint(&draft("x"), &[upload("a.png", b"12")]),
        );
    }

    #[test]
    fn nonces_are_short_and_plain() {
        assert!(check_nonce("aZ09_-").is_ok());
        assert!(check_nonce(&"n".repeat(64)).is_ok());
        for bad in ["", "has space", "é", "a/b", &"n".repeat(65)] {
            let err = check_nonce(bad).expect_err(bad);
            assert_eq!(err.errors[0].field, "form");
        }
    }
}
