"""A full backup read by the exporter's layout (exports/full_layout.py) against the reference reading
(parse the whole file, `envelope.verify` the digest), on exporter-written backups whose text is
changed at random, with the digest left as it was or recomputed canonically
(docs/definitions.md §12, "Reading a backup by its layout"):

- where the layout reading gives a document, it is the document the whole file parses to (values,
  their types and key order), and the file parses without error;
- where the text's digest matches the claimed one, so does the canonical digest (the reference
  accepts); where it does not, the reference decides (the reader never refuses on its own).
The one file the two part on is a digest computed over non-canonical text: pinned below."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.errors import InputError
from recoverylog.exports.envelope import compute_digest, parse_json_bytes, verify
from recoverylog.exports.full_layout import read_laid_out
from summary_seed import copy_db, seeded_once

DIGEST = re.compile(rb'"digest": "sha256:[0-9a-f]{64}"')
VALUE = rb'([^,{}"]*|"[^"\\]*")'
ROW_START = re.compile(rb'\{"([a-z_]+)":' + VALUE + rb',"([a-z_]+)":' + VALUE + rb"([,}])")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("layout"), "source", used_on=(3,), skip=(5,))


@pytest.fixture
def backup(cli, template, tmp_path: Path) -> bytes:
    db = copy_db(template, tmp_path / "source.db")
    cli("--db", str(db), "checkin", "--date", "2026-11-20", "--mood", "9", "--tag", "café", "--note",
        'a "quoted" },{ note \\ with é', ok=True)
    out = tmp_path / "backup.json"
    cli("--db", str(db), "export", "--profile", "full", "-o", str(out), ok=True)
    return out.read_bytes()


def _reference(raw: bytes):
    """What reading the whole file gives: the document (types and order kept) and whether the
    digest matches, or the refusal's message."""
    try:
        doc = parse_json_bytes(raw, "x.json")
    except InputError as exc:
        return ("refused", exc.message)
    return ("parsed", json.dumps(doc, ensure_ascii=False), verify(doc))


def _laid_out(raw: bytes):
    laid = read_laid_out(raw)
    if laid is None:
        return None
    doc = laid.doc
    text_match = isinstance(doc, dict) and doc.get("digest") == laid.text_digest
    return ("parsed", json.dumps(doc, ensure_ascii=False), text_match or verify(doc)), text_match


def _redigest(raw: bytes) -> bytes:
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
        digest = compute_digest(doc).encode()
    except (ValueError, TypeError, AttributeError, RecursionError):
        return raw
    return DIGEST.sub(b'"digest": "' + digest + b'"', raw)


PIECES = [b" ", b"\n", b"\n        ", b",", b":", b"{", b"}", b"[", b"]", b'"', b"\\", b"0", b"1", b".", b"e",
          b"-", "é".encode(), b"\\u00e9", b'"x":1,', b"null", b"\r", b"\t", b"\xef\xbb\xbf", b"\xff",
          b",\n      ", b"\n      ]", b'\n      "uses": [', b"1.0", b"5.00", b"  ", b", "]


