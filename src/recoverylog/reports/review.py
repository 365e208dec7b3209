"""`review`: a sponsor's or peer coach's reading of summaries people sent them.

Files are untrusted: each is size-checked before it is read, parsed with guards, and turned into
a `SummaryView` (reports/summary_view.py) that has no raw values left in it. A file that cannot be
read becomes a `FileProblem` with one line of explanation; the others are still shown."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

from recoverylog import schemacheck
from recoverylog.errors import InputError, RecoverylogError
from recoverylog.exports import envelope
from recoverylog.records import record
from recoverylog.reports.signature import SignatureStatus, signature_status
from recoverylog.reports.summary_view import HIGH_CRAVING, OverviewStated, SummaryView, overview_parts, summary_view

NO_CHECKIN_DAYS = 3
HIGH_CRAVING_DAYS = 2
# A hard week for mood (docs/definitions.md §8): any day at or below LOW_MOOD_DAY, or a mean at or below LOW_MOOD_MEAN.
LOW_MOOD_DAY = 2
LOW_MOOD_MEAN = 3

# Flags, most pressing first, with the weight that sorts people who may need a call to the top.
FLAG_WEIGHTS = {
    "signature_invalid": 16,
    "use_outside_goal": 8,
    "high_craving": 4,
    "no_checkin": 4,
    "low_mood": 4,
    "message": 3,
    "requirement_behind": 2,
    "altered": 1,
}


@record
class LoadedSummary:
    path: str
    view: SummaryView
    signature: SignatureStatus | None = None


@record
class LoadedCourt:
    """A court sheet: the exporter's CourtSheet read back, its digest check and signature."""
    path: str
    sheet: Any
    digest_ok: bool
    signature: SignatureStatus
    flags: tuple["Flag", ...] = ()


@record
class FileProblem:
    path: str
    message: str


@record
class Flag:
    code: str
    text: str


@record
class OverviewRow:
    path: str
    name: str | None
    period_start: date | None
    period_end: date | None
    continuous_days: tuple[tuple[str, int | None], ...]
    checkin_days: int
    period_days: int
    checkin_share: float | None
    craving_mean: float | None
    craving_max: float | None
    high_craving_days: int
    use_days: int
    meetings: int
    meetings_required: int | None
    longest_gap: int
    flags: tuple[Flag, ...]
    verified: bool
    meetings_counted: int | None = None     # toward the first requirement, over its periods in the summary
    requirement: str | None = None          # e.g. "court: 3 of 6 in its weeks"
    signature: SignatureStatus | None = None
    mood_min: float | None = None
    mood_mean: float | None = None
    message: str | None = None
    previous: Any = None                    # summary_view.PreviousPeriod

    @property
    def score(self) -> int:
        return sum(FLAG_WEIGHTS.get(f.code, 0) for f in self.flags)
    # Of each substance's continuous days, how many the file says were recorded (None: not stated).
    continuous_recorded: tuple[tuple[str, int | None], ...] = ()


@record
class Review:
    summaries: tuple[LoadedSummary, ...]
    problems: tuple[FileProblem, ...]
    overview: tuple[OverviewRow, ...]
    court_sheets: tuple[LoadedCourt, ...] = ()


def load_summary(path: Path, trusted: dict[str, str] | None = None,
                 overview_only: bool = False) -> "LoadedSummary | LoadedCourt":
    """Read one file; raises RecoverylogError (one line) when it is not a readable summary or court sheet.
    `trusted` maps base64 public keys to the reader's names for them (their trust list).
    `overview_only`: a summary's view holds only what `overview_row` reads (summary_view's
    `overview_only`), for a caller that keeps nothing else of it."""
    label, doc, signature, verified, fingerprint = _checked(path, trusted)
    if doc.get("profile") == "court":
        return load_court(label, doc, signature, verified, fingerprint)
    return LoadedSummary(path=label, view=summary_view(doc, verified, fingerprint=fingerprint,
                                                       overview_only=overview_only),
                         signature=signature)


