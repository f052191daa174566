"""`linkworker directory ...`: import, export and search the community activity directory.

Imports read any Open Referral UK (HSDS v3) shape :mod:`linkworker.formats.oruk` knows; a file
that is not a feed is one line and a non-zero exit, and changes nothing. Exports never
replace a file unless asked, and are written to a temporary file that is renamed into
place. Everything printed from a feed goes through ``literal()`` so a feed cannot send
escape codes to the terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from linkworker import directory
from linkworker.cli.base import (
    RECORD_ID,
    Context,
    common_options,
    echo_json,
    fail,
    file_options,
    force_option,
    json_option,
    opened_store,
    print_or_write,
    with_context,
)
from linkworker.cli.knowledge import knowledge_group
from linkworker.directory import annotations as private_notes
from linkworker.directory import pull, quality
from linkworker.display import literal, short_date
from linkworker.formats import oruk, writer
from linkworker.validation import ValidationError, normalise_weekday

FC = TypeVar("FC", bound=Callable[..., Any])


@click.group(name="directory")
@common_options
def directory_group() -> None:
    """The community activity directory (Open Referral UK / HSDS v3)."""


def _problem_dict(p: oruk.RecordProblem) -> dict[str, Any]:
    return {
        "record": p.index,
        "id": p.source_id,
        "name": p.name,
        "field": p.field,
        "reason": p.reason,
        "skipped": p.skipped,
    }


def _problem_line(p: oruk.RecordProblem) -> str:
    who = f"id {p.source_id}" if p.source_id else "no id"
    name = f' "{p.name}"' if p.name else " (no name)"
    return literal(f"record {p.index} ({who}{name}): {p.field}: {p.reason}")


def _retire_missing(what: str) -> Callable[[FC], FC]:
    """The --retire-missing flag of import and pull."""
    return click.option(
        "--retire-missing", is_flag=True, help=f"This feed is your whole directory: {what}"
    )


@directory_group.command(name="import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Refuse the whole import if any record is bad.")
@_retire_missing(
    "retire imported activities it no longer lists "
    "(they stay on people's histories; hand-added ones are kept)."
)
@click.option(
    "--yes",
    is_flag=True,
    help="Go ahead when the import would change or retire more than 10% of the imported "
    "activities (without it such an import writes nothing and says so).",
)
@json_option("Print the report as JSON.")
@with_context
def import_command(
    ctx: Context, path: Path, strict: bool, retire_missing: bool, yes: bool, as_json: bool
) -> None:
    """Import an Open Referral UK feed: a JSON service, list page or array, a folder of pages,
    or an HSDS CSV data package (its folder or datapackage.json).

    Activities are matched by their feed id: new ones are added, changed ones updated. Your
    own notes, favourites, verification dates and retirements are never touched.
    """
    try:
        with opened_store(ctx) as db:
            report = directory.import_feed(
                db,
                path.expanduser(),
                ctx.clock,
                strict=strict,
                retire_missing=retire_missing,
                confirm_large=lambda _question: yes,
            )
    except oruk.FeedError as exc:
        fail(literal(str(exc)))
        return
    if report.declined is not None:
        fail(
            literal(report.declined.removesuffix(" Go ahead?").rstrip("."))
            + "; nothing written; run again with --yes to go ahead"
        )
        return
    skipped = [p for p in report.problems if p.skipped]
    warnings = [p for p in report.problems if not p.skipped]
    if as_json:
        echo_json(
            {
                "source": report.source,
                "written": report.written,
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "retired": report.retired,
                "returned": report.returned,
                "missing": report.missing,
                "incomplete": report.incomplete,
                "problems": [_problem_dict(p) for p in report.problems],
            }
        )
    else:
        click.echo(literal(report.summary()))
        for p in skipped:
            click.echo(f"  skipped: {_problem_line(p)}")
        for p in warnings:
            click.echo(f"  warning: {_problem_line(p)} (the rest of the record was imported)")
    if not report.written:
        fail(
            f"--strict: {len(skipped)} bad record{'s' if len(skipped) != 1 else ''} in "
            f"{literal(report.source)}; nothing was imported"
        )


@directory_group.command(name="export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--include-notes",
    is_flag=True,
    help="Also write your private notes, favourites and verification dates.",
)
@force_option("Replace PATH if it already exists.")
@with_context
def export_command(ctx: Context, path: Path, include_notes: bool, force: bool) -> None:
    """Write the whole directory (imported and hand-added activities) as an HSDS v3 list
    page to PATH. Retired activities are written with status "inactive"."""
    target = path.expanduser()
    writer.check_target(target, force)
    with opened_store(ctx) as db:
        directory.ensure_starter(db, ctx.clock)  # as the app does on first run
        page = directory.export_directory(db, include_notes=include_notes)
        by_hand = db.execute("SELECT count(*) FROM activities WHERE origin = 'hand'").fetchone()[0]
        retired = db.execute("SELECT count(*) FROM activities WHERE retired = 1").fetchone()[0]
    writer.write_text(target, oruk.page_json(page), force=force)
    notes = "with your private notes" if include_notes else "without private notes"
    click.echo(
        f"wrote {page['total_items']} activities ({by_hand} added by hand, {retired} retired) "
        f"to {target} as an Open Referral UK (HSDS v3) list page, {notes}"
    )


def _row_json(row: directory.ActivityRow, ctx: Context, months: int) -> dict[str, Any]:
    fresh = directory.freshness(row, ctx.clock.today(), months)
    return {
        "id": row["id"],
        "source_id": row["source_id"],
        "name": row["name"],
        "organisation": row["organisation"],
        "status": row["status"],
        "retired": bool(row["retired"]),
        "categories": directory.decode_list(row["categories"]),
        "days": directory.decode_list(row["days"]),
        "when": row["schedule_text"],
        "venue": row["venue"],
        "town": row["town"],
        "postcode": row["postcode"],
        "cost": row["cost"],
        "is_free": None if row["is_free"] is None else bool(row["is_free"]),
        "min_age": row["min_age"],
        "max_age": row["max_age"],
        "phone": row["phone"],
        "email": row["email"],
        "url": row["url"],
        "assured_date": row["assured_date"],
        "verified_on": row["verified_on"],
        "last_checked": fresh.last_checked,
        "stale": fresh.stale,
        "favourite": bool(row["favourite"]),
    }


@directory_group.command(name="search")
@click.argument("query", required=False, default="")
@click.option("--category", "-c", help="Only this category (its name or code).")
@click.option("--day", "-d", help="Only activities on this day (Mon, Tuesday, TU...).")
@click.option(
    "--time",
    "time_of_day",
    type=click.Choice(list(directory.TIMES_OF_DAY)),
    help="Only sessions in this part of the day.",
)
@click.option("--free", is_flag=True, help="Only free activities.")
@click.option("--age", type=click.IntRange(0, 120), help="Only activities open to this age.")
@click.option("--area", help="Postcode outward code (HV2), postcode or town.")
@click.option("--all", "show_all", is_flag=True, help="Include closed and retired activities.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@json_option("Print a JSON list.")
@with_context
def search_command(
    ctx: Context,
    query: str,
    category: str | None,
    day: str | None,
    time_of_day: str | None,
    free: bool,
    age: int | None,
    area: str | None,
    show_all: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Search the directory: every word of QUERY must match (as the start of a word) the
    name, description, organisation, categories, venue, town or postcode. Best matches
    first, then the most recently checked."""
    if day:
        try:
            day = normalise_weekday(day)
        except ValidationError as exc:
            fail(f"--day: {exc}", 2)
    settings, _ = ctx.settings()
    months = settings.stale_directory_months
    f = directory.SearchFilter(
        text=query,
        category=category,
        day=day,
        time_of_day=time_of_day,
        free_only=free,
        age=age,
        area=area,
        active_only=not show_all,
        today=ctx.clock.today(),
    )
    with opened_store(ctx, readonly=True, writes_if=directory.needs_starter) as db:
        directory.ensure_starter(db, ctx.clock)  # as the app does on first run
        page = directory.search_page(db, f, limit=limit)
    if as_json:
        echo_json(
            [
                _row_json(r, ctx, months) | {"also_listed_by": page.also_listed.get(r["id"], [])}
                for r in page.rows
            ]
        )
        return
    filters = ", ".join(f.describe())
    what = f'"{literal(query)}"' if query.strip() else "all activities"
    heading = f"{page.total} match{'es' if page.total != 1 else ''} for {what}"
    click.echo(heading + (f" ({filters})" if filters else ""))
    today = ctx.clock.today()
    for row in page.rows:
        fresh = directory.freshness(row, today, months)
        checked = "⚠ stale" if fresh.stale else f"checked {short_date(fresh.last_checked)}"
        if fresh.stale and fresh.last_checked:
            checked += f" (last {short_date(fresh.last_checked)})"
        state = "" if row["status"] == "active" else f" [{row['status']}]"
        if row["retired"]:
            state += " [retired]"
        parts = [
            row["schedule_text"],
            directory.where_short(row),
            directory.cost_short(row),
            checked,
            quality.also_listed_words(page.also_listed.get(row["id"], [])),
        ]
        click.echo(
            f"{row['id']:>5}  {literal(row['name'])}{literal(state)}  ·  "
            + "  ·  ".join(literal(p) for p in parts if p)
        )
    if page.total > len(page.rows):
        click.echo(f"(showing the first {len(page.rows)}; use --limit to see more)")


