"""A record's assembled `__init__` against the one compiled from source (the code records.py had
before, copied below as `compiled_init`): for every record class of the package and for random and
hostile field lists, the same code object (every attribute exec sets), defaults, annotations,
names, namespace, signature and behaviour; and the compiled one wherever the assembler stands aside."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import itertools
import pkgutil
import sys
from dataclasses import MISSING, field
from keyword import iskeyword
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import recoverylog
from recoverylog import records
from recoverylog.records import CODE_ATTRIBUTES

FACTORY_MARK = dataclasses._HAS_DEFAULT_FACTORY  # type: ignore[attr-defined]


def compiled_init(cls: type, fields: list[dataclasses.Field]) -> Any:
    """records._init_fn as it was: the source dataclass writes, compiled with exec."""
    namespace: dict[str, Any] = {"__dataclass_HAS_DEFAULT_FACTORY__": FACTORY_MARK,
                                 "__dataclass_builtins_object__": object}
    me = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    params, lines = [], []
    for f in fields:
        if f.default is not MISSING:
            namespace[f"__dataclass_dflt_{f.name}__"] = f.default
            params.append(f"{f.name}=__dataclass_dflt_{f.name}__")
            value = f.name
        elif f.default_factory is not MISSING:
            namespace[f"__dataclass_dflt_{f.name}__"] = f.default_factory
            params.append(f"{f.name}=__dataclass_HAS_DEFAULT_FACTORY__")
            value = f"__dataclass_dflt_{f.name}__() if {f.name} is __dataclass_HAS_DEFAULT_FACTORY__ else {f.name}"
        else:
            params.append(f.name)
            value = f.name
        lines.append(f"  __dataclass_builtins_object__.__setattr__({me}, {f.name!r}, {value})")
    source = f"def __init__({', '.join([me, *params])}):\n" + ("\n".join(lines) or "  pass") + "\n"
    # compiled as records.py compiles it (exec there inherits its `from __future__ import annotations`)
    exec(compile(source, "<string>", "exec", dont_inherit=True, flags=annotations_flag()), namespace)  # noqa: S102
    fn = namespace["__init__"]
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__module__ = cls.__module__
    fn.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    return fn


def annotations_flag() -> int:
    import __future__

    return __future__.annotations.compiler_flag


def assert_same_function(mine: Any, theirs: Any) -> None:
    """Everything exec and the lines after it set on the function and its code."""
    a, b = mine.__code__, theirs.__code__
    for name in CODE_ATTRIBUTES:
        assert getattr(a, name) == getattr(b, name), name
    assert a == b and list(a.co_positions()) == list(b.co_positions()) and list(a.co_lines()) == list(b.co_lines())
    for name in ("__name__", "__qualname__", "__module__", "__doc__", "__kwdefaults__", "__closure__",
                 "__annotations__", "__dict__"):
        assert getattr(mine, name) == getattr(theirs, name), name
    assert (mine.__defaults__ is None) == (theirs.__defaults__ is None)
    assert all(x is y for x, y in zip(mine.__defaults__ or (), theirs.__defaults__ or (), strict=True))
    assert list(mine.__globals__) == list(theirs.__globals__)   # the same names, in the same order
    for key, value in mine.__globals__.items():
        if key != "__init__":
            assert value is theirs.__globals__[key], key
    assert mine.__globals__["__init__"] is mine and mine.__builtins__ is theirs.__builtins__
    assert inspect.signature(mine) == inspect.signature(theirs)
    assert str(inspect.signature(mine)) == str(inspect.signature(theirs))


def outcome(fn: Any) -> Any:
    try:
        return ("ok", fn())
    except Exception as exc:  # noqa: BLE001 - compared by the caller
        return ("error", type(exc), str(exc))


def make_field(name: str, kind: str, value: Any = None, annotation: str = "int") -> dataclasses.Field:
    if kind == "both":   # field() refuses this; a Field made directly does not, nor does record
        f = dataclasses.Field(value, list, True, True, None, True, None, False)  # type: ignore[arg-type]
    else:
        f = field(default=value) if kind == "default" else field(default_factory=value) if kind == "factory" \
            else field()
    f.name = name
    f.type = annotation
    return f


def twin_classes(fields: list[dataclasses.Field]) -> tuple[Any, Any]:
    """Two plain classes, one with the assembled __init__, one with the compiled one."""
    made = []
    for build in (records._init_fn, compiled_init):
        cls = type("Twin", (), {"__module__": __name__, "__qualname__": "Outer.Twin"})
        cls.__init__ = build(cls, fields)  # type: ignore[misc]
        made.append(cls)
    assert_same_function(made[0].__init__, made[1].__init__)
    return made[0], made[1]


@pytest.mark.skipif(not records.FAST, reason="the fast path is 3.11's")
def test_the_assembler_matches_this_compiler():
    """Guards the tests below against comparing the compiler with itself."""
    assert records._calibrate() and records._init_code([make_field("a", "required")]) is not None


def package_records() -> list[type]:
    for module in pkgutil.walk_packages(recoverylog.__path__, "recoverylog."):
        importlib.import_module(module.name)
    found = []
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("recoverylog"):
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__ and \
                        "__dataclass_fields__" in value.__dict__ and \
                        getattr(value.__eq__, "__code__", None) is not None and \
                        value.__eq__.__code__.co_filename == records.__file__:   # built by record's fast path
                    found.append(value)
    return found


@pytest.mark.skipif(not records.FAST, reason="the fast path is 3.11's")
def test_every_record_of_the_package_gets_the_compiled_init():
    classes = package_records()
    assert len(classes) > 100
    for cls in classes:
        fields = list(cls.__dataclass_fields__.values())  # type: ignore[attr-defined]
        assert records._init_code(fields) is not None, cls   # assembled, not compiled
        assert_same_function(records._init_fn(cls, fields), compiled_init(cls, fields))


# Names: ordinary ones, `self` (which renames the first parameter), soft keywords, dunder names,
# names of every length the location table has a form for, and names the assembler leaves to the
# compiler (keywords, non-ASCII, not identifiers, `__dataclass_...`).
ORDINARY = st.sampled_from(["a", "b", "when", "substance", "self", "other", "match", "case", "_", "type",
                            "__init__", "__builtins__", "__class__", "object", "__setattr__", "None_", "x1"])
LONG = st.text(alphabet="abcxyz_0123456789", min_size=1, max_size=300).filter(str.isidentifier)
HOSTILE = st.sampled_from(["class", "None", "lambda", "é", "ﬁ", "a b", "1a", "", "__dataclass_self__",
                           "__dataclass_dflt_a__", "__dataclass_builtins_object__", "x=1", "a'"])
NAME = st.one_of(ORDINARY, ORDINARY, LONG, HOSTILE)
DEFAULT = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just(()), st.just(FACTORY_MARK))


@st.composite
def field_lists(draw: Any, names: Any = NAME) -> list[dataclasses.Field]:
    """Required fields, then ones with a default or a factory, mixed (the order dataclass allows)."""
    chosen = draw(st.lists(names, max_size=10, unique=True))
    required = draw(st.integers(0, len(chosen)))
    fields = []
    for position, name in enumerate(chosen):
        kind = "required" if position < required else draw(st.sampled_from(["default", "factory", "default",
                                                                             "factory", "both"]))
        value = draw(DEFAULT) if kind in ("default", "both") else draw(st.sampled_from([list, dict, tuple, lambda: 7]))
        fields.append(make_field(name, kind, value, draw(st.sampled_from(["int", "str | None", "'x'", ""]))))
    return fields


@settings(max_examples=400, deadline=None)
@given(fields=st.one_of(field_lists(st.one_of(ORDINARY, LONG)), field_lists()))
def test_an_assembled_init_is_the_compiled_one(fields):
    assembled = records._init_code(fields) is not None
    expected = records.FAST and all(f.name.isascii() and f.name.isidentifier() and not iskeyword(f.name)
                                    and not f.name.startswith("__dataclass_") for f in fields)
    assert assembled == expected
    event("assembled" if assembled else "compiled")
    made = outcome(lambda: twin_classes(fields))
    if not assembled and made[0] == "error":   # the source does not compile: the same error from both
        cls = type("Twin", (), {})
        assert outcome(lambda: records._init_fn(cls, fields)) == outcome(lambda: compiled_init(cls, fields))
        return
    assert made[0] == "ok", made


@settings(max_examples=300, deadline=None)
@given(fields=field_lists(st.one_of(ORDINARY, LONG)), data=st.data())
def test_an_assembled_init_behaves_as_the_compiled_one(fields, data):
    mine, theirs = twin_classes(fields)
    value = st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=2))
    names = [f.name for f in fields]
    positional = data.draw(st.integers(0, len(fields)))   # mostly a right call: the rest by keyword, or left out
    args = data.draw(st.lists(value, min_size=positional, max_size=positional))
    rest = st.sampled_from(names[positional:]) if names[positional:] else st.just("zz")
    kwargs = data.draw(st.dictionaries(rest, value, max_size=len(fields)))
    if data.draw(st.booleans()):   # and now and then a wrong one
        args += data.draw(st.lists(value, max_size=2))
        kwargs |= data.draw(st.dictionaries(st.sampled_from([*names, "zz", "self"]), value, max_size=2))
    a = outcome(lambda: mine(*args, **kwargs).__dict__)
    b = outcome(lambda: theirs(*args, **kwargs).__dict__)
    assert a == b
    event("built" if a[0] == "ok" else "TypeError")


def test_a_factory_is_called_for_each_instance_that_does_not_pass_the_field():
    calls = []

    def factory() -> list:
        calls.append(1)
        return []

    fields = [make_field("a", "required"), make_field("b", "factory", factory), make_field("c", "default", 5)]
    mine, _ = twin_classes(fields)
    one, two, given_b = mine(1), mine(2), mine(3, [9])
    assert one.b == [] and one.b is not two.b and given_b.b == [9] and len(calls) == 2
    assert (one.a, one.c, mine(4, c=6).c) == (1, 5, 6)


def test_the_compiler_serves_what_the_assembler_does_not_write(monkeypatch):
    cls = type("Twin", (), {})
    many = [make_field(f"f{i}", "factory", list) for i in range(records._MOST_FIELDS)]
    assert records._init_code(many) is not None or not records.FAST   # the most, every index below 128
    assert_same_function(records._init_fn(cls, many), compiled_init(cls, many))
    too_many = [*many, make_field("last", "factory", list)]
    for fields in (too_many, [make_field("é", "required")], [make_field("__dataclass_x", "required")]):
        assert records._init_code(fields) is None
        assert_same_function(records._init_fn(cls, fields), compiled_init(cls, fields))
    with pytest.raises(SyntaxError):
        records._init_fn(cls, [make_field("class", "required")])

    if not records.FAST:
        return
    # an assembler that differs from the compiler is found out once, and then never used
    monkeypatch.setattr(records, "_CALIBRATED", [])
    monkeypatch.setattr(records, "_line_tables", lambda *args: (b"\x80\x00", b""))
    fields = [make_field("a", "required")]
    assert records._init_code(fields) is None and records._CALIBRATED == [False]
    assert_same_function(records._init_fn(cls, fields), compiled_init(cls, fields))


@pytest.mark.skipif(not records.FAST, reason="the fast path is 3.11's")
def test_every_form_of_location_entry_is_written_as_the_compiler_writes_it():
    """Short, one-line and long forms, names past 64 and 4096 columns (varints of two and three
    bytes), in lines of each kind, with and without `self` renamed."""
    for lengths, kinds, first in itertools.product([(1, 9), (40, 60), (200,), (1500, 3)],
                                                   [("required", "factory"), ("factory", "default")],
                                                   ["self", "x"]):
        fields = [make_field(first, "required")] + [
            make_field(f"{kind[0]}{'n' * length}", kind, list if kind == "factory" else 0)
            for length, kind in zip(lengths, kinds, strict=False)]
        assert records._init_code(fields) is not None
        twin_classes(fields)
