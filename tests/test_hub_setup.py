"""`playbook hub`: the set-up it writes, and the hook that prepares each server (fast; tests/test_hub.py runs a real hub)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from playbook_lib import hub
from playbook_lib.cli import cli
from playbook_lib.errors import PlaybookError
from playbook_lib.hub import ClassRoom, HubSettings, copy_notebooks, render_config, write_setup
from playbook_lib.notebooks import folder as notebook_folder

SECRET_URL = "postgresql://class:s3cret-pw@db.example:5432/playbook"


def _setup(tmp_path: Path, **options: Any) -> Path:
    settings = HubSettings(trainers=("mei",), proxy=Path("/opt/chp"), **{"spawner": "simple", **options})
    write_setup(tmp_path / "hub", settings)
    return tmp_path / "hub"


def test_the_config_is_python_names_the_proxy_and_holds_no_secret(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLAYBOOK_DB_URL", SECRET_URL)
    for auth in hub.AUTHENTICATORS:
        for spawner in hub.SPAWNERS:
            text = render_config(HubSettings(trainers=("mei",), auth=auth, spawner=spawner, proxy=Path("/opt/chp")))
            compile(text, "jupyterhub_config.py", "exec")
            assert "s3cret" not in text and "postgresql://" not in text.replace("postgresql://USER:PASSWORD", "")
            assert "c.ConfigurableHTTPProxy.command = ['/opt/chp']" in text
            assert "c.Spawner.pre_spawn_hook = room.pre_spawn" in text and "kubespawner.KubeSpawner" in text
    assert 'authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"' in render_config(
        HubSettings(trainers=("mei",)))
    assert "# c.JupyterHub.authenticator_class" in render_config(HubSettings(trainers=("mei",), auth="site"))


def _config(folder: Path) -> SimpleNamespace:
    """Run the written jupyterhub_config.py against a stand-in for JupyterHub's config object."""
    class Section(SimpleNamespace):
        pass

    class Config(dict):
        def __getattr__(self, name: str) -> Section:
            return self.setdefault(name, Section())

    config = Config()
    code = compile((folder / "jupyterhub_config.py").read_text(), str(folder / "jupyterhub_config.py"), "exec")
    exec(code, {"get_config": lambda: config, "__file__": str(folder / "jupyterhub_config.py")})
    return SimpleNamespace(**config)


def test_the_written_config_sets_up_the_class(tmp_path: Path) -> None:
    folder = _setup(tmp_path, lang="zh-Hans", port=8123)
    c = _config(folder)
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123" and c.JupyterHub.spawner_class == "simple"
    assert c.Authenticator.admin_users == {"mei"} and c.Authenticator.allow_all is True
    assert c.SimpleLocalProcessSpawner.home_dir_template == str(folder / "homes" / "{username}")
    assert c.Spawner.cmd[0].endswith("jupyterhub-singleuser") and c.Spawner.http_timeout >= 60
    room = c.Spawner.pre_spawn_hook.__self__
    assert room.lang == "zh-Hans" and room.trainers == {"mei"}
    assert (hub.lab_folders() / "zh-Hant" / "labconfig" / "default_setting_overrides.json").exists()


def test_listed_participants_are_the_only_ones_let_in(tmp_path: Path) -> None:
    folder = _setup(tmp_path)
    data = yaml.safe_load((folder / "class.yaml").read_text())
    (folder / "class.yaml").write_text(yaml.safe_dump({**data, "participants": ["ana", "lei"]}))
    c = _config(folder)
    assert c.Authenticator.allowed_users == {"ana", "lei", "mei"} and not hasattr(c.Authenticator, "allow_all")


def test_running_it_again_keeps_the_class_list_and_languages(tmp_path: Path) -> None:
    folder = _setup(tmp_path)
    data = yaml.safe_load((folder / "class.yaml").read_text())
    (folder / "class.yaml").write_text(yaml.safe_dump({**data, "participants": ["ana"], "languages": {"lei": "zh-tw"}}))
    _setup(tmp_path, lang="zh-Hans")
    room = ClassRoom.load(folder / "class.yaml")
    assert room.participants == {"ana"} and room.languages == {"lei": "zh-Hant"} and room.lang == "zh-Hans"


