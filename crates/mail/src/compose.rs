//! Writing an outgoing message: From the organisation in the writer's name, to the customer,
//! with the case's reference in the subject and Message-ID/In-Reply-To so that the customer's
//! mail program threads it (and their answer threads back onto the case).

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;

/// What an outgoing message says and how it threads.
#[derive(Clone, Debug)]
pub struct Composed {
    /// e.g. "Ana Costa, Riverside Hotel".
    pub from_name: String,
    pub from_address: String,
    pub to_name: Option<String>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// Without angle brackets.
    pub message_id: String,
    /// The customer's message this answers, without angle brackets.
    pub in_reply_to: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("the message cannot be written: {0}")]
pub struct ComposeError(String);

/// The message as it goes on the wire.
pub fn compose(c: &Composed) -> Result<Vec<u8>, ComposeError> {
    let address = |a: &str| a.parse().map_err(|e| ComposeError(format!("{a}: {e}")));
    let from = Mailbox::new(Some(c.from_name.clone()), address(&c.from_address)?);
    let to = Mailbox::new(c.to_name.clone(), address(&c.to_address)?);
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(c.subject.clone())
        .date_now()
        .message_id(Some(format!("<{}>", c.message_id)));
    if let Some(parent) = &c.in_reply_to {
        builder = builder
            .in_reply_to(format!("<{parent}>"))
            .references(format!("<{parent}>"));
    }
    let message = builder
        .header(ContentType::TEXT_PLAIN)
        .body(c.body.clone())
        .map_err(|e| ComposeError(e.to_string()))?;
    Ok(message.formatted())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_reads_back_with_its_threading_and_every_word() {
        let raw = compose(&Composed {
            from_name: "Ana Costa, Riverside".to_owned(),
            from_address: "care@riverside.test".to_owned(),
            to_name: Some("Lucía Pérez".to_owned()),
            to_address: "lucia@example.com".to_owned(),
            subject: "Su caso [K7M3-9QXA-2BTR]".to_owned(),
            body: "Lucía, el técnico llega el viernes.\nAna".to_owned(),
            message_id: "K7M3-9QXA-2BTR.4@redress".to_owned(),
            in_reply_to: Some("abc@mail.example.com".to_owned()),
        })
        .expect("composed");
        let read = crate::read(&raw);
        assert_eq!(read.subject, "Su caso [K7M3-9QXA-2BTR]");
        assert_eq!(read.message_id.as_deref(), Some("K7M3-9QXA-2BTR.4@redress"));
        assert_eq!(read.thread.answers, ["abc@mail.example.com"]);
        assert!(read.text.contains("Lucía, el técnico llega el viernes."));
        let from = read.from.expect("from");
        assert_eq!(from.name.as_deref(), Some("Ana Costa, Riverside"));
    }
}
