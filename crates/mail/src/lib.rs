//! Redress's email channel. This first part reads what arrives: a raw message (kept as it came,
//! before anything else happens) becomes an [`InboundMail`] with the sender, the words the
//! customer newly wrote (quoted history folded away, never dropped), the attachments, the keys
//! that thread it onto a case (never the subject's words alone), and whether it was written by a
//! machine (which is never answered, so two autoresponders cannot loop). Reading does no IO;
//! `imap` fetches from a mailbox and `listener` accepts mail over SMTP, each handing every raw
//! message over to be kept; `send` hands a message to the outbound relay; `tls` says what
//! their TLS connections trust, and where plain connections are allowed (this machine only).

mod automatic;
mod compose;
mod imap;
mod inbound;
mod kind;
mod listener;
mod quoting;
mod send;
mod threading;
mod tls;

pub use automatic::Automatic;
pub use compose::{AutoSubmitted, ComposeError, Composed, compose};
pub use imap::{FetchError, ImapAccount, fetch_unseen};
pub use inbound::{InboundAttachment, InboundMail, Sender, read};
pub use kind::{Detected, detect_kind};
pub use listener::{Delivery, ListenerSettings, SmtpListener};
pub use quoting::{Folded, fold_quoted};
pub use send::{RelayTls, SendError, SmtpRelay, send};
pub use threading::{ThreadKeys, message_id_of};
pub use tls::{Trust, TrustError, is_loopback_host};
