//! Real mail servers on loopback for the email channel's tests: a private Dovecot as the mailbox
//! Redress polls over IMAP ([`Mailbox`]), and a private aiosmtpd as the relay it sends through
//! ([`Relay`]). Every test starts its own instances on free ports with everything (config, mail,
//! logs) in a temp dir, so tests stay independent and run in parallel; nothing system-wide is
//! started. `.ci/run` installs both from Debian's packages (`dovecot-imapd`, `python3-aiosmtpd`).
//!
//! Without them `start()` prints one line saying what is missing and returns None, so the test
//! can return early; with `REDRESS_REQUIRE_MAIL=1` (CI) that is a failure instead. A server that
//! is installed but does not come up always fails, with its log.
//!
//! Each server is a child of the test binary that holds its stdin: dropping the handle, or the
//! test binary ending however it ends, closes that stdin and the server goes at once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tempfile::TempDir;

/// How long a server gets to answer on its port after being started.
const STARTUP: Duration = Duration::from_secs(20);

/// None with one printed line, or a panic under `REDRESS_REQUIRE_MAIL=1`.
fn unavailable<T>(what: &str, missing: &str) -> Option<T> {
    if std::env::var_os("REDRESS_REQUIRE_MAIL").is_some_and(|v| v == "1") {
        panic!("REDRESS_REQUIRE_MAIL=1 but {missing}");
    }
    eprintln!("mail test skipped: {what}: {missing} (set REDRESS_REQUIRE_MAIL=1 to fail)");
    None
}

/// A port nobody listens on right now; the window before the server takes it is tiny.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("find a free loopback port")
        .port()
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("({}: {e})", path.display()))
}

fn find_executable(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().find_map(|name| {
        let path = Path::new(name);
        if path.is_absolute() {
            return path.is_file().then(|| path.to_path_buf());
        }
        std::env::var_os("PATH").and_then(|dirs| {
            std::env::split_paths(&dirs)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
    })
}

/// Writes into `dir` a private CA (`ca.pem`, what a client trusts) and a server certificate it
/// signed for `localhost` and 127.0.0.1 (`cert.pem`, `key.pem`, what the server presents). Not
/// one self-signed certificate: rustls (webpki) refuses a CA certificate as the server's own.
fn test_certificates(openssl: &Path, dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let run = |args: &[&str]| {
        let made = Command::new(openssl)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl");
        if made.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&made.stderr)
            ))
        }
    };
    std::fs::write(
        dir.join("server.ext"),
        "basicConstraints = CA:FALSE\nsubjectAltName = DNS:localhost, IP:127.0.0.1\n",
    )
    .expect("write server.ext");
    let key = ["-newkey", "rsa:2048", "-nodes"];
    run(&[
        &["req", "-x509"][..],
        &key,
        &["-days", "2", "-subj", "/CN=Redress test CA"],
        &["-keyout", "ca-key.pem", "-out", "ca.pem"],
    ]
    .concat())?;
    run(&[
        &["req"][..],
        &key,
        &["-subj", "/CN=localhost"],
        &["-keyout", "key.pem", "-out", "server.csr"],
    ]
    .concat())?;
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "cert.pem",
    ])?;
    Ok((dir.join("cert.pem"), dir.join("key.pem")))
}

// ---------------------------------------------------------------------------------------------
// The mailbox: Dovecot over IMAP.

/// Runs Dovecot (`$0`, config `$1`) in the foreground of this shell's process group, and kills
/// the whole group (master, login, auth and imap processes) once stdin closes. Dovecot's own
/// orderly shutdown takes seconds; a test's mailbox holds nothing worth that.
const DOVECOT_WATCHDOG: &str = r#""$0" -F -c "$1" &
cat >/dev/null
kill -KILL 0
"#;

/// A private Dovecot serving one user's Maildir over IMAP on loopback: plain on [`port`], TLS
/// with a certificate from a private test CA (for `localhost` and 127.0.0.1) on [`tls_port`].
///
/// [`port`]: Mailbox::port
/// [`tls_port`]: Mailbox::tls_port
pub struct Mailbox {
    watchdog: Child,
    lifeline: Option<ChildStdin>,
    port: u16,
    tls_port: u16,
    /// The Maildir of the one user; Maildir++ folders are `.Name` inside it.
    maildir: PathBuf,
    /// Who Dovecot's mail processes run as (the current user, or `nobody` when that is root,
    /// since Dovecot refuses mail access as root): delivered files are given to them.
    owner: Option<(u32, u32)>,
    log: PathBuf,
    dir: TempDir,
}