def _checked(path: Path, trusted: dict[str, str] | None) -> tuple[str, dict, SignatureStatus, bool, str | None]:
    """One file read and checked, before any of its figures is read: (label, document, signature,
    digest matches, the signing key's fingerprint when its signature was checked)."""
    # Modules this reads every file with are imported with this module, not at every call.
    label = str(path)
    doc, size, dates_ok, content = _read_document(path, label)
    envelope.check_envelope(doc, label)
    profile = doc.get("profile")
    if profile not in ("sponsor", "court"):
        shown = profile if isinstance(profile, str) and profile.isalpha() and len(profile) < 20 else "unknown"
        raise InputError(f"{label}: a {shown} export; review reads sponsor summaries and court sheets.")
    schemacheck.check_export(doc, label, dates_ok=dates_ok)  # before one figure is read (docs/definitions.md §12)
    signature = check_signature(doc, trusted or {}, content)
    fingerprint = signature.fingerprint if signature.status in ("verified", "untrusted") else None
    verified = envelope.verify(doc, file_bytes=size) if content is None else _digest_matches(doc, content)
    return label, doc, signature, verified, fingerprint


def _read_document(path: Path, label: str) -> tuple[Any, int | None, bool, bytes | None]:
    """The parsed file, its size in bytes (None when not known), whether its dates are known
    to pass the schema's date rule and its content's canonical form (`_parse_exported`): `_refuse_rendered_summary`
    and then `read_json_file`, the same answers and the same errors, with a regular file of
    acceptable size opened and read once (the rendered-summary test looks at the bytes read).
    Anything else (a file that cannot be stat'ed or opened, is not regular, is too large, or
    grew while it was read) takes the two steps as they are."""
    raw = None
    if (path if isinstance(path, Path) else Path(path)).suffix.lower() not in _RENDERED_SUFFIXES:
        try:
            info = os.stat(path)
            if stat.S_ISREG(info.st_mode) and info.st_size <= envelope.MAX_SUMMARY_BYTES:
                raw = _read_bytes(path, info.st_size + 1)
                if len(raw) > info.st_size:
                    raw = None
        except OSError:
            raw = None
    if raw is not None:
        _refuse_rendered_head(raw[:64], label)
        doc, dates_ok, content = _parse_exported(raw, label, envelope.parse_json_bytes)
        return doc, len(raw), dates_ok, content
    _refuse_rendered_summary(path, label)
    return envelope.read_json_file(path, label), None, False, None


