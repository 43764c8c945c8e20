"""The ``playbook`` command: a thin click group over the session and the workbook.

``--home`` and ``--content`` are declared once, here, and shared through click's context (``ctx.obj``, a
:class:`Options`); they may be given before the command's name or after it (``playbook --home DIR export`` or
``playbook export --home DIR``). Every command reaches the practice record through a
:class:`~playbook_lib.session.Session` (or a :class:`~playbook_lib.workbook.Workbook`, which is one with the
content loaded), never by opening the store itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .content import ITEM_KINDS, Catalog, content_paths, load_catalog
from .errors import PlaybookError, ResultsFileError
from .exports import read_results, write_csv, write_json
from .home import record_location
from .models import EXERCISE_KINDS, json_schema
from .records import MAX_DRILL
from .session import Session
from .templates import TEMPLATE_KINDS, template
from .workbook import Workbook

PARTICIPANT_NOTEBOOK = "08-workshop-participant.ipynb"


@dataclass
class Options:
    """The options every command shares: where the practice record is, and extra content folders."""

    home: Path | None = None
    content: tuple[Path, ...] = ()

    def session(self, learner: str | None = None) -> Session:
        """The practice record, for ``learner`` (not remembered) or the remembered learner; no content loaded."""
        return Session.open(self.home, learner, remember=False)

    def workbook(self, learner: str | None = None, lang: str | None = None) -> Workbook:
        """The workbook: the content (shipped, ``PLAYBOOK_CONTENT`` and ``--content``) and the practice record,
        in ``lang``, else in the language chosen as everywhere else (see :func:`chosen_lang`)."""
        return Workbook.open(self.home, learner, content=self.content, remember=False, lang=lang)


def _share(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep a shared option in ``ctx.obj``, wherever on the command line it was given."""
    options = ctx.ensure_object(Options)
    if param.name == "home" and value is not None:
        options.home = value
    elif param.name == "content" and value:
        options.content = (*options.content, *value)
    return value


SHARED_OPTIONS = (
    click.Option(["--home"], type=click.Path(file_okay=False, path_type=Path), default=None, expose_value=False,
                 callback=_share, help="Folder of the practice record (default: PLAYBOOK_HOME or the per-user data "
                 "folder)."),
    click.Option(["--content"], multiple=True, type=click.Path(path_type=Path), expose_value=False, callback=_share,
                 help="A folder of extra content files (repeatable; PLAYBOOK_CONTENT works too)."),
)
LOCAL_COMMANDS = {"new", "schema", "hub", "lab", "serve"}
"""Commands that neither open the practice record nor load content, so take neither shared option."""


class PlaybookGroup(click.Group):
    """A group whose shared options (``--home``, ``--content``) are also taken after a command's name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(SHARED_OPTIONS)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group) and (name or cmd.name) not in LOCAL_COMMANDS:
            cmd.params.extend(SHARED_OPTIONS)
        super().add_command(cmd, name)

    def group(self, *args: Any, **kwargs: Any) -> Any:
        return super().group(*args, **{"cls": PlaybookGroup, **kwargs})


@click.group(cls=PlaybookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="closing-playbook")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Closing Playbook: practise when and how to ask for the order."""
    ctx.ensure_object(Options)


