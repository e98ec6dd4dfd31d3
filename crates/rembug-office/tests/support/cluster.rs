//! A throwaway PostgreSQL cluster for the office's tests: one per test
//! process, started at first use with the Debian binaries
//! (`/usr/lib/postgresql/15/bin`, or `REMBUG_PG_BIN`) as an unprivileged
//! user (`runuser -u postgres` when the tests run as root, since `initdb`
//! refuses root), in a temporary folder, on a free loopback port; one
//! database per test. A watcher stops the cluster and removes its folder once
//! the test process has ended, however it ended. Used by the store's unit
//! tests and the ingest bench (through `#[path]`) and by the integration
//! tests' support.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// Where Debian's PostgreSQL 15 puts its programs.
const DEBIAN_BIN: &str = "/usr/lib/postgresql/15/bin";

pub struct Cluster {
    /// `postgres://postgres@127.0.0.1:<port>`, without a database.
    base: String,
    next: AtomicU32,
    /// One `CREATE DATABASE` at a time: each copies a template nobody else may use.
    creating: Mutex<()>,
}

/// The PostgreSQL programs, if they are installed: `REMBUG_PG_BIN`, else
/// Debian's PostgreSQL 15, else the newest `/usr/lib/postgresql/<n>/bin`.
pub fn binaries() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("REMBUG_PG_BIN") {
        return Some(PathBuf::from(bin)).filter(|bin| bin.join("initdb").is_file());
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").is_file())
        .collect();
    versions.sort();
    let debian = PathBuf::from(DEBIAN_BIN);
    if debian.join("initdb").is_file() { Some(debian) } else { versions.pop().map(|(_, bin)| bin) }
}

/// This process's cluster, started at the first call; panics if the
/// binaries are missing or it does not start.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let bin = binaries().unwrap_or_else(|| panic!("PostgreSQL is not installed in {DEBIAN_BIN} (REMBUG_PG_BIN)"));
        start(&bin, false)
    })
}

/// Runs a program as the cluster's owner: ourselves, or `postgres` when we
/// are root.
fn as_owner(program: &Path) -> Command {
    let root = Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"));
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) -> String {
    let output = command.stdin(Stdio::null()).output().unwrap_or_else(|error| panic!("{what}: {error}"));
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Starts a cluster of `bin`'s PostgreSQL, removed once this process has
/// ended. `durable` keeps PostgreSQL's defaults (every commit flushed, as a
/// real office's database; the ingest bench); otherwise nothing is flushed.
pub fn start(bin: &Path, durable: bool) -> Cluster {
    let mut mktemp = as_owner(Path::new("mktemp"));
    mktemp.args(["-d", "/tmp/rembug-office-pg-XXXXXX"]);
    let dir = PathBuf::from(run(mktemp, "mktemp"));
    let data = dir.join("data");
    let mut initdb = as_owner(&bin.join("initdb"));
    initdb.arg("-D").arg(&data).args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    run(initdb, "initdb");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // The tests do not test durability: no flushes there, for speed.
    let mut options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400", dir.display());
    if !durable {
        options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    let mut pg_ctl = as_owner(&bin.join("pg_ctl"));
    pg_ctl.arg("-D").arg(&data).arg("-l").arg(dir.join("log")).args(["-w", "-o", &options, "start"]);
    run(pg_ctl, "pg_ctl start");
    // Stops the cluster and removes its folder once this process is gone.
    let watcher = format!(
        "while [ -d /proc/{pid} ]; do sleep 1; done; '{pg_ctl}' -D '{data}' -m immediate stop; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = bin.join("pg_ctl").display(),
        data = data.display(),
        dir = dir.display(),
    );
    let mut sh = as_owner(Path::new("sh"));
    sh.args(["-c", &watcher]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut sh, 0);
    sh.spawn().expect("the cluster's watcher starts");
    Cluster { base: format!("postgres://postgres@127.0.0.1:{port}"), next: AtomicU32::new(0), creating: Mutex::new(()) }
}

impl Cluster {
    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("{}/{name}", self.base)
    }

    /// A new, empty database's URL.
    pub fn database(&self) -> String {
        self.database_from("template1")
    }

    /// A new database copied from `template` (which nobody may be connected to).
    pub fn database_from(&self, template: &str) -> String {
        let name = format!("test_{}", self.next.fetch_add(1, Ordering::SeqCst));
        let _one = self.creating.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"));
        self.url(&name)
    }

    /// Runs `sql` in the `postgres` database.
    pub fn execute(&self, sql: &str) {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls).unwrap();
        client.batch_execute(sql).unwrap_or_else(|error| panic!("{sql}: {error}"));
    }
}