def _read_bytes(path: Path, limit: int) -> bytes:
    """`open(path, "rb").read(limit)` (up to `limit` bytes, fewer only at the end of the file),
    through the file descriptor alone: no file object is built for each of thousands of files."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        raw = os.read(fd, limit)
        while 0 < len(raw) < limit:
            piece = os.read(fd, limit - len(raw))
            if not piece:
                break
            raw += piece
        return raw
    finally:
        os.close(fd)


_UNREAD = object()
# Strings whose first ten characters are shaped "....-..-..": the only ones the date rule tests.
_DATE_SHAPED: Any = None


def _parse_exported(raw: bytes, label: str, reference) -> tuple[Any, bool, bytes | None]:
    """`reference(raw, label)` (envelope.parse_json_bytes), the same document and the same errors;
    whether its dates are known to pass `schemacheck.check_dates`; and the canonical form of its
    content (envelope.canonical of the document without "digest" and "signature"), or None.
    A text of at most envelope.WHOLE_DIGEST_BYTES holding no backslash is parsed without the
    duplicate-key hook (by orjson where `_quick_read` can vouch for its answer, else by the
    standard library), and taken only when its quotes are the canonical form's
    (docs/definitions.md §12, "Reading a summary once"): then no key was dropped, so none repeats.
    Anything else, an error included, goes to the reference, which decides and words it."""
    if len(raw) <= envelope.WHOLE_DIGEST_BYTES and b"\\" not in raw:
        try:
            text = raw.decode("utf-8-sig")
            quick = _quick_read(text)
            if quick is None:
                doc = _DECODER.decode(text)   # json.loads(text, parse_constant=...), its decoder built once
                content = _canonical_encoder()({k: v for k, v in doc.items() if k not in _UNSIGNED}) \
                    if type(doc) is dict else None
            else:
                doc, content = quick
            if content is not None:
                if "signature" not in doc and type(doc.get("digest", "")) is str:
                    rest = 4 if "digest" in doc else 0   # {"digest":"…"}: its text holds no quote
                else:
                    rest = _canonical_encoder()({k: v for k, v in doc.items() if k in _UNSIGNED}).count(b'"')
                if raw.count(b'"') == content.count(b'"') + rest:
                    return doc, _dates_pass(text), content
        except Exception:  # noqa: BLE001 - the reference parse decides and words the error
            pass
    return reference(raw, label), False, None


def _quick_read(text: str) -> tuple[dict, bytes] | None:
    """For a JSON text holding no backslash: the object it parses to and the canonical form of that
    object without "digest" and "signature", both by orjson (several times the standard library's
    speed), or None where orjson is not installed, refuses the text, parses it to something other
    than an object, or writes a number it cannot be shown to write as `canonical` does
    (docs/definitions.md §12). What orjson parses, json parses to the same values except an
    integer beyond 64 bits, which orjson reads as a float of 2**63 or more; its encoding with sorted
    keys is canonical's for strings with nothing to escape, for keys (sorted by code point) and for
    integers, and writes every float with a "." or an exponent: `_floats_canonical` checks each
    float it wrote against Python's repr, so a float canonical writes with an exponent (every one
    of 1e16 or more, a wide integer's float among them) sends the text back: in the content and
    in the "digest" and "signature" entries left out of it, which the document holds too."""
    try:
        import orjson
    except ImportError:   # pragma: no cover - a dependency; review reads without it
        return None
    try:
        doc = orjson.loads(text)
        if type(doc) is not dict:
            return None
        content = orjson.dumps({k: v for k, v in doc.items() if k not in _UNSIGNED}, option=orjson.OPT_SORT_KEYS)
        if not _floats_canonical(content):
            return None
        if "signature" in doc or type(doc.get("digest", "")) is not str:   # the entries left out, checked too
            return (doc, content) if _floats_canonical(orjson.dumps({k: doc[k] for k in _UNSIGNED if k in doc})) \
                else None
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):   # refused, or nested past orjson's limits
        return None
    return doc, content


# Digits to "0" and "E" to "e": a number's shape kept, its digits not.
_SHAPES = bytes.maketrans(b"123456789E", b"000000000e")
_FIXED: Any = None
_AFTER_VALUE = (b",", b"]", b"}")


def _floats_canonical(encoded: bytes) -> bool:
    """Whether orjson's compact `encoded` JSON writes its strings and its floats as `canonical`
    does: no backslash (no string with anything escaped: a control character, '"' or '\\'), no
    digit followed by an exponent's "e" or "E" anywhere (inside a string too: then the answer is
    only needlessly False), and every float written with a "." (a run of digits, ".", digits,
    after one of ':,[' and before one of ',]}'; a run not between those is inside a string)
    spelled as Python's repr spells it."""
    global _FIXED
    if b"\\" in encoded:
        return False
    shapes = encoded.translate(_SHAPES)
    if b"0e" in shapes:
        return False
    if _FIXED is None:
        import re

        _FIXED = re.compile(rb"-?[0-9]+\.[0-9]+").match
    at = encoded.find(b".")
    while at > 0:
        if shapes[at - 1] == 48 and shapes[at + 1:at + 2] == b"0":   # a digit on each side
            start = at - 1
            while start and shapes[start - 1] == 48:   # back to the first digit
                start -= 1
            if start and shapes[start - 1] == 45:      # and its "-"
                start -= 1
            if start and encoded[start - 1] in b":,[":
                token = _FIXED(encoded, start)
                if encoded[token.end():token.end() + 1] in _AFTER_VALUE \
                        and repr(float(token[0])) != token[0].decode("ascii"):
                    return False
        at = encoded.find(b".", at + 1)
    return True


_UNSIGNED = ("digest", "signature")
_CANONICAL: Any = None


def _canonical_encoder():
    """`envelope.canonical` for what json.loads makes, built once (envelope.row_encoder with
    canonical's settings, for a tree: a parsed document holds no object twice)."""
    global _CANONICAL
    if _CANONICAL is None:
        encode = envelope.row_encoder(sort_keys=True, compact=True, tree=True)
        _CANONICAL = lambda value: encode(value).encode("utf-8")  # noqa: E731
    return _CANONICAL


def _dates_pass(text: str) -> bool:
    """True only when every string in `text` (JSON with no backslash) whose first ten characters
    are shaped like a date is a date within the limits (schemacheck.date_text_ok): a superset of
    the strings `check_dates` tests, so True means it finds nothing. False: it decides. Each match
    starts at the string's first `-` (the fifth character, a `"` and four others before it), as
    (its four characters before the `-`, the five after it); the pairs already found to pass
    (the same dates recur across files) are answered by one set test."""
    global _DATE_SHAPED
    if _DATE_SHAPED is None:
        import re

        _DATE_SHAPED = re.compile(r'-(?<="([^"]{4})-)([^"]{2}-[^"]{2})').findall
    found = _DATE_SHAPED(text)
    if _DATES_PASSED.issuperset(found):
        return True
    date_text_ok = schemacheck.date_text_ok
    for year, rest in found:
        if not date_text_ok(f"{year}-{rest}"):
            return False
    if len(_DATES_PASSED) > 50_000:
        _DATES_PASSED.clear()
    _DATES_PASSED.update(found)
    return True


