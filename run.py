#!/usr/bin/env python3
"""Set up Closing Playbook in .venv/ and run it.

    python3 run.py lab [--lang zh-Hans|zh-Hant|en]
                           set everything up, then open JupyterLab on the workbook, in the language
                           given, else the one chosen before in 00-start-here, else the system
                           locale's (JupyterLab's own menus too); installs a Chinese font for the
                           browser where it may (root on Debian), else says how to
    python3 run.py test    set everything up, then run the whole test suite
                           (with a throwaway PostgreSQL server, Debian's Chromium and a Chinese font
                           where they can be had)

Only Python 3.11+ is needed. The environment is rebuilt when pyproject.toml changes.
Extra arguments after `test` go to pytest; after `lab`, to JupyterLab.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".closing-playbook-installed"
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"[closing-playbook] {message}", flush=True)


def run(*args: str | Path, **kwargs: object) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)  # type: ignore[call-overload]


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older Python
        sys.exit("Closing Playbook needs Python 3.11 or newer.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    say("installing Closing Playbook and its packages (about a minute the first time)")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target, cwd=ROOT)
    STAMP.write_text(wanted)


CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_PACKAGE = "fonts-noto-cjk"
CJK_FONT_HINT = (f"no Chinese font found: the browser will show Chinese as empty boxes; install one "
                 f"(Debian/Ubuntu: sudo apt-get install {CJK_FONT_PACKAGE})")


def may_apt_install() -> bool:
    """True where the set-up may install Debian packages: root with apt-get."""
    return os.name != "nt" and shutil.which("apt-get") is not None and os.geteuid() == 0


def apt_install(*packages: str, why: str, recommends: bool = False) -> None:
    """Install Debian packages (call only when :func:`may_apt_install`)."""
    say(f"installing Debian's {' and '.join(packages)} {why}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=env)
    options = [] if recommends else ["--no-install-recommends"]
    run("apt-get", "install", "-y", "-qq", *options, *packages, env=env, stdout=subprocess.DEVNULL)


def has_cjk_font() -> bool:
    """True when the browser can draw Chinese: a Chinese font known to fontconfig, or not Linux (macOS and
    Windows ship one)."""
    if not sys.platform.startswith("linux") or CJK_FONT.exists():
        return True
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def ensure_cjk_font(why: str) -> None:
    """A Chinese font for the browser (without one, Chinese shows as empty boxes): Debian's fonts-noto-cjk
    where the set-up may install it, else a one-line hint."""
    if has_cjk_font():
        return
    if may_apt_install():
        apt_install(CJK_FONT_PACKAGE, why=why)
    else:
        say(CJK_FONT_HINT)


def ensure_chromium() -> None:
    """The browser tests use Debian's Chromium; install it where we may, else the browser tests are skipped."""
    if not CHROMIUM.exists() and may_apt_install():
        apt_install("chromium", why="for the browser tests")


AXE = VENV / "node_modules" / "axe-core" / "axe.min.js"


def ensure_axe() -> None:
    """The accessibility tests inject axe-core (from npm) into the page; install it into .venv/ where npm exists,
    else those tests are skipped."""
    npm = shutil.which("npm")
    if AXE.exists() or npm is None:
        return
    say("installing axe-core (npm) into .venv/node_modules for the accessibility tests")
    result = subprocess.run([npm, "install", "--prefix", str(VENV), "--no-save", "--no-audit", "--no-fund", "axe-core@4"],
                            stdout=subprocess.DEVNULL)
    if result.returncode != 0:
        say("npm could not install axe-core: the accessibility tests will be skipped")


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def start_postgres() -> tuple[str, Callable[[], None]] | None:
    """A throwaway PostgreSQL server on loopback for the tests: (url, stop), or None.

    Uses Debian's postgresql package, installed when missing and we may (root with apt-get).
    """
    if os.name == "nt":
        return None
    if _pg_bin() is None and may_apt_install():
        apt_install("postgresql", why="for the shared-store tests", recommends=True)
    bindir = _pg_bin()
    if bindir is None:
        return None
    import socket
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = base / "data"
    run(*as_user, bindir / "initdb", "-D", data, "-A", "trust", "-U", "playbook", "--no-sync", "-E", "UTF8",
        stdout=subprocess.DEVNULL)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base} -c fsync=off -c max_connections=200"
    run(*as_user, bindir / "pg_ctl", "-D", data, "-o", options, "-l", base / "server.log", "-w", "start",
        stdout=subprocess.DEVNULL)
    say(f"PostgreSQL {bindir.parent.name} running on 127.0.0.1:{port}")

    def stop() -> None:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)

    return f"postgresql://playbook@127.0.0.1:{port}/postgres", stop


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "lab":
        ensure_venv("")
        ensure_cjk_font(why="so that the browser draws Chinese")
        sys.path.insert(0, str(ROOT))
        from playbook_lib.lab import lab_args, lab_env, lang_from_args, remembered_lang, start_lab

        lang, rest = lang_from_args(rest, lambda: remembered_lang(PYTHON))  # the learner's choice, else the locale
        args = lab_args([str(BIN / "jupyter"), "lab"], ROOT / "notebooks", lang, rest)
        return start_lab(args, lab_env(VENV / "etc" / "closing-playbook" / lang, lang))
    if command == "test":
        ensure_venv("test")
        ensure_chromium()
        ensure_cjk_font(why="for the browser tests")
        ensure_axe()
        env = dict(os.environ)
        server = None if env.get("PLAYBOOK_TEST_PG_URL") else start_postgres()
        if server:
            env["PLAYBOOK_TEST_PG_URL"] = server[0]
        try:
            return subprocess.run([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=env).returncode
        finally:
            if server:
                server[1]()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
