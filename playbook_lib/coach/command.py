"""What ``playbook coach`` does (the click command in :mod:`playbook_lib.cli` only passes its options on)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import PlaybookError


def run(file: Path | None, content: Sequence[Path], customer: str | None, as_json: bool, lang: str | None,
        retrain: bool) -> None:
    """Retrain when asked; analyse FILE when given; print text or JSON."""
    from ..content import content_paths, load_catalog
    from ..i18n import normalise_lang
    from .api import coach
    from .model import cache_dir, load_or_train
    from .report import report_text

    if file is None and not retrain:
        raise click.UsageError("give a transcript FILE, or --retrain")
    catalog = load_catalog(content_paths(content))
    model = load_or_train(catalog, retrain=retrain)
    if retrain:
        folder = cache_dir()
        kept = f"saved in {folder}" if folder is not None else "kept in memory only (PLAYBOOK_CACHE=off)"
        click.echo(f"Trained the coach on {len(model.labels)} kinds of line; {kept}.", err=as_json)
    if file is None:
        return
    try:
        report = coach(file, catalog, customer=customer, lang=normalise_lang(lang) if lang else None, model=model)
    except PlaybookError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(report))
