//! One SMTP conversation (RFC 5321), as a receiver that delivers locally: EHLO/HELO, MAIL,
//! RCPT (only for the accepted domains), DATA (dot-unstuffed, its size enforced), RSET, NOOP,
//! QUIT; every line length-limited and every wait bounded by the idle timeout.

use super::{Delivery, ListenerSettings};
use std::fmt;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

/// RFC 5321 4.5.3.1.4 says 512 octets; extensions' parameters make some clients longer.
const MAX_COMMAND_LINE: usize = 2048;
/// RFC 5321 4.5.3.1.8 asks for at least 100.
const MAX_RECIPIENTS: usize = 100;

/// A line read within the limit, or why not.
enum Line {
    /// The line with its ending.
    Text,
    /// Longer than allowed: read to its end and thrown away.
    TooLong,
    Closed,
}

/// Reads one line ending in LF into `buf` (at most `max` bytes, ending included).
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
    buf: &mut Vec<u8>,
) -> io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(Line::Closed);
        }
        let (taken, ended) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            if buf.len() + taken > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&available[..taken]);
            }
        }
        reader.consume(taken);
        if ended {
            return Ok(if too_long { Line::TooLong } else { Line::Text });
        }
    }
}

/// The envelope being built.
#[derive(Default)]
struct Transaction {
    from: Option<String>,
    to: Vec<String>,
}

/// Why a conversation ended early.
#[derive(Debug)]
pub(super) enum Ended {
    Io(io::Error),
    Idle,
}

impl fmt::Display for Ended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ended::Io(e) => write!(f, "{e}"),
            Ended::Idle => write!(f, "idle too long"),
        }
    }
}

impl From<io::Error> for Ended {
    fn from(e: io::Error) -> Self {
        Ended::Io(e)
    }
}

struct Conversation<'a, S> {
    stream: BufReader<S>,
    settings: &'a ListenerSettings,
    line: Vec<u8>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conversation<'_, S> {
    async fn reply(&mut self, text: &str) -> io::Result<()> {
        self.stream.write_all(text.as_bytes()).await?;
        self.stream.write_all(b"\r\n").await?;
        self.stream.flush().await
    }

    /// The next line, or Ended::Idle (after saying so) when none comes in time.
    async fn next_line(&mut self, max: usize) -> Result<Line, Ended> {
        match tokio::time::timeout(
            self.settings.idle,
            read_line(&mut self.stream, max, &mut self.line),
        )
        .await
        {
            Ok(line) => Ok(line?),
            Err(_) => {
                let _ = self
                    .reply("421 4.4.2 Idle too long, closing the connection")
                    .await;
                Err(Ended::Idle)
            }
        }
    }

    /// The message after DATA's 354, unstuffed; None when it outgrew `max_bytes` (read to its
    /// end all the same, so the conversation can go on). It ends only at CRLF "." CRLF: a dot
    /// after a bare LF does not end it (no smuggling a second message inside the first).
    async fn read_data(&mut self) -> Result<Option<Vec<u8>>, Ended> {
        let max = self.settings.max_bytes;
        let mut message = Some(Vec::new());
        let mut after_crlf = true;
        loop {
            // A line longer than the whole allowance makes the message too big anyway.
            match self.next_line(max.saturating_add(3)).await? {
                Line::Closed => {
                    return Err(Ended::Io(io::ErrorKind::UnexpectedEof.into()));
                }
                Line::TooLong => {
                    message = None;
                    after_crlf = true;
                }
                Line::Text => {
                    if after_crlf && self.line == b".\r\n" {
                        return Ok(message);
                    }
                    after_crlf = self.line.ends_with(b"\r\n");
                    let text = self.line.strip_prefix(b".").unwrap_or(&self.line);
                    if let Some(m) = &mut message {
                        if m.len() + text.len() > max {
                            message = None;
                        } else {
                            m.extend_from_slice(text);
                        }
                    }
                }
            }
        }
    }
}

/// The address inside `<…>` after `FROM:`/`TO:` (`prefix`), and the parameters after it.
fn parse_path<'a>(argument: &'a str, prefix: &str) -> Option<(&'a str, Vec<&'a str>)> {
    let head = argument.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = argument[prefix.len()..].trim_start();
    let (address, params) = match rest.strip_prefix('<') {
        Some(inside) => inside.split_once('>')?,
        // Not RFC 5321, but some clients leave out the brackets.
        None => rest.split_once(' ').unwrap_or((rest, "")),
    };
    if address.contains(['<', '>', ' ']) {
        return None;
    }
    Some((address, params.split_whitespace().collect()))
}

impl ListenerSettings {
    /// Whether mail to `address` is ours to take: a domain we accept for, or the postmaster
    /// (which RFC 5321 4.5.1 requires be accepted without a domain).
    fn accepts(&self, address: &str) -> bool {
        match address.rsplit_once('@') {
            Some((_, domain)) => {
                let domain = domain.trim_end_matches('.').to_ascii_lowercase();
                self.accept_for.contains(&domain)
            }
            None => address.eq_ignore_ascii_case("postmaster"),
        }
    }
}

