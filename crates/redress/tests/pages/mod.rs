//! The customer pages over plain HTTP, as a browser without JavaScript uses them: the form's
//! protections (CSRF, honeypot, rate limit, content-checked uploads), a double post taken once,
//! typed words kept on every refusal, escaping, the tracking link as the only key, and the
//! customer's language remembered on the case. The same pages in a real browser are in
//! `browser/journeys/`.
//!
//! - [`visitor`]: the HTTP client the tests browse with, and what they share;
//! - [`form`]: sending the form, once, as the right kind, with the words kept when refused;
//! - [`protections`]: CSRF, the honeypot, the rate limit, the limits on files;
//! - [`case_page`]: the tracking link and what the case page shows;
//! - [`language`]: the front door and the customer's language;
//! - [`desk`]: staff signing in and out, the first run's setup link, password changes;
//! - [`desk_work`]: working a case from its page, who it waits for, teams, queues;
//! - [`desk_mail`]: mail at the desk: listed, read with its source, handled again, on its case.
//! - [`admin`], [`admin_mail`]: the administration, and the mail templates reworded there.

mod admin;
mod admin_mail;
mod case_page;
mod desk;
mod desk_mail;
mod desk_work;
mod form;
mod language;
mod protections;
mod visitor;

// The PNG the browser journeys attach too.
pub use visitor::PNG;