@st.composite
def edited(draw, raw: bytes) -> bytes:
    """The backup's text with one to three edits: a piece inserted, a span deleted or replaced,
    a number rewritten (1.0 ↔ 1, 1.00, 1e0), a row's keys swapped or one repeated, a row
    separator written otherwise, a letter or digit changed; then perhaps the digest recomputed
    canonically."""
    text = raw
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from([0, 1, 2, 3, 3, 4, 4, 5, 6, 6]))
        at = draw(st.integers(0, len(text)))
        if kind == 0:
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        elif kind == 2:
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at + draw(st.integers(1, 4)):]
        elif kind == 3:
            numbers = [m for m in re.finditer(rb":(-?\d+(?:\.\d+)?)([,}])", text)]
            if numbers:
                m = draw(st.sampled_from(numbers))
                old = m.group(1)
                new = draw(st.sampled_from([old + b".0", old.split(b".")[0], old + b"0", old + b"e0",
                                            b"-" + old, old + b"000000000000000000000"]))
                text = text[:m.start(1)] + new + text[m.end(1):]
        elif kind == 4:
            rows = list(ROW_START.finditer(text))
            if rows:
                m = draw(st.sampled_from(rows))
                first = b'"' + m.group(1) + b'":' + m.group(2)
                second = b'"' + m.group(3) + b'":' + m.group(4)
                middle = (second + b"," + first) if draw(st.booleans()) else (first + b"," + first + b"," + second)
                text = text[:m.start()] + b"{" + middle + m.group(5) + text[m.end():]
        elif kind == 5:
            text = text.replace(b",\n        {", draw(st.sampled_from([b",{", b", \n        {", b",\n         {"])), 1)
        else:
            letters = [m.start() for m in re.finditer(rb"[a-z0-9]", text[at:at + 400])]
            if letters:
                where = at + draw(st.sampled_from(letters))
                text = text[:where] + draw(st.sampled_from([b"a", b"7", rb"\u00e9", "é".encode()])) + text[where + 1:]
    if draw(st.booleans()):
        text = _redigest(text)
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_layout_reading_gives_what_the_whole_file_does(backup, data):
    raw = data.draw(edited(backup))
    fast = _laid_out(raw)
    if fast is None:
        return   # the reference reads it
    outcome, text_match = fast
    assert outcome == _reference(raw)
    if text_match:
        assert verify(json.loads(raw.decode("utf-8-sig")))


def test_an_exported_backup_is_read_by_its_layout(backup):
    fast = _laid_out(backup)
    assert fast is not None
    outcome, text_match = fast
    assert text_match and outcome == _reference(backup) and outcome[2] is True


def test_the_exporter_layout_of_an_empty_journal(cli, tmp_path):
    db = tmp_path / "empty.db"
    cli("--db", str(db), "checkin", "--mood", "5", "--craving", "1", ok=True)
    out = tmp_path / "b.json"
    cli("--db", str(db), "export", "--profile", "full", "-o", str(out), ok=True)
    fast = _laid_out(out.read_bytes())
    assert fast is not None and fast[1] and fast[0] == _reference(out.read_bytes())


