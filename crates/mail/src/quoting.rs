//! What the customer newly said in a reply, apart from the history their mail program quoted
//! beneath it. The history is folded, never dropped: staff can still open it.

/// A reply's text, split into what is new and what was quoted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    /// What the sender wrote this time.
    pub new: String,
    /// The quoted history, from its attribution line ("On … wrote:") on, if any.
    pub quoted: Option<String>,
}

/// The first line of a message forwarded as an attachment, as the text shows it.
pub(crate) const FORWARDED: &str = "---------- Forwarded message ----------";

/// Whether `line` introduces quoted history: "On Mon, … Kim wrote:", "-----Original
/// Message-----", "---------- Forwarded message ----------", an Outlook header block ("From: …" followed by "Sent:"), or their Spanish forms.
fn starts_history(lines: &[&str], at: usize) -> bool {
    let line = lines[at].trim();
    let lower = line.to_lowercase();
    let next = lines
        .get(at + 1)
        .map(|l| l.trim().to_lowercase())
        .unwrap_or_default();
    let attribution = |l: &str| {
        (l.starts_with("on ") && (l.ends_with("wrote:") || l.ends_with("writes:")))
            || (l.starts_with("el ") && l.ends_with("escribió:"))
    };
    // Attribution lines are often wrapped over two lines by the sending program.
    let joined = format!("{lower} {next}");
    attribution(&lower)
        || (lower.starts_with("on ") && attribution(&joined))
        || lower.starts_with("-----original message-----")
        || lower.starts_with("---------- forwarded message")
        || lower.starts_with("---------- mensaje reenviado")
        || lower.starts_with("-----mensaje original-----")
        || ((lower.starts_with("from:") || lower.starts_with("de:"))
            && (next.starts_with("sent:")
                || next.starts_with("enviado:")
                || next.starts_with("date:")))
}

/// Splits `text` into what is new and the quoted history beneath it. Text with nothing new
/// above the history (someone who only forwarded, or wrote below the quote) is kept whole as
/// new, so no word the customer wrote is ever hidden.
pub fn fold_quoted(text: &str) -> Folded {
    let lines: Vec<&str> = text.lines().collect();
    let cut = (0..lines.len())
        .find(|&i| starts_history(&lines, i))
        .or_else(|| {
            // A trailing block of "> " lines with nothing after it.
            let last_content = lines.iter().rposition(|l| !l.trim().is_empty())?;
            let first_quoted = (0..=last_content)
                .rev()
                .take_while(|&i| {
                    lines[i].trim_start().starts_with('>') || lines[i].trim().is_empty()
                })
                .last()?;
            lines[first_quoted..=last_content]
                .iter()
                .any(|l| l.trim_start().starts_with('>'))
                .then_some(first_quoted)
        });
    let Some(cut) = cut else {
        return Folded {
            new: text.trim_end().to_owned(),
            quoted: None,
        };
    };
    let new = lines[..cut].join("\n").trim_end().to_owned();
    // Any line below the history that is not quoted is the sender writing below it.
    let below_is_new = lines[cut..]
        .iter()
        .skip(1)
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('>'))
        && lines[cut].trim_start().starts_with('>');
    if new.trim().is_empty() || below_is_new {
        return Folded {
            new: text.trim_end().to_owned(),
            quoted: None,
        };
    }
    Folded {
        new,
        quoted: Some(lines[cut..].join("\n").trim_end().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_split_from_the_history_beneath_it() {
        let text = "Still cold, and nobody called.\n\nKim\n\nOn Mon, 23 Nov 2026 at 10:00, Ana \
                    <care@example.com> wrote:\n> You told us the heater broke.\n> I will call.\n";
        let folded = fold_quoted(text);
        assert_eq!(folded.new, "Still cold, and nobody called.\n\nKim");
        assert!(
            folded
                .quoted
                .as_deref()
                .is_some_and(|q| q.contains("I will call."))
        );
    }

    #[test]
    fn wrapped_attributions_outlook_blocks_and_bare_quotes_are_history_too() {
        let wrapped = "Yes, Friday works.\nOn Mon, 23 Nov 2026 at 10:00, Ana Agent\n\
                       <care@example.com> wrote:\n> Would Friday suit you?\n";
        assert_eq!(fold_quoted(wrapped).new, "Yes, Friday works.");
        let outlook = "Thanks.\n\nFrom: Care <care@example.com>\nSent: Monday\nSubject: x\n\nOld";
        assert_eq!(fold_quoted(outlook).new, "Thanks.");
        let bare = "I agree.\n\n> Shall we refund you?\n> Ana\n";
        assert_eq!(fold_quoted(bare).new, "I agree.");
        let spanish =
            "De acuerdo.\n\nEl lun, 23 nov 2026, Ana escribió:\n> ¿Le va bien el viernes?";
        assert_eq!(fold_quoted(spanish).new, "De acuerdo.");
    }

    #[test]
    fn nothing_the_sender_wrote_is_ever_folded_away() {
        // Written below the quote (bottom-posting): all of it is kept.
        let below = "> Would Friday suit you?\nYes, Friday.\n> And the time?\nMorning.\n";
        let folded = fold_quoted(below);
        assert!(folded.new.contains("Yes, Friday.") && folded.new.contains("Morning."));
        assert_eq!(folded.quoted, None);
        // Only a forward, nothing above it: kept whole.
        let forward = "-----Original Message-----\nFrom: Kim\nThe heater broke.";
        assert!(fold_quoted(forward).new.contains("The heater broke."));
        // No history at all.
        assert_eq!(fold_quoted("Plain words.\n").new, "Plain words.");
    }
}