/// Holds the conversation on `stream` with the client at `peer`, until QUIT, the client
/// leaving, or the idle timeout.
pub(super) async fn converse<S, K, Fut, E>(
    stream: S,
    peer: IpAddr,
    settings: &ListenerSettings,
    keep: &K,
) -> Result<(), Ended>
where
    S: AsyncRead + AsyncWrite + Unpin,
    K: Fn(Delivery) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: fmt::Display,
{
    let mut c = Conversation {
        stream: BufReader::new(stream),
        settings,
        line: Vec::new(),
    };
    c.reply(&format!("220 {} ESMTP Redress", settings.hostname))
        .await?;
    let mut greeted = false;
    let mut tx = Transaction::default();
    loop {
        match c.next_line(MAX_COMMAND_LINE).await? {
            Line::Closed => return Ok(()),
            Line::TooLong => {
                c.reply("500 5.5.6 Line too long").await?;
                continue;
            }
            Line::Text => {}
        }
        let text = String::from_utf8_lossy(&c.line).into_owned();
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, argument) = text.split_once(' ').unwrap_or((text, ""));
        let argument = argument.trim();
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" | "HELO" if argument.is_empty() => {
                c.reply("501 5.5.4 Say who you are").await?;
            }
            "EHLO" => {
                greeted = true;
                tx = Transaction::default();
                let hello = format!(
                    "250-{}\r\n250-SIZE {}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING",
                    settings.hostname, settings.max_bytes
                );
                c.reply(&hello).await?;
            }
            "HELO" => {
                greeted = true;
                tx = Transaction::default();
                c.reply(&format!("250 {}", settings.hostname)).await?;
            }
            "MAIL" if !greeted => c.reply("503 5.5.1 Say EHLO first").await?,
            "MAIL" if tx.from.is_some() => c.reply("503 5.5.1 Sender already given").await?,
            "MAIL" => {
                let Some((from, params)) = parse_path(argument, "FROM:") else {
                    c.reply("501 5.5.4 Syntax: MAIL FROM:<address>").await?;
                    continue;
                };
                let declared = params.iter().find_map(|p| {
                    let (key, value) = p.split_once('=')?;
                    key.eq_ignore_ascii_case("SIZE")
                        .then(|| value.parse::<u64>().ok())
                        .flatten()
                });
                if declared.is_some_and(|size| size > settings.max_bytes as u64) {
                    c.reply("552 5.3.4 Message too big").await?;
                    continue;
                }
                tx.from = Some(from.to_owned());
                c.reply("250 2.1.0 OK").await?;
            }
            "RCPT" if tx.from.is_none() => c.reply("503 5.5.1 MAIL first").await?,
            "RCPT" => {
                let Some((to, _)) = parse_path(argument, "TO:") else {
                    c.reply("501 5.5.4 Syntax: RCPT TO:<address>").await?;
                    continue;
                };
                if !settings.accepts(to) {
                    c.reply("550 5.7.1 Not a domain this server takes mail for")
                        .await?;
                } else if tx.to.len() >= MAX_RECIPIENTS {
                    c.reply("452 4.5.3 Too many recipients").await?;
                } else {
                    tx.to.push(to.to_owned());
                    c.reply("250 2.1.5 OK").await?;
                }
            }
            "DATA" if tx.to.is_empty() => c.reply("503 5.5.1 RCPT first").await?,
            "DATA" => {
                c.reply("354 End data with <CR><LF>.<CR><LF>").await?;
                let message = c.read_data().await?;
                let from = tx.from.take().unwrap_or_default();
                let to = std::mem::take(&mut tx.to);
                let Some(message) = message else {
                    c.reply("552 5.3.4 Message too big").await?;
                    continue;
                };
                let mut raw = format!("Return-Path: <{from}>\r\n").into_bytes();
                raw.extend_from_slice(&message);
                let bytes = raw.len();
                match keep(Delivery {
                    peer,
                    from,
                    to,
                    raw,
                })
                .await
                {
                    Ok(()) => {
                        tracing::info!(%peer, bytes, "mail listener: message kept");
                        c.reply("250 2.0.0 Kept").await?;
                    }
                    Err(e) => {
                        tracing::warn!(%peer, error = %e, "mail listener: cannot keep a message");
                        c.reply("451 4.3.0 Cannot keep the message now, try again later")
                            .await?;
                    }
                }
            }
            "RSET" => {
                tx = Transaction::default();
                c.reply("250 2.0.0 OK").await?;
            }
            "NOOP" => c.reply("250 2.0.0 OK").await?,
            "QUIT" => {
                c.reply(&format!("221 2.0.0 {} closing", settings.hostname))
                    .await?;
                return Ok(());
            }
            "VRFY" | "EXPN" | "HELP" | "STARTTLS" | "AUTH" | "BDAT" | "ETRN" | "TURN" => {
                c.reply("502 5.5.1 Not implemented").await?;
            }
            _ => c.reply("500 5.5.2 Command not recognised").await?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_their_parameters() {
        assert_eq!(
            parse_path("FROM:<ada@example.com> SIZE=100 BODY=8BITMIME", "FROM:"),
            Some(("ada@example.com", vec!["SIZE=100", "BODY=8BITMIME"]))
        );
        assert_eq!(parse_path("from: <>", "FROM:"), Some(("", vec![])));
        assert_eq!(
            parse_path("TO:kim@care.example.com", "TO:"),
            Some(("kim@care.example.com", vec![]))
        );
        assert_eq!(parse_path("TO:<a b@c>", "TO:"), None);
        assert_eq!(parse_path("FROM:<unclosed", "FROM:"), None);
        assert_eq!(parse_path("TO:<x@y>", "FROM:"), None);
    }

    #[test]
    fn only_our_domains_and_the_postmaster() {
        let settings = ListenerSettings::new(vec!["Care.Example.com".into()]);
        assert!(settings.accepts("kim@care.example.com"));
        assert!(settings.accepts("kim@CARE.example.com."));
        assert!(settings.accepts("Postmaster"));
        assert!(!settings.accepts("kim@example.com"));
        assert!(!settings.accepts("kim@evil.care.example.com.attacker.test"));
        assert!(!settings.accepts("kim"));
    }
}
