"""A class on JupyterHub: the set-up ``playbook hub`` writes, and the hook that prepares each user's server.

``playbook hub`` writes a folder with a documented ``jupyterhub_config.py`` and a ``class.yaml`` (trainers,
the class language, per-person languages, who may sign in), and installs the proxy JupyterHub needs
(configurable-http-proxy, from npm, into ``hub-proxy/`` of this Python environment: never globally).

On every server start the config calls :meth:`ClassRoom.pre_spawn`, which

- copies the workbook's notebooks, in the user's language, into ``~/closing-playbook/`` the first time
  (never over the user's own copies; never served from the installed package);
- passes ``PLAYBOOK_DB_URL`` from the hub's own environment, so every answer lands in one PostgreSQL record
  (the URL is never written to a file, and logged only without its password);
- sets ``PLAYBOOK_LANG`` and JupyterLab's menus to the user's language;
- opens the participant app (Voilà) for participants and JupyterLab on the class dashboard for trainers.

The authenticator and the spawner are the site's choice: first-use or native sign-up for a room, the
company's own (OAuth, LDAP...) elsewhere; local processes on one machine (``local``: one system account
per person, which the hook creates when the hub runs as root; ``simple``: no accounts and no isolation,
a trial only), Kubernetes (KubeSpawner) for more people than one machine holds (see docs/classroom.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._db import redact
from .errors import PlaybookError
from .i18n import LANGS, normalise_lang
from .lab import write_lab_config
from .notebooks import NOTEBOOK_DIR, copy_missing
from .store import DB_URL_ENV

CONFIG_NAME = "jupyterhub_config.py"
CLASS_NAME = "class.yaml"
WORKBOOK_FOLDER = "closing-playbook"
PARTICIPANT_NOTEBOOK = "08-workshop-participant.ipynb"
DASHBOARD_NOTEBOOK = "07-workshop-dashboard.ipynb"
PROXY_PACKAGE = "configurable-http-proxy"
PROXY_VERSION = "^5.3.0"
AUTHENTICATORS = ("firstuse", "native", "site")
SPAWNERS = ("local", "simple")
SYSTEM_NAME = r"^[a-z][a-z0-9_-]{0,31}$"
"""User names the ``local`` spawner accepts: valid system account names."""


def participant_url(folder_name: str = WORKBOOK_FOLDER) -> str:
    """Where a participant's server opens: the participant app (Voilà), no code on show."""
    return f"/voila/render/{folder_name}/{PARTICIPANT_NOTEBOOK}"


def trainer_url(folder_name: str = WORKBOOK_FOLDER) -> str:
    """Where a trainer's server opens: JupyterLab on the class dashboard."""
    return f"/lab/tree/{folder_name}/{DASHBOARD_NOTEBOOK}"


def copy_notebooks(dest: Path | str, lang: str, source: Path = NOTEBOOK_DIR,
                   owner: tuple[int, int] | None = None) -> list[Path]:
    """Copy the workbook's notebooks in ``lang`` into ``dest``; files already there are kept. Returns the new files.

    ``owner`` (uid, gid) is given to the folder and the files (the hub runs as root, the user does not).
    """
    dest = Path(dest)
    copied = copy_missing(normalise_lang(lang), dest, source)
    if owner is not None:
        for path in (dest, *copied):
            os.chown(path, *owner)
    return copied


# --- the class: who teaches, who may sign in, who works in which language ---------------------