/// Names for the Maildir files [`Mailbox::deliver`] writes, unique within the process.
static DELIVERED: AtomicU64 = AtomicU64::new(0);

impl Mailbox {
    pub const USER: &'static str = "care@redress.test";
    pub const PASSWORD: &'static str = "mailbox-secret";

    /// Starts a Dovecot of its own; None (see the module doc) when Dovecot is not installed.
    /// Blocks until the server greets on its port.
    pub fn start() -> Option<Mailbox> {
        let Some(dovecot) = find_executable(&["dovecot", "/usr/sbin/dovecot"]) else {
            return unavailable(
                "mailbox",
                "Dovecot is not installed (Debian's dovecot-imapd)",
            );
        };
        if !has_imap(&dovecot) {
            return unavailable(
                "mailbox",
                "Dovecot's IMAP server is not installed (dovecot-imapd)",
            );
        }
        let Some(openssl) = find_executable(&["openssl", "/usr/bin/openssl"]) else {
            return unavailable("mailbox", "openssl (for the TLS listener's certificate)");
        };
        // Ports can be taken between choosing and binding, by a parallel test: try afresh.
        let mut last_failure = String::new();
        for _ in 0..3 {
            match Self::try_start(&dovecot, &openssl) {
                Ok(mailbox) => return Some(mailbox),
                Err(failure) if failure.contains("Address already in use") => {
                    last_failure = failure;
                }
                Err(failure) => panic!("{failure}"),
            }
        }
        panic!("{last_failure}")
    }