def _known_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang`` as en, zh-Hans or zh-Hant (any usual spelling), or a usage error naming the choices."""
    from .i18n import normalise_lang

    try:
        return normalise_lang(value) if value else None
    except PlaybookError as exc:
        raise click.BadParameter(str(exc)) from None


LANG_OPTION = click.option("--lang", default=None, metavar="LANG", callback=_known_lang,
                           help="Language of what it prints: en, zh-Hans or zh-Hant (default: PLAYBOOK_LANG, else the "
                                "language you chose in the workbook, else the system locale).")


def chosen_lang(lang: str | None, home: Path | None = None) -> str:
    """The language a command speaks: ``--lang``, else ``PLAYBOOK_LANG``, the language the remembered learner chose
    (read from the practice record in ``home``, never created by this), the system locale, then English."""
    from .i18n import resolve_lang
    from .session import lang_in_record

    try:
        return resolve_lang(lang, lambda: lang_in_record(home))
    except PlaybookError as exc:
        raise click.BadParameter(str(exc), param_hint="--lang") from None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Count the warnings (cues, language slips) as problems: exit 1 on any.")
@click.option("--require", "require", multiple=True, metavar="LANGS",
              help="Languages every text must have, e.g. zh,en (a folder's playbook-folder.yaml can say so too).")
@LANG_OPTION
@click.pass_obj
def validate(options: Options, paths: Sequence[Path], strict: bool, require: Sequence[str], lang: str | None) -> None:
    """Check content files and print every problem as FILE:LINE: field: reason.

    The shipped data/ is always checked; PATHS (files or folders, e.g. a trainer's folder) are checked
    together with it, against the same catalogue. Errors come first; warnings (answer cues, language
    slips) follow under a heading. Exits 1 when there is any error, or any warning with --strict.
    """
    from .errors import Message
    from .validation import check, parse_require

    lang = chosen_lang(lang, options.home)
    try:
        langs = parse_require(require)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--require") from None
    report = check([*paths, *options.content], require=langs)

    def say(key: str, **values: object) -> str:
        return Message(f"validate.cli.{key}", tuple(values.items())).render(lang)

    for problem in report.errors:
        click.echo(problem.render(lang))
    if report.catalog is not None and not report.failed(strict):
        cat = report.catalog
        click.echo(say("ok", items=len(cat.items), exercises=len(cat.exercises), version=cat.version))
    if report.warnings:
        click.echo(say("warnings", count=len(report.warnings)))
        for problem in report.warnings:
            click.echo(problem.render(lang))
    if report.failed(strict):
        click.echo(say("problems", count=len(report.errors) + (len(report.warnings) if strict else 0)))
    if report.warnings:
        click.echo(say("strict" if strict else "warnings-only"))
    if report.failed(strict):
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: items with their exercise counts, the total, the "
              "count per kind and how many text fields have each language.")
@LANG_OPTION
@click.pass_obj
def catalog(options: Options, as_json: bool, lang: str | None) -> None:
    """Show what the workbook teaches and how many exercises practise each item."""
    from .i18n import say, ui
    from .kinds import kind_name

    cat = load_catalog(content_paths(options.content))
    overview = cat.overview()
    if as_json:
        click.echo(json.dumps(overview, ensure_ascii=False, indent=2))
        return
    lang = chosen_lang(lang, options.home)
    click.echo(ui("catalog.title", lang, title=say(cat.meta.title, lang, tag=True), version=cat.version))
    for kind in ITEM_KINDS:
        rows = [row for row in overview["items"] if row["kind"] == kind]
        click.echo("\n" + ui("catalog.kind", lang, kind=ui(f"catalog.kind.{kind}", lang), n=len(rows)))
        for row in rows:
            title = say(cat.items[row["id"]].name, lang, tag=True)
            click.echo("  " + ui("catalog.item", lang, title=title, id=row["id"], n=row["exercises"]))
    counts = ui("catalog.separator", lang).join(ui("catalog.kind-count", lang, kind=kind_name(kind, lang), n=n)
                                                for kind, n in overview["kinds"].items())
    click.echo("\n" + ui("catalog.exercises", lang, n=overview["exercises"], kinds=counts))
    click.echo(ui("catalog.languages", lang, **overview["languages"]))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xapi"]), default="csv", show_default=True)
@click.option("--learner", help="Whose attempts (default: the remembered learner).")
@click.option("--all", "all_learners", is_flag=True, help="Every learner's attempts.")
@click.option("--session", help="Only the attempts of one workshop (its code), from every participant.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
@click.option("--lrs", metavar="URL", help="Send xAPI statements to this Learning Record Store (key and secret from "
              "PLAYBOOK_LRS_KEY and PLAYBOOK_LRS_SECRET, else asked; the secret is never shown).")
@click.pass_obj
def export(options: Options, fmt: str, learner: str | None, all_learners: bool, session: str | None,
           output: click.utils.LazyFile, lrs: str | None) -> None:
    """Write recorded attempts as CSV or JSON (a results file that `playbook import` reads), or as xAPI statements."""
    with options.session(learner) as record:
        attempts = record.attempts(all_learners=all_learners or bool(session), code=session)
    if fmt == "xapi" or lrs:
        from .lrs import export_statements

        sys.exit(export_statements(attempts, output, lrs, click.prompt, click.echo, fmt=fmt))
    (write_json if fmt == "json" else write_csv)(attempts, output)


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_(options: Options, files: Sequence[Path]) -> None:
    """Add the attempts in results files (from `playbook export`); ones already there are skipped.

    Each file is checked as a whole first: a file with any bad row is refused (every problem is listed)
    and the others are still imported. Exits 1 if any file was refused.
    """
    refused = 0
    with options.session() as record:
        for path in files:
            try:
                attempts = read_results(path)
            except ResultsFileError as exc:
                click.echo(f"Error: {exc}", err=True)
                refused += 1
                continue
            added = record.store.add_attempts(attempts)
            click.echo(f"{path}: {added} new of {len(attempts)} attempts ({len(attempts) - added} already there)")
    if refused:
        raise click.exceptions.Exit(1)


@cli.command()
@click.option("--learner", help="Whose attempts to delete (default: the remembered learner).")
@click.option("--all", "all_learners", is_flag=True, help="Delete every learner's attempts.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def reset(options: Options, learner: str | None, all_learners: bool, yes: bool) -> None:
    """Delete recorded attempts, after a backup of the whole record."""
    with options.session(learner) as record:
        store = record.store
        store.check_writable()
        who = None if all_learners else record.learner
        count = store.count(who)
        whose = "every learner's" if who is None else f"{who}'s"
        if not yes:
            click.confirm(f"Delete {count} of {whose} attempts from {store.location}? A backup is kept", abort=True)
        removed, backup = store.reset(who)
    click.echo(f"Deleted {removed} attempts. Backup: {backup}")


@cli.command()
@click.option("--learner", help="Whose cards (default: the remembered learner).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a sentence.")
@LANG_OPTION
@click.pass_obj
def review(options: Options, learner: str | None, as_json: bool, lang: str | None) -> None:
    """Say how many review cards are due now and when the next ones come (for a daily reminder)."""
    from .i18n import ui

    with options.workbook(learner, lang) as wb:
        outlook = wb.review_outlook()
        lang = wb.lang  # --lang, PLAYBOOK_LANG, this learner's remembered choice, the locale
    if as_json:
        outlook["next_due"] = outlook["next_due"].isoformat() if outlook["next_due"] else None
        click.echo(json.dumps(outlook, ensure_ascii=False, indent=2))
        return
    who = outlook["learner"]
    if not outlook["cards"]:
        click.echo(ui("review.cli.no-cards", lang, learner=who))
        return
    due = outlook["due_now"]
    click.echo(ui("review.cli.due-none" if not due else "review.cli.due-one" if due == 1 else "review.cli.due", lang,
                  learner=who, n=due))
    if outlook["upcoming"]:
        days = ui("catalog.separator", lang).join(ui("review.cli.on-day", lang, n=n, day=day)
                                                  for day, n in outlook["upcoming"].items())
        click.echo(ui("review.cli.coming-up", lang, days=days))
    elif outlook["next_due"]:
        click.echo(ui("review.cli.next", lang, day=outlook["next_due"].astimezone().date().isoformat()))


@cli.command()
@click.argument("kind", type=click.Choice(TEMPLATE_KINDS))
@LANG_OPTION
def new(kind: str, lang: str | None) -> None:
    """Print a commented template for a new exercise of KIND; it validates as printed.

    Save it into your content folder, e.g. `playbook new signal-id > my-course/signals.yaml`.
    With --lang zh-Hans (or zh-Hant) the comments are Chinese and every text has zh: and en:.
    """
    click.echo(template(kind, chosen_lang(lang)), nl=False)


@cli.command()
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: stdout), e.g. closing-playbook.schema.json.")
def schema(output: click.utils.LazyFile) -> None:
    """Write the JSON Schema of content files, for editors that check YAML as you type (see docs/trainers.md)."""
    json.dump(json_schema(), output, ensure_ascii=False, indent=2)
    output.write("\n")


@cli.command()
@click.option("--sync", "mode", flag_value="sync", default=True,
              help="Write the traditional-character notebooks (zh-Hant/) from the simplified ones (zh-Hans/).")
@click.option("--check", "mode", flag_value="check",
              help="Write nothing; exit 1 if zh-Hant/ is not what --sync would write.")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="The notebooks folder (default: the workbook's own).")
def notebooks(mode: str, root: Path | None) -> None:
    """Keep the traditional-character notebooks in step with the simplified ones."""
    from .notebooks import NOTEBOOK_DIR, sync_traditional

    folder = root or NOTEBOOK_DIR
    if not (folder / "zh-Hans").is_dir():
        raise click.UsageError(f"{folder} has no zh-Hans/ folder of notebooks to convert")
    try:
        changed = sync_traditional(folder, write=mode == "sync")
    except OSError as error:
        raise click.ClickException(f"cannot write the notebooks in {folder}: {error.strerror}") from None
    names = ", ".join(path.name for path in changed)
    if mode == "check":
        if changed:
            raise click.ClickException(f"out of step with zh-Hans/: {names}; run `playbook notebooks --sync`")
        click.echo("zh-Hant/ is in step with zh-Hans/")
    else:
        click.echo(f"wrote {len(changed)} notebook(s): {names}" if changed else "zh-Hant/ was already in step")


@cli.group()
def workshop() -> None:
    """Run a workshop: open a session, serve the participant app, close it."""


@workshop.command(name="open")
@click.option("--title", required=True, help="What participants see, e.g. 'Signals, Tuesday group'.")
@click.option("-n", "n", type=click.IntRange(1, MAX_DRILL), default=10, show_default=True,
              help=f"How many items in the participants' drill (1 to {MAX_DRILL}).")
@click.option("--kind", type=click.Choice(EXERCISE_KINDS), help="Only this exercise kind, e.g. signal-id.")
@click.option("--section", help="Only this section, e.g. timing.")
@click.option("--tag", help="Only exercises with this tag.")
@click.option("--technique", help="Only this closing method, e.g. summary-close.")
@click.option("--lang", default=None, metavar="LANG", callback=_known_lang,
              help="The room's language: en, zh-Hans or zh-Hant; every participant's drill is in it (default: each "
                   "participant's own).")
@click.pass_obj
def workshop_open(options: Options, title: str, n: int, kind: str | None, section: str | None, tag: str | None,
                  technique: str | None, lang: str | None) -> None:
    """Open a workshop and print its code for participants."""
    from ._page_forms import served
    from .i18n import LANG_NAMES

    drill = {k: v for k, v in {"n": n, "kind": kind, "section": section, "tag": tag, "technique": technique}.items()
             if v is not None}
    with options.workbook() as wb:
        _check_drill_filters(wb.catalog, drill)
        opened = wb.trainer.open_workshop(title, lang, **drill)
        where_ = wb.store.location
    click.echo(f"Workshop open: {opened.title}")
    click.echo(f"Code: {opened.code}")
    if lang:
        click.echo(f"Language of the room: {LANG_NAMES[lang]}")
    click.echo(f"Record: {where_}")
    if kind is not None and not served(kind):
        click.echo("Participants join in 00-start-here (wb.join_form()) or in the widget app: "
                   "playbook workshop serve --app voila (the page does not run this kind)")
    else:
        click.echo("Participants join in 00-start-here (wb.join_form()) or in the app: playbook workshop serve")


def _check_drill_filters(catalog: Catalog, drill: dict[str, Any]) -> None:
    """Refuse a section, tag or technique the content does not have (with the list), and a drill that would be empty."""
    from .engine import select

    known = {
        "section": sorted(i.id.removeprefix("section.") for i in catalog.of_kind("section")),
        "technique": sorted(i.id.removeprefix("technique.") for i in catalog.of_kind("technique")),
        "tag": sorted({tag for ex in catalog.exercises for tag in ex.tags}),
    }
    for name, choices in known.items():
        value = drill.get(name)
        if value is not None and value.removeprefix(f"{name}.") not in choices:
            raise click.BadParameter(f"{value!r} is not one of: {', '.join(choices)}", param_hint=f"--{name}")
    filters = {k: v for k, v in drill.items() if k != "n"}
    if not select(catalog, **filters):
        given = ", ".join(f"--{k} {v}" for k, v in filters.items())
        raise click.UsageError(f"no exercise matches {given}: the participants' drill would be empty")


@workshop.command(name="close")
@click.argument("code")
@click.pass_obj
def workshop_close(options: Options, code: str) -> None:
    """Close a workshop: nobody can join any more; answers given stay."""
    with options.session() as record:
        closed = record.trainer.close_workshop(code)
    click.echo(f"Closed {closed.code} ({closed.title}).")


@workshop.command(name="list")
@click.pass_obj
def workshop_list(options: Options) -> None:
    """List workshops, newest first."""
    with options.session() as record:
        rows = record.trainer.workshops()
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
@click.option("--lang", "lang", default=None,
              help="The app's language: zh-Hans, zh-Hant or en (default: PLAYBOOK_LANG, the language the trainer "
                   "chose, or the system locale).")
@click.option("--app", "app", type=click.Choice(["page", "voila"]), default="page", show_default=True,
              help="page: a light web page, no kernel (opens in about a second; a participant costs a few kilobytes); "
                   "voila: the notebook's own widgets in Voilà, a kernel per participant.")
@click.option("--idle-minutes", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="--app voila: free the kernel of a page with no activity for this long (0: never); the participant "
                   "reloads and joins again with the same code and name, and continues where they were.")
@click.option("--pool-size", type=click.IntRange(0, 20), default=2, show_default=True,
              help="--app voila: kernels kept ready with the app loaded, so pages open at once while a room joins "
                   "(0: none; each costs the memory of one participant).")
@click.pass_obj
def workshop_serve(options: Options, port: int, ip: str, no_browser: bool, lang: str | None, app: str,
                   idle_minutes: float, pool_size: int) -> None:
    """Serve the participant app: join with the code and a name, do the drill, see the score.

    Prints the addresses participants open (this machine's network addresses with --ip 0.0.0.0).
    The page (default) needs no kernel; with --app voila, a page that closes or reloads frees its kernel, and so
    does a page idle for --idle-minutes. Ctrl+C or SIGTERM stops the app (and every kernel it started).
    """
    lang = chosen_lang(lang, options.home)
    if app == "page":
        _serve_page(options, lang, ip, port, no_browser)
        return
    import os

    from ._offline import voila_environ
    from ._serve import run_until_stopped, voila_args, warm_content_cache
    from .notebooks import folder

    notebook = folder(lang) / Path(PARTICIPANT_NOTEBOOK).name
    if not notebook.exists():
        raise click.ClickException(f"the participant notebook is missing: {notebook}")
    problem = warm_content_cache(notebook.parent)  # kernels then read the validated content from the cache
    if problem:
        raise click.ClickException(problem)
    args = voila_args(notebook, port, ip, idle_minutes=idle_minutes, pool_size=pool_size, no_browser=no_browser)
    os.environ.update(voila_environ())  # the offline template (no CDN) is found on JUPYTER_PATH
    _print_addresses(ip, port)
    sys.exit(run_until_stopped(args))


def _serve_page(options: Options, lang: str, ip: str, port: int, no_browser: bool) -> None:
    """``workshop serve --app page``: the participant page, served from this process."""
    from ._page_server import serve
    from .participant_page import PageRoom

    def make_room() -> PageRoom:
        return PageRoom.open(options.home, options.content, lang)

    def ready() -> None:
        _print_addresses(ip, port)
        if not no_browser:
            import webbrowser

            webbrowser.open(f"http://localhost:{port}/")

    try:
        code = serve(make_room, lang, ip, port, ready)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {ip}:{port}: {exc.strerror or exc}") from None
    sys.exit(code)


def _print_addresses(ip: str, port: int) -> None:
    """The addresses participants open, and the one on this computer."""
    from ._serve import app_urls

    network, local = app_urls(ip, port)
    if network:
        click.echo("Participant app, for participants on this network:")
        for url in network:
            click.echo(f"  {url}")
    elif ip in ("0.0.0.0", "::", ""):
        click.echo("No network address found: participants cannot reach this computer; check its network connection.")
    else:
        click.echo("Participant app on this computer only (use --ip 0.0.0.0 to let participants on the network in).")
    click.echo(f"On this computer: {local}   (Ctrl+C to stop)")


@cli.command()
@click.pass_obj
def where(options: Options) -> None:
    """Print where the practice record and the content are (a database URL without its password)."""
    click.echo(f"record:  {record_location(options.home)}")
    click.echo(f"content: {', '.join(str(p) for p in content_paths(options.content))}")


@cli.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--customer", metavar="NAME", help="The customer's speaker label, when the labels do not tell.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: lines, moments, methods.")
@click.option("--lang", metavar="LANG", help="Language of the report: en, zh-Hans or zh-Hant (default: the transcript's).")
@click.option("--retrain", is_flag=True, help="Rebuild the coach's classifier from the current content first.")
@click.pass_obj
def coach(options: Options, file: Path | None, customer: str | None, as_json: bool, lang: str | None,
          retrain: bool) -> None:
    """Coach a call: the buying signals and the moments to ask in a transcript (.txt, .srt, .vtt), offline."""
    from .coach.command import run

    run(file, options.content, customer, as_json, lang, retrain)


@cli.command()
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("hub"), show_default=True,
              help="Folder to write the set-up into (jupyterhub_config.py, class.yaml).")
@click.option("--trainer", "trainers", multiple=True, metavar="NAME",
              help="A trainer's hub user name (repeatable): an admin whose server opens the class dashboard.")
@click.option("--lang", default="en", show_default=True,
              help="The class's language: en, zh-Hans or zh-Hant (per person: class.yaml).")
@click.option("--auth", type=click.Choice(["firstuse", "native", "site"]), default="firstuse", show_default=True,
              help="Sign-in: a password chosen at first use, sign-up approved by a trainer, or the site's own (PAM, OAuth...).")
@click.option("--spawner", type=click.Choice(["local", "simple"]), default="local", show_default=True,
              help="Servers as local processes: one system account each (local), or none and no isolation (simple, a trial).")
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address the hub listens on (0.0.0.0: every network).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--no-proxy-install", is_flag=True, help="Do not npm-install JupyterHub's proxy into this environment.")
@click.option("--copy-notebooks-to", "copy_to", type=click.Path(file_okay=False, path_type=Path),
              help="Only copy the workbook's notebooks (in --lang) into this folder, keeping files there (a server's start).")
def hub(output: Path, trainers: Sequence[str], lang: str, auth: str, spawner: str, ip: str, port: int,
        no_proxy_install: bool, copy_to: Path | None) -> None:
    """Write a JupyterHub set-up for a class: everyone's notebooks, one shared record, the app for participants."""
    from . import hub as class_hub

    if copy_to is not None:
        copied = class_hub.copy_notebooks(copy_to, lang)
        click.echo(f"{len(copied)} notebook(s) copied into {copy_to}")
        return
    if not trainers:
        raise click.UsageError("name at least one trainer: --trainer NAME (their hub user name)")
    for line in class_hub.setup(output, trainers, install=not no_proxy_install, lang=lang, auth=auth, spawner=spawner,
                                ip=ip, port=port):
        click.echo(line)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.option("--lang", default=None, metavar="LANG", callback=_known_lang,
              help="en, zh-Hans or zh-Hant (default: PLAYBOOK_LANG, else the language you chose in the workbook, "
                   "else the system locale).")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Your own folder for the notebooks (default: ~/closing-playbook).")
@click.argument("jupyter_args", nargs=-1, type=click.UNPROCESSED)
def lab(lang: str | None, folder: Path | None, jupyter_args: Sequence[str]) -> None:
    """Open the workbook in JupyterLab, in your language (JupyterLab's menus too): --lang, else the one you chose
    in 00-start-here, else the system locale's.

    The first time, the notebooks are copied into your folder; later runs add only notebooks that are
    not there yet, so your own edits are kept. Other options go to JupyterLab, e.g. --no-browser or
    --port 8890.
    """
    import os

    from .lab import CONFIG_FOLDER, DEFAULT_FOLDER, copy_notebooks, lab_args, lab_env, start_lab

    chosen = chosen_lang(lang)
    root = (folder or DEFAULT_FOLDER).expanduser().resolve()
    try:
        copied = copy_notebooks(root, chosen)
    except OSError as exc:
        raise PlaybookError(f"cannot copy the notebooks into {root}: {exc.strerror or exc}") from exc
    if copied:
        click.echo(f"{len(copied)} notebook(s) copied into {copied[0].parent}")
    click.echo(f"Opening the workbook in {root}")
    args = lab_args([sys.executable, "-m", "jupyterlab"], root, chosen, jupyter_args)
    sys.exit(start_lab(args, lab_env(root / CONFIG_FOLDER / chosen, chosen, dict(os.environ))))


def main() -> None:
    """Run the command line, turning workbook errors into a message and exit status 1."""
    try:
        cli(standalone_mode=True)
    except PlaybookError as exc:  # pragma: no cover - click handles exit
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