@dataclass
class ClassRoom:
    """What ``class.yaml`` says, and the hook each server start runs."""

    lang: str = "en"
    trainers: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    languages: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    labconfig: Path | None = None
    """Folders of JupyterLab's menu language, one per language (see :func:`lab_folders`)."""
    create_system_users: bool = False
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ, repr=False)

    @classmethod
    def load(cls, path: Path | str) -> ClassRoom:
        """The class described in ``path`` (a ``class.yaml`` written by ``playbook hub``)."""
        path = Path(path)
        data = _read_class(path)
        return cls(lang=data["lang"], trainers=set(data["trainers"]), participants=set(data["participants"]),
                   languages=data["languages"], path=path, labconfig=lab_folders(),
                   create_system_users=data["create_system_users"])

    def lang_of(self, name: str) -> str:
        """The language ``name`` works in: their own line in ``class.yaml``, else the class's language.

        ``class.yaml`` is read again at each server start, so a change applies the next time a server starts
        (a broken edit is ignored: the languages the hub started with stay).
        """
        lang, languages = self.lang, self.languages
        if self.path is not None:
            try:
                data = _read_class(self.path)
                lang, languages = data["lang"], data["languages"]
            except (OSError, PlaybookError):
                pass
        return languages.get(name) or lang

    def is_trainer(self, user: Any) -> bool:
        """Trainers are the hub's admin users (``--trainer``), or anyone made admin later."""
        return bool(getattr(user, "admin", False)) or user.name in self.trainers

    def pre_spawn(self, spawner: Any) -> None:
        """JupyterHub's ``Spawner.pre_spawn_hook``: the user's notebooks, language, record and start page."""
        name = spawner.user.name
        lang = self.lang_of(name)
        trainer = self.is_trainer(spawner.user)
        env = spawner.environment
        env["PLAYBOOK_LANG"] = lang
        env["LOGNAME"] = name  # the workbook remembers names per account: keep users apart on any spawner
        url = self.environ.get(DB_URL_ENV)
        if url:
            env[DB_URL_ENV] = url
        else:
            spawner.log.warning("closing-playbook: %s is not set for the hub: each user's answers stay in their own "
                                "record and the class dashboard sees none of them", DB_URL_ENV)
        if self.labconfig is not None and (self.labconfig / lang).exists():
            env["JUPYTER_CONFIG_PATH"] = str(self.labconfig / lang)
        spawner.default_url = trainer_url() if trainer else participant_url()
        home, owner = self._home(spawner)
        copied: list[Path] = []
        if home is not None:
            copied = copy_notebooks(home / WORKBOOK_FOLDER, lang, owner=owner)
        spawner.log.info("closing-playbook: %s (%s, %s): %d notebook(s) copied; record %s", name,
                         "trainer" if trainer else "participant", lang, len(copied),
                         redact(url) if url else "per user (SQLite)")

    def _home(self, spawner: Any) -> tuple[Path | None, tuple[int, int] | None]:
        """The user's home folder on this machine and, when the hub runs as root, the owner of what is copied."""
        if hasattr(spawner, "home_dir_template"):  # SimpleLocalProcessSpawner: one account, a folder each
            return Path(spawner.home_dir), None
        if not hasattr(spawner, "make_preexec_fn"):
            return None, None  # not a local process (Kubernetes...): the image copies the notebooks (docs/classroom.md)
        import pwd

        name = spawner.user.name
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            if not (self.create_system_users and os.geteuid() == 0):
                raise PlaybookError(f"no system account {name!r}: create it (useradd -m {name}) or set "
                                    "create_system_users: true in class.yaml") from None
            add_system_user(name)
            account = pwd.getpwnam(name)
        owner = (account.pw_uid, account.pw_gid) if os.geteuid() == 0 else None
        return Path(account.pw_dir), owner


def add_system_user(name: str, run: Callable[..., Any] = subprocess.run) -> None:
    """Create a system account with a home folder and no login shell (the hub runs as root)."""
    if not re.fullmatch(SYSTEM_NAME, name):
        raise PlaybookError(f"{name!r} cannot be a system account name")
    run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name], check=True)


def _read_class(path: Path) -> dict[str, Any]:
    """``class.yaml`` as plain values, checked; raises :class:`PlaybookError` naming the file."""
    import yaml

    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise PlaybookError("a mapping of lang, trainers, participants and languages expected")
        people = {key: [str(n) for n in data.get(key) or ()] for key in ("trainers", "participants")}
        languages = {str(k): normalise_lang(str(v)) for k, v in (data.get("languages") or {}).items()}
        lang = normalise_lang(str(data.get("lang") or "en"))
    except (yaml.YAMLError, PlaybookError, AttributeError, TypeError) as exc:
        raise PlaybookError(f"{path}: not a class file ({exc})") from None
    return {"lang": lang, "languages": languages, "create_system_users": bool(data.get("create_system_users")), **people}