    fn try_start(dovecot: &Path, openssl: &Path) -> Result<Mailbox, String> {
        let dir = tempfile::tempdir().expect("temp dir for the mailbox");
        let root = dir.path();
        let (uid, gid) = current_ids(root);
        // Dovecot never gives mail access to root, and its login processes must not run as
        // root either: as root, they run as `nobody`, who must be able to reach the Maildir.
        let (mail_user, mail_uid, mail_gid) = if uid == 0 {
            let (uid, gid) = user_ids("nobody").expect("a `nobody` user in /etc/passwd");
            ("nobody".to_owned(), uid, gid)
        } else {
            let name = user_name(uid).unwrap_or_else(|| panic!("no name for uid {uid}"));
            (name, uid, gid)
        };
        let mail_group = group_name(mail_gid).unwrap_or_else(|| mail_gid.to_string());
        let owner = (uid == 0).then_some((mail_uid, mail_gid));
        if uid == 0 {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o711))
                .expect("let the mail user through the mailbox's temp dir");
        }

        let home = root.join("home");
        let maildir = home.join("Maildir");
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).expect("create the Maildir");
        }
        if let Some((uid, gid)) = owner {
            for path in [
                home.clone(),
                maildir.clone(),
                maildir.join("new"),
                maildir.join("cur"),
                maildir.join("tmp"),
            ] {
                std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                    .unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
            }
        }
        for sub in ["run", "state"] {
            std::fs::create_dir(root.join(sub)).expect("create Dovecot's dirs");
        }

        let (cert, key) = test_certificates(openssl, root)?;

        let port = free_port();
        let tls_port = free_port();
        let log = root.join("dovecot.log");
        let root_str = root.display();
        let config = format!(
            r#"# A private Dovecot for one test: one user, one Maildir, loopback only.
protocols = imap
listen = 127.0.0.1
base_dir = {root_str}/run
state_dir = {root_str}/state
log_path = {log}
info_log_path = {log}
default_internal_user = {mail_user}
default_internal_group = {mail_group}
default_login_user = {mail_user}
first_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password is refused without the default 2 s wait (but Dovecot still slows down the
# next logins from an address whose login failed, by seconds).
auth_failure_delay = 0
mail_location = maildir:{maildir}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={home}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
  }}
}}
"#,
            log = log.display(),
            cert = cert.display(),
            key = key.display(),
            maildir = maildir.display(),
            home = home.display(),
            password = Self::PASSWORD,
        );
        let config_path = root.join("dovecot.conf");
        std::fs::write(&config_path, config).expect("write dovecot.conf");

        let output = root.join("dovecot.out");
        let out = std::fs::File::create(&output).expect("create dovecot.out");
        let mut watchdog = Command::new("sh")
            .args(["-c", DOVECOT_WATCHDOG])
            .arg(dovecot)
            .arg(&config_path)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(out.try_clone().expect("duplicate a file handle"))
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", dovecot.display()));
        let lifeline = watchdog.stdin.take();
        let mut mailbox = Mailbox {
            watchdog,
            lifeline,
            port,
            tls_port,
            maildir,
            owner,
            log,
            dir,
        };

        let started = Instant::now();
        loop {
            if greets(port, b"* OK") {
                return Ok(mailbox);
            }
            let exited = matches!(mailbox.watchdog.try_wait(), Ok(Some(_)));
            let stopped = std::fs::read_to_string(&output)
                .is_ok_and(|out| out.contains("Fatal") || out.contains("Error"));
            if exited || stopped || started.elapsed() > STARTUP {
                let failure = format!(
                    "Dovecot did not answer on 127.0.0.1:{port} within {STARTUP:?}:\n{}\n{}",
                    read_log(&output),
                    read_log(&mailbox.log)
                );
                mailbox.stop();
                return Err(failure);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The plain IMAP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The IMAP-over-TLS port on 127.0.0.1; its certificate is [`Mailbox::certificate_pem`].
    pub fn tls_port(&self) -> u16 {
        self.tls_port
    }

    /// The CA that signed the TLS port's certificate (PEM), for a client to trust.
    pub fn certificate_pem(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn user(&self) -> &'static str {
        Self::USER
    }

    pub fn password(&self) -> &'static str {
        Self::PASSWORD
    }

    /// Dovecot's log, for a failing test to print.
    pub fn log(&self) -> String {
        read_log(&self.log)
    }

    /// Drops one message into the INBOX, as a mail delivery agent does: written under `tmp/`,
    /// then moved into `new/` whole, so Dovecot never sees half a message.
    pub fn deliver(&self, raw: &[u8]) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let name = format!(
            "{}.M{}P{}Q{}.redress-test",
            now.as_secs(),
            now.subsec_micros(),
            std::process::id(),
            DELIVERED.fetch_add(1, Ordering::Relaxed)
        );
        let tmp = self.maildir.join("tmp").join(&name);
        std::fs::write(&tmp, raw).unwrap_or_else(|e| panic!("write {}: {e}", tmp.display()));
        if let Some((uid, gid)) = self.owner {
            std::os::unix::fs::chown(&tmp, Some(uid), Some(gid))
                .unwrap_or_else(|e| panic!("chown {}: {e}", tmp.display()));
        }
        let new = self.maildir.join("new").join(&name);
        std::fs::rename(&tmp, &new).unwrap_or_else(|e| panic!("move into new/: {e}"));
    }

    /// The raw messages in a folder (`INBOX`, or another such as `Processed`), read from the
    /// Maildir: those no IMAP client has looked at yet (`new/`) and the others (`cur/`, flagged
    /// `\Deleted` ones included until expunged), oldest delivery first.
    pub fn messages_in(&self, folder: &str) -> Vec<Vec<u8>> {
        let dir = if folder.eq_ignore_ascii_case("INBOX") {
            self.maildir.clone()
        } else {
            self.maildir.join(format!(".{folder}"))
        };
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(dir.join(sub)).ok())
            .flatten()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        // Maildir names start with the delivery time; Dovecot keeps the base name when it moves
        // a message into cur/ and adds its flags after ':'.
        files.sort_by_key(|path| path.file_name().map(|name| name.to_owned()));
        files
            .iter()
            .filter_map(|path| std::fs::read(path).ok())
            .collect()
    }

    fn stop(&mut self) {
        // Closing the watchdog's stdin kills Dovecot's whole process group.
        self.lifeline.take();
        let _ = self.watchdog.wait();
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether Dovecot's IMAP server (`<prefix>/lib/dovecot/imap`, from dovecot-imapd) is there.
fn has_imap(dovecot: &Path) -> bool {
    let prefix = dovecot.parent().and_then(Path::parent);
    let beside = prefix.map(|prefix| prefix.join("lib/dovecot/imap"));
    beside.is_some_and(|path| path.is_file()) || Path::new("/usr/lib/dovecot/imap").is_file()
}

/// Whether something on `port` answers with a first line starting with `greeting`.
fn greets(port: u16, greeting: &[u8]) -> bool {
    let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = Vec::new();
    BufReader::new(stream)
        .read_until(b'\n', &mut line)
        .is_ok_and(|_| line.starts_with(greeting))
}

/// The uid and gid this process creates files as.
fn current_ids(dir: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join(".whoami");
    std::fs::write(&probe, b"").expect("write a probe file");
    let meta = std::fs::metadata(&probe).expect("stat the probe file");
    let _ = std::fs::remove_file(&probe);
    (meta.uid(), meta.gid())
}

/// Fields of the /etc/passwd or /etc/group line whose field `key_at` is `key`.
fn etc_entry(file: &str, key_at: usize, key: &str) -> Option<Vec<String>> {
    std::fs::read_to_string(file)
        .ok()?
        .lines()
        .find_map(|line| {
            let fields: Vec<String> = line.split(':').map(str::to_owned).collect();
            (fields.get(key_at).map(String::as_str) == Some(key)).then_some(fields)
        })
}

fn user_ids(name: &str) -> Option<(u32, u32)> {
    let fields = etc_entry("/etc/passwd", 0, name)?;
    Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?))
}

