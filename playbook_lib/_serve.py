"""Serving the participant app: the addresses participants can open, and a Voilà server that stops with its kernels.

The server (:mod:`playbook_lib._voila_app`, Voilà with two fixes) keeps one kernel per open page: a page
that closes or reloads frees its kernel at once, a kernel with no activity for ``idle_minutes`` is shut down
(its page, if still open, tells the participant to reload and join again), and ``pool_size`` kernels wait
ready with the participant notebook already run, so a page opens without waiting for a kernel to start.

Voilà shuts its kernels down when it gets SIGTERM; ``playbook workshop serve`` runs it in a session of
its own and, on SIGTERM or SIGINT (Ctrl+C), passes SIGTERM on and waits. Kernels still running after
the grace period (Voilà hung) are killed, so stopping the command never leaves kernels behind.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GRACE_S = 20.0
ANY_ADDRESS = ("0.0.0.0", "", "::", "*")
IDLE_MINUTES = 30.0  # a kernel with no activity this long is shut down (0: never)
POOL_SIZE = 2  # kernels kept ready with the participant notebook already run (0: none)
MAX_POOL = 20


def cull_seconds(idle_minutes: float) -> tuple[int, int]:
    """(idle time in whole seconds, how often to check): checks at a quarter of the idle time, 5 s to 60 s."""
    idle = max(1, round(idle_minutes * 60))
    return idle, max(5, min(60, idle // 4))


WARM = """
import sys
from playbook_lib.content import content_paths, load_catalog
from playbook_lib.errors import PlaybookError
try:
    load_catalog(content_paths(()))
except PlaybookError as exc:
    sys.exit(str(exc))
"""


def warm_content_cache(folder: Path) -> str | None:
    """Load and validate the content once, in a short-lived process working in ``folder`` (where the app's kernels
    run), so that every kernel reads the validated catalogue from the cache (:mod:`playbook_lib._cache`) instead
    of validating it again: less start-up time and memory per kernel. Returns the problem report if the content
    does not load, else ``None``."""
    done = subprocess.run([sys.executable, "-c", WARM], cwd=folder, capture_output=True, text=True)
    return None if done.returncode == 0 else done.stderr.strip() or "the content did not load"


def voila_args(notebook: Path | str, port: int, ip: str, *, idle_minutes: float = IDLE_MINUTES,
               pool_size: int = POOL_SIZE, no_browser: bool = False) -> list[str]:
    """The command that serves ``notebook`` as the participant app (offline template, kernels freed, warm pool)."""
    from ._offline import voila_options

    args = [sys.executable, "-m", "playbook_lib._voila_app", str(notebook), f"--port={port}", f"--Voila.ip={ip}",
            *voila_options()]
    if idle_minutes > 0:
        idle, every = cull_seconds(idle_minutes)
        # Idle means no message to or from the kernel: a page left open counts too (cull_connected); a kernel
        # that is busy running code is left alone (cull_busy is off).
        args += [f"--MappingKernelManager.cull_idle_timeout={idle}", f"--MappingKernelManager.cull_interval={every}",
                 "--MappingKernelManager.cull_connected=True"]
    if pool_size > 0:
        args += ["--preheat_kernel=True", f"--pool_size={min(pool_size, MAX_POOL)}"]
    if no_browser:
        args.append("--no-browser")
    return args


def _interface_addresses(ipv6: bool) -> list[str]:
    """The addresses of this machine's network interfaces (psutil, which Jupyter's kernel already needs)."""
    families = {socket.AF_INET, socket.AF_INET6} if ipv6 else {socket.AF_INET}
    try:
        import psutil
    except ImportError:  # pragma: no cover - ipykernel depends on psutil
        return []
    return [a.address.split("%")[0] for addrs in psutil.net_if_addrs().values() for a in addrs if a.family in families]


def _route_address() -> list[str]:
    """The address this machine uses to reach other networks (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return [s.getsockname()[0]]
        except OSError:
            return []


def network_addresses(ipv6: bool = False) -> list[str]:
    """This machine's addresses that other computers can reach (no loopback or link-local), best first."""
    found: list[str] = []
    for address in [*_route_address(), *_interface_addresses(ipv6)]:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified) and address not in found:
            found.append(address)
    return found


def app_urls(ip: str, port: int) -> tuple[list[str], str]:
    """(URLs participants on the network open, the URL on this computer) for a server listening on ``ip``."""
    local = f"http://localhost:{port}/"
    if ip in ANY_ADDRESS:
        hosts = network_addresses(ipv6=ip == "::")
        return [f"http://{f'[{h}]' if ':' in h else h}:{port}/" for h in hosts], local
    if ip == "localhost" or (_is_ip(ip) and ipaddress.ip_address(ip).is_loopback):
        return [], local
    return [f"http://{f'[{ip}]' if ':' in ip else ip}:{port}/"], local


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _descendants(pid: int) -> list[Any]:
    try:
        import psutil

        return psutil.Process(pid).children(recursive=True)
    except Exception:  # psutil missing, or the process already gone: nothing to collect
        return []


def run_until_stopped(args: Sequence[str], grace: float = GRACE_S) -> int:
    """Run a server until it exits, or until SIGTERM/SIGINT, which stop it and every kernel it started."""
    proc = subprocess.Popen(list(args), start_new_session=True)
    asked: list[float] = []

    def stop(signum: int, _frame: object) -> None:
        if not asked:
            asked.append(time.monotonic())
            _signal(proc.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    kernels: list[Any] = []
    try:
        while True:
            try:
                code = proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                kernels = _descendants(proc.pid) or kernels
                if asked and time.monotonic() - asked[0] > grace:
                    proc.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:  # pragma: no cover - only when this function itself is interrupted
            proc.kill()
            proc.wait()
        for kernel in kernels:  # whatever the server did not shut down itself
            _kill(kernel)
    return 0 if asked else code


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _kill(process: Any) -> None:
    try:
        if process.is_running():
            process.kill()
    except Exception:  # it ended meanwhile
        pass