_DATES_PASSED: set[tuple[str, str]] = set()


_DECODER = json.JSONDecoder(parse_constant=envelope._reject_constant)   # json.loads' decoder, built once


def _digest_matches(doc: dict, content: bytes) -> bool:
    """`envelope.verify(doc)` given the canonical form of its content (`_parse_exported`)."""
    return envelope.claims_digest(doc, envelope.DIGEST_PREFIX + hashlib.sha256(content).hexdigest())


def check_signature(doc: Any, trusted: dict[str, str], content: bytes | None = None) -> SignatureStatus:
    """The file's signature against the reader's trust list (reports/signature.py): kept in its own
    function so schema checks and hostile-file handling compose around it. `content`: the
    canonical form of the content (`_parse_exported`), the signing input, so it is not made twice."""
    if type(doc) is dict and "signature" not in doc:
        return SignatureStatus("unsigned", None, None)   # signature_status's first answer, signing not loaded
    return signature_status(doc, trusted, content)


def load_court(label: str, doc: dict, signature: SignatureStatus, digest_ok: bool,
               fingerprint: str | None) -> LoadedCourt:
    from recoverylog.errors import InputError
    from recoverylog.reports.court_view import court_view

    sheet = court_view(doc, fingerprint)
    if sheet is None:
        raise InputError(f"{label}: a court sheet that states no period and has no meetings; nothing to review.")
    flags = []
    if signature.status == "invalid":
        flags.append(Flag("signature_invalid", "signature does not match: changed after signing"))
    behind = []
    for req in sheet.requirements:
        for p in req.periods:
            if not p.met and not p.current:
                behind.append(f"{req.label}: {p.counted} of {p.required} ({p.start.isoformat()} to {p.end.isoformat()})")
                break
    if behind:
        flags.append(Flag("requirement_behind", "meeting requirement behind: " + "; ".join(behind)))
    if not digest_ok:
        flags.append(Flag("altered", "file changed after export"))
    return LoadedCourt(path=label, sheet=sheet, digest_ok=digest_ok, signature=signature, flags=tuple(flags))


def _refuse_rendered_summary(path: Path, label: str) -> None:
    """An HTML or markdown summary is for reading, not for review: say to ask for the JSON."""
    kind = _RENDERED_SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return  # a FIFO or device is never opened (it could block); read_json_file says why
            with open(path, "rb") as handle:
                head = handle.read(64)
        except OSError:
            return  # read_json_file says why
        _refuse_rendered_head(head, label)
        return
    _refuse_rendered(kind, label)


_RENDERED_SUFFIXES = {".html": "an HTML", ".htm": "an HTML", ".md": "a markdown", ".markdown": "a markdown",
                      ".csv": "a CSV"}


def _refuse_rendered_head(head: bytes, label: str) -> None:
    """The test on a file's first 64 bytes: an HTML page or a markdown document is refused."""
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        _refuse_rendered("an HTML", label)
    elif head.startswith(b"# "):
        _refuse_rendered("a markdown", label)


def _refuse_rendered(kind: str, label: str) -> None:
    from recoverylog.errors import InputError

    raise InputError(f"{label}: {kind} summary is made for reading; review reads the JSON file. "
                     "Ask for it (`recoverylog export -f json -o summary.json`).")


