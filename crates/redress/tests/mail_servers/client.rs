//! Speaking SMTP or IMAP by hand, for the harness's own tests and the listener's.

use super::*;

/// A line-based client over tokio's TCP (readiness and non-blocking reads, so it needs no
/// more of tokio than the crate already has), for speaking SMTP or IMAP by hand.
pub struct Client {
    stream: tokio::net::TcpStream,
    received: Vec<u8>,
}

impl Client {
    pub async fn connect(port: u16) -> std::io::Result<Client> {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        Ok(Client {
            stream,
            received: Vec::new(),
        })
    }

    pub async fn send(&mut self, text: &str) {
        let mut rest = text.as_bytes();
        while !rest.is_empty() {
            self.stream.writable().await.expect("socket writable");
            match self.stream.try_write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("write: {e}"),
            }
        }
    }

    /// Reads until a whole line satisfies `last`, and returns everything up to and including
    /// that line.
    pub async fn read_until(&mut self, last: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let mut start = 0;
            while let Some(end) = self.received[start..].iter().position(|&b| b == b'\n') {
                let line = String::from_utf8_lossy(&self.received[start..start + end]);
                if last(line.trim_end_matches('\r')) {
                    let taken: Vec<u8> = self.received.drain(..start + end + 1).collect();
                    return String::from_utf8_lossy(&taken).into_owned();
                }
                start += end + 1;
            }
            let readable = tokio::time::timeout_at(deadline, self.stream.readable()).await;
            assert!(
                readable.is_ok(),
                "no awaited line within 10 s; got: {}",
                String::from_utf8_lossy(&self.received)
            );
            let mut buf = [0u8; 4096];
            match self.stream.try_read(&mut buf) {
                Ok(0) => panic!(
                    "connection closed; got: {}",
                    String::from_utf8_lossy(&self.received)
                ),
                Ok(n) => self.received.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("read: {e}"),
            }
        }
    }

    /// An IMAP command's whole answer, up to its tagged status line.
    pub async fn imap(&mut self, tag: &str, command: &str) -> String {
        self.send(&format!("{tag} {command}\r\n")).await;
        let prefix = format!("{tag} ");
        self.read_until(|line| line.starts_with(&prefix)).await
    }

    /// Whether the server has closed the connection (waiting up to 10 s for it), after
    /// whatever it still had to say.
    pub async fn closed(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if tokio::time::timeout_at(deadline, self.stream.readable())
                .await
                .is_err()
            {
                return false;
            }
            let mut buf = [0u8; 4096];
            match self.stream.try_read(&mut buf) {
                Ok(0) => return true,
                Ok(n) => self.received.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return true,
            }
        }
    }

    /// An SMTP reply (its last line has a space after the code).
    pub async fn smtp_reply(&mut self) -> String {
        self.read_until(|line| line.len() >= 4 && line.as_bytes()[3] == b' ')
            .await
    }

    pub async fn smtp(&mut self, command: &str) -> String {
        self.send(&format!("{command}\r\n")).await;
        self.smtp_reply().await
    }
}

/// Sends one message through the relay with a raw SMTP dialogue; returns the reply to DATA's end.
pub(super) async fn send_by_smtp(port: u16, from: &str, to: &str, body: &str) -> String {
    let mut client = Client::connect(port).await.expect("connect to the relay");
    assert!(client.smtp_reply().await.starts_with("220"));
    assert!(client.smtp("EHLO redress.test").await.starts_with("250"));
    assert!(
        client
            .smtp(&format!("MAIL FROM:<{from}>"))
            .await
            .starts_with("250")
    );
    let rcpt = client.smtp(&format!("RCPT TO:<{to}>")).await;
    assert!(rcpt.starts_with("250"), "{rcpt}");
    assert!(client.smtp("DATA").await.starts_with("354"));
    let reply = client.smtp(&format!("{body}\r\n.")).await;
    client.smtp("QUIT").await;
    reply
}