class Spawner:
    """What the hook uses of any JupyterHub spawner."""

    def __init__(self, name: str, home: Path, admin: bool = False) -> None:
        self.user = SimpleNamespace(name=name, admin=admin)
        self.home_dir = str(home)
        self.environment: dict[str, str] = {}
        self.default_url = ""
        self.log = logging.getLogger("test.spawner")


class FakeSpawner(Spawner):
    """SimpleLocalProcessSpawner: a home folder per user under one account."""

    home_dir_template = "{username}"


def test_the_hook_prepares_a_participant_and_a_trainer(tmp_path: Path, caplog) -> None:
    folder = _setup(tmp_path)
    (folder / "class.yaml").write_text((folder / "class.yaml").read_text().replace("languages: {}", "languages:\n  lei: zh-Hant"))
    room = ClassRoom.load(folder / "class.yaml")
    room.environ = {"PLAYBOOK_DB_URL": SECRET_URL}
    lei, mei = FakeSpawner("lei", tmp_path / "homes" / "lei"), FakeSpawner("mei", tmp_path / "homes" / "mei")
    with caplog.at_level(logging.INFO, logger="test.spawner"):
        room.pre_spawn(lei)
        room.pre_spawn(mei)
    assert lei.environment["PLAYBOOK_LANG"] == "zh-Hant" and mei.environment["PLAYBOOK_LANG"] == "en"
    assert lei.environment["PLAYBOOK_DB_URL"] == SECRET_URL and lei.environment["LOGNAME"] == "lei"
    assert lei.environment["JUPYTER_CONFIG_PATH"] == str(hub.lab_folders() / "zh-Hant")
    assert lei.default_url == "/voila/render/closing-playbook/08-workshop-participant.ipynb"
    assert mei.default_url == "/lab/tree/closing-playbook/07-workshop-dashboard.ipynb"
    start = (tmp_path / "homes" / "lei" / "closing-playbook" / "00-start-here.ipynb").read_text(encoding="utf-8")
    assert 'lang=\\"zh-Hant\\"' in start
    assert "s3cret" not in caplog.text and "class:***@db.example" in caplog.text
    (tmp_path / "homes" / "lei" / "closing-playbook" / "00-start-here.ipynb").write_text("my own notes")
    room.pre_spawn(lei)  # a second start keeps the participant's own files
    assert (tmp_path / "homes" / "lei" / "closing-playbook" / "00-start-here.ipynb").read_text() == "my own notes"


def test_a_language_changed_in_class_yaml_applies_at_the_next_start(tmp_path: Path) -> None:
    folder = _setup(tmp_path)
    room = ClassRoom.load(folder / "class.yaml")
    assert room.lang_of("ana") == "en"
    (folder / "class.yaml").write_text((folder / "class.yaml").read_text().replace("languages: {}", "languages: {ana: zh-cn}"))
    assert room.lang_of("ana") == "zh-Hans"
    (folder / "class.yaml").write_text("lang: [broken")
    assert room.lang_of("ana") == "en"  # a broken edit: what the hub started with


def test_without_a_shared_record_the_hook_warns(tmp_path: Path, caplog) -> None:
    room = ClassRoom.load(_setup(tmp_path) / "class.yaml")
    room.environ = {}
    with caplog.at_level(logging.WARNING, logger="test.spawner"):
        room.pre_spawn(FakeSpawner("ana", tmp_path / "ana"))
    assert "PLAYBOOK_DB_URL is not set" in caplog.text


def test_local_accounts(tmp_path: Path, monkeypatch) -> None:
    class LocalSpawner(Spawner):  # LocalProcessSpawner: the user's own system account
        def make_preexec_fn(self, name: str) -> None:
            return None

    room = ClassRoom(trainers={"mei"})
    with pytest.raises(PlaybookError, match="no system account 'nobody-here'"):
        room.pre_spawn(LocalSpawner("nobody-here", tmp_path))
    elsewhere = Spawner("ana", tmp_path / "pod")  # KubeSpawner and the like: no disk shared with the hub
    room.pre_spawn(elsewhere)
    assert elsewhere.default_url.startswith("/voila/") and not (tmp_path / "pod").exists()
    ran: list[list[str]] = []
    hub.add_system_user("ana", run=lambda args, check: ran.append(args))
    assert ran == [["useradd", "--create-home", "--shell", "/usr/sbin/nologin", "ana"]]
    with pytest.raises(PlaybookError, match="cannot be a system account"):
        hub.add_system_user("Ana Smith", run=lambda args, check: None)
    with pytest.raises(PlaybookError, match="not a system account name"):
        HubSettings(trainers=("Mei Lin",), spawner="local")


