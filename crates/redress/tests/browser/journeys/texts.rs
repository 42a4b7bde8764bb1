//! What the pages say in English and in Spanish, word for word from the catalogue
//! (`crates/catalogue/locales/{en,es}/redress.ftl`), and what the customer and staff write in
//! each, for the complaint journey.

/// What the pages say in one language, word for word from its catalogue, and the words the
/// customer types in it.
pub(super) struct Texts {
    /// The case's language as the API records it.
    pub lang: &'static str,
    /// Appended to screenshot names: which device, which language.
    pub suffix: &'static str,
    pub months: [&'static str; 12],
    /// `date` in the catalogue, with `{d}`, `{m}` and `{y}`.
    pub date: &'static str,
    pub reach_title: &'static str,
    pub complain_title: &'static str,
    pub what_happened_label: &'static str,
    pub make_it_right_label: &'static str,
    pub needed_by_label: &'static str,
    pub email_label: &'static str,
    pub send: &'static str,
    pub received_title: &'static str,
    /// `received-needed-by`, with `{date}`.
    pub received_needed_by: &'static str,
    /// `received-who-team` for the default care team, with `{date}`.
    pub received_who: &'static str,
    pub track_title: &'static str,
    pub status_new: &'static str,
    pub reply_label: &'static str,
    pub by_you: &'static str,
    pub event_message_from_customer: &'static str,
    pub done_reply: &'static str,
    pub resolution_heading: &'static str,
    pub status_proposed: &'static str,
    pub done_accept: &'static str,
    pub status_resolved: &'static str,
    pub follow_up_heading: &'static str,
    pub event_follow_up_answered: &'static str,
    pub done_reopened: &'static str,
    pub status_reopened: &'static str,
    // What the customer and staff write.
    pub words: &'static str,
    pub make_it_right: &'static str,
    pub reply: &'static str,
    pub proposal: &'static str,
    pub comment: &'static str,
}

pub(super) const ENGLISH: Texts = Texts {
    lang: "en",
    suffix: "desktop",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date: "{d} {m} {y}",
    reach_title: "How to reach us",
    complain_title: "Tell us what happened",
    what_happened_label: "What happened?",
    make_it_right_label: "What would make it right for you?",
    needed_by_label: "When do you need this resolved by?",
    email_label: "Email address",
    send: "Send",
    received_title: "We have your complaint, and we are sorry this happened",
    received_needed_by: "You need this resolved by {date}. We have noted that date and we work to it.",
    received_who: "The customer care team will look into it and answer you personally by {date}.",
    track_title: "Your case",
    status_new: "We have received it",
    reply_label: "Your message",
    by_you: "You",
    event_message_from_customer: "You wrote to us.",
    done_reply: "Your message is on your case. We will answer you personally.",
    resolution_heading: "What we propose",
    status_proposed: "We have proposed a way to put it right",
    done_accept: "Thank you. Your case is resolved; we will ask you shortly how it went.",
    status_resolved: "Resolved",
    follow_up_heading: "How did it go?",
    event_follow_up_answered: "You told us how it went.",
    done_reopened: "Thank you for telling us. We have reopened your case and will put it right.",
    status_reopened: "Reopened: we are working on it again",
    words: "The kettle I bought on Monday leaks from the base.\n\
            Water <everywhere> & the plug sparked 😱\n\
            \n\
            It is the second one this month.",
    make_it_right: "A kettle that works, & an apology <please>",
    reply: "The plug is black now too.\nShould I stop using the socket?",
    proposal: "A new kettle of a different model, delivered on Thursday, and a refund of the first.",
    comment: "The new kettle came a week late, but it works.",
};

pub(super) const SPANISH: Texts = Texts {
    lang: "es",
    suffix: "phone-es",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date: "{d} de {m} de {y}",
    reach_title: "Cómo contactarnos",
    complain_title: "Cuéntenos qué pasó",
    what_happened_label: "¿Qué pasó?",
    make_it_right_label: "¿Qué lo arreglaría para usted?",
    needed_by_label: "¿Para cuándo necesita que esté resuelto?",
    email_label: "Correo electrónico",
    send: "Enviar",
    received_title: "Hemos recibido su queja, y lamentamos lo ocurrido",
    received_needed_by: "Necesita que esté resuelto para el {date}. Hemos anotado esa fecha y trabajamos con ella.",
    // Left unconfigured, the team is named in the page's language.
    received_who: "El equipo de atención al cliente lo estudiará y le responderá personalmente antes del {date}.",
    track_title: "Su caso",
    status_new: "Lo hemos recibido",
    reply_label: "Su mensaje",
    by_you: "Usted",
    event_message_from_customer: "Nos escribió.",
    done_reply: "Su mensaje está en su caso. Le responderemos personalmente.",
    resolution_heading: "Lo que le proponemos",
    status_proposed: "Le hemos propuesto una forma de arreglarlo",
    done_accept: "Gracias. Su caso está resuelto; pronto le preguntaremos cómo fue.",
    status_resolved: "Resuelto",
    follow_up_heading: "¿Cómo fue?",
    event_follow_up_answered: "Nos contó cómo fue.",
    done_reopened: "Gracias por decírnoslo. Hemos vuelto a abrir su caso y lo arreglaremos.",
    status_reopened: "Reabierto: volvemos a trabajar en ello",
    words: "El hervidor que compré el lunes gotea por la base.\n\
            Agua <por todas partes> & el enchufe echó chispas 😱\n\
            \n\
            Es el segundo este mes. ¿Qué hago?",
    make_it_right: "Un hervidor que funcione, & una disculpa <por favor>",
    reply: "El enchufe también está negro.\n¿Dejo de usar la toma?",
    proposal: "Un hervidor nuevo de otro modelo, entregado el jueves, y el reembolso del primero.",
    comment: "El hervidor nuevo llegó una semana tarde, pero funciona.",
};

impl Texts {
    /// An ISO date (`2026-12-03`) as the pages write it (`3 December 2026`).
    pub(super) fn date(&self, iso: &str) -> String {
        let date = time::Date::parse(
            iso,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap_or_else(|e| panic!("{iso:?} is not a date: {e}"));
        self.date
            .replace("{d}", &date.day().to_string())
            .replace("{m}", self.months[usize::from(u8::from(date.month())) - 1])
            .replace("{y}", &date.year().to_string())
    }
}