def review_files(paths: list[Path], trusted: dict[str, str] | None = None, keep_views: bool = True) -> Review:
    """Read every file; `keep_views=False` keeps only the overview rows (`summaries` is then
    empty), so thousands of files never sit in memory at once. Court sheets are always kept.
    `trusted` maps base64 public keys to the reader's names for them."""
    import gc

    loaded: list[LoadedSummary] = []
    courts: list[LoadedCourt] = []
    problems: list[FileProblem] = []
    rows: list[OverviewRow] = []
    # Thousands of kept objects (frozen dataclasses, no cycles) would be rescanned by every
    # garbage collection: what each file leaves is moved out of the collector's sight
    # (gc.freeze), and everything is handed back at the end. Reading a file makes no cycles
    # (parsed JSON, views and rows are trees freed by reference counting), so the collector
    # is also paused over the loop: its young-generation passes only rescanned a file's
    # short-lived objects.
    enabled = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            # Everything about one file (reading, checking, every figure of its overview row) is
            # contained here: whatever one file does, the other files still show.
            try:
                if keep_views:
                    item = load_summary(path, trusted)
                    row = overview_row(item) if isinstance(item, LoadedSummary) else None
                else:
                    label, doc, signature, verified, fingerprint = _checked(path, trusted)
                    if doc.get("profile") == "court":
                        item, row = load_court(label, doc, signature, verified, fingerprint), None
                    else:
                        item, row = None, summary_row(label, doc, verified, signature)
            except RecoverylogError as exc:
                problems.append(FileProblem(str(path), exc.message))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the rest
                problems.append(FileProblem(str(path), f"{path}: cannot be read ({type(exc).__name__}); "
                                                       "the other files are still shown."))
                continue
            if isinstance(item, LoadedCourt):
                courts.append(item)
            elif row is not None:
                rows.append(row)
                if keep_views and isinstance(item, LoadedSummary):
                    loaded.append(item)
            del item
            gc.freeze()
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
    rows.sort(key=lambda r: (-r.score, -r.high_craving_days, -r.longest_gap, (r.name or "").lower(), r.path))
    courts.sort(key=lambda c: (-sum(FLAG_WEIGHTS.get(f.code, 0) for f in c.flags), (c.sheet.name or "").lower(), c.path))
    return Review(tuple(loaded), tuple(problems), tuple(rows), tuple(courts))


# -- measures over the view ------------------------------------------------------------

def _day_parts(view: SummaryView) -> list:
    """A view's day records as summary_view.overview_days gives them (the overview's reading)."""
    return [(r.date, r.checkin, r.mood, r.craving, tuple((m.substance, m.used, m.amount) for m in r.uses))
            for r in view.days]


def longest_gap(view: SummaryView) -> int:
    """The longest run of days in the period without a check-in."""
    return _longest_gap(view.period_start, view.period_end, {d.date.toordinal() for d in view.days if d.checkin})


def _longest_gap(start: date | None, end: date | None, present: set[int]) -> int:
    """`longest_gap` given the day numbers (date.toordinal) of the days with a check-in."""
    if start is None or end is None:
        return 0
    best = run = 0
    for day in range(start.toordinal(), end.toordinal() + 1):   # the dates, as day numbers
        run = 0 if day in present else run + 1
        if run > best:
            best = run
    return best


def outside_goal_days(view: SummaryView) -> list[tuple[date, str]]:
    """(date, substance) pairs with use outside the person's own goal: any use under abstain, and
    under reduce a day the day-state engine judges over the goal (over the daily limit, or past the
    allowed use days of its week or month). A use whose amount was not recorded is neither within
    nor over (docs/definitions.md §4); monitor goals never are."""
    return _outside_goal(view.substances, _day_parts(view))


def _outside_goal(substances, days: list) -> list[tuple[date, str]]:
    """`outside_goal_days` of the substance lines and the days as summary_view.overview_days gives them."""
    from recoverylog.reports import daystate as ds

    goals = {s.name.casefold(): s for s in substances}
    histories: dict[str, ds.History | None] = {}

    def history(key: str) -> "ds.History | None":
        # Built when first asked for (a History is only read): the substance's records by date.
        if key not in histories:
            line = goals[key]
            records = {day: ds.UseDay(used, amount) for day, _, _, _, uses in days for name, used, amount in uses
                       if name.casefold() == key}
            histories[key] = ds.History(records, min(records), ds.Limits("reduce", line.max_per_day, line.max_days,
                                                                       line.max_days_per)) if records else None
        return histories[key]

    found: list[tuple[date, str]] = []
    for day, _, _, _, uses in sorted(days, key=_first):
        for name, used, _ in uses:
            if not used:
                continue
            key = name.casefold()
            sub = goals.get(key)
            goal = sub.goal if sub else "abstain"
            if goal == "abstain":
                found.append((day, name))
            elif goal == "reduce":
                held = history(key)
                if held is not None and ds.day_within_goal(held, day) is False:
                    found.append((day, name))
    return found


def _first(item: tuple) -> Any:
    return item[0]