# --- the set-up folder ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HubSettings:
    """What ``playbook hub`` is asked for."""

    trainers: tuple[str, ...]
    lang: str = "en"
    auth: str = "firstuse"
    spawner: str = "local"
    ip: str = "127.0.0.1"
    port: int = 8000
    proxy: Path | None = None
    """The configurable-http-proxy command (default: the one in :func:`proxy_folder`)."""

    def __post_init__(self) -> None:
        if not self.trainers:
            raise PlaybookError("name at least one trainer (--trainer NAME): they get the class dashboard")
        if self.auth not in AUTHENTICATORS:
            raise PlaybookError(f"authenticator {self.auth!r}: choose from {', '.join(AUTHENTICATORS)}")
        if self.spawner not in SPAWNERS:
            raise PlaybookError(f"spawner {self.spawner!r}: choose from {', '.join(SPAWNERS)}")
        if self.spawner == "local":
            bad = [t for t in self.trainers if not re.fullmatch(SYSTEM_NAME, t)]
            if bad:
                raise PlaybookError(f"{', '.join(bad)}: not a system account name (lower-case letters, digits, - and _)")
        object.__setattr__(self, "lang", normalise_lang(self.lang))


def proxy_folder() -> Path:
    """Where the proxy is installed: ``hub-proxy/`` of this Python environment (``.venv/hub-proxy``)."""
    return Path(sys.prefix) / "hub-proxy"


def proxy_command(where: Path | None = None) -> Path:
    """The configurable-http-proxy command installed by :func:`install_proxy`."""
    return (where or proxy_folder()) / "node_modules" / ".bin" / PROXY_PACKAGE