@directory_group.command(name="pull")
@click.argument("url")
@click.option("--name", help="What to call this source in `directory sources`.")
@click.option("--full", is_flag=True, help="Read every page, not just what changed since.")
@_retire_missing("retire what it no longer lists (a full, complete pull only).")
@click.option("--yes", is_flag=True, help="Go ahead even if over 10% of the feed changes.")
@click.option("--per-page", default=100, show_default=True, type=click.IntRange(1, 1000))
@with_context
def pull_command(
    ctx: Context,
    url: str,
    name: str | None,
    full: bool,
    retire_missing: bool,
    yes: bool,
    per_page: int,
) -> None:
    """Pull an Open Referral UK API (its /services pages) into the directory.

    Once a source has been pulled completely, the next pull asks only for what changed
    (modified_after) unless --full. Ctrl+C stops it with nothing written.
    """
    try:
        pull.check_url(url)
        bar = click.progressbar(length=1, label="reading pages", file=sys.stderr)
        with opened_store(ctx) as db, bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            report = pull.pull(
                db,
                url,
                ctx.clock,
                name=name,
                incremental=not full,
                retire_missing=retire_missing,
                confirm_large=lambda question: yes,
                per_page=per_page,
                progress=progress,
            )
    except pull.PullError as exc:
        fail(f"directory pull: {literal(str(exc))}")
        return
    except KeyboardInterrupt:
        fail("directory pull: stopped; nothing was written", 130)
        return
    click.echo(literal(report.summary()))
    if report.imported.declined:
        fail(f"{literal(report.imported.declined)} Add --yes to go ahead.")


