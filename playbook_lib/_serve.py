"""Serving the participant app: the addresses participants can open, and a Voilà server that stops with its kernels.

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
import time
from collections.abc import Sequence
from typing import Any

GRACE_S = 20.0
ANY_ADDRESS = ("0.0.0.0", "", "::", "*")


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
