//! What a browser test needs before it can run (Chromium, chromedriver, axe-core), the one
//! chromedriver process per test binary, and the cap on concurrent browser sessions.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit};

/// The files a browser test needs, found once per test binary.
#[derive(Debug)]
pub(super) struct Prerequisites {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub axe_js: PathBuf,
}

/// The prerequisites, or None when the test should be skipped: then one line says what is
/// missing. With `REDRESS_REQUIRE_BROWSER=1` (CI) a missing prerequisite fails the test instead,
/// so a broken CI image cannot turn every browser test into a silent pass.
pub(super) fn prerequisites() -> Option<&'static Prerequisites> {
    static FOUND: OnceLock<Result<Prerequisites, String>> = OnceLock::new();
    match FOUND.get_or_init(find) {
        Ok(found) => Some(found),
        Err(missing) if std::env::var_os("REDRESS_REQUIRE_BROWSER").is_some_and(|v| v == "1") => {
            panic!("REDRESS_REQUIRE_BROWSER=1 but {missing}")
        }
        Err(missing) => {
            eprintln!("browser test skipped: {missing} (set REDRESS_REQUIRE_BROWSER=1 to fail)");
            None
        }
    }
}

/// Looks for everything, so that one message names all that is missing.
fn find() -> Result<Prerequisites, String> {
    let chromium = executable("REDRESS_CHROMIUM", "/usr/bin/chromium", "chromium");
    let chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver");
    let axe_js = std::env::var_os("REDRESS_AXE_JS").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    let mut missing = Vec::new();
    if chromium.is_none() {
        missing.push("Chromium (/usr/bin/chromium or REDRESS_CHROMIUM; apt-get install chromium)");
    }
    if chromedriver.is_none() {
        missing.push(
            "chromedriver (/usr/bin/chromedriver or CHROMEDRIVER; apt-get install chromium-driver)",
        );
    }
    let axe_missing = format!(
        "axe-core at {} (npm ci --prefix crates/redress/tests/browser, or REDRESS_AXE_JS)",
        axe_js.display()
    );
    if !axe_js.is_file() {
        missing.push(&axe_missing);
    }
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) if missing.is_empty() => Ok(Prerequisites {
            chromium,
            chromedriver,
            axe_js,
        }),
        _ => Err(format!("missing {}", missing.join(", "))),
    }
}

/// `$variable` if set (it must then exist: a typo should not fall back silently), else
/// `default`, else `name` on PATH.
fn executable(variable: &str, default: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    if Path::new(default).is_file() {
        return Some(default.into());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// At most this many browser sessions at once across the test binary's threads: each Chromium
/// is several processes, and on 2 cores more would starve the servers under test into timeouts.
pub(super) async fn session_slot() -> SemaphorePermit<'static> {
    static SESSIONS: Semaphore = Semaphore::const_new(2);
    SESSIONS
        .acquire()
        .await
        .expect("the browser session semaphore is never closed")
}

/// The running chromedriver.
pub(super) struct Driver {
    pub addr: SocketAddr,
    /// The watchdog shell (see [`WATCHDOG`]); kept only so that it is not reaped early.
    _watchdog: Mutex<Child>,
    /// Held open for the life of the process: its closing is what tells the watchdog to stop
    /// chromedriver. Statics are never dropped, but the kernel closes it when the process ends,
    /// however it ends (normal exit, a panic abort, a signal).
    _lifeline: Mutex<ChildStdin>,
}

impl Driver {
    /// The WebDriver base URL, with the trailing slash fantoccini's URL joins need.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// Runs chromedriver (`$0`, on port `$1`) in the background and stops it once the test binary,
/// which holds this shell's stdin, has exited. A static is never dropped, so Rust alone cannot
/// kill the child at exit; this way chromedriver never outlives the test run.
const WATCHDOG: &str = r#""$0" --port="$1" & driver=$!
cat >/dev/null
kill "$driver" 2>/dev/null
wait "$driver" 2>/dev/null
"#;

/// The chromedriver for this test binary, started by the first browser test that asks.
pub(super) async fn driver(chromedriver: &Path) -> &'static Driver {
    static DRIVER: OnceCell<Driver> = OnceCell::const_new();
    DRIVER.get_or_init(|| start(chromedriver)).await
}

async fn start(chromedriver: &Path) -> Driver {
    // Ask the kernel for a free port, then hand it to chromedriver: the window in which another
    // process could take it is tiny on a test machine.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("find a free loopback port for chromedriver")
        .port();
    let log_path = super::artifacts_dir().join("chromedriver.log");
    let log = std::fs::File::create(&log_path)
        .unwrap_or_else(|e| panic!("create {}: {e}", log_path.display()));
    let mut watchdog = Command::new("sh")
        .args(["-c", WATCHDOG])
        .arg(chromedriver)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(
            log.try_clone()
                .expect("duplicate the chromedriver log handle"),
        )
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", chromedriver.display()));
    let lifeline = watchdog
        .stdin
        .take()
        .expect("the watchdog's stdin is piped");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));

    let started = Instant::now();
    let client = reqwest::Client::new();
    loop {
        let ready = client
            .get(format!("http://{addr}/status"))
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if let Ok(response) = ready
            && let Ok(status) = response.json::<serde_json::Value>().await
            && status["value"]["ready"] == true
        {
            break;
        }
        if let Ok(Some(exit)) = watchdog.try_wait() {
            panic!(
                "chromedriver exited ({exit}) before answering; see {}",
                log_path.display()
            );
        }
        if started.elapsed() > Duration::from_secs(30) {
            panic!(
                "chromedriver did not answer /status on {addr} within 30 s; see {}",
                log_path.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Driver {
        addr,
        _watchdog: Mutex::new(watchdog),
        _lifeline: Mutex::new(lifeline),
    }
}

/// Ends a WebDriver session without an async runtime, for `Drop`: a test that panics unwinds
/// through a runtime that is shutting down, where fantoccini's own close cannot run. Quitting the
/// session makes chromedriver stop its Chromium. Best effort: errors are ignored.
pub(super) fn delete_session_blocking(addr: SocketAddr, session_id: &str) {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session_id} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    // The answer comes once chromedriver has quit the browser. chromedriver keeps the connection
    // open regardless of `Connection: close`, so read just the one response.
    let mut response = Vec::new();
    let mut chunk = [0; 4096];
    while let Ok(n @ 1..) = stream.read(&mut chunk) {
        response.extend_from_slice(&chunk[..n]);
        if response_complete(&response) {
            return;
        }
    }
}

/// Whether `response` holds a whole HTTP response: its head and `Content-Length` bytes of body.
fn response_complete(response: &[u8]) -> bool {
    let Some(head_end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&response[..head_end]);
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok());
    // Without a length (chunked), the head is as much as we wait for.
    length.is_none_or(|length| response.len() >= head_end + 4 + length)
}
