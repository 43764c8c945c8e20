"""The ``playbook`` command: a thin click group over the workbook."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from .content import ITEM_KINDS, content_paths, load_catalog, validate_paths
from .errors import PlaybookError
from .models import json_schema
from .store import Store, default_home
from .templates import TEMPLATE_KINDS, template
from .workbook import Workbook

HOME_OPTION = click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Folder of the practice record (default: PLAYBOOK_HOME or the per-user data folder).")
CONTENT_OPTION = click.option("--content", "content", multiple=True, type=click.Path(path_type=Path),
                              help="A folder of extra content files (repeatable; PLAYBOOK_CONTENT works too).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="closing-playbook")
def cli() -> None:
    """Closing Playbook: practise when and how to ask for the order."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@CONTENT_OPTION
def validate(paths: Sequence[Path], content: Sequence[Path]) -> None:
    """Check content files and print every problem as FILE:LINE: field: reason.

    The shipped data/ is always checked; PATHS (files or folders, e.g. a trainer's folder) are checked
    together with it, against the same catalogue. Exits 1 when there is any problem.
    """
    paths = [*paths, *content]
    problems = validate_paths(paths)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.")
        sys.exit(1)
    catalog = load_catalog(content_paths(paths))
    click.echo(f"OK: {len(catalog.items)} items, {len(catalog.exercises)} exercises, version {catalog.version}.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: items with their exercise counts, and the total.")
@CONTENT_OPTION
def catalog(as_json: bool, content: Sequence[Path]) -> None:
    """Show what the workbook teaches and how many exercises practise each item."""
    cat = load_catalog(content_paths(content))
    overview = cat.overview()
    if as_json:
        click.echo(json.dumps(overview, ensure_ascii=False, indent=2))
        return
    click.echo(f"{cat.meta.title.en} (content {cat.version})")
    for kind in ITEM_KINDS:
        rows = [row for row in overview["items"] if row["kind"] == kind]
        click.echo(f"\n{kind}s ({len(rows)})")
        for row in rows:
            item = cat.items[row["id"]]
            zh = f" {item.name.zh}" if item.name.zh else ""
            click.echo(f"  {row['title']}{zh}  [{row['id']}]  {row['exercises']} exercises")
    kinds: dict[str, int] = {}
    for ex in cat.exercises:
        kinds[ex.kind] = kinds.get(ex.kind, 0) + 1  # type: ignore[attr-defined]
    click.echo(f"\n{overview['exercises']} exercises: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


def _store(home: Path | None) -> Store:
    return Store.open(home)


@cli.command()
@HOME_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--learner", help="Whose attempts (default: the remembered learner).")
@click.option("--all", "all_learners", is_flag=True, help="Every learner's attempts.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
def export(home: Path | None, fmt: str, learner: str | None, all_learners: bool, output: click.utils.LazyFile) -> None:
    """Write recorded attempts as CSV or JSON."""
    with _store(home) as store:
        who = None if all_learners else (learner or store.setting("learner") or "guest")
        rows = [a.as_dict() for a in store.attempts(who)]
    if fmt == "json":
        json.dump(rows, output, ensure_ascii=False, indent=2)
        output.write("\n")
        return
    columns = list(rows[0]) if rows else ["uid", "learner", "exercise_id", "kind", "section", "topic", "content_version",
                                          "answer", "expected", "correct", "score", "seconds", "answered_at", "mode",
                                          "session"]
    writer = csv.DictWriter(output, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        row["answer"] = json.dumps(row["answer"], ensure_ascii=False)
        row["expected"] = json.dumps(row["expected"], ensure_ascii=False)
        writer.writerow(row)


@cli.command()
@HOME_OPTION
@click.option("--learner", help="Whose attempts to delete (default: the remembered learner).")
@click.option("--all", "all_learners", is_flag=True, help="Delete every learner's attempts.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(home: Path | None, learner: str | None, all_learners: bool, yes: bool) -> None:
    """Delete recorded attempts, after a backup of the whole record."""
    with _store(home) as store:
        who = None if all_learners else (learner or store.setting("learner") or "guest")
        count = store.count(who)
        whose = "every learner's" if who is None else f"{who}'s"
        if not yes:
            click.confirm(f"Delete {count} of {whose} attempts from {store.path}? A backup is kept", abort=True)
        removed, backup = store.reset(who)
    click.echo(f"Deleted {removed} attempts. Backup: {backup}")


@cli.command()
@HOME_OPTION
@CONTENT_OPTION
@click.option("--learner", help="Whose cards (default: the remembered learner).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a sentence.")
def review(home: Path | None, content: Sequence[Path], learner: str | None, as_json: bool) -> None:
    """Say how many review cards are due now and when the next ones come (for a daily reminder)."""
    wb = Workbook.open(home=home, content=content)
    try:
        if learner:
            wb.learner = learner
        outlook = wb.review_outlook()
    finally:
        wb.close()
    if as_json:
        outlook["next_due"] = outlook["next_due"].isoformat() if outlook["next_due"] else None
        click.echo(json.dumps(outlook, ensure_ascii=False, indent=2))
        return
    if not outlook["cards"]:
        click.echo(f"{outlook['learner']}: no review cards yet. Answer a few exercises first.")
        return
    due = outlook["due_now"]
    click.echo(f"{outlook['learner']}: {due} card{'s' if due != 1 else ''} due now"
               + (" (run `wb.review()` in 05-my-progress)." if due else "."))
    if outlook["upcoming"]:
        click.echo("Coming up: " + ", ".join(f"{n} on {day}" for day, n in outlook["upcoming"].items()) + ".")
    elif outlook["next_due"]:
        click.echo(f"Next card due on {outlook['next_due'].astimezone().date().isoformat()}.")


@cli.command()
@click.argument("kind", type=click.Choice(TEMPLATE_KINDS))
def new(kind: str) -> None:
    """Print a commented template for a new exercise of KIND; it validates as printed.

    Save it into your content folder, e.g. `playbook new signal-id > my-course/signals.yaml`.
    """
    click.echo(template(kind), nl=False)


@cli.command()
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: stdout), e.g. closing-playbook.schema.json.")
def schema(output: click.utils.LazyFile) -> None:
    """Write the JSON Schema of content files, for editors that check YAML as you type (see docs/trainers.md)."""
    json.dump(json_schema(), output, ensure_ascii=False, indent=2)
    output.write("\n")


@cli.command()
def where() -> None:
    """Print where the practice record and the shipped content are."""
    click.echo(f"record:  {default_home()}")
    click.echo(f"content: {', '.join(str(p) for p in content_paths())}")


def main() -> None:
    """Run the command line, turning workbook errors into a message and exit status 1."""
    try:
        cli(standalone_mode=True)
    except PlaybookError as exc:  # pragma: no cover - click handles exit
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
