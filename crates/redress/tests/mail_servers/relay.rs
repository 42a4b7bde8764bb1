//! The relay: a private aiosmtpd that keeps what it is sent, refuses on cue, and can be stopped,
//! restarted, and made to require STARTTLS or TLS with a login.

use super::*;

/// The relay: an SMTP server that keeps every message it accepts as `<n>.eml` (the DATA, byte
/// for byte after dot-unstuffing) and `<n>.env` (the envelope sender, then one recipient a line;
/// written last, so a listed `.env` always has its message). A recipient whose local part
/// starts with `reject` is refused for good (550), one starting with `defer` for now (451). It
/// exits when its stdin closes, so it never outlives the test binary.
///
/// Its mode (`plain`, `starttls` or `tls`) says how it speaks: `starttls` requires STARTTLS
/// before anything else and `tls` is TLS from the first byte, both with the certificate and key
/// given and both requiring a login ([`Relay::USER`] and [`Relay::PASSWORD`], PLAIN or LOGIN).
const RELAY_SCRIPT: &str = r#"
import asyncio, os, ssl, sys, threading, time
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

out_dir, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
user, password = b"relay-user", b"relay-secret"

def lifeline():
    sys.stdin.buffer.read()
    os._exit(0)

threading.Thread(target=lifeline, daemon=True).start()

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("defer"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%020d" % time.time_ns()
        path = os.path.join(out_dir, name)
        with open(path + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(path + ".part", "w", encoding="utf-8") as f:
            sender = "" if envelope.mail_from in (None, "<>") else envelope.mail_from
            f.write("\n".join([sender] + envelope.rcpt_tos))
        os.rename(path + ".part", path + ".env")
        return "250 2.0.0 Saved as " + name

def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user \
        and auth_data.password == password
    # handled=False: aiosmtpd then answers a failure with 535 itself.
    return AuthResult(success=ok, handled=False)

def smtp():
    if mode == "plain":
        return SMTP(Handler(), hostname="relay.redress.test", enable_SMTPUTF8=True)
    return SMTP(Handler(), hostname="relay.redress.test", enable_SMTPUTF8=True,
                tls_context=context if mode == "starttls" else None,
                require_starttls=mode == "starttls", auth_required=True,
                auth_require_tls=mode == "starttls", authenticator=authenticate)

context = None
if mode != "plain":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[4], sys.argv[5])

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        smtp, "127.0.0.1", port, reuse_address=True,
        ssl=context if mode == "tls" else None)
    print("ready", flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

/// One message the relay accepted.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), empty for the null sender.
    pub from: String,
    /// The envelope recipients it accepted (`RCPT TO`).
    pub to: Vec<String>,
    /// The message as sent in DATA.
    pub raw: Vec<u8>,
}

impl ReceivedMail {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

/// How a [`Relay`] speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayMode {
    /// Plain SMTP, no login.
    Plain,
    /// STARTTLS required before anything else, then a login.
    StartTls,
    /// TLS from the first byte, then a login.
    Tls,
}

/// A private SMTP relay (aiosmtpd) on a free loopback port that keeps what it receives. It can
/// be stopped (the port refuses connections) and restarted on the same port, for the outbox's
/// "a mail server that is down delays mail, never loses it".
pub struct Relay {
    python: PathBuf,
    port: u16,
    mode: RelayMode,
    child: Option<Child>,
    dir: TempDir,
}

impl Relay {
    /// The login a TLS relay requires.
    pub const USER: &'static str = "relay-user";
    pub const PASSWORD: &'static str = "relay-secret";

    /// Starts an aiosmtpd of its own, plain; None (see the module doc) when there is no Python
    /// with aiosmtpd. Blocks until the server greets on its port.
    pub fn start() -> Option<Relay> {
        Self::start_in(RelayMode::Plain)
    }

    /// Starts one speaking TLS as `mode` says (with a certificate for 127.0.0.1 from a private
    /// CA, [`Relay::certificate_pem`]) and requiring a login.
    pub fn start_tls(mode: RelayMode) -> Option<Relay> {
        Self::start_in(mode)
    }

