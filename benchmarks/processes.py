"""Stopping the servers and workers a benchmark started (shared by the HTTP and start-up
benchmarks)."""

from __future__ import annotations

import signal
import subprocess


def stop_process(process: subprocess.Popen, timeout: float = 30.0) -> None:
    """SIGTERM (a graceful stop), then SIGKILL after `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
