"""Test-session set-up shared by the Python tests and the notebooks that nbval runs."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_HOME = tempfile.mkdtemp(prefix="playbook-test-home-")


def pytest_configure(config: pytest.Config) -> None:
    """Notebook kernels inherit a throwaway practice record, never the user's own."""
    os.environ["PLAYBOOK_HOME"] = _HOME
    os.environ.pop("PLAYBOOK_CONTENT", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_HOME, ignore_errors=True)
