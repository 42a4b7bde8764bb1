//! The case page's mail: how the case came (opened from an email, with the messages that
//! arrived, and a warning when the email could not be read and the case holds its raw source),
//! the kind its words filed it as and why, and where each message to the customer stands, with
//! a warning at the top when one could not be delivered at all.

use super::mail::filed_as;
use super::story::{StoryItem, when};
use redress_app::mail_desk::{CaseMail, ReplyDelivery};
use redress_catalogue::Messages;
use redress_store::Delivery;

/// A message that opened the case or was added to it.
pub(crate) struct ArrivalLink {
    pub href: String,
    pub label: String,
}

/// The opening email could not be read: the case's words are its raw source.
pub(crate) struct Unreadable {
    pub text: String,
    pub href: String,
}

/// Where a message to the customer stands, in words.
pub(crate) struct DeliveryWords {
    pub text: String,
    /// Refused for good.
    pub failed: bool,
}

#[derive(Default)]
pub(crate) struct CaseMailView {
    /// "A message could not be delivered to …": one per message refused for good.
    pub undelivered: Vec<String>,
    pub opened_from_mail: bool,
    pub arrivals: Vec<ArrivalLink>,
    pub unreadable: Option<Unreadable>,
    /// "Filed as a complaint: …", for a case opened from an email.
    pub filed_as: Option<String>,
}

fn delivery_words(t: &Messages, reply: &ReplyDelivery) -> DeliveryWords {
    let to = || reply.to.as_str().into();
    match &reply.delivery {
        Delivery::Sent(at) => DeliveryWords {
            text: t.format(
                "desk-delivery-sent",
                &[("email", to()), ("when", when(t, *at).into())],
            ),
            failed: false,
        },
        Delivery::Queued if reply.attempts == 0 => DeliveryWords {
            text: t.format("desk-delivery-waiting", &[("email", to())]),
            failed: false,
        },
        Delivery::Queued => DeliveryWords {
            text: t.format(
                "desk-delivery-retrying",
                &[("email", to()), ("count", i64::from(reply.attempts).into())],
            ),
            failed: false,
        },
        Delivery::Failed(why) => DeliveryWords {
            text: t.format(
                "desk-delivery-failed",
                &[("email", to()), ("why", why.as_str().into())],
            ),
            failed: true,
        },
    }
}

/// The page's view of `mail`; each message to the customer in `story` gets its delivery.
pub(crate) fn view(t: &Messages, mail: &CaseMail, story: &mut [StoryItem]) -> CaseMailView {
    for item in story.iter_mut() {
        if let Some(reply) = mail.replies.get(&item.seq) {
            item.delivery = Some(delivery_words(t, reply));
        }
    }
    let opening = mail.arrivals.iter().find(|a| a.opened);
    CaseMailView {
        undelivered: mail
            .undelivered
            .iter()
            .map(|(to, why)| {
                t.format(
                    "desk-delivery-failed-warning",
                    &[("email", to.as_str().into()), ("why", why.as_str().into())],
                )
            })
            .collect(),
        opened_from_mail: opening.is_some(),
        arrivals: mail
            .arrivals
            .iter()
            .map(|a| ArrivalLink {
                href: format!("/desk/mail/{}", a.id),
                label: t.format(
                    if a.opened {
                        "desk-case-mail-opened"
                    } else {
                        "desk-case-mail-added"
                    },
                    &[("when", when(t, a.received_at).into())],
                ),
            })
            .collect(),
        unreadable: opening.and_then(|a| {
            a.unreadable.as_ref().map(|why| Unreadable {
                text: t.format("desk-case-mail-unreadable", &[("why", why.as_str().into())]),
                href: format!("/desk/mail/{}", a.id),
            })
        }),
        filed_as: mail.detected.as_ref().map(|d| filed_as(t, d, true)),
    }
}
