"""Stopping `tsunagari dashboard` with SIGTERM stops the Streamlit server it started (no orphan on the port)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def test_sigterm_stops_the_server_too(tmp_path):
    port = _free_port()
    env = dict(os.environ, TSUNAGARI_STORE=f"embedded://{tmp_path / 'store'}")
    parent = subprocess.Popen([sys.executable, "-m", "tsunagari.cli", "dashboard", "--headless", "--port", str(port),
                               "--address", "127.0.0.1"], env=env, stderr=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while time.monotonic() < deadline and not children:
            children = _children(parent.pid)
            time.sleep(0.2)
        assert children, "the dashboard did not start its server"
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(os.path.exists(f"/proc/{c}") and
                                                  open(f"/proc/{c}/stat").read().split()[2] != "Z"
                                                  for c in children):
            time.sleep(0.2)
        alive = [c for c in children if os.path.exists(f"/proc/{c}")
                 and open(f"/proc/{c}/stat").read().split()[2] != "Z"]
        assert alive == [], f"server process(es) {alive} still running after the dashboard was stopped"
    finally:
        if parent.poll() is None:
            parent.kill()