def install_proxy(where: Path | None = None, run: Callable[..., Any] = subprocess.run) -> Path:
    """``npm install`` configurable-http-proxy into ``where`` (never globally); returns the command.

    Does nothing when it is already there. Needs node 20 or newer and npm.
    """
    where = where or proxy_folder()
    command = proxy_command(where)
    if command.exists():
        return command
    npm = shutil.which("npm")
    if npm is None:
        raise PlaybookError("npm is not installed: JupyterHub's proxy (configurable-http-proxy) comes from npm; "
                            "install Node.js 20 or newer with npm (Debian: apt-get install nodejs npm)")
    where.mkdir(parents=True, exist_ok=True)
    package = {"name": "closing-playbook-hub-proxy", "private": True, "description": "JupyterHub's proxy, for `playbook hub`",
               "dependencies": {PROXY_PACKAGE: PROXY_VERSION}}
    (where / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    run([npm, "install", "--no-audit", "--no-fund", "--omit=dev", "--loglevel=error"], cwd=where, check=True)
    if not command.exists():
        raise PlaybookError(f"npm install finished but {command} is missing")
    return command


def class_yaml(settings: HubSettings, existing: dict[str, Any] | None = None) -> str:
    """The text of ``class.yaml``: the trainers and language from ``settings``; people and languages kept."""
    existing = existing or {}
    participants = existing.get("participants") or []
    languages = existing.get("languages") or {}
    lines = [
        "# The class on this hub. Read when the hub starts (trainers, participants) and at every server start",
        "# (languages): restart the hub after changing trainers or participants.",
        "#",
        f"# lang: the language of everyone not listed under languages ({', '.join(LANGS)})",
        f"lang: {settings.lang}",
        "# trainers: hub admins; their server opens JupyterLab on the class dashboard",
        "trainers:",
        *[f"  - {json.dumps(name)}" for name in settings.trainers],
        "# participants: if any are listed, only they (and the trainers) may sign in; empty: anyone who signs in",
        "participants:" + ("" if participants else " []"),
        *[f"  - {json.dumps(name)}" for name in participants],
        "# languages: one line per person who works in another language, e.g.  lei: zh-Hant",
        "languages:" + ("" if languages else " {}"),
        *[f"  {json.dumps(name)}: {lang}" for name, lang in languages.items()],
    ]
    if settings.spawner == "local":
        lines += ["# create_system_users: a hub running as root creates a missing system account at first start",
                  f"create_system_users: {'true' if existing.get('create_system_users', True) else 'false'}"]
    return "\n".join(lines) + "\n"


def lab_folders() -> Path:
    """Where JupyterLab's menu language is set, one folder per language, readable by every user: this Python
    environment's ``etc/closing-playbook/`` (the folders ``python3 run.py lab`` uses too)."""
    return Path(sys.prefix) / "etc" / "closing-playbook"


def write_setup(dest: Path | str, settings: HubSettings) -> list[Path]:
    """Write the hub's folder (``jupyterhub_config.py``, ``class.yaml``) and JupyterLab's menu languages.

    With local accounts the folder is the hub's alone (mode 700): its database and passwords stay out of reach.
    """
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    if settings.spawner == "local":
        dest.chmod(0o700)
    class_file = dest / CLASS_NAME
    existing = _read_class(class_file) if class_file.exists() else None
    class_file.write_text(class_yaml(settings, existing), encoding="utf-8")
    config = dest / CONFIG_NAME
    config.write_text(render_config(settings), encoding="utf-8")
    for lang in LANGS:
        write_lab_config(lab_folders() / lang, lang)
    return [config, class_file]


_AUTH_LINES = {
    "firstuse": [
        "# First use: each person picks a password the first time they sign in (7 characters at least); a trainer can",
        "# reset one by deleting the user on the hub's admin page. Passwords are kept hashed in passwords.dbm.",
        'c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"',
        'c.FirstUseAuthenticator.dbm_path = str(HERE / "passwords.dbm")',
    ],
    "native": [
        "# Native sign-up: people sign up at /hub/signup and a trainer approves them at /hub/authorize",
        "# (trainers sign up first with the names given to --trainer).",
        'c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"',
        "c.NativeAuthenticator.open_signup = False",
    ],
    "site": [
        "# The site's own sign-in: set it here, e.g. OAuthenticator (pip install oauthenticator) for a company's",
        "# single sign-on, or ldapauthenticator. Without a line here JupyterHub uses the system's accounts (PAM).",
        '# c.JupyterHub.authenticator_class = "generic-oauth"',
    ],
}

_SPAWNER_LINES = {
    "local": [
        "# Local processes: each person's server runs under their own system account (the hub runs as root).",
        "# A missing account is created at first start when class.yaml says create_system_users: true.",
        'c.JupyterHub.spawner_class = "localprocess"',
        f"c.Authenticator.username_pattern = r{SYSTEM_NAME!r}",
    ],
    "simple": [
        "# Simple local processes: every server runs under the hub's own account, with a home folder each under",
        "# homes/. No accounts to create, and NO isolation: anyone can read anyone's files, the hub's among them.",
        "# For a trial or a room where everyone trusts everyone; use \"local\" otherwise.",
        'c.JupyterHub.spawner_class = "simple"',
        'c.SimpleLocalProcessSpawner.home_dir_template = str(HERE / "homes" / "{username}")',
        "if os.geteuid() == 0:  # Jupyter refuses to run as root unless told",
        '    c.Spawner.args = ["--allow-root"]',
    ],
}

_KUBERNETES = """
# More people than one machine holds: Kubernetes (pip install jupyterhub-kubespawner; or the Zero to JupyterHub
# Helm chart, which takes these lines under hub.extraConfig). Build the user image with Closing Playbook
# installed (pip install -e . in a copy of the workbook's folder), then:
#   c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
#   c.KubeSpawner.image = "registry.example/closing-playbook:TAG"
#   c.KubeSpawner.lifecycle_hooks = {"postStart": {"exec": {"command": [
#       "playbook", "hub", "--copy-notebooks-to", "/home/jovyan/closing-playbook"]}}}
#   PLAYBOOK_DB_URL: from a Kubernetes Secret (c.KubeSpawner.environment cannot hide it from `kubectl describe`):
#   c.KubeSpawner.extra_container_config = {"envFrom": [{"secretRef": {"name": "playbook-db"}}]}
# The hook below still sets each person's language and start page there; it copies nothing (no shared disk).
"""


def render_config(settings: HubSettings) -> str:
    """The text of ``jupyterhub_config.py`` for ``settings``: documented, with no secret in it."""
    proxy = settings.proxy or proxy_command()
    when = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    lines = [
        f'"""JupyterHub for a Closing Playbook class, written by `playbook hub` on {when}.',
        "",
        "Start it from this folder, with the class's PostgreSQL database in the hub's environment (never in a file):",
        "",
        "    export PLAYBOOK_DB_URL=postgresql://USER:PASSWORD@HOST/DB",
        "    jupyterhub -f jupyterhub_config.py",
        "",
        "Who teaches, who may sign in and who works in which language: class.yaml beside this file.",
        "Running `playbook hub` again rewrites this file (class.yaml keeps its people and languages).",
        '"""',
        "",
        "import os",
        "import sys",
        "from pathlib import Path",
        "",
        "from playbook_lib.hub import ClassRoom",
        "",
        "c = get_config()  # noqa: F821 - JupyterHub provides it",
        "HERE = Path(__file__).resolve().parent",
        'room = ClassRoom.load(HERE / "class.yaml")',
        "",
        "# Where the hub listens (0.0.0.0: every network of this machine; put HTTPS in front of it beyond a room).",
        f"c.JupyterHub.bind_url = {f'http://{settings.ip}:{settings.port}'!r}",
        "# The hub's own state, in this folder.",
        "c.JupyterHub.db_url = f\"sqlite:///{HERE / 'jupyterhub.sqlite'}\"",
        'c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")',
        "# The proxy, installed by `playbook hub` with npm into this Python environment (not globally).",
        f"c.ConfigurableHTTPProxy.command = [{str(proxy)!r}]",
        'c.ConfigurableHTTPProxy.pid_file = str(HERE / "jupyterhub-proxy.pid")',
        "",
        "# --- who signs in ---",
        *_AUTH_LINES[settings.auth],
        "# Trainers are admins: they see everyone's server on the admin page and get the class dashboard.",
        "c.Authenticator.admin_users = room.trainers",
        "if room.participants:",
        "    c.Authenticator.allowed_users = room.participants | room.trainers",
        "else:",
        "    c.Authenticator.allow_all = True",
        "",
        "# --- where each person's server runs ---",
        *_SPAWNER_LINES[settings.spawner],
        _KUBERNETES.strip("\n"),
        "",
        "# --- each server's start: notebooks, language, record, start page (playbook_lib/hub.py) ---",
        "# PLAYBOOK_DB_URL passes from the hub's environment to each server; JupyterHub never logs it, and the",
        "# hook logs it without its password. Anyone in the class can read it in their own server: give the",
        "# class a database role that holds the practice record and nothing else.",
        "c.Spawner.pre_spawn_hook = room.pre_spawn",
        "# Servers run in the hub's own Python environment, where Closing Playbook is installed.",
        'c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]',
        "# A class starts at once: give servers time on a small machine.",
        "c.Spawner.http_timeout = 120",
        "c.Spawner.start_timeout = 180",
        "",
    ]
    return "\n".join(lines)


def describe(folder_path: Path, settings: HubSettings, proxy: Path | None) -> list[str]:
    """What ``playbook hub`` prints after writing the set-up."""
    url = os.environ.get(DB_URL_ENV)
    return [
        f"JupyterHub set-up written to {folder_path}",
        f"  {CONFIG_NAME}: {settings.auth} sign-in, {settings.spawner} servers, listening on "
        f"http://{settings.ip}:{settings.port}",
        f"  {CLASS_NAME}: trainers {', '.join(settings.trainers)}; class language {settings.lang}",
        f"  proxy: {proxy}" if proxy else "  proxy: not installed (run `playbook hub` without --no-proxy-install)",
        f"  record: {redact(url)}" if url else f"  record: set {DB_URL_ENV}=postgresql://... before starting the hub",
        f"Start: cd {folder_path} && jupyterhub -f {CONFIG_NAME}",
    ]


def names(values: Iterable[str]) -> tuple[str, ...]:
    """Trainer names as given, without blanks or repeats."""
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def setup(dest: Path | str, trainers: Sequence[str], *, install: bool = True, **options: Any) -> list[str]:
    """``playbook hub``: install the proxy (unless ``install`` is false), write the set-up, say what was done."""
    proxy = install_proxy() if install else None
    settings = HubSettings(trainers=names(trainers), proxy=proxy, **options)
    write_setup(dest, settings)
    return describe(Path(dest).resolve(), settings, proxy)
