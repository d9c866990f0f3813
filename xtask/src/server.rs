//! The built server binary, started on a local port and stopped however the task ends.

use anyhow::{bail, Context, Result};
use std::{
    fs,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

/// The debug server binary. `cargo test --workspace` builds it for the server's integration
/// tests, so `test` reuses it: building it again with `-p server` would resolve other
/// features and rebuild.
pub fn binary() -> PathBuf {
    crate::target_dir().join("debug/server")
}

/// Builds the server binary unless it is already there.
pub fn ensure_binary() -> Result<PathBuf> {
    let binary = binary();
    if !binary.is_file() {
        crate::process::run(
            "building the server (cargo build -p server)",
            crate::process::cargo().args(["build", "--package", "server"]),
        )?;
    }
    Ok(binary)
}

/// A running server; killed when dropped.
pub struct RunningServer {
    child: Child,
    /// `127.0.0.1:PORT`
    pub listen: String,
    /// Where its output goes, if not to the terminal.
    pub log: Option<PathBuf>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.listen)
    }

    /// Waits for the server to exit by itself.
    pub fn wait(mut self) -> Result<ExitStatus> {
        Ok(self.child.wait()?)
    }

    /// `kill -9`: the server gets no chance to finish anything, as in a power cut.
    pub fn kill(mut self) -> Result<()> {
        self.child.kill().context("killing the server")?;
        self.child.wait()?;
        Ok(())
    }

    /// Prints where the log is, for a failed test to point at.
    pub fn point_at_log(&self) {
        if let Some(log) = &self.log {
            println!("server log: {}", log.display());
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with demo data on a fresh SQLite file in `work`, on a free 127.0.0.1 port,
/// serving `site`, its output in `work/server.log`; returns once it answers its health check.
pub fn start_demo(binary: &Path, site: &Path, work: &Path) -> Result<RunningServer> {
    fs::create_dir_all(work)?;
    let db = work.join("demo.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let log = work.join("server.log");
    let _ = fs::remove_file(&log);
    let mut cmd = Command::new(binary);
    cmd.arg("--demo")
        .arg("--database")
        .arg(format!("sqlite://{}?mode=rwc", db.display()))
        .arg("--site")
        .arg(site);
    start_logged(cmd, &log)
}

/// Starts a server command on a free 127.0.0.1 port (it gets `--listen`), its output
/// appended to `log`; returns once it answers its health check.
pub fn start_logged(mut cmd: Command, log: &Path) -> Result<RunningServer> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let listen = format!("127.0.0.1:{port}");
    let output = || fs::File::options().create(true).append(true).open(log);
    let child = cmd
        .args(["--listen", &listen])
        .current_dir(crate::root())
        .stdin(Stdio::null())
        .stdout(Stdio::from(output()?))
        .stderr(Stdio::from(output()?))
        .spawn()
        .with_context(|| format!("starting {}", cmd.get_program().to_string_lossy()))?;
    let mut server = RunningServer {
        child,
        listen,
        log: Some(log.to_path_buf()),
    };
    wait_healthy(&mut server)?;
    Ok(server)
}

/// Starts a server command (output to the terminal) and returns once it answers its health
/// check on `listen`.
pub fn start_attached(cmd: &mut Command, listen: &str) -> Result<RunningServer> {
    let child = cmd
        .current_dir(crate::root())
        .spawn()
        .context("starting the server")?;
    let mut server = RunningServer {
        child,
        listen: listen.to_string(),
        log: None,
    };
    wait_healthy(&mut server)?;
    Ok(server)
}

/// Polls `GET /api/v1/health` until it answers 200; an error if the server exits or stays
/// silent for a minute.
fn wait_healthy(server: &mut RunningServer) -> Result<()> {
    let listen = server.listen.clone();
    let log_path = server.log.clone();
    let log = || match &log_path {
        Some(log) => format!(
            "; its log:\n{}",
            fs::read_to_string(log).unwrap_or_default()
        ),
        None => String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = server.child.try_wait()? {
            bail!(
                "the server exited with {status} before answering on {listen}{}",
                log()
            );
        }
        if health_ok(&listen) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!(
        "the server did not become healthy on {listen} within 60 s{}",
        log()
    )
}

fn health_ok(listen: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(listen) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET /api/v1/health HTTP/1.1\r\nHost: {listen}\r\nConnection: close\r\n\r\n");
    let mut response = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut response).is_ok()
        && response.starts_with("HTTP/1.1 200")
}
