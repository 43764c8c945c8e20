"""A real JupyterHub for a class, on loopback, driven like a room of people: the set-up `playbook hub` writes,
sign-in through the hub's REST API (first-use passwords, a token per person), a server each, and code run in
kernels over their websocket. Used by tests/test_hub.py and benchmarks/room.py.

Needs node and npm (for the proxy, installed into the environment's hub-proxy/ folder) and a PostgreSQL URL.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests
import websocket
import yaml

from playbook_lib.hub import install_proxy, setup

ADMIN_SERVICE = "class-test"
TEST_CONFIG = '''\
"""The test's overrides on top of the set-up `playbook hub` wrote: loopback ports and an admin service token."""
load_subconfig("jupyterhub_config.py")  # noqa: F821
c = get_config()  # noqa: F821
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.services = [{{"name": "{service}", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [{{"name": "{service}", "services": ["{service}"],
                            "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"]}}]
c.FirstUseAuthenticator.check_passwords_on_startup = False
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tools_missing() -> str | None:
    """Why a hub cannot run here (node or npm missing), or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (JupyterHub's proxy, configurable-http-proxy, comes from npm)"
    return None


def password_of(name: str) -> str:
    return f"pw-{name}-room"


class Hub:
    """JupyterHub running the generated set-up (first-use sign-in, simple local servers) in ``base``."""

    def __init__(self, base: Path, db_url: str, trainers: tuple[str, ...] = ("trainer",), lang: str = "en",
                 languages: dict[str, str] | None = None) -> None:
        self.folder = base / "hub"
        self.port = free_port()
        install_proxy()
        setup(self.folder, trainers, spawner="simple", lang=lang, port=self.port, install=False)
        if languages:  # per-person languages, as a trainer writes them into class.yaml
            class_file = self.folder / "class.yaml"
            data = yaml.safe_load(class_file.read_text(encoding="utf-8"))
            class_file.write_text(yaml.safe_dump({**data, "languages": languages}), encoding="utf-8")
        self.token = secrets.token_hex(24)
        (self.folder / "test_config.py").write_text(TEST_CONFIG.format(
            hub_port=free_port(), proxy_api_port=free_port(), service=ADMIN_SERVICE, token=self.token))
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PLAYBOOK_DB_URL=db_url)
        for name in ("PLAYBOOK_HOME", "PLAYBOOK_LANG", "JUPYTER_CONFIG_PATH", "MPLBACKEND"):
            env.pop(name, None)
        self.log_path = self.folder / "hub.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", "test_config.py"], cwd=self.folder,
                                     env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_up()
        except BaseException:
            self.stop()
            raise

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def _wait_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                if requests.get(f"{self.url}/hub/api", timeout=3).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not answer in {timeout:.0f} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def create_users(self, names: list[str]) -> None:
        """What a trainer does on the admin page: add the class's user names."""
        r = requests.post(f"{self.url}/hub/api/users", json={"usernames": names}, headers=self.admin, timeout=60)
        if r.status_code not in (201, 409):
            raise RuntimeError(f"creating users: {r.status_code} {r.text[:300]}")

    def sign_in(self, name: str, password: str | None = None) -> str:
        """Sign in through the hub's REST API with a name and password (first use sets it); returns the token."""
        body = {"auth": {"username": name, "password": password or password_of(name)}, "note": "class test"}
        r = requests.post(f"{self.url}/hub/api/users/{name}/tokens", json=body, timeout=120)
        if r.status_code != 201:
            raise RuntimeError(f"sign-in of {name}: {r.status_code} {r.text[:300]}")
        return r.json()["token"]

    def start_server(self, name: str, token: str, timeout: float = 300) -> None:
        """Start ``name``'s server and wait until the hub says it is ready."""
        auth = {"Authorization": f"token {token}"}
        r = requests.post(f"{self.url}/hub/api/users/{name}/server", headers=auth, timeout=timeout)
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"starting {name}'s server: {r.status_code} {r.text[:300]}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = requests.get(f"{self.url}/hub/api/users/{name}", headers=auth, timeout=60).json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not model.get("pending") and not server and r.status_code != 400:
                raise RuntimeError(f"{name}'s server stopped while starting:\n{self.log()[-3000:]}")
            time.sleep(1)
        raise RuntimeError(f"{name}'s server was not ready in {timeout:.0f} s")

    def stop(self) -> None:
        """Stop the hub, its servers and their kernels; kill whatever is left after a minute."""
        import psutil

        try:
            family = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for process in family:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        self._log.close()


MAX_RECONNECTS = 3


class Kernel:
    """A kernel in a user's server, started through the hub's proxy with the user's token; code runs over its websocket."""

    def __init__(self, hub_url: str, user: str, token: str, timeout: float = 180) -> None:
        self.base = f"{hub_url}/user/{user}"
        self.auth = {"Authorization": f"token {token}"}
        self.user = user
        r = requests.post(f"{self.base}/api/kernels", json={"name": "python3"}, headers=self.auth, timeout=timeout)
        if r.status_code != 201:
            raise RuntimeError(f"{user}: starting a kernel: {r.status_code} {r.text[:300]}")
        self.id = r.json()["id"]
        self.session = uuid.uuid4().hex
        # with a session id, the server keeps the kernel's messages while the socket is down and replays them when
        # the same session connects again (as JupyterLab does after a dropped connection)
        self._ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{self.id}/channels?session_id={self.session}"
        self._token, self._timeout = token, timeout
        self.reconnects = 0
        self.ws = self._connect()

    def _connect(self) -> Any:
        return websocket.create_connection(self._ws_url, header=[f"Authorization: token {self._token}"],
                                           timeout=self._timeout)

    def run(self, code: str, timeout: float = 300) -> str:
        """Execute ``code``; return what it printed. Raises with the traceback if it fails."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.user, "session": self.session, "msg_type": "execute_request",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out: list[str] = []
        error: dict[str, Any] | None = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(1.0, deadline - time.monotonic()))
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketConnectionClosedException:
                if self.reconnects >= MAX_RECONNECTS:
                    raise
                self.reconnects += 1  # a dropped connection on a loaded machine: join the same session again
                time.sleep(1)
                self.ws = self._connect()
                continue
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                error = content
            elif kind == "status" and content["execution_state"] == "idle":
                if error:
                    raise RuntimeError(f"{self.user}: {error['ename']}: {error['evalue']}\n" + "\n".join(error["traceback"]))
                return "".join(out)
        raise TimeoutError(f"{self.user}: code did not finish in {timeout:.0f} s")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            requests.delete(f"{self.base}/api/kernels/{self.id}", headers=self.auth, timeout=60)


PARTICIPANT_CODE = """
import json, os, time
from playbook_lib import Workbook
from playbook_lib.engine import build_drill
wb = Workbook.open()
wb.join({code!r}, {name!r})
spec = {{k: v for k, v in wb.workshop.drill.items() if k != "lang"}}
spec.setdefault("seed", sum(map(ord, wb.workshop.code)))
done, first = [], None
for i, item in enumerate(build_drill(wb.catalog, learner=wb.learner, **spec)):
    ex = item.exercise
    answer = {{"signal": True, "kind": ex.answer}} if i % 2 and ex.is_signal else {{"signal": False}}
    feedback = wb.answer(ex.id, answer, seconds=2.0 + i)
    first = first or time.time()
    done.append([ex.id, feedback.verdict])
print(json.dumps({{"first": first, "answers": done, "participant": wb.participant, "lang": wb.lang,
                  "env_lang": os.environ.get("PLAYBOOK_LANG"), "record": wb.store.location, "cwd": os.getcwd()}}))
wb.close()
"""
"""What a participant's kernel runs: join with the code, answer the workshop's drill, report what was confirmed."""


def participant_code(code: str, name: str) -> str:
    return PARTICIPANT_CODE.format(code=code, name=name)