    fn start_in(mode: RelayMode) -> Option<Relay> {
        let Some(python) = python_with_aiosmtpd() else {
            return unavailable(
                "relay",
                "no python3 can import aiosmtpd (Debian's python3-aiosmtpd)",
            );
        };
        let dir = tempfile::tempdir().expect("temp dir for the relay");
        std::fs::create_dir(dir.path().join("mail")).expect("create the relay's mail dir");
        std::fs::write(dir.path().join("relay.py"), RELAY_SCRIPT).expect("write relay.py");
        if mode != RelayMode::Plain {
            let Some(openssl) = find_executable(&["openssl", "/usr/bin/openssl"]) else {
                return unavailable("relay", "openssl (for the relay's certificate)");
            };
            test_certificates(&openssl, dir.path()).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut relay = Relay {
            python: python.to_path_buf(),
            port: 0,
            mode,
            child: None,
            dir,
        };
        // Ports can be taken between choosing and binding, by a parallel test: try afresh.
        let mut last_failure = String::new();
        for _ in 0..3 {
            relay.port = free_port();
            match relay.run() {
                Ok(()) => return Some(relay),
                Err(failure) if failure.to_lowercase().contains("address already in use") => {
                    last_failure = failure;
                }
                Err(failure) => panic!("{failure}"),
            }
        }
        panic!("{last_failure}")
    }

    /// Starts the server process on `self.port` and waits for it to answer.
    fn run(&mut self) -> Result<(), String> {
        let log = self.dir.path().join("relay.log");
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("open relay.log");
        let mode = match self.mode {
            RelayMode::Plain => "plain",
            RelayMode::StartTls => "starttls",
            RelayMode::Tls => "tls",
        };
        let mut child = Command::new(&self.python)
            .arg(self.dir.path().join("relay.py"))
            .arg(self.dir.path().join("mail"))
            .arg(self.port.to_string())
            .arg(mode)
            .arg(self.dir.path().join("cert.pem"))
            .arg(self.dir.path().join("key.pem"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", self.python.display()));
        let mut ready = String::new();
        let stdout = child.stdout.take().expect("the relay's stdout is piped");
        // "ready" once listening, or end of file when it failed (its reason is in the log).
        let _ = BufReader::new(stdout).read_line(&mut ready);
        self.child = Some(child);
        let started = Instant::now();
        while ready.trim() == "ready" && started.elapsed() < STARTUP {
            // A TLS relay greets only after the handshake: being connectable is enough there.
            let up = match self.mode {
                RelayMode::Tls => TcpStream::connect(("127.0.0.1", self.port)).is_ok(),
                _ => greets(self.port, b"220"),
            };
            if up {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop();
        Err(format!(
            "the relay did not answer on 127.0.0.1:{}:\n{}",
            self.port,
            read_log(&log)
        ))
    }

    /// The SMTP port on 127.0.0.1 (the same after [`Relay::restart`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The CA that signed a TLS relay's certificate (PEM), for a client to trust.
    pub fn certificate_pem(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The relay's log (aiosmtpd's stderr), for a failing test to print.
    pub fn log(&self) -> String {
        read_log(&self.dir.path().join("relay.log"))
    }

    /// Everything accepted so far, in the order it arrived (kept across stop and restart).
    pub fn received(&self) -> Vec<ReceivedMail> {
        let mail = self.dir.path().join("mail");
        let mut envelopes: Vec<PathBuf> = std::fs::read_dir(&mail)
            .expect("read the relay's mail dir")
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "env"))
            .collect();
        envelopes.sort();
        envelopes
            .iter()
            .map(|envelope| {
                let text = std::fs::read_to_string(envelope).expect("read an envelope");
                let mut lines = text.split('\n').map(str::to_owned);
                let from = lines.next().unwrap_or_default();
                let raw = std::fs::read(envelope.with_extension("eml")).expect("read a message");
                ReceivedMail {
                    from,
                    to: lines.collect(),
                    raw,
                }
            })
            .collect()
    }

    /// Waits until at least `n` messages have arrived and returns them all; panics, naming
    /// what did arrive, after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= n {
                return received;
            }
            if started.elapsed() > timeout {
                panic!(
                    "the relay received {} message(s) within {timeout:?}, not {n}: {:#?}",
                    received.len(),
                    received.iter().map(ReceivedMail::text).collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Stops the server: connections to its port are refused until [`Relay::restart`]. What
    /// it received is kept.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        // Another process could have taken the port meanwhile; on a test machine that is rare
        // enough to be worth only a few tries.
        let mut failure = String::new();
        for _ in 0..3 {
            match self.run() {
                Ok(()) => return,
                Err(reason) => failure = reason,
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("restart the relay: {failure}");
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The first Python that has aiosmtpd: Debian's package installs it for Debian's Python, which
/// need not be the first `python3` on PATH.
fn python_with_aiosmtpd() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            ["/usr/bin/python3", "python3"]
                .iter()
                .filter_map(|name| find_executable(&[name]))
                .find(|python| {
                    Command::new(python)
                        .args(["-c", "import aiosmtpd"])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .is_ok_and(|status| status.success())
                })
        })
        .as_deref()
}