def requirement_behind(view: "SummaryView | OverviewStated") -> list[str]:
    """Requirements behind: a finished period not met, or a running one below its pro-rata share."""
    behind = []
    end = view.period_end
    for req in view.requirements:
        for p in req.periods:
            if p.met:
                continue
            if p.complete or (end is not None and p.end <= end):
                behind.append(f"{req.label}: {p.counted} of {p.required} "
                              f"({p.start.isoformat()} to {p.end.isoformat()})")
                break
            if end is not None and p.start <= end:
                elapsed = (end - p.start).days + 1
                length = (p.end - p.start).days + 1
                if p.counted < int(p.required * elapsed / length):
                    behind.append(f"{req.label}: {p.counted} of {p.required} so far "
                                  f"({p.start.isoformat()} to {p.end.isoformat()})")
                    break
    return behind


def overview_row(summary: LoadedSummary) -> OverviewRow:
    """One person's overview row from their summary's view (a full one or an overview-only one)."""
    return _row(summary.path, summary.view, _day_parts(summary.view), summary.signature)


def summary_row(label: str, doc: dict, verified: bool, signature: SignatureStatus | None) -> OverviewRow:
    """`overview_row` of `load_summary(..., overview_only=True)` for a checked document, its days read
    as tuples instead of records (summary_view.overview_parts; a test compares the two)."""
    stated, days = overview_parts(doc, verified)
    return _row(label, stated, days, signature)


def _row(path: str, view: "SummaryView | OverviewStated", days: list, signature: SignatureStatus | None) -> OverviewRow:
    """The overview row: `view` (a SummaryView, or what summary_view.overview_parts states) for
    what the summary states, `days` (summary_view.overview_days) for its days (a view's own day
    records are not read)."""
    present: set[int] = set()
    used_on: set[date] = set()
    moods: list[float] = []
    counted_high = 0
    for day, checkin, mood, craving, uses in days:
        if checkin:
            present.add(day.toordinal())
        for use in uses:
            if use[1]:
                used_on.add(day)
                break
        if mood is not None:
            moods.append(mood)
        if craving is not None and craving >= HIGH_CRAVING:
            counted_high += 1
    gap = _longest_gap(view.period_start, view.period_end, present)
    outside = _outside_goal(view.substances, days)
    behind = requirement_behind(view)
    use_days = len(used_on)
    high = counted_high or view.high_craving_days
    flags = []
    if signature is not None and signature.status == "invalid":
        flags.append(Flag("signature_invalid", "signature does not match: changed after signing"))
    mood = view.measures.get("mood")
    mood_mean = mood.mean if mood and mood.mean is not None else (sum(moods) / len(moods) if moods else None)
    mood_min = min(moods) if moods else (mood.min if mood else None)
    if (mood_min is not None and mood_min <= LOW_MOOD_DAY) or (mood_mean is not None and mood_mean <= LOW_MOOD_MEAN):
        low = [d[0] for d in days if d[2] is not None and d[2] <= LOW_MOOD_DAY]
        parts = []
        if low:
            parts.append(f"mood {LOW_MOOD_DAY} or below on {len(low)} day{'s' if len(low) != 1 else ''}")
        if mood_mean is not None and mood_mean <= LOW_MOOD_MEAN:
            parts.append(f"mean mood {round(mood_mean, 1):g}")
        flags.append(Flag("low_mood", "hard week for mood: " + ", ".join(parts or ["lowest mood "
                                                                                   f"{mood_min:g}"])))
    if view.message:
        flags.append(Flag("message", f"wants to talk about: {view.message[:120]}"))
    if outside:
        count = len({d for d, _ in outside})
        subs = sorted({s for _, s in outside})
        flags.append(Flag("use_outside_goal",
                          f"use outside own goal on {count} day{'s' if count != 1 else ''} ({', '.join(subs)})"))
    if high >= HIGH_CRAVING_DAYS:
        flags.append(Flag("high_craving", f"craving {HIGH_CRAVING}+ on {high} days"))
    if gap >= NO_CHECKIN_DAYS:
        flags.append(Flag("no_checkin", f"no check-in for {gap} days"))
    if behind:
        flags.append(Flag("requirement_behind", "meeting requirement behind: " + "; ".join(behind)))
    if not view.verified:
        flags.append(Flag("altered", "file changed after export"))
    required = counted = requirement = None
    if view.requirements:
        first = view.requirements[0]
        periods = [p for p in first.periods if view.period_start is None or p.end >= view.period_start]
        required = sum(p.required for p in periods)
        counted = sum(p.counted for p in periods)
        unit = {"week": "weeks", "month": "months"}.get(first.per or "", "periods")
        requirement = f"{first.label}: {counted} of {required} in its {unit}"
    craving = view.measures.get("craving")
    return OverviewRow(
        path=path, name=view.name, period_start=view.period_start, period_end=view.period_end,
        continuous_days=tuple((s.name, s.continuous_days) for s in view.substances if s.goal == "abstain"),
        continuous_recorded=tuple((s.name, s.recorded_since_last_use) for s in view.substances if s.goal == "abstain"),
        checkin_days=view.checkin_days, period_days=view.period_days, checkin_share=view.checkin_share,
        craving_mean=craving.mean if craving else None, craving_max=craving.max if craving else None,
        high_craving_days=high, use_days=use_days, meetings=view.meetings_count, meetings_required=required,
        longest_gap=gap, flags=tuple(flags), verified=view.verified, meetings_counted=counted,
        requirement=requirement, signature=signature, mood_min=mood_min, mood_mean=mood_mean,
        message=view.message, previous=view.previous,
    )


