"""``python -m playbook_lib`` runs the ``playbook`` command."""

from .cli import main

main()
