//! The catalogue's own checks: every language says everything English says, nothing English
//! doesn't, and every message formats without error.

use super::*;
use std::collections::BTreeSet;

/// Every argument name a message may use, with a sample value.
const ARGS: &[(&str, &str)] = &[
    ("organisation", "Acme"),
    ("team", "the care team"),
    ("who", "Priya"),
    ("email", "care@example.com"),
    ("phone", "+44 20 7946 0000"),
    ("reference", "K7M3-9QXA-2BTR"),
    ("date", "3 December 2026"),
    ("name", "photo.jpg"),
    ("size", "10 MB"),
    ("minutes", "1"),
    ("language", "English"),
    ("status", "new"),
    ("what", "a refund"),
    ("how", "by bank transfer"),
    ("amount", "£20.00"),
    ("score", "4"),
    ("text", "the words"),
    ("department", "Maintenance"),
    ("from", "New"),
    ("to", "Closed"),
    ("cause", "process"),
    ("label", "birthday"),
    ("kind", "goodwill"),
    ("why", "the case is closed"),
    ("when", "3 December 2026, 10:00"),
    ("words", "The heater broke."),
    ("staff", "Ana"),
    ("greeting", "Dear Kim,"),
    ("acknowledgement", "We have your complaint."),
    ("link", "https://care.example.com/track/abc"),
    ("signature", "Ana, Acme"),
    ("proposal", "A new heater on Friday."),
];
const NUMBERS: &[&str] = &["days", "count", "day", "year", "month"];

fn ids(source: &str) -> BTreeSet<String> {
    let resource = FluentResource::try_new(source.to_owned()).expect("parses");
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Every message of one language's files; no id may be defined in two of them.
fn all_ids(sources: &[&str]) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for source in sources {
        for id in ids(source) {
            assert!(all.insert(id.clone()), "{id} is defined twice");
        }
    }
    all
}

#[test]
fn every_language_has_exactly_the_english_messages() {
    let english = all_ids(BUILTIN[0].1);
    assert!(english.len() > 50, "English has {} messages", english.len());
    for (tag, sources) in &BUILTIN[1..] {
        let other = all_ids(sources);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(missing.is_empty(), "{tag} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{tag} has messages English lacks: {extra:?}"
        );
    }
}

#[test]
fn every_message_formats_cleanly_in_every_language() {
    let catalogue = Catalogue::builtin().expect("the shipped catalogue loads");
    let mut args = FluentArgs::new();
    for (name, value) in ARGS {
        args.set(*name, *value);
    }
    for name in NUMBERS {
        args.set(*name, 2);
    }
    for (i, (tag, sources)) in BUILTIN.iter().enumerate() {
        let bundle = &catalogue.languages[i].bundle;
        for id in all_ids(sources) {
            let message = bundle.get_message(&id).expect("loaded");
            let Some(pattern) = message.value() else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            assert!(errors.is_empty(), "{tag} {id}: {errors:?}");
            assert!(!text.trim().is_empty(), "{tag} {id} is empty");
            for one in [1, 5] {
                args.set("days", one);
                args.set("count", one);
                let mut errors = Vec::new();
                bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{tag} {id} with {one}: {errors:?}");
            }
        }
    }
}

#[test]
fn negotiation_prefers_what_the_browser_asks_for() {
    let catalogue = Arc::new(Catalogue::builtin().expect("loads"));
    let es = catalogue.find("es").expect("Spanish ships");
    assert_eq!(
        catalogue.from_accept_language("es-MX,es;q=0.9,en;q=0.5"),
        Some(es)
    );
    assert_eq!(
        catalogue.from_accept_language("de-DE,en;q=0.5"),
        catalogue.find("en")
    );
    assert_eq!(catalogue.from_accept_language("de-DE"), None);
    assert_eq!(catalogue.find("es-AR"), Some(es));
    assert_eq!(catalogue.find("not a tag!"), None);
}

#[test]
fn dates_read_naturally() {
    let catalogue = Arc::new(Catalogue::builtin().expect("loads"));
    let date = time::macros::date!(2026 - 12 - 03);
    let en = catalogue.messages(Locale::FALLBACK);
    assert_eq!(en.date(date), "3 December 2026");
    let es = catalogue.messages(catalogue.find("es").expect("ships"));
    assert_eq!(es.date(date), "3 de diciembre de 2026");
}

#[test]
fn a_missing_message_falls_back_to_english_then_to_its_id() {
    let catalogue = Arc::new(Catalogue::builtin().expect("loads"));
    let es = catalogue.messages(catalogue.find("es").expect("ships"));
    assert_eq!(es.get("no-such-message"), "no-such-message");
    assert_eq!(es.get("language-name"), "Español");
}

