"""The interactive check-in's further questions (`config set checkin-questions full`) and the offer
to fill in unrecorded days of the last week. Every question is skippable with Enter, every answer
is checked by the same functions as the flags, and nothing is asked inside a transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import typer

T = TypeVar("T")


def _ask(question: str, parse: Callable[[str], T]) -> T | None:
    """Ask until the answer parses; Enter skips (None)."""
    from recoverylog.errors import RecoverylogError

    while True:
        text = typer.prompt(f"{question} (Enter to skip)", default="", show_default=False, err=True)
        if not text.strip():
            return None
        try:
            return parse(text.strip())
        except RecoverylogError as exc:
            typer.echo(exc.message, err=True)


def _number(low: float, high: float, what: str, whole: bool) -> Callable[[str], float]:
    from recoverylog.errors import InputError

    def parse(text: str):
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            raise InputError(f"Please enter {'a whole number' if whole else 'a number'} from {low:g} to {high:g} "
                             f"({what}).") from None
        if value != value or not low <= value <= high:
            raise InputError(f"Please enter a number from {low:g} to {high:g} ({what}).")
        return value

    return parse


def _halt(text: str) -> tuple[str, ...]:
    """'l t', 'lonely, tired', 'none': letters or words."""
    from recoverylog.services.checkin import HALT_WORDS, parse_halt

    letters = {w[0]: w for w in HALT_WORDS}
    words = [letters.get(w.lower(), w) for w in text.replace(",", " ").split()]
    if len(words) == 1 and len(words[0]) > 1 and all(c in letters for c in words[0].lower()) \
            and words[0].lower() not in ("none", "no"):
        words = [letters[c] for c in words[0].lower()]  # 'lt'
    return parse_halt(",".join(words)) or ()


def ask_full(store, entry, meetings: list[str], reached_out: list[str]):
    """Stress, sleep, HALT, meetings, outreach and a note, each only when not given as a flag.
    Returns (entry, meetings, reached_out)."""
    from recoverylog.services.checkin import clean_text
    from recoverylog.storage import checkins as checkin_rows
    from recoverylog.storage import contacts as contact_rows
    from recoverylog.storage import report_queries as q

    when = "today" if entry.date == store.today() else f"on {entry.date.strftime('%a %-d %b %Y')}"
    # Checking in again for a day: what it already holds is not asked again.
    existing = checkin_rows.get(store, entry.date) or {}
    answers: dict = {}
    if entry.stress is None and existing.get("stress") is None:
        answers["stress"] = _ask(f"Stress {when} (0 = none, 10 = most)", _number(0, 10, "stress", True))
    if entry.sleep is None and existing.get("sleep") is None:
        answers["sleep"] = _ask("Hours slept last night (0–24)", _number(0, 24, "hours", False))
    if entry.halt is None and not existing.get("halt"):
        answers["halt"] = _ask("Hungry, angry, lonely or tired? (letters or words, e.g. 'l t', or 'none')", _halt)
    if not meetings and not q.meeting_count(store, entry.date, entry.date):
        def check_meetings(text: str) -> list[str]:
            from recoverylog.services import meetings as meeting_service

            names = [n.strip() for n in text.split(",") if n.strip()]
            meeting_service.checkin_hook(store, entry.date, names=names)  # validates; writes nothing
            return names

        meetings = _ask(f"Meetings {when}? (names, comma-separated)", check_meetings) or []
    if not reached_out and not contact_rows.outreach_between(store, entry.date, entry.date):
        if contact_rows.list_all(store):
            def check_people(text: str) -> list[str]:
                from recoverylog.services import contacts

                items = [n.strip() for n in text.split(",") if n.strip()]
                contacts.checkin_hook(store, entry.date, reached_out=items)  # validates; writes nothing
                return items

            reached_out = _ask(f"Reached out to anyone {when}? (aliases, e.g. Sam or Sam:call)", check_people) or []
    if entry.note is None and not existing.get("note"):
        answers["note"] = _ask("A note (private)", lambda text: clean_text("note", text))
    return replace(entry, **{k: v for k, v in answers.items() if v is not None}), meetings, reached_out


def offer_backfill(store, console) -> None:
    """Offer each unrecorded day of the last week, one line each; never forced."""
    from recoverylog.errors import RecoverylogError
    from recoverylog.render.sobriety import fmt_day
    from recoverylog.services import backfill

    today = store.today()
    days = backfill.days_to_offer(store, today)
    if not days:
        return
    typer.echo("", err=True)
    typer.echo(f"{len(days)} of the last 7 days {'has' if len(days) == 1 else 'have'} no check-in. Fill "
               f"{'it' if len(days) == 1 else 'them'} in if you remember: mood and craving, e.g. '6 2' (add "
               "'sober' if you used nothing). Enter skips for now; 'n' leaves a day unrecorded and it is not "
               "offered again.", err=True)
    for day in days:
        while True:
            try:
                text = typer.prompt(f"{fmt_day(day, today)}", default="", show_default=False, err=True).strip()
            except (typer.Abort, EOFError):
                typer.echo("", err=True)
                return  # today's check-in is saved; the other days can wait
            if not text:
                break
            if text.lower() in ("n", "no"):
                backfill.decline(store, day)
                typer.echo(f"Left {fmt_day(day, today)} unrecorded; it will not be offered again.", err=True)
                break
            try:
                mood, craving, sober = backfill.parse_line(text)
                backfill.fill(store, day, mood, craving, sober)
            except RecoverylogError as exc:
                typer.echo(exc.message, err=True)
                continue
            typer.echo(f"Saved {fmt_day(day, today)}: mood {mood}/10, craving {craving}/10"
                       + (", no use recorded" if sober else "") + ".", err=True)
            break

