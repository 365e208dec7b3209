"""Validated self-assessments as data (`data/instruments.json`), checked when loaded, and scored
exactly: every item answered, every answer one of the instrument's options, a plain sum, no
pro-rating (docs/definitions.md §9). A score is not a diagnosis."""

from __future__ import annotations

import json
from functools import lru_cache

from recoverylog.errors import InputError, NotFoundError, StorageError
from recoverylog.records import record

INSTRUMENT_KEYS = ("phq9", "phq2", "gad7", "gad2", "barc10")


@record
class Option:
    value: int
    label: str


@record
class Band:
    min: int
    max: int
    label: str
    suggest: str | None = None  # another instrument to take (PHQ-2 → PHQ-9)


@record
class Instrument:
    key: str
    name: str
    title: str
    measures: str
    recall: str
    stem: str
    items: tuple[str, ...]
    options: tuple[Option, ...]
    min: int
    max: int
    bands: tuple[Band, ...]
    band_noun: str = ""
    safety_item: int | None = None       # PHQ-9 item 9: any answer above 0 shows help at once
    reminder_days: int | None = None     # `status` says when the next one is due
    reference_score: int | None = None   # BARC-10: 47 (not a band)
    reference_text: str = ""
    left_out: str = ""
    source_citation: str = ""
    source_licence: str = ""
    source_url: str = ""
    checked_against: str = ""

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)

    def band(self, total: int) -> Band | None:
        return next((b for b in self.bands if b.min <= total <= b.max), None)

    def option_label(self, value: int) -> str:
        return next(o.label for o in self.options if o.value == value)


@record
class Score:
    instrument: str
    answers: tuple[int, ...]
    total: int
    band: str | None
    item9_positive: bool
    suggest: str | None = None


def _bad(message: str) -> StorageError:
    return StorageError(f"The instruments data file is damaged ({message}); reinstall recoverylog.")


def check_instrument(key: str, raw: dict) -> Instrument:
    """Build one instrument, refusing data whose scoring does not add up: option values must be
    consecutive whole numbers, the stated min/max must equal items × the lowest/highest option,
    bands must cover min..max without gap or overlap."""
    try:
        items = tuple(str(i) for i in raw["items"])
        options = tuple(Option(int(o["value"]), str(o["label"])) for o in raw["options"])
        scoring = raw["scoring"]
        low, high = int(scoring["min"]), int(scoring["max"])
        bands = tuple(Band(int(b["min"]), int(b["max"]), str(b["label"]), b.get("suggest"))
                      for b in raw.get("bands", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(f"{key}: {exc!s}") from None
    if scoring.get("method") != "sum" or not items or not all(t.strip() for t in items):
        raise _bad(f"{key}: only a sum of answered items is supported")
    values = [o.value for o in options]
    if len(values) < 2 or values != list(range(values[0], values[0] + len(values))):
        raise _bad(f"{key}: option values must be consecutive")
    if low != len(items) * values[0] or high != len(items) * values[-1]:
        raise _bad(f"{key}: score range {low}-{high} does not match {len(items)} items")
    if bands:
        expect = low
        for band in bands:
            if band.min != expect or band.max < band.min:
                raise _bad(f"{key}: bands leave a gap or overlap at {expect}")
            expect = band.max + 1
        if expect != high + 1:
            raise _bad(f"{key}: bands stop before {high}")
    safety = raw.get("safety_item")
    if safety is not None and not 1 <= int(safety) <= len(items):
        raise _bad(f"{key}: safety item out of range")
    reference = raw.get("reference") or {}
    source = raw.get("source") or {}
    if not source.get("citation") or not source.get("checked_against"):
        raise _bad(f"{key}: no source")
    return Instrument(
        key=key, name=str(raw["name"]), title=str(raw["title"]), measures=str(raw.get("measures", "")),
        recall=str(raw.get("recall", "")), stem=str(raw["stem"]), items=items, options=options,
        min=low, max=high, bands=bands, band_noun=str(raw.get("band_noun", "")),
        safety_item=int(safety) if safety is not None else None,
        reminder_days=int(raw["reminder_days"]) if raw.get("reminder_days") else None,
        reference_score=int(reference["score"]) if reference.get("score") is not None else None,
        reference_text=str(reference.get("text", "")), left_out=str(raw.get("left_out", "")),
        source_citation=str(source.get("citation", "")), source_licence=str(source.get("licence", "")),
        source_url=str(source.get("url", "")), checked_against=str(source.get("checked_against", "")),
    )


@lru_cache(maxsize=1)
def load_instruments() -> dict[str, Instrument]:
    from importlib import resources

    text = resources.files("recoverylog").joinpath("data/instruments.json").read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(str(exc)) from None
    raw = data.get("instruments") if isinstance(data, dict) else None
    if not isinstance(raw, dict) or set(raw) != set(INSTRUMENT_KEYS):
        raise _bad(f"expected the instruments {', '.join(INSTRUMENT_KEYS)}")
    return {key: check_instrument(key, raw[key]) for key in INSTRUMENT_KEYS}


def get_instrument(name: str) -> Instrument:
    key = name.strip().lower().replace("-", "").replace("_", "")
    found = load_instruments().get(key)
    if found is None:
        raise NotFoundError(f"No self-assessment named {name.strip()!r}. Choose one of: "
                            f"{', '.join(INSTRUMENT_KEYS)}.")
    return found


def parse_answers(text: str, instrument: Instrument) -> tuple[int, ...]:
    """`--answers 0,1,2,…`: whole numbers separated by commas (spaces allowed)."""
    parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()] if text.strip() else []
    out = []
    for number, part in enumerate(parts, 1):
        try:
            out.append(int(part))
        except ValueError:
            raise InputError(f"Answer {number} ({part[:20]!r}) is not a whole number; {instrument.name} answers "
                             f"are {_value_range(instrument)}. Nothing was saved.") from None
    return tuple(out)


def _value_range(instrument: Instrument) -> str:
    return f"{instrument.values[0]}–{instrument.values[-1]}"


def score(instrument: Instrument, answers: tuple[int, ...] | list[int]) -> Score:
    """The exact score. Refuses (InputError) a wrong number of answers or a value that is not one
    of the options: a missing answer is never filled in or pro-rated."""
    answers = tuple(answers)
    n = len(instrument.items)
    if len(answers) != n:
        gap = abs(n - len(answers))
        what = "missing" if len(answers) < n else "too many"
        raise InputError(f"{instrument.name} has {n} items and {len(answers)} answer"
                         f"{' was' if len(answers) == 1 else 's were'} given ({gap} {what}); "
                         "every item needs an answer and none is estimated. Nothing was saved.")
    allowed = instrument.values
    for number, value in enumerate(answers, 1):
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise InputError(f"Answer {number} is {value}, out of range: {instrument.name} answers are "
                             f"{_value_range(instrument)}. Nothing was saved.")
    total = sum(answers)
    band = instrument.band(total)
    safety = instrument.safety_item
    return Score(instrument=instrument.key, answers=answers, total=total,
                 band=band.label if band else None,
                 item9_positive=bool(safety and answers[safety - 1] > 0),
                 suggest=band.suggest if band else None)
