//! The mailbox: a private Dovecot serving one user's Maildir over IMAP, plain and TLS.

use super::*;

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
