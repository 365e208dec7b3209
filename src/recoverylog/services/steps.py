"""Step work (12-step and similar programs): record a step's status; read progress.

Each `step N --status …` is kept as one row (history is never lost); a step's state is its
latest row. Programs without steps simply never use this.
"""

from __future__ import annotations

from datetime import date

from recoverylog.errors import InputError
from recoverylog.records import record
from recoverylog.storage.db import Store

STATUSES = ("not-started", "in-progress", "done")
FIRST_STEP, LAST_STEP = 1, 12
DEFAULT_PROGRAM = "12-step"
MAX_PROGRAM_CHARS = 40
MAX_NOTE_CHARS = 2000


@record
class StepState:
    step: int
    status: str
    started: date | None  # first day it was in progress (or done, when never marked in progress)
    finished: date | None  # the day it was done, while it stays done
    note: str | None = None  # only filled in when notes were asked for


@record
class StepProgress:
    program: str | None  # None: no step work recorded
    steps: tuple[StepState, ...]
    current: int | None  # the step being worked, None when none is (not begun, or all done)
    done: int
    all_done: bool = False


@record
class StepChange:
    program: str
    step: int
    status: str
    date: date
    previous: str
    recorded: bool


def parse_step(text: str | int) -> int:
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise InputError(f"{text!r} is not a step number: use {FIRST_STEP}–{LAST_STEP}.") from None
    if not FIRST_STEP <= number <= LAST_STEP:
        raise InputError(f"Step {number} is out of range: steps run from {FIRST_STEP} to {LAST_STEP}. "
                         "Nothing was saved.")
    return number


def parse_status(text: str) -> str:
    status = text.strip().lower().replace("_", "-").replace(" ", "-")
    if status not in STATUSES:
        raise InputError(f"Unknown status {text!r}: use {', '.join(STATUSES)}. Nothing was saved.")
    return status


def clean_program(text: str) -> str:
    program = " ".join(text.split())
    if not program:
        raise InputError("The program name is empty (e.g. AA, NA, CA).")
    if len(program) > MAX_PROGRAM_CHARS:
        raise InputError(f"The program name is longer than {MAX_PROGRAM_CHARS} characters.")
    return program


def resolve_program(store: Store, program: str | None) -> str:
    """The program named (spelled as first recorded), else the one used last, else the default."""
    from recoverylog.storage import steps as rows

    if program is not None:
        name = clean_program(program)
        return rows.canonical_program(store, name) or name
    return rows.latest_program(store) or DEFAULT_PROGRAM


def set_step(store: Store, step_text: str | int, status_text: str, day: date, *, program: str | None = None,
             note: str | None = None) -> StepChange:
    from recoverylog.storage import steps as rows

    step = parse_step(step_text)
    status = parse_status(status_text)
    name = resolve_program(store, program)
    if note is not None:
        note = note.strip().replace("\x00", "") or None
        if note and len(note) > MAX_NOTE_CHARS:
            raise InputError(f"The note is {len(note)} characters; the limit is {MAX_NOTE_CHARS}. Nothing was saved.")
    stamp, _ = store.stamp()
    with store.write() as conn:
        last = rows.last_event_in(conn, name, step)
        previous = last["status"] if last else "not-started"
        same = last is not None and (last["status"], last["date"], last["note"]) == (status, day.isoformat(), note)
        if not same:
            rows.insert(conn, name, step, status, day, note, stamp)
    return StepChange(program=name, step=step, status=status, date=day, previous=previous, recorded=not same)


def step_states(events: list[dict], *, include_notes: bool = False) -> tuple[StepState, ...]:
    """Pure: the 12 steps' states from a program's events (ordered by date, then entry)."""
    states = []
    for number in range(FIRST_STEP, LAST_STEP + 1):
        mine = [e for e in events if e["step"] == number]
        if not mine:
            states.append(StepState(number, "not-started", None, None))
            continue
        status = mine[-1]["status"]
        # The latest stretch of work: events since the step was last reset to not-started.
        since_reset = []
        for event in mine:
            if event["status"] == "not-started":
                since_reset = []
            else:
                since_reset.append(event)
        started = date.fromisoformat(since_reset[0]["date"]) if since_reset else None
        finished = date.fromisoformat(mine[-1]["date"]) if status == "done" else None
        notes = [e["note"] for e in mine if e.get("note")]
        states.append(StepState(number, status, started, finished,
                                note=notes[-1] if include_notes and notes else None))
    return tuple(states)


def current_of(states: tuple[StepState, ...]) -> int | None:
    """The lowest step in progress; else the first step not done after the work begun; else None."""
    in_progress = [s.step for s in states if s.status == "in-progress"]
    if in_progress:
        return min(in_progress)
    if any(s.status == "done" for s in states):
        remaining = [s.step for s in states if s.status != "done"]
        return min(remaining) if remaining else None
    return None


def step_progress(store: Store, program: str | None = None, *, include_notes: bool = False) -> StepProgress:
    """Step progress for the sponsor summary and `steps`: no notes unless asked for."""
    from recoverylog.storage import steps as rows

    name = resolve_program(store, program) if program is not None else rows.latest_program(store)
    if name is None:
        return StepProgress(program=None, steps=step_states([]), current=None, done=0)
    states = step_states(rows.events(store, name), include_notes=include_notes)
    done = sum(1 for s in states if s.status == "done")
    return StepProgress(program=name, steps=states, current=current_of(states), done=done,
                        all_done=done == LAST_STEP)


@record
class CurrentStep:
    program: str
    step: int | None  # None with all_done
    status: str
    since: date | None
    done: int
    all_done: bool = False


def current_step(store: Store) -> CurrentStep | None:
    """For `status`: the step being worked, or None when no step work is recorded."""
    progress = step_progress(store)
    if progress.program is None:
        return None
    if progress.current is None:
        if progress.all_done:
            last = max((s.finished for s in progress.steps if s.finished), default=None)
            return CurrentStep(progress.program, None, "done", last, progress.done, all_done=True)
        return None
    state = progress.steps[progress.current - 1]
    return CurrentStep(progress.program, state.step, state.status, state.started, progress.done)
