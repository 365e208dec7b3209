"""Goals (docs/definitions.md §7): add, mark done (manual goals), archive. Validate first, then one transaction."""

from __future__ import annotations

from datetime import date

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage import goals as goal_rows
from recoverylog.storage.db import Store

METRICS = ("meetings", "checkins", "sober-days", "outreach", "manual")
PERS = ("week", "month", "total")
MAX_TITLE_CHARS = 200
# Metrics counted at most once a day: a target above the days of the period cannot be reached.
ONCE_A_DAY = ("checkins", "sober-days")


@record
class GoalInput:
    title: str
    metric: str = "manual"
    substance: str | None = None
    target: float | None = None
    every_day: bool = False
    per: str | None = None
    start: date | None = None
    due: date | None = None


def _clean_title(title: str) -> str:
    from recoverylog.textcheck import check_text

    text = " ".join(check_text(title, "goal title").split())  # docs/definitions.md §12
    if not text:
        raise InputError("A goal needs a title, e.g. \"3 meetings a week\".")
    if "\x00" in text or len(text) > MAX_TITLE_CHARS:
        raise InputError(f"A goal title is one line of at most {MAX_TITLE_CHARS} characters.")
    return text


def validate(store: Store, goal: GoalInput, today: date) -> dict:
    """The row to store, or an error naming what to change (nothing is stored)."""
    title = _clean_title(goal.title)
    metric = goal.metric.strip().lower()
    if metric not in METRICS:
        raise InputError(f"Unknown metric {goal.metric!r}: use {', '.join(METRICS)}.")
    per = (goal.per or ("total" if metric == "manual" or goal.due else "week")).strip().lower()
    if per not in PERS:
        raise InputError(f"Unknown period {goal.per!r}: use week, month or total.")
    start = goal.start or today
    if goal.due is not None and goal.due < start:
        raise InputError(f"The due date {goal.due.isoformat()} is before the start {start.isoformat()}.")
    substance_id = None
    if metric == "sober-days":
        if not goal.substance:
            raise UsageError("A sober-days goal needs --substance NAME (which substance's sober days to count).")
        found = goal_rows.substance_by_name(store, goal.substance.strip())
        if found is None:
            known = ", ".join(goal_rows.substance_names(store)) or "none yet (add one with `recoverylog substance add NAME`)"
            raise NotFoundError(f"Unknown substance {goal.substance!r}. Tracked substances: {known}.")
        substance_id = found["id"]
    elif goal.substance:
        raise UsageError("--substance only applies to --metric sober-days.")
    target = goal.target
    if metric == "manual":
        if target is not None or goal.every_day:
            raise UsageError("A manual goal has no target: mark it with `recoverylog goal done TITLE`.")
        target = 1
    else:
        if goal.every_day and target is not None:
            raise UsageError("Give either --target N or --every-day, not both.")
        if not goal.every_day and target is None:
            raise UsageError(f"A {metric} goal needs --target N or --every-day.")
        if target is not None and (target != target or not 0 < target <= 100_000):
            raise InputError(f"--target {target:g} must be a number greater than 0.")
        if goal.every_day and per == "total" and goal.due is None:
            raise UsageError("--every-day with --per total needs --due D (the last day of the goal).")
        if target is not None and metric in ONCE_A_DAY:
            longest = {"week": 7, "month": 31}.get(per)
            if per == "total" and goal.due is not None:
                longest = (goal.due - start).days + 1
            if longest is not None and target > longest:
                raise InputError(f"--target {target:g} {metric} cannot fit in one {per if per != 'total' else 'goal period'} "
                                 f"({longest} days); use --every-day for every day.")
    return {"title": title, "metric": metric, "substance_id": substance_id, "target": target,
            "every_day": int(goal.every_day), "per": per, "start": start.isoformat(),
            "due": goal.due.isoformat() if goal.due else None, "done_on": None, "archived_on": None}


def add_goal(store: Store, goal: GoalInput) -> int:
    row = validate(store, goal, store.today())
    stamp, _ = store.stamp()
    row["created_at"] = stamp
    with store.write() as conn:
        return goal_rows.insert(conn, row)


def resolve(store: Store, ref: str) -> dict:
    """A goal by id (a number) or by title (case-insensitive)."""
    text = ref.strip().lstrip("#")
    if text.isascii() and text.isdigit():  # "¹" is a digit to str.isdigit but not to int()
        found = goal_rows.get(store, int(text))
        if found is None:
            raise NotFoundError(f"There is no goal #{text}. `recoverylog goal list` shows them.")
        return found
    matches = goal_rows.find_by_title(store, " ".join(ref.split()))
    if not matches:
        raise NotFoundError(f"There is no goal titled {ref!r}. `recoverylog goal list` shows them.")
    live = [g for g in matches if g["archived_on"] is None] or matches
    if len(live) > 1:
        ids = ", ".join(f"#{g['id']}" for g in live)
        raise UsageError(f"Several goals are titled {ref!r} ({ids}): give the id instead.")
    return live[0]


def mark_done(store: Store, ref: str, day: date) -> tuple[dict, bool]:
    """Mark a manual goal done on `day`. Returns (goal, changed)."""
    goal = resolve(store, ref)
    if goal["metric"] != "manual":
        raise UsageError(f"“{goal['title']}” counts {goal['metric']} from your records by itself; "
                         "only manual goals are marked done.")
    if goal["done_on"] is not None:
        return goal, False
    if day < date.fromisoformat(goal["start"]):
        raise InputError(f"{day.isoformat()} is before the goal started ({goal['start']}).")
    with store.write() as conn:
        before = goal_rows.get_in(conn, goal["id"])
        store.add_revision(conn, "goal", str(goal["id"]), "update", before)
        goal_rows.set_field(conn, goal["id"], "done_on", day.isoformat())
    return goal | {"done_on": day.isoformat()}, True


def archive(store: Store, ref: str, day: date) -> tuple[dict, bool]:
    goal = resolve(store, ref)
    if goal["archived_on"] is not None:
        return goal, False
    with store.write() as conn:
        before = goal_rows.get_in(conn, goal["id"])
        store.add_revision(conn, "goal", str(goal["id"]), "update", before)
        goal_rows.set_field(conn, goal["id"], "archived_on", day.isoformat())
    return goal | {"archived_on": day.isoformat()}, True
