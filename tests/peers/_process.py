"""Start a real peer as a child process on a free loopback port, and stop it for certain.

Shared by yaz-ztest and zebrasrv. Each server runs in its own process group so that stopping
it also ends the session processes it forked for each connection (no orphans after a test).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT = 5.0  # seconds a peer may take to accept its first connection
_PORT_ATTEMPTS = 4  # another process may grab our free port between bind and listen

# Debian package that provides each binary a fixture needs.
PACKAGE_OF = {
    "yaz-ztest": "yaz",
    "yaz-client": "yaz",
    "yaz-marcdump": "yaz",
    "zebrasrv": "idzebra-2.0",
    "zebraidx": "idzebra-2.0",
    "xsltproc": "xsltproc",
}


# A test run killed outright (timeout, ^C twice) cannot stop its peers: the kernel does, when
# the thread that started them ends (so start peers from a thread that outlives them).
_DIE_WITH_US = ["setpriv", "--pdeathsig", "TERM", "--"] if shutil.which("setpriv") else []


class PeerError(RuntimeError):
    """A real peer could not be started; the message carries the log tail."""


class PeerMissing(PeerError):
    """A peer's binary is not installed. Fixtures turn this into a failure, never a skip."""


def require(*binaries: str) -> dict[str, str]:
    """Return the full path of each binary, or raise PeerMissing with the apt-get command."""
    found = {name: shutil.which(name) for name in binaries}
    missing = sorted(name for name, path in found.items() if path is None)
    if missing:
        packages = sorted({PACKAGE_OF.get(name, name) for name in missing})
        raise PeerMissing(
            f"{', '.join(missing)} not found on PATH; install with: "
            f"sudo apt-get install -y {' '.join(packages)}"
        )
    return {name: path for name, path in found.items() if path is not None}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def log_tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        try:
            sock.connect((HOST, port))
        except OSError:
            return False
        return True


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End the peer and every session process it forked (its whole process group)."""
    if proc.poll() is None or _group_alive(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
        # forked sessions may outlive a master that exited on SIGTERM
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=2)
    # killed sessions linger a moment until init reaps them; leave only when all are gone
    deadline = time.monotonic() + 2
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


@contextlib.contextmanager
def serve(
    name: str,
    argv_for_port: Callable[[int], Sequence[str]],
    cwd: Path,
    log: Path,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run ``argv_for_port(port)`` in ``cwd`` until it accepts connections; yield (port, proc).

    The process is stopped on exit, also when the body raises. Raises PeerError with the log
    tail when the peer dies or stays deaf for START_TIMEOUT seconds.
    """
    last_error = ""
    for _attempt in range(_PORT_ATTEMPTS):
        port = free_port()
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [*_DIE_WITH_US, *argv_for_port(port)],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() reaches forked sessions
            )
        try:
            if _wait_until_listening(proc, port):
                yield port, proc
                return
            last_error = _startup_failure(name, proc, port, log)
            if "in use" not in log_tail(log, 5):
                break
        finally:
            stop(proc)
    raise PeerError(last_error)


def _wait_until_listening(proc: subprocess.Popen[bytes], port: int) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    delay = 0.005
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if _accepts(port):
            # someone else may hold the port while our peer dies on "Address already in use"
            time.sleep(0.05)
            return proc.poll() is None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    return False


def _startup_failure(name: str, proc: subprocess.Popen[bytes], port: int, log: Path) -> str:
    status = proc.poll()
    how = (
        f"exited with status {status}"
        if status is not None
        else f"did not accept connections within {START_TIMEOUT:.0f} s"
    )
    return f"{name} on {HOST}:{port} {how}. Last lines of {log}:\n{log_tail(log)}"


def run_checked(argv: Sequence[str], *, cwd: Path, what: str, timeout: float = 60) -> str:
    """Run a helper command (zebraidx, xsltproc); raise PeerError with its output on failure."""
    done = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, timeout=timeout, check=False
    )
    output = (done.stdout + done.stderr).decode("utf-8", errors="replace")
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-20:])
        raise PeerError(f"{what} failed (status {done.returncode}) in {cwd}:\n{tail}")
    return output


@contextlib.contextmanager
def workdir_for(given: str | os.PathLike[str] | None, prefix: str) -> Iterator[Path]:
    """The caller's directory (created if needed), or a temporary one removed afterwards."""
    if given is not None:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)
