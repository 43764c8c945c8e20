"""The participant app's kernel: IPython's kernel, without what a participant never uses.

The participant app's server (:mod:`playbook_lib._voila_app`) starts this instead of ``ipykernel_launcher``
for the notebook's Python kernel. Two things are left out:

* the debugger: ipykernel imports ``debugpy`` at start-up when it can (about 7 MB per kernel, measured with
  psutil's USS); with ``debugpy`` not importable the kernel runs without one, as it does wherever debugpy is
  not installed;
* the command history: IPython would write every executed cell to one ``history.sqlite`` shared by every
  kernel of the room (a thread and a database connection each, and writers waiting on one file's lock).
"""

from __future__ import annotations

import sys

LEFT_OUT = ("debugpy",)
OPTIONS = ("--HistoryManager.enabled=False",)


def main() -> None:
    """Start the kernel (same command-line as ``python -m ipykernel_launcher``)."""
    for name in LEFT_OUT:
        sys.modules[name] = None  # type: ignore[assignment]  # makes ``import debugpy`` fail: no debugger
    sys.argv[1:1] = OPTIONS
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