@directory_group.command(name="sources")
@json_option("Print a JSON list.")
@with_context
def sources_command(ctx: Context, as_json: bool) -> None:
    """The feeds `directory pull` has read: when, what it gave, and the last errors."""
    with opened_store(ctx, readonly=True) as db:
        rows = pull.sources(db)
    for row in rows:
        row["last_errors"] = json.loads(row["last_errors"])
        row["paging_problems"] = json.loads(row["paging_problems"])
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no sources yet: `linkworker directory pull URL` reads one")
    for row in rows:
        click.echo(
            f"{literal(row['name'])}  {literal(row['url'])}\n"
            f"  last pulled {row['last_pulled']}: {row['services']} services, {row['new']} new, "
            f"{row['updated']} updated, {row['unchanged']} unchanged, {row['skipped']} skipped, "
            f"{row['retired']} retired"
        )
        for error in row["last_errors"]:
            click.echo(f"  problem: {literal(error)}")


def _quality_lines(q: quality.SourceQuality) -> list[str]:
    kind = {"pull": "pulled", "file": "imported file", "hand": "your own entries"}[q.kind]
    when = f", last pulled {q.last_pulled[:16].replace('T', ' ')}" if q.last_pulled else ""
    lines = [
        f"{literal(q.source)} ({kind}{when})",
        f"  {q.records} records, {q.stale_percent}% not checked in {quality.STALE_MONTHS} "
        f"months ({q.stale}); no contact {q.no_contact}, no place {q.no_location}, "
        f"no times {q.no_schedule}; {q.duplicates} also listed by another feed",
    ]
    lines += [f"  paging problem: {literal(p)}" for p in q.paging_problems]
    lines += [f"  error: {literal(e)}" for e in q.errors]
    return lines


