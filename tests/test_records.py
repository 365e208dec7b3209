"""`@record` against `@dataclass(frozen=True)`: twin classes built from one description behave
alike in everything the package uses (construction and its errors, ==, hash, repr, __doc__,
fields, asdict, astuple, replace, frozenness, copying, pickling, subclassing)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import math
import pickle
import sys
from dataclasses import MISSING, dataclass, field
from typing import Any, ClassVar

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from recoverylog import records
from recoverylog.records import record

STANDARD = dataclass(frozen=True)

# One field: (kind, repr, compare, annotation); kind is required | default | factory.
FIELD = st.tuples(st.sampled_from(["required", "default", "factory"]), st.booleans(), st.booleans(),
                  st.sampled_from(["int", "str | None", "tuple[int, ...]", "float", "Any"]))
VALUE = st.one_of(st.none(), st.integers(-3, 3), st.text(max_size=3), st.floats(allow_nan=True),
                  st.tuples(st.integers(0, 2)), st.lists(st.integers(0, 2), max_size=2),
                  st.just(math.nan))
DEFAULT = st.one_of(st.none(), st.integers(-3, 3), st.text(max_size=2), st.just(()), st.just((1, "a")))
FACTORY = st.sampled_from([tuple, list, dict, lambda: 7])
NAMES = ["a", "b", "c", "d", "e", "self", "other"]


def _spec_namespaces(spec: list, defaults: list, factories: list, doc: str | None) -> tuple[list[str], Any]:
    """The field names of a spec, and a function making a fresh class namespace for it."""
    names = NAMES[: len(spec)]

    def namespace() -> dict:
        ns: dict[str, Any] = {"__annotations__": {}, "__module__": __name__, "__qualname__": "Twin",
                              "__doc__": doc}
        for name, (kind, shown, compared, annotation), default, factory in zip(names, spec, defaults, factories,
                                                                               strict=False):
            ns["__annotations__"][name] = annotation
            if kind == "default":
                ns[name] = field(default=default, repr=shown, compare=compared) if not (shown and compared) \
                    else default
            elif kind == "factory":
                ns[name] = field(default_factory=factory, repr=shown, compare=compared)
            elif not (shown and compared):
                ns[name] = field(repr=shown, compare=compared)
        return ns

    return names, namespace


def _twins(namespace: Any) -> tuple[Any, Any]:
    """(the @record class, the @dataclass(frozen=True) class), or the same exception from both."""
    outcomes = []
    for decorate in (record, STANDARD):
        try:
            outcomes.append(decorate(type("Twin", (), namespace())))
        except Exception as exc:  # noqa: BLE001 - compared below
            outcomes.append(exc)
    mine, theirs = outcomes
    if isinstance(theirs, Exception):
        assert type(mine) is type(theirs) and str(mine) == str(theirs)
        return None, None
    assert not isinstance(mine, Exception), mine
    return mine, theirs


def _same_call(fn_a: Any, fn_b: Any) -> tuple[Any, Any]:
    """Call both; the same exception (type and text) from both, or both results."""
    results = []
    for fn in (fn_a, fn_b):
        try:
            results.append(("ok", fn()))
        except Exception as exc:  # noqa: BLE001 - compared below
            results.append(("error", exc))
    (kind_a, a), (kind_b, b) = results
    assert kind_a == kind_b, (a, b)
    if kind_a == "error":
        assert type(a) is type(b) and str(a) == str(b)
        return None, None
    return a, b


def _field_facts(cls: Any) -> list[tuple]:
    return [(f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash, f.kw_only,
             dict(f.metadata), f._field_type) for f in dataclasses.fields(cls)]


def _state(obj: Any) -> Any:
    return None if obj is None else (type(obj).__name__, obj.__dict__)


@settings(max_examples=500, deadline=None)
@given(spec=st.lists(FIELD, max_size=5), defaults=st.lists(DEFAULT, min_size=5, max_size=5),
       factories=st.lists(FACTORY, min_size=5, max_size=5), doc=st.sampled_from([None, "", "A record."]),
       data=st.data())
def test_a_record_behaves_as_a_frozen_dataclass(spec, defaults, factories, doc, data):
    names, namespace = _spec_namespaces(spec, defaults, factories, doc)
    required = sum(kind == "required" for kind, *_ in spec)
    right = st.lists(VALUE, min_size=required, max_size=len(spec))   # mostly a valid call
    args = data.draw(st.one_of(right, right, st.lists(VALUE, max_size=6)))
    kwargs = data.draw(st.one_of(st.just({}), st.dictionaries(st.sampled_from(NAMES + ["zz"]), VALUE, max_size=3)))
    args2 = data.draw(st.one_of(right, st.lists(VALUE, max_size=6)))
    changes = data.draw(st.dictionaries(st.sampled_from(NAMES + ["zz"]), VALUE, max_size=2))
    mine, theirs = _twins(namespace)
    event("class built" if mine is not None else "class statement raised")
    if mine is None:
        return
    assert mine.__doc__ == theirs.__doc__
    assert mine.__match_args__ == theirs.__match_args__
    assert _field_facts(mine) == _field_facts(theirs)
    assert dataclasses.is_dataclass(mine) and mine.__dataclass_params__.__repr__() == \
        theirs.__dataclass_params__.__repr__()
    assert {k: v for k, v in vars(mine).items() if k in names} == {k: v for k, v in vars(theirs).items()
                                                                    if k in names}

    a, b = _same_call(lambda: mine(*args, **kwargs), lambda: theirs(*args, **kwargs))
    assert str(inspect.signature(mine)) == str(inspect.signature(theirs))   # once built, the same __init__
    event("built" if a is not None else "construction raised")
    if a is None:
        return
    assert a.__dict__ == b.__dict__ or repr(a.__dict__) == repr(b.__dict__)   # nan != nan
    assert repr(a) == repr(b)
    ha, hb = _same_call(lambda: hash(a), lambda: hash(b))
    assert ha == hb
    assert dataclasses.asdict(a) == dataclasses.asdict(b) or repr(dataclasses.asdict(a)) == repr(
        dataclasses.asdict(b))
    assert repr(dataclasses.astuple(a)) == repr(dataclasses.astuple(b))
    assert (a == a) == (b == b) and (a != a) == (b != b)

    a2, b2 = _same_call(lambda: mine(*args2), lambda: theirs(*args2))
    if a2 is not None:
        assert (a == a2) == (b == b2) and (a != a2) == (b != b2)
        assert (a2 == a) == (b2 == b)
    assert (a == b) is False and (a == "x") is False and (a != b) is True   # other classes: never equal

    ra, rb = _same_call(lambda: dataclasses.replace(a, **changes), lambda: dataclasses.replace(b, **changes))
    assert repr(_state(ra)) == repr(_state(rb))

    for name in [*names, "zz"]:
        _same_call(lambda name=name: setattr(a, name, 1), lambda name=name: setattr(b, name, 1))
        _same_call(lambda name=name: delattr(a, name), lambda name=name: delattr(b, name))
    assert repr(copy.copy(a)) == repr(copy.copy(b))
    assert repr(copy.deepcopy(a)) == repr(copy.deepcopy(b))


@record
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", repr=False, compare=False)


@STANDARD
class StandardPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", repr=False, compare=False)


def test_pickling_and_copying_keep_a_record():
    p = Point(1, 2, ("a",), note="n")
    for clone in (pickle.loads(pickle.dumps(p)), copy.copy(p), copy.deepcopy(p)):
        assert clone == p and hash(clone) == hash(p) and clone.note == "n" and type(clone) is Point
    assert hash(p) == hash(StandardPoint(1, 2, ("a",), note="n"))
    assert repr(p).replace("Point", "") == repr(StandardPoint(1, 2, ("a",), "n")).replace("StandardPoint", "")


def test_the_hash_of_one_field_is_the_hash_of_a_one_tuple():
    @record
    class One:
        value: int

    assert hash(One(5)) == hash((5,)) != hash(5)
    nan = math.nan
    # tuples compare by identity first, as 3.11's dataclass does (3.13's compares field by field)
    assert (One(nan) == One(nan)) is (records.FAST or sys.version_info < (3, 13))


def test_a_class_of_its_own_methods_or_bases_gets_the_standard_decorator():
    @record
    class Own:
        """A docstring."""
        value: int

        def __repr__(self) -> str:
            return "own"

    assert repr(Own(1)) == "own" and Own(1) == Own(1) and Own.__doc__ == "A docstring."

    @record
    class Checked:
        value: int
        limit: ClassVar[int] = 3

        def __post_init__(self) -> None:
            if self.value > self.limit:
                raise ValueError("too big")

    with pytest.raises(ValueError, match="too big"):
        Checked(4)
    assert [f.name for f in dataclasses.fields(Checked)] == ["value"]

    @record
    class Child(Point):
        z: int = 9

    c = Child(1, 2)
    assert (c.x, c.y, c.z) == (1, 2, 9) and c == Child(1, 2) and c != Point(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.z = 3  # type: ignore[misc]

    class Plain(Point):   # a subclass that is no dataclass: its own attributes may be set
        pass

    q = Plain(1)
    q.extra = 2  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
        q.x = 2  # type: ignore[misc]
    assert repr(q).endswith(".<locals>.Plain(x=1, y=0, tags=())")


def test_a_cycle_is_shown_as_dots_as_dataclass_does():
    @record
    class Box:
        items: list = field(default_factory=list, compare=False)

    box = Box()
    box.items.append(box)
    assert repr(box).endswith("Box(items=[...])")


@pytest.mark.skipif(not records.FAST, reason="the standard decorator writes __init__ with the class")
def test_the_init_is_built_on_first_use_and_then_shared():
    @record
    class Lazy:
        value: int

    stub = Lazy.__init__
    Lazy(1)
    assert Lazy.__init__ is not stub and Lazy.__init__.__qualname__.endswith("Lazy.__init__")
    built = Lazy.__init__
    Lazy(2)
    assert Lazy.__init__ is built


CV = ClassVar   # an alias: dataclass finds it by looking the annotation's first name up in the module


def _class_outcome(decorate: Any, body: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(f"from __future__ import annotations\nimport dataclasses\nfrom dataclasses import field, InitVar, KW_ONLY\n"
         f"from typing import ClassVar\n{body}", globals() | namespace, namespace)
    try:
        cls = decorate(namespace["C"])
    except Exception as exc:  # noqa: BLE001 - compared by the caller
        return ("error", type(exc), str(exc))
    return ("ok", _field_facts(cls), cls.__doc__, cls.__match_args__,
            repr([(name, getattr(cls, name, "-")) for name in ("a", "b", "c")]))


@pytest.mark.parametrize("body", [
    "class C:\n    a: int\n    b: list = []",                                    # mutable default
    "class C:\n    a: int = 1\n    b: int",                                      # non-default after default
    "class C:\n    a: int\n    b = field(default=2)",                            # a field with no annotation
    "class C:\n    a: int\n    b: CV[int] = 3",                                  # ClassVar under another name
    "class C:\n    a: int\n    b: ClassVar[int] = 3",
    "class C:\n    a: int\n    b: InitVar[int] = 3",
    "class C:\n    a: int\n    _: KW_ONLY\n    b: int = 2",
    "class C:\n    a: int\n    b: int = field(default=1, init=False)",
    "class C:\n    a: int\n    b: int = field(default=1, hash=False)",
    "class C:\n    a: int\n    b: int = field(default=1, kw_only=True)",
    "class C:\n    __slots__ = ('a',)\n    a: int",
    "class C:\n    a: int = field(default_factory=list, metadata={'x': 1})\n    b: 'str' = 'x'",
    "class C:\n    pass",
])
def test_class_statements_build_or_fail_alike(body):
    assert _class_outcome(record, body) == _class_outcome(STANDARD, body)


def test_the_fast_path_is_taken_here():
    """Guards the twin tests against comparing the standard decorator with itself."""
    import sys

    from recoverylog import records

    assert records.FAST == (sys.version_info[:2] == (3, 11))
    if records.FAST:
        assert "__dataclass_self__" not in Point.__init__.__code__.co_varnames   # built by records
        assert Point.__eq__.__qualname__ == "Point.__eq__" and Point.__eq__.__code__.co_filename == records.__file__


# Annotations as text: the __doc__ a record writes from them (repr, which is what
# inspect.formatannotation gives for a str) and the fields read from them, against dataclass.
ANNOTATION = st.one_of(st.sampled_from(["int", "str | None", "'x'", '"q"', "a\\b", "ClassVar[int]", "CV[int]",
                                        "dataclasses.InitVar[int]", "typing.ClassVar", "é | None", "", " x"]),
                       st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(annotations=st.lists(ANNOTATION, min_size=1, max_size=4), defaults=st.lists(DEFAULT, min_size=4, max_size=4),
       doc=st.sampled_from([None, "", "A record."]))
def test_annotations_are_read_and_shown_as_dataclass_does(annotations, defaults, doc):
    def namespace() -> dict:
        ns: dict[str, Any] = {"__annotations__": {}, "__module__": __name__, "__qualname__": "Twin", "__doc__": doc}
        for name, annotation, default in zip(NAMES, annotations, defaults, strict=False):
            ns["__annotations__"][name] = annotation
            if annotation.startswith("'") or annotation == "":
                ns[name] = default
        return ns

    mine, theirs = _twins(namespace)
    event("class built" if mine is not None else "class statement raised")
    if mine is None:
        return
    event("fast path" if mine.__eq__.__code__.co_filename == records.__file__ else "standard")
    assert mine.__doc__ == theirs.__doc__
    assert _field_facts(mine) == _field_facts(theirs)
    for a, b in zip(dataclasses.fields(mine), dataclasses.fields(theirs), strict=True):
        assert a.metadata is b.metadata   # the same empty mapping


def test_the_first_name_of_an_annotation_is_looked_up_in_each_class_module():
    """The name an annotation starts with is found once, and looked up in every module anew."""
    for first_module in ("ClassVar", "list"):
        for value in (first_module, "list" if first_module == "ClassVar" else "ClassVar"):
            body = f"CV2 = {value}\nclass C:\n    a: int\n    b: CV2[int] = 3"
            assert _class_outcome(record, body) == _class_outcome(STANDARD, body)


class Text(str):
    """An annotation that is a str but not a str: the standard decorator, which shows it so."""

    def __repr__(self) -> str:
        return "Text!"


class MyField(dataclasses.Field):
    """A field made by a subclass of Field: a field for dataclass (isinstance) as for record."""


def test_a_str_subclass_annotation_and_a_field_subclass_are_as_dataclass_makes_them():
    def namespace() -> dict:
        return {"__annotations__": {"a": Text("int"), "b": "int"}, "__module__": __name__, "__qualname__": "Twin",
                "b": 2}

    mine, theirs = _twins(namespace)
    assert mine.__doc__ == theirs.__doc__ and _field_facts(mine) == _field_facts(theirs)

    def with_subclass() -> dict:
        made = MyField(5, MISSING, True, False, None, True, None, MISSING)
        return {"__annotations__": {"a": "int", "b": "int"}, "__module__": __name__, "__qualname__": "Twin", "b": made}

    mine, theirs = _twins(with_subclass)
    assert mine.__doc__ == theirs.__doc__ and _field_facts(mine) == _field_facts(theirs)
    assert repr(mine(1)).replace("Twin", "") == repr(theirs(1)).replace("Twin", "") and mine.b == theirs.b == 5