def overview_json(review: Review) -> dict:
    """The stable JSON shape of `review --format json`."""
    def row(r: OverviewRow) -> dict:
        return {"file": r.path, "name": r.name,
                "period": {"start": r.period_start.isoformat() if r.period_start else None,
                           "end": r.period_end.isoformat() if r.period_end else None, "days": r.period_days},
                "continuous_days": [{"substance": n, "days": d,
                                     "recorded": dict(r.continuous_recorded).get(n)} for n, d in r.continuous_days],
                "checkin_days": r.checkin_days,
                "checkin_share": None if r.checkin_share is None else round(r.checkin_share, 4),
                "craving_mean": None if r.craving_mean is None else round(r.craving_mean, 2),
                "craving_max": r.craving_max, "high_craving_days": r.high_craving_days,
                "use_days": r.use_days, "meetings": r.meetings, "meetings_required": r.meetings_required,
                "meetings_counted": r.meetings_counted, "requirement": r.requirement,
                "longest_without_checkin": r.longest_gap, "digest_ok": r.verified,
                "flags": [f.code for f in r.flags], "flag_text": [f.text for f in r.flags],
                "priority": r.score,
                "message": r.message, "previous_period": _previous_json(r.previous),
                "mood_min": r.mood_min, "mood_mean": None if r.mood_mean is None else round(r.mood_mean, 2),
                "signature": _signature_json(r.signature)}

    return {"version": 1,
            "overview": [row(r) for r in review.overview],
            "court_sheets": [court_json(c) for c in review.court_sheets],
            "errors": [{"file": p.path, "error": p.message} for p in review.problems]}


def _previous_json(p) -> dict | None:
    if p is None:
        return None
    return {"start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days,
            "checkin_days": p.checkin_days, "craving_mean": p.craving_mean, "meetings": p.meetings,
            "substances": [{"name": x.name, "use_days": x.use_days, "recorded_days": x.recorded_days}
                           for x in p.substances]}


def _signature_json(sig: SignatureStatus | None) -> dict:
    sig = sig or SignatureStatus("unsigned", None, None)
    return {"status": sig.status, "signer": sig.signer, "fingerprint": sig.fingerprint, "reason": sig.reason}


def court_json(court: LoadedCourt) -> dict:
    """One court sheet in `review --format json`: its rows, requirement totals and signature."""
    from recoverylog.jsonable import to_jsonable

    sheet = court.sheet
    return {"file": court.path, "profile": "court", "name": sheet.name,
            "period": {"start": sheet.period_start.isoformat(), "end": sheet.period_end.isoformat(),
                       "days": (sheet.period_end - sheet.period_start).days + 1},
            "meetings": sheet.meetings, "verified": sheet.verified, "meeting_days": sheet.meeting_days,
            "rows": to_jsonable(sheet.rows),
            "requirements": [{"label": q.label, "rule": q.rule,
                              "counted": sum(p.counted for p in q.periods),
                              "required": sum(p.required for p in q.periods),
                              "periods": to_jsonable(q.periods)} for q in sheet.requirements],
            "digest_ok": court.digest_ok, "flags": [f.code for f in court.flags],
            "flag_text": [f.text for f in court.flags], "signature": _signature_json(court.signature)}
