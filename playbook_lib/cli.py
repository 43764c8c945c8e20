"""The ``playbook`` command: a thin click group over the workbook."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from .content import ITEM_KINDS, content_paths, load_catalog
from .errors import ContentError, PlaybookError
from .exports import read_results, write_csv, write_json
from .models import json_schema
from .store import Store, default_home, normalise_code
from .templates import TEMPLATE_KINDS, template
from .workbook import Workbook, remembered_learner

PARTICIPANT_NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "08-workshop-participant.ipynb"
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
    try:
        catalog = load_catalog(content_paths([*paths, *content]))
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        click.echo(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found.")
        sys.exit(1)
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


@cli.command()
@HOME_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--learner", help="Whose attempts (default: the remembered learner).")
@click.option("--all", "all_learners", is_flag=True, help="Every learner's attempts.")
@click.option("--session", help="Only the attempts of one workshop (its code), from every participant.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
def export(home: Path | None, fmt: str, learner: str | None, all_learners: bool, session: str | None,
           output: click.utils.LazyFile) -> None:
    """Write recorded attempts as CSV or JSON (a results file that `playbook import` reads)."""
    with Store.open(home) as store:
        who = None if all_learners or session else (learner or remembered_learner(store))
        attempts = store.attempts(who, normalise_code(session) if session else None)
    (write_json if fmt == "json" else write_csv)(attempts, output)


@cli.command(name="import")
@HOME_OPTION
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(home: Path | None, files: Sequence[Path]) -> None:
    """Add the attempts in results files (from `playbook export`); ones already there are skipped."""
    with Store.open(home) as store:
        for path in files:
            attempts = read_results(path)
            added = store.add_attempts(attempts)
            click.echo(f"{path}: {added} new of {len(attempts)} attempts")


@cli.command()
@HOME_OPTION
@click.option("--learner", help="Whose attempts to delete (default: the remembered learner).")
@click.option("--all", "all_learners", is_flag=True, help="Delete every learner's attempts.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(home: Path | None, learner: str | None, all_learners: bool, yes: bool) -> None:
    """Delete recorded attempts, after a backup of the whole record."""
    with Store.open(home) as store:
        who = None if all_learners else (learner or remembered_learner(store))
        count = store.count(who)
        whose = "every learner's" if who is None else f"{who}'s"
        if not yes:
            click.confirm(f"Delete {count} of {whose} attempts from {store.location}? A backup is kept", abort=True)
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


@cli.group()
def workshop() -> None:
    """Run a workshop: open a session, serve the participant app, close it."""


@workshop.command(name="open")
@HOME_OPTION
@CONTENT_OPTION
@click.option("--title", required=True, help="What participants see, e.g. 'Signals, Tuesday group'.")
@click.option("-n", "n", type=int, default=10, show_default=True, help="How many items in the participants' drill.")
@click.option("--kind", help="Only this exercise kind, e.g. signal-id.")
@click.option("--section", help="Only this section, e.g. timing.")
@click.option("--tag", help="Only exercises with this tag.")
@click.option("--technique", help="Only this closing method, e.g. summary-close.")
def workshop_open(home: Path | None, content: Sequence[Path], title: str, n: int, kind: str | None,
                  section: str | None, tag: str | None, technique: str | None) -> None:
    """Open a workshop and print its code for participants."""
    drill = {k: v for k, v in {"n": n, "kind": kind, "section": section, "tag": tag, "technique": technique}.items()
             if v is not None}
    wb = Workbook.open(home=home, content=content)
    try:
        opened = wb.open_workshop(title, **drill)
        where_ = wb.store.location
    finally:
        wb.close()
    click.echo(f"Workshop open: {opened.title}")
    click.echo(f"Code: {opened.code}")
    click.echo(f"Record: {where_}")
    click.echo("Participants join in 00-start-here (wb.join_form()) or in the app: playbook workshop serve")


@workshop.command(name="close")
@HOME_OPTION
@click.argument("code")
def workshop_close(home: Path | None, code: str) -> None:
    """Close a workshop: nobody can join any more; answers given stay."""
    with Store.open(home) as store:
        closed = store.close_workshop(code)
    click.echo(f"Closed {closed.code} ({closed.title}).")


@workshop.command(name="list")
@HOME_OPTION
def workshop_list(home: Path | None) -> None:
    """List workshops, newest first."""
    with Store.open(home) as store:
        rows = [(w, len(store.participants(w.code)), store.count(session=w.code)) for w in store.workshops()]
    if not rows:
        click.echo("No workshops yet. Open one with: playbook workshop open --title TITLE")
    for w, people, answers in rows:
        state = "open" if w.is_open else "closed"
        opened = w.opened_at.astimezone().strftime("%Y-%m-%d %H:%M") if w.opened_at else ""
        click.echo(f"{w.code}  {state:<6}  {opened}  {people} participants, {answers} answers  {w.title}")


@workshop.command(name="serve")
@click.option("--port", type=int, default=8866, show_default=True)
@click.option("--ip", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets participants on the same network connect.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
def workshop_serve(port: int, ip: str, no_browser: bool) -> None:
    """Serve the participant app (Voilà: no code, just join, drill and score)."""
    import subprocess

    notebook = PARTICIPANT_NOTEBOOK
    if not notebook.exists():
        raise click.ClickException(f"the participant notebook is missing: {notebook}")
    args = [sys.executable, "-m", "voila", str(notebook), f"--port={port}", f"--Voila.ip={ip}"]
    if no_browser:
        args.append("--no-browser")
    click.echo(f"Participant app: http://{'localhost' if ip in ('127.0.0.1', '0.0.0.0') else ip}:{port}/ (Ctrl+C to stop)")
    sys.exit(subprocess.call(args))


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