fn user_name(uid: u32) -> Option<String> {
    etc_entry("/etc/passwd", 2, &uid.to_string()).map(|fields| fields[0].clone())
}

fn group_name(gid: u32) -> Option<String> {
    etc_entry("/etc/group", 2, &gid.to_string()).map(|fields| fields[0].clone())
}

// ---------------------------------------------------------------------------------------------
// The relay: aiosmtpd over SMTP.

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

// ---------------------------------------------------------------------------------------------
// The harness's own tests: each server spoken to over its real protocol, with plain TCP.

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
async fn send_by_smtp(port: u16, from: &str, to: &str, body: &str) -> String {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailbox_serves_delivered_mail_over_imap() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    mailbox.deliver(
        b"From: Ada <ada@customer.test>\r\nTo: care@redress.test\r\nSubject: Cold soup\r\n\
          Message-ID: <soup-1@customer.test>\r\n\r\nThe soup arrived cold, twice.\r\n",
    );
    assert_eq!(mailbox.messages_in("INBOX").len(), 1);

    let mut imap = Client::connect(mailbox.port()).await.expect("connect");
    let greeting = imap.read_until(|line| line.starts_with("* OK")).await;
    assert!(greeting.contains("* OK"), "{greeting}");

    let login = imap
        .imap(
            "b",
            &format!("LOGIN {} {}", mailbox.user(), mailbox.password()),
        )
        .await;
    assert!(login.contains("b OK"), "{login}\n{}", mailbox.log());

    let select = imap.imap("c", "SELECT INBOX").await;
    assert!(select.contains("* 1 EXISTS"), "{select}");
    assert!(select.contains("c OK"), "{select}");

    let fetch = imap.imap("d", "FETCH 1 BODY[]").await;
    assert!(fetch.contains("The soup arrived cold, twice."), "{fetch}");
    assert!(fetch.contains("<soup-1@customer.test>"), "{fetch}");
    assert!(fetch.contains("d OK"), "{fetch}");

    // Mail delivered while a client is connected shows up on its next look.
    mailbox.deliver(b"From: bob@customer.test\r\nSubject: And the bread\r\n\r\nStale.\r\n");
    let noop = imap.imap("e", "NOOP").await;
    assert!(noop.contains("* 2 EXISTS"), "{noop}");

    // What the client does is visible in the Maildir: a message moved to another folder.
    assert!(imap.imap("f", "CREATE Processed").await.contains("f OK"));
    let copy = imap.imap("g", "COPY 1 Processed").await;
    assert!(copy.contains("g OK"), "{copy}");
    imap.imap("h", "STORE 1 +FLAGS (\\Deleted)").await;
    assert!(imap.imap("i", "EXPUNGE").await.contains("* 1 EXPUNGE"));
    imap.imap("j", "LOGOUT").await;

    // Last, since Dovecot slows down logins after a failed one.
    let mut wrong = Client::connect(mailbox.port()).await.expect("connect");
    wrong.read_until(|line| line.starts_with("* OK")).await;
    let refused = wrong
        .imap("a", &format!("LOGIN {} wrong-password", mailbox.user()))
        .await;
    assert!(refused.contains("a NO"), "{refused}");

    let processed = mailbox.messages_in("Processed");
    assert_eq!(processed.len(), 1);
    assert!(String::from_utf8_lossy(&processed[0]).contains("cold, twice"));
    let inbox = mailbox.messages_in("INBOX");
    assert_eq!(inbox.len(), 1);
    assert!(String::from_utf8_lossy(&inbox[0]).contains("Stale."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailbox_speaks_tls_with_its_certificate() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    let openssl = find_executable(&["openssl", "/usr/bin/openssl"]).expect("openssl");
    // openssl's client verifies the chain and the address against the harness's certificate.
    let mut client = Command::new(openssl)
        .args(["s_client", "-quiet", "-verify_return_error", "-verify_ip"])
        .arg("127.0.0.1")
        .arg("-CAfile")
        .arg(mailbox.certificate_pem())
        .arg("-connect")
        .arg(format!("127.0.0.1:{}", mailbox.tls_port()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run openssl s_client");
    let mut stdin = client.stdin.take().expect("piped");
    let login = format!(
        "a LOGIN {} {}\r\nb SELECT INBOX\r\nc LOGOUT\r\n",
        mailbox.user(),
        mailbox.password()
    );
    let output = tokio::task::spawn_blocking(move || {
        // Give the handshake and greeting time before the commands, then wait for the end.
        std::thread::sleep(Duration::from_millis(300));
        let _ = stdin.write_all(login.as_bytes());
        let mut out = String::new();
        let mut stdout = client.stdout.take().expect("piped");
        let _ = stdout.read_to_string(&mut out);
        drop(stdin);
        let mut err = String::new();
        let _ = client
            .stderr
            .take()
            .expect("piped")
            .read_to_string(&mut err);
        let _ = client.wait();
        (out, err)
    })
    .await
    .expect("s_client thread");
    let (out, err) = output;
    assert!(out.contains("* OK"), "out: {out}\nerr: {err}");
    assert!(out.contains("a OK"), "out: {out}\nerr: {err}");
    assert!(out.contains("* 0 EXISTS"), "out: {out}\nerr: {err}");
    assert!(out.contains("c OK"), "out: {out}\nerr: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_keeps_what_it_is_sent_and_comes_back_after_a_stop() {
    let Some(mut relay) = Relay::start() else {
        return;
    };
    let port = relay.port();
    let reply = send_by_smtp(
        port,
        "care@redress.test",
        "ada@customer.test",
        "From: care@redress.test\r\nTo: ada@customer.test\r\nSubject: [RD-1] Your soup\r\n\
         In-Reply-To: <soup-1@customer.test>\r\n\r\nWe are sorry.\r\n..Dot-stuffed line.",
    )
    .await;
    assert!(reply.starts_with("250"), "{reply}");
    let received = relay.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].from, "care@redress.test");
    assert_eq!(received[0].to, vec!["ada@customer.test".to_owned()]);
    let text = received[0].text();
    assert!(
        text.contains("In-Reply-To: <soup-1@customer.test>"),
        "{text}"
    );
    // Kept as the message was, line ends and all, with the leading dot unstuffed.
    assert!(
        text.contains("\r\nWe are sorry.\r\n.Dot-stuffed line."),
        "{text}"
    );

    // Refusals for good and for now, as a real server gives them.
    let mut client = Client::connect(port).await.expect("connect");
    client.smtp_reply().await;
    client.smtp("EHLO redress.test").await;
    client.smtp("MAIL FROM:<care@redress.test>").await;
    let rejected = client.smtp("RCPT TO:<reject-me@customer.test>").await;
    assert!(rejected.starts_with("550"), "{rejected}");
    let deferred = client.smtp("RCPT TO:<defer-me@customer.test>").await;
    assert!(deferred.starts_with("451"), "{deferred}");
    client.smtp("QUIT").await;

    relay.stop();
    let refused = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused),
        "a stopped relay still answers: {refused:?}"
    );

    relay.restart();
    assert_eq!(relay.port(), port);
    let reply = send_by_smtp(
        port,
        "",
        "bob@customer.test",
        "Subject: after the restart\r\n\r\nStill here.",
    )
    .await;
    assert!(reply.starts_with("250"), "{reply}");
    let received = relay.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(
        received.len(),
        2,
        "the first message is kept across a restart"
    );
    assert_eq!(received[1].from, "");
    assert_eq!(received[1].to, vec!["bob@customer.test".to_owned()]);
    assert!(received[1].text().contains("Still here."));
}