@pytest.mark.parametrize("change", [
    lambda t: t.replace(b'"profile": "full"', b'"profile":  "full"'),     # another layout of the head
    lambda t: t.replace(b'"uses": [', b'"\\u0075ses": ['),                # a name written otherwise
    lambda t: t.replace(b"\n", b"\r\n"),
    lambda t: t.replace(b',"used":0', b',"used":0,"used":0', 1),          # a key twice
    lambda t: t.replace(b',"used":0', b',"used" :0,"used":1', 1),         # a key twice, a space before ':'
    lambda t: t.replace(b',"used":0', b',"used":[{"a":1,"a":2}]', 1),     # a key twice in a nested object
    lambda t: t.replace(b',"used":0}', b',"used":0,"used":0},[1]', 1),    # a key twice, a list row to count
    lambda t: t[: len(t) // 2],
    lambda t: t + b"{}",
])
def test_what_is_not_the_exporter_layout_is_left_to_the_reference(backup, change):
    changed = change(backup)
    assert changed != backup
    assert read_laid_out(changed) is None


@pytest.mark.parametrize("change", [
    lambda t: t.replace(b',"used":0', b',"used" :0', 1),                  # a space before ':'
    lambda t: t.replace(b',"used":0', b',"used":[{"a":1}]', 1),           # a nested object
    lambda t: t.replace(b',"used":0}', b',"used":0},[1]', 1),             # a row that is a list
    lambda t: t.replace(b',"used":0', b',"used":"\\" :"', 1),           # '" ' inside a text
])
def test_rows_written_otherwise_read_as_the_whole_file_reads(backup, change):
    changed = change(backup)
    assert changed != backup
    fast = _laid_out(changed)
    assert fast is not None and fast[0] == _reference(changed)


@pytest.mark.parametrize("inside", [b"  ", b", ", b",\\n        "])
def test_spaces_written_into_a_text_value_change_it(backup, inside):
    """Only the row separator is taken out of the text: the same characters inside a string are
    part of a value, so the file no longer matches its digest."""
    at = backup.index(b"tagzebra") + 3
    changed = backup[:at] + inside + backup[at:]
    fast = _laid_out(changed)
    assert fast is not None and not fast[1]
    assert fast[0] == _reference(changed) and fast[0][2] is False


def test_a_digest_over_non_canonical_text_is_the_one_difference(backup):
    """Someone hashed the text as this reader does, rows not in canonical form (a key order
    changed by hand): the reader's digest matches, the canonical one does not. The reader says
    the digest matches; the document is still exactly the file's (docs/definitions.md §12)."""
    m = ROW_START.search(backup)
    assert m
    swapped = (backup[:m.start()] + b'{"' + m.group(3) + b'":' + m.group(4) + b',"' + m.group(1) + b'":'
               + m.group(2) + m.group(5) + backup[m.end():])
    laid = read_laid_out(swapped)
    assert laid is not None
    forged = DIGEST.sub(b'"digest": "' + laid.text_digest.encode() + b'"', swapped)
    laid = read_laid_out(forged)
    assert laid is not None and laid.doc["digest"] == laid.text_digest
    assert not verify(json.loads(forged))
    assert json.dumps(laid.doc) == json.dumps(json.loads(forged))


def test_the_text_digest_is_the_canonical_one_for_an_exported_file(backup):
    laid = read_laid_out(backup)
    assert laid is not None
    body = {k: v for k, v in json.loads(backup).items() if k != "digest"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert laid.text_digest == "sha256:" + hashlib.sha256(canonical).hexdigest()


def _dump(db: Path) -> list:
    import sqlite3

    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        out = []
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                     "'search_text_fts%' AND name != '_sqlite_migrations' ORDER BY name"):
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            cells = ", ".join(f'typeof("{c}"), quote("{c}")' for c in columns)
            out.append((table, sorted(conn.execute(f'SELECT {cells} FROM "{table}"').fetchall(), key=repr)))
        return out
    finally:
        conn.close()


CHANGES = [
    lambda t: t,
    lambda t: t.replace(b'"mood":9', b'"mood":8', 1),                             # edited, digest left
    lambda t: _redigest(t.replace(b'"mood":9', b'"mood":8', 1)),                  # edited, digest recomputed
    lambda t: _redigest(t.replace(b'"mood":9', b'"mood":9.0', 1)),                # a float where an int was
    lambda t: t.replace(b'"sleep":7.0', b'"sleep":7.00', 1),                      # the same value written otherwise
    lambda t: t.replace("é".encode(), b"\\u00e9", 1),                            # an escape for the same text
    lambda t: t.replace(b",\n        {", b", \n        {", 1),                     # whitespace between rows
    lambda t: t.replace(b'"mood":9', b'"mood":9,"mood":9', 1),                   # a key twice
    lambda t: _redigest(t.replace(b'"mood":9', b'"mood":99', 1)),                 # out of range for the table
    # integers beyond 64 bits (orjson, the quick parser, reads them as floats) and one beyond a float
    lambda t: _redigest(t.replace(b'"sleep":7.0', b'"sleep":18446744073709551616', 1)),
    lambda t: _redigest(t.replace(b'"sleep":7.0', b'"sleep":-9223372036854775809', 1)),
    lambda t: _redigest(t.replace(b'"mood":9', b'"mood":123456789012345678901234567890', 1)),
    lambda t: _redigest(t.replace(b'"sleep":7.0', b'"sleep":18446744073709551615', 1)),
    lambda t: t.replace(b'"sleep":7.0', b'"sleep":1e400', 1),
    lambda t: t.replace(b'"sleep":7.0', b'"sleep":7.0000000000000000000000001', 1),
]


@pytest.mark.parametrize("change", CHANGES)
def test_an_import_ends_as_the_whole_file_reading_ends(cli, backup, tmp_path, monkeypatch, change):
    """The command's outcome (exit code, messages, the rows stored with their types) read by the
    layout and read whole (the layout reader switched off)."""
    import recoverylog.exports.full_layout as layout

    path = tmp_path / "changed.json"
    path.write_bytes(change(backup))
    assert (path.read_bytes() == backup) == (change is CHANGES[0])
    outcomes = []
    for way in ("layout", "whole"):
        if way == "whole":
            monkeypatch.setattr(layout, "read_laid_out", lambda raw, examine=None: None)
        db = tmp_path / way / "new.db"
        result = cli("--db", str(db), "import", str(path))
        outcomes.append((result.exit_code, result.stdout.replace(str(db), "DB"),
                         result.stderr.replace(str(db), "DB"), _dump(db)))
    assert outcomes[0] == outcomes[1]


def _examined(raw: bytes):
    """read_laid_out with each table's rows judged as `import` judges them (exports/full.plain_rows):
    a slice whose quotes the answer accounts for is parsed without the duplicate-key hook."""
    from recoverylog.exports.full import plain_rows

    good: set[str] = set()
    return read_laid_out(raw, lambda table, rows: plain_rows(table, rows, good))


def _same_reading(raw: bytes) -> None:
    hooked, examined = read_laid_out(raw), _examined(raw)
    assert (hooked is None) == (examined is None)
    if hooked is not None and examined is not None:
        assert json.dumps(examined.doc, ensure_ascii=False) == json.dumps(hooked.doc, ensure_ascii=False)
        assert examined.text_digest == hooked.text_digest


DUPLICATING = [b'"used":0,', b'"mood":9,', b'"note":null,', b'"note":"\\u0022\\u0022",', b'\\"', b'\\u0022',
               b'"a":"\\\\",', b'"date":"2026-11-20",']


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_reading_without_the_hook_gives_what_the_hook_does(backup, data):
    """The slices parsed without the duplicate-key hook where the quotes are accounted for: the same
    document, digest and refusals as parsing every slice with it (keys repeated, also with \\u0022
    making up the quotes a dropped key takes)."""
    raw = data.draw(edited(backup))
    for _ in range(data.draw(st.integers(0, 2))):
        rows = list(ROW_START.finditer(raw))
        m = data.draw(st.sampled_from(rows))
        at = m.start() + 1 if data.draw(st.booleans()) else m.end(2) + 1
        raw = raw[:at] + data.draw(st.sampled_from(DUPLICATING)) + raw[at:]
    _same_reading(raw)


def _in_one_row(text: bytes, *swaps: bytes) -> bytes:
    """Both replacements made in the first row holding both texts."""
    for m in re.finditer(rb"\{[^\n]*\}", text):
        row = m.group()
        if all(old in row for old in swaps[::2]):
            for old, new in zip(swaps[::2], swaps[1::2], strict=True):
                row = row.replace(old, new, 1)
            return text[:m.start()] + row + text[m.end():]
    raise AssertionError("no row holds them all")


@pytest.mark.parametrize("change", [
    lambda t: t.replace(b',"used":0', b',"used":0,"used":0', 1),
    # a key twice, its two quotes made up by a text of the same row written with \u0022 (the parsed
    # row's count of '"' is then the file's: only the \u tells)
    lambda t: _in_one_row(t, b'"note":null', b'"note":"\\u0022\\u0022"', b',"used":0', b',"used":0,"used":0'),
    lambda t: t.replace(b'"note":null', b'"note":"\\u0022"', 1),
])
def test_a_key_twice_is_refused_without_the_hook_too(backup, change):
    changed = change(backup)
    assert changed != backup
    _same_reading(changed)
    if b'"used":0,"used"' in changed:
        assert _examined(changed) is None


def test_an_exported_backup_is_read_without_the_hook(backup, monkeypatch):
    import recoverylog.exports.full_layout as layout

    hooks = []
    real = layout.json.loads
    monkeypatch.setattr(layout.json, "loads", lambda *a, **k: hooks.append("object_pairs_hook" in k) or real(*a, **k))
    quick = []
    real_quick = layout._quick_loads
    monkeypatch.setattr(layout, "_quick_loads", lambda text: quick.append(text[:1]) or real_quick(text))
    laid = _examined(backup)
    assert laid is not None and laid.judged
    assert hooks.count(True) == 1   # the envelope only; every table's slice without it
    assert quick and set(quick) == {"["} and len(quick) == len(laid.judged)
    _same_reading(backup)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from([b",\n        ", b",", b"\n", b"        ", b"{}", b'"a"', b"x"]), max_size=40),
       chunk=st.integers(1, 30))