@directory_group.command(name="quality")
@json_option("Print a JSON list, one object a source.")
@with_context
def quality_command(ctx: Context, as_json: bool) -> None:
    """How good each feed is: its records, how many are stale (not checked in 12 months),
    lack a contact, a place or times, are also listed by another feed, and the paging
    problems and errors of its last pull."""
    with opened_store(ctx, readonly=True) as db:
        sources = quality.source_quality(db, ctx.clock.today())
    if as_json:
        echo_json([q.as_json() for q in sources])
        return
    if not sources:
        click.echo("the directory is empty: `linkworker directory import FILE` or `pull URL`")
    for q in sources:
        click.echo("\n".join(_quality_lines(q)))


@directory_group.group(name="annotations")
@common_options
def annotations_group() -> None:
    """Your own notes, favourites, verified dates, retirements and hand edits of the
    directory, as a private file of their own (never inside the public feed)."""


@annotations_group.command(name="export")
@click.argument("path", type=click.Path(path_type=Path))
@force_option("Replace PATH if it already exists.")
@with_context
def annotations_export_command(ctx: Context, path: Path, force: bool) -> None:
    """Write your annotations of the directory to PATH (readable only by you)."""
    target = path.expanduser()
    writer.check_target(target, force)
    with opened_store(ctx) as db:
        document = private_notes.annotations_document(db)
    writer.write_text(target, private_notes.annotations_json(document), force=force)
    count = len(document["annotations"])
    click.echo(f"wrote your annotations of {count} activities to {target} (private: keep it safe)")


@annotations_group.command(name="import")
@click.argument("path", type=click.Path(path_type=Path))
@with_context
def annotations_import_command(ctx: Context, path: Path) -> None:
    """Read an annotations file back onto the activities it names (matched by feed id)."""
    source = path.expanduser()
    try:
        document = json.loads(source.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        fail(f"{literal(source.name)}: no such file")
        return
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        fail(f"{literal(source.name)}: not a readable annotations file ({literal(str(exc))})")
        return
    try:
        with opened_store(ctx) as db:
            report = private_notes.apply_annotations(db, document, ctx.clock)
    except directory.DirectoryError as exc:
        fail(f"{literal(source.name)}: {literal(str(exc))}; nothing was read back")
        return
    click.echo(f"{literal(source.name)}: {report.summary()}")


@directory_group.command(name="referral")
@click.argument("person_id", type=RECORD_ID)
@click.argument("activity_id", type=RECORD_ID)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "md"]),
    default="txt",
    show_default=True,
    help="Plain text or Markdown.",
)
@file_options("--output")
@with_context
def referral_command(
    ctx: Context, person_id: int, activity_id: int, fmt: str, out: Path | None, replace: bool
) -> None:
    """The referral of a person to an activity, for its provider: who is coming, how to reach
    them and the communication and information needs to meet."""
    if out is not None:
        writer.check_target(out, replace)
    settings, _ = ctx.settings()
    with opened_store(ctx, readonly=True) as db:
        today = ctx.clock.today()
        sender = settings.signature()
        if fmt == "md":
            text = directory.referral_note(db, person_id, activity_id, today, sender, "markdown")
        else:
            text = directory.referral_note(db, person_id, activity_id, today, sender)
    print_or_write(text, out, replace, "the referral")


# `directory knowledge share|merge`: kept in cli/knowledge.py (working in a team).
directory_group.add_command(knowledge_group)
