"""The participant app's Voilà server: a kernel per open page, freed when the page closes or sits idle.

``playbook workshop serve`` runs ``python -m playbook_lib._voila_app NOTEBOOK [Voilà options]``: Voilà itself,
changed in five places.

* **Closing a page frees its kernel.** Voilà's page asks the server to shut its kernel down when it closes or
  reloads (``navigator.sendBeacon`` to ``voila/api/shutdown/KERNEL``, with the value of the ``_xsrf`` cookie
  as the form's ``_xsrf`` field). Voilà 0.5 never sets that cookie, so the server refuses every such request
  (``403 '_xsrf' argument missing from POST``, voila-dashboards/voila#1458) and each page load keeps a kernel
  until the server stops. The page handler here sets the cookie when it serves the page, so the request
  carries a token that matches it and the kernel is shut down; the server's XSRF check stays on.
* **Participant kernels are lean.** The kernel spec manager runs the notebook's Python kernel through
  :mod:`playbook_lib._kernel` (no debugger, no command history), about 7 MB less per kernel.
* **A page gets its kernel whole.** A kernel handed out from the warm pool (Voilà's ``preheat_kernel``)
  counts as active from that moment, though it may have waited in the pool longer than the idle time; and a
  kernel no page has connected to yet is culled only after :data:`CONNECT_GRACE_S` at least, so a page that
  is slow to load (a busy laptop, a phone) still finds its kernel.
* **Responses are compressed** (gzip): a page brings about 3 MB of scripts, and a room's Wi-Fi carries them to
  everyone at once.

Idle culling itself is Jupyter Server's (``MappingKernelManager.cull_idle_timeout`` and friends), set by
:func:`playbook_lib._serve.voila_args`.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

CONNECT_GRACE_S = 120
PYTHONS = ("python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}", sys.executable)


class ParticipantKernelSpecManager(KernelSpecManager):
    """Kernel specs as Jupyter finds them, except that this environment's ipykernel starts lean."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        argv = list(spec.argv)
        if len(argv) >= 3 and argv[0] in PYTHONS and argv[1:3] == ["-m", "ipykernel_launcher"]:
            spec.argv = [argv[0], "-m", "playbook_lib._kernel", *argv[3:]]
            spec.metadata = {**spec.metadata, "debugger": False}
        return spec


class ParticipantKernelManager(AsyncMappingKernelManager):
    """Jupyter Server's kernel manager, whose idle culling waits for a page to connect to a new kernel."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connected: set[str] = set()

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._connected.add(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        self._connected &= set(self._kernels)  # forget kernels shut down meanwhile (closed pages)
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and kernel_id not in self._connected:
            waited = utcnow() - getattr(kernel, "last_activity", utcnow())
            if waited < timedelta(seconds=max(self.cull_idle_timeout, CONNECT_GRACE_S)):
                return
        await super().cull_kernel_if_idle(kernel_id)


class PageHandler(TornadoVoilaHandler):
    """Voilà's page, which also sets the ``_xsrf`` cookie its shutdown request on close sends back."""

    async def get(self, path: str | None = None) -> None:
        self.xsrf_token  # noqa: B018 - reading the token sets the cookie (before the page streams out)
        await super().get(path)


class ParticipantVoila(Voila):
    """Voilà with :class:`PageHandler` for its pages, lean kernels, and pool kernels fresh when handed out."""

    name = "voila"

    def init_settings(self) -> dict[str, Any]:
        self.voila_configuration.kernel_spec_manager_class = ParticipantKernelSpecManager
        self.voila_configuration.multi_kernel_manager_class = ParticipantKernelManager
        # gzip: a page brings about 3 MB of scripts, which a room's Wi-Fi carries to everyone at once
        settings = {**super().init_settings(), "compress_response": True}
        manager = self.kernel_manager
        take = getattr(manager, "get_rendered_notebook", None)
        if take is not None and self.voila_configuration.preheat_kernel:

            async def handed_out(*args: Any, **kwargs: Any) -> Any:
                task, rendered, kernel_id = await take(*args, **kwargs)
                kernel = manager._kernels.get(kernel_id)
                if kernel is not None:
                    kernel.last_activity = utcnow()
                return task, rendered, kernel_id

            manager.get_rendered_notebook = handed_out
        return settings

    def init_handlers(self) -> list[Any]:
        return [(spec[0], PageHandler, *spec[2:]) if spec[1] is TornadoVoilaHandler else spec
                for spec in super().init_handlers()]


main = ParticipantVoila.launch_instance

if __name__ == "__main__":
    main()