def test_the_rows_hashed_in_pieces_are_the_rows_at_once(monkeypatch_module, parts, chunk):
    """full_layout._compact: each piece cut after a row separator, the separators written ','."""
    import recoverylog.exports.full_layout as layout

    raw = b"pad" + layout.ROWS_OPEN + b"".join(parts) + layout.ROWS_CLOSE + b"pad"
    span = (3, len(raw) - 3)
    monkeypatch_module.setattr(layout, "COMPACT_CHUNK", chunk)
    whole = raw[span[0] + len(layout.ROWS_OPEN):span[1] - len(layout.ROWS_CLOSE)].replace(layout.ROW_SEP, b",")
    assert b"".join(layout._compact(raw, span)) == whole


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


ROW_PARTS = [b",\n        ", b",", b"\n", b" ", b"        ", b"{}", b'{"a":1}', b'"a"', b"1", b"[", b"]", b"x", b'"\n"',
             b"\xff", "é".encode(), b'"a,\n        b"', b"null"]


@settings(max_examples=1500, deadline=None)
@given(parts=st.lists(st.sampled_from(ROW_PARTS), max_size=30), chunk=st.integers(1, 30))
def test_the_rows_parsed_in_pieces_are_the_rows_at_once(monkeypatch_module, parts, chunk):
    """full_layout._quick_rows: where it gives rows, they are what json parses the slice to (types
    and order kept); it refuses whatever json refuses (a trailing separator, an empty element,
    a newline in a text, bytes that are not UTF-8), in pieces of any size."""
    import recoverylog.exports.full_layout as layout

    raw = b"pad" + layout.ROWS_OPEN + b"".join(parts) + layout.ROWS_CLOSE + b"pad"
    span = (3, len(raw) - 3)
    monkeypatch_module.setattr(layout, "PARSE_CHUNK", chunk)
    try:
        whole = json.dumps(json.loads(raw[span[0]:span[1]].decode("utf-8")))
    except ValueError:
        whole = None
    try:
        quick = layout._quick_rows(raw, span)
    except UnicodeDecodeError:
        assert whole is None
        return
    if whole is None:
        assert quick is None
    elif quick is not None:
        assert json.dumps(quick) == whole
    else:
        assert whole == "[]"   # an empty list laid out over lines: left to the reference parse


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), chunk=st.integers(1, 400))
def test_small_pieces_read_what_the_whole_slice_does(backup, monkeypatch_module, data, chunk):
    """An edited backup read by its layout with the rows parsed in pieces of `chunk` bytes: the same
    document, digest and refusals as the reading that parses each slice whole with the hook."""
    import recoverylog.exports.full_layout as layout

    monkeypatch_module.setattr(layout, "PARSE_CHUNK", chunk)
    raw = data.draw(edited(backup))
    if data.draw(st.booleans()):
        rows = list(re.finditer(rb"\n        \{", raw))
        at = data.draw(st.sampled_from(rows)).start()
        raw = raw[:at] + data.draw(st.sampled_from([b",\n        ", b"\n        ,", b",\n        ,"])) + raw[at:]
    _same_reading(raw)