#[test]
fn operators_can_reword_a_message() {
    let dir = std::env::temp_dir().join(format!("redress-catalogue-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("en")).expect("temp dir");
    std::fs::write(dir.join("en/site.ftl"), "reach-title = Talk to us\n").expect("write");
    let catalogue = Arc::new(Catalogue::with_overrides(&dir).expect("loads"));
    let en = catalogue.messages(Locale::FALLBACK);
    assert_eq!(en.get("reach-title"), "Talk to us");
    assert_eq!(en.get("language-name"), "English");
    std::fs::remove_dir_all(&dir).ok();
}

fn english(catalogue: &Arc<Catalogue>, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    catalogue.messages(Locale::FALLBACK).format(id, args)
}

#[test]
fn a_message_text_reads_as_written_and_round_trips() {
    let catalogue = Arc::new(Catalogue::builtin().expect("builtin"));
    let text = catalogue
        .message_text("en", "mail-acknowledgement")
        .expect("shipped");
    assert!(
        text.starts_with("{ $greeting }\n\n{ $acknowledgement }\n\nYour private link"),
        "unindented, blank lines kept: {text:?}"
    );
    assert!(text.ends_with("{ $signature }"), "{text:?}");
    assert_eq!(
        catalogue.message_text("en", "mail-greeting").as_deref(),
        Some("Hello,")
    );
    assert_eq!(catalogue.message_text("en", "no-such-message"), None);
    assert_eq!(catalogue.message_text("fr", "mail-greeting"), None);
    // The shipped text, saved unchanged, words the mail exactly as shipped.
    let same = Arc::new(
        catalogue
            .with_texts(&[("en", "mail-acknowledgement", &text)])
            .expect("builds"),
    );
    let args = [
        ("greeting", "Hello,".into()),
        ("acknowledgement", "We have it.".into()),
        ("link", "https://x/track/1".into()),
        ("signature", "Acme".into()),
    ];
    assert_eq!(
        english(&same, "mail-acknowledgement", &args),
        english(&catalogue, "mail-acknowledgement", &args)
    );
    // Even the select expressions of other messages survive a round trip.
    for id in ["admin-overview-staff", "form-has-problems"] {
        let text = catalogue.message_text("en", id).expect("shipped");
        let again = Arc::new(catalogue.with_texts(&[("en", id, &text)]).expect("builds"));
        let args = [("count", 2.into())];
        assert_eq!(
            english(&again, id, &args),
            english(&catalogue, id, &args),
            "{id}"
        );
    }
}

#[test]
fn saved_texts_are_laid_over_their_language_only() {
    let catalogue = Catalogue::builtin().expect("builtin");
    let laid = Arc::new(
        catalogue
            .with_texts(&[
                ("en", "mail-greeting", "Hi there,\n\n  indented, “quoted”"),
                ("es", "mail-greeting-name", "Querida { $name }:"),
            ])
            .expect("builds"),
    );
    assert_eq!(
        english(&laid, "mail-greeting", &[]),
        "Hi there,\n\n  indented, “quoted”"
    );
    assert_eq!(
        laid.messages_for(Some("es"))
            .format("mail-greeting-name", &[("name", "Ana".into())]),
        "Querida Ana:"
    );
    assert_eq!(
        laid.message_text("en", "mail-greeting").as_deref(),
        Some("Hi there,\n\n  indented, “quoted”")
    );
    let shipped = Arc::new(Catalogue::builtin().expect("builtin"));
    assert_eq!(
        english(&laid, "mail-greeting-name", &[("name", "Ana".into())]),
        english(&shipped, "mail-greeting-name", &[("name", "Ana".into())]),
        "English keeps its own"
    );
}

#[test]
fn a_text_that_cannot_stand_for_its_message_is_refused() {
    let catalogue = Catalogue::builtin().expect("builtin");
    let check = |id: &str, text: &str| catalogue.check_template("en", id, text);
    assert_eq!(
        check(
            "mail-follow-up",
            "{ $greeting }\n\n{ $link }\n{ $reference }"
        ),
        Ok(())
    );
    assert_eq!(
        check(
            "mail-signature-team",
            "{ $organisation ->\n    [Acme] The Acme team\n   *[other] { $organisation }\n}"
        ),
        Ok(()),
        "a select expression"
    );
    assert_eq!(
        check("mail-greeting", " \n\n "),
        Err(TemplateProblem::Empty)
    );
    assert_eq!(
        check("mail-acknowledgement", "{ $greeting } { $proposal }"),
        Err(TemplateProblem::UnknownVariable("proposal".to_owned()))
    );
    assert_eq!(
        check("mail-greeting", "Hello { $name"),
        Err(TemplateProblem::Syntax)
    );
    assert_eq!(
        check("mail-greeting", "Hello } there"),
        Err(TemplateProblem::Syntax)
    );
    assert_eq!(
        check("mail-greeting", "Hello\n* one\n* two"),
        Err(TemplateProblem::LineStart)
    );
    assert_eq!(check("mail-greeting", "Hello\n{\"*\"} one"), Ok(()));
    assert_eq!(
        check("mail-greeting", "Hello { no-such-message }"),
        Err(TemplateProblem::UnknownReference(
            "no-such-message".to_owned()
        ))
    );
    assert_eq!(
        check("no-such-message", "Hello"),
        Err(TemplateProblem::UnknownMessage(
            "no-such-message".to_owned()
        ))
    );
    assert_eq!(
        catalogue.check_template("fr", "mail-greeting", "Bonjour"),
        Err(TemplateProblem::UnknownLanguage("fr".to_owned()))
    );
    assert_eq!(
        catalogue.template_variables("es", "mail-resolution-proposed"),
        ["greeting", "proposal", "link", "signature"]
    );
    // A refused text saved anyway (say, before an upgrade) is left out.
    let laid = Arc::new(
        catalogue
            .with_texts(&[("en", "mail-greeting", "Hi { $proposal }")])
            .expect("builds"),
    );
    assert_eq!(english(&laid, "mail-greeting", &[]), "Hello,");
}