def test_no_trainer_is_refused() -> None:
    with pytest.raises(PlaybookError, match="at least one trainer"):
        HubSettings(trainers=())


def test_the_proxy_is_installed_with_npm_into_the_environment(tmp_path: Path, monkeypatch) -> None:
    calls: list[tuple[list[str], Path]] = []

    def npm(args: list[str], cwd: Path, check: bool) -> None:
        calls.append((args, cwd))
        hub.proxy_command(cwd).parent.mkdir(parents=True)
        hub.proxy_command(cwd).write_text("#!/bin/sh\n")

    monkeypatch.setattr(hub.shutil, "which", lambda name: "/usr/bin/npm")
    command = hub.install_proxy(tmp_path / "hub-proxy", run=npm)
    assert command == tmp_path / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
    assert calls[0][0][:2] == ["/usr/bin/npm", "install"] and "-g" not in calls[0][0]
    assert '"configurable-http-proxy"' in (tmp_path / "hub-proxy" / "package.json").read_text()
    assert hub.install_proxy(tmp_path / "hub-proxy", run=npm) == command and len(calls) == 1  # once only
    assert hub.proxy_folder().parent == Path(hub.sys.prefix)
    monkeypatch.setattr(hub.shutil, "which", lambda name: None)
    with pytest.raises(PlaybookError, match="npm is not installed"):
        hub.install_proxy(tmp_path / "elsewhere", run=npm)


def test_the_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLAYBOOK_DB_URL", SECRET_URL)
    runner = CliRunner()
    result = runner.invoke(cli, ["hub", "-o", str(tmp_path / "h"), "--trainer", "mei", "--lang", "zh-Hant",
                                 "--no-proxy-install"])
    assert result.exit_code == 0, result.output
    assert "class:***@db.example" in result.output and "s3cret" not in result.output
    assert (tmp_path / "h" / "jupyterhub_config.py").exists() and "lang: zh-Hant" in (tmp_path / "h" / "class.yaml").read_text()
    assert (tmp_path / "h").stat().st_mode & 0o777 == 0o700  # local accounts: the hub's folder is its own
    assert runner.invoke(cli, ["hub", "-o", str(tmp_path / "x"), "--no-proxy-install"]).exit_code == 2
    copied = runner.invoke(cli, ["hub", "--copy-notebooks-to", str(tmp_path / "nb"), "--lang", "zh-Hans"])
    shipped = len(list(notebook_folder("zh-Hans").glob("*.ipynb")))
    assert copied.exit_code == 0 and f"{shipped} notebook(s) copied" in copied.output and shipped >= 9
    assert "0 notebook(s)" in runner.invoke(cli, ["hub", "--copy-notebooks-to", str(tmp_path / "nb")]).output


def test_notebooks_come_from_the_workbook_not_the_package(tmp_path: Path) -> None:
    assert copy_notebooks(tmp_path / "mine", "en") and hub.NOTEBOOK_DIR.name == "notebooks"
    assert "site-packages" not in str(hub.NOTEBOOK_DIR)
    with pytest.raises(PlaybookError, match="no notebooks"):
        copy_notebooks(tmp_path / "x", "en", source=tmp_path / "empty")


def test_the_offline_server_settings_stay_readable_by_the_single_user_extension(monkeypatch) -> None:
    """JupyterHub's single-user extension asks ``'log_function' in tornado_settings``: a lazy value breaks the spawn."""
    from traitlets.config import Config

    from playbook_lib._offline import configure_server

    monkeypatch.setenv("JUPYTER_PATH", "")
    for earlier in ({}, {"xsrf_cookies": True}):
        c = Config()
        if earlier:
            c.ServerApp.tornado_settings.update(earlier)  # as another config file may do first
        configure_server(c)
        settings = c.ServerApp.get("tornado_settings", {})
        assert isinstance(settings, dict) and "log_function" not in settings
        assert settings == {**earlier, "mathjax_url": None, "mathjax_config": None}
