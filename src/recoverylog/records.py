"""`@record`: a frozen dataclass that is cheap to create.

`@record` behaves as `@dataclasses.dataclass(frozen=True)` for what this package uses (plain
fields, `field(default=..., default_factory=..., repr=False, compare=False)`, a class's own
`__repr__`): the same `__init__` (signature, defaults, factories, the same TypeError for wrong
arguments), `==`, `hash`, `repr`, `__doc__`, `__match_args__`, `__dataclass_fields__` (so
`dataclasses.fields`, `asdict`, `replace` and `is_dataclass` work unchanged),
`dataclasses.FrozenInstanceError` on assignment or deletion, pickling and copying.

What differs is the cost of creating the class. `dataclass(frozen=True)` compiles six methods
with `exec` when the class statement runs (about 1 ms a class on 3.11, and a screen imports dozens
of classes it never instantiates). Here `==`, `hash`, `repr` and the frozen guards are shared
closures, the fields are read as dataclass's own `_get_field` reads plain fields (without its
ClassVar/InitVar probes, three a field), and `__init__` is made on the class's first instantiation
(`inspect.signature` of a class sees it from then on). Even then nothing is compiled: the code
object that dataclass's `__init__` source compiles to is assembled from the instructions and
location entries the compiler writes for each line of it (`_assemble`: about 15 µs for the
package's records, where exec takes 150), once a process has checked on a probe that this Python's
compiler makes the same; names it does not write (not ASCII identifiers, say) are compiled.
Anything else (a base class, `__slots__`, `__post_init__`, a class's own `__init__`/`__eq__`/
`__hash__`/`__setattr__`/`__delattr__`, ClassVar, InitVar, KW_ONLY, `init=False`, `kw_only=`,
`hash=`) gets the standard library's `dataclass(frozen=True)` itself, and so is every record on a
Python other than 3.11 (`FAST`). tests/test_records.py compares the two on twin classes;
tests/test_records_init.py compares the assembled `__init__` with the compiled one.
"""

from __future__ import annotations
import __future__

import abc
import builtins
import dataclasses
import opcode
import re
import sys
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, field
from inspect import CO_NEWLOCALS, CO_OPTIMIZED
from keyword import iskeyword
from operator import attrgetter
from types import CodeType, FunctionType
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["field", "record"]

T = TypeVar("T")

_STANDARD = dataclasses.dataclass(frozen=True)
_OWN_NAMES = frozenset(("__init__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__post_init__", "__slots__"))
_Field = dataclasses.Field
_FACTORY_MARK = dataclasses._HAS_DEFAULT_FACTORY  # type: ignore[attr-defined]  # repr '<factory>'
_PLAIN_FIELD = dataclasses._FIELD  # type: ignore[attr-defined]
_FIRST_NAME = re.compile(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")   # dataclasses._MODULE_IDENTIFIER_RE
# dataclass(frozen=True): every parameter of the Python versions this runs on (3.11 has the first six)
_PARAMS = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False, "frozen": True,
           "match_args": True, "kw_only": False, "slots": False, "weakref_slot": False}


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """Make `cls` a frozen dataclass (see the module docstring)."""
    found = _fields_of(cls)
    if found is None:
        return _STANDARD(cls)
    all_fields, given = found
    _finish_fields(cls, all_fields, given)
    seen_default = False
    all_names, compared_names, shown_names = [], [], []
    for f in all_fields:
        if f.default is MISSING and f.default_factory is MISSING:
            if seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            seen_default = True
        all_names.append(f.name)
        if f.compare:
            compared_names.append(f.name)
        if f.repr:
            shown_names.append(f.name)
    names, shown = tuple(all_names), tuple(shown_names)
    key = _key(tuple(compared_names))

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(key(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    def __init__(*args: Any, **kwargs: Any) -> None:
        # first instantiation: make the real __init__, install it, and use it (`self` is in
        # args, so that a keyword argument named self reaches the real one, as it would)
        real = _init_fn(cls, all_fields)
        setattr(cls, "__init__", real)  # noqa: B010 - mypy forbids assigning a method
        real(*args, **kwargs)

    methods: dict[str, Callable[..., Any]] = {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__,
                                              "__setattr__": __setattr__, "__delattr__": __delattr__}
    if "__repr__" not in cls.__dict__:
        methods["__repr__"] = _repr_fn(shown)
    for name, fn in methods.items():
        fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
        setattr(cls, name, fn)
    if "__match_args__" not in cls.__dict__:
        cls.__match_args__ = names  # type: ignore[attr-defined, misc]
    doc = cls.__dict__.get("__doc__")
    if not doc:
        cls.__doc__ = cls.__name__ + _signature_text(all_fields)
    abc.update_abstractmethods(cls)
    return cls


# The fast path restates dataclasses as Python 3.11 has it (3.12 adds parameters, 3.13 compares
# field by field and adds __replace__, 3.14 reads annotations another way): on any other version
# every record is the standard library's dataclass(frozen=True).
FAST = sys.version_info[:2] == (3, 11)


def _fields_of(cls: type) -> tuple[list[dataclasses.Field], list[str]] | None:
    """The fields dataclass() would find (its `_get_field`, for plain fields) and the names of
    those given as `field(...)`, or None when the class needs something only the standard
    decorator does: a base class, one of the methods it would leave alone, a non-string
    annotation, ClassVar, InitVar, KW_ONLY (also under another name: the first name of an
    annotation is looked up as dataclass looks it up), a field that is not in __init__, kw_only,
    or hash=."""
    if not FAST or cls.__bases__ != (object,) or not _OWN_NAMES.isdisjoint(cls.__dict__):
        return None
    module = sys.modules.get(cls.__module__)
    namespace = module.__dict__ if module is not None else {}
    found, given = [], []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if annotation.__class__ is not str or "ClassVar" in annotation or "InitVar" in annotation \
                or "KW_ONLY" in annotation:
            return None
        try:
            first = _FIRST_NAMES[annotation]
        except KeyError:
            match = _FIRST_NAME.match(annotation)
            first = _FIRST_NAMES[annotation] = match.group(2) if match else None
        if first is not None:
            obj = namespace.get(first)
            if obj is not None and _pseudo(obj):
                return None
        default = getattr(cls, name, MISSING)
        if isinstance(default, _Field):
            if not default.init or default.hash is not None or default.kw_only is True:
                return None
            f = default
            given.append(name)
            if f.kw_only is MISSING:
                f.kw_only = False
        else:   # what field(default=default) makes, with kw_only=False as dataclass sets it
            f = _Field(default, MISSING, True, True, None, True, None, False)  # type: ignore[arg-type]
        f.name = name
        f.type = annotation
        f._field_type = _PLAIN_FIELD  # type: ignore[attr-defined]
        if f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {f.name} is not allowed: "
                             "use default_factory")
        found.append(f)
    return found, given


_FIRST_NAMES: dict[str, str | None] = {}   # annotation -> the name _FIRST_NAME finds in it


def _pseudo(obj: Any) -> bool:
    """Whether a name an annotation starts with is ClassVar, InitVar or KW_ONLY."""
    return (obj is ClassVar or obj is dataclasses.InitVar or type(obj) is dataclasses.InitVar
            or obj is dataclasses.KW_ONLY or getattr(obj, "__origin__", None) is ClassVar)


def _finish_fields(cls: type, fields: list[dataclasses.Field], given: list[str]) -> None:
    """What dataclass(frozen=True) sets on the class besides its methods: class attributes for
    defaults given as `field(...)` (none for a factory), __dataclass_fields__ and
    __dataclass_params__."""
    by_name = {f.name: f for f in fields}
    for name in given:
        default = by_name[name].default
        if default is MISSING:
            delattr(cls, name)
        else:
            setattr(cls, name, default)
    for name, value in cls.__dict__.items():
        if isinstance(value, _Field) and name not in by_name:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    cls.__dataclass_params__ = _params()  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = by_name  # type: ignore[attr-defined]


def _params() -> Any:
    """dataclass(frozen=True)'s parameters, as the object dataclass stores them."""
    kind = dataclasses._DataclassParams  # type: ignore[attr-defined]
    params = kind.__new__(kind)
    for name in kind.__slots__:
        setattr(params, name, _PARAMS[name])
    return params


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The tuple dataclass compares and hashes: (self.a, self.b, ...), a 1-tuple for one field."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


def _repr_fn(names: tuple[str, ...]) -> Callable[[Any], str]:
    """dataclass's __repr__: 'Qualname(a=1, b=2)', '...' for an object already being shown in
    this thread (a cycle)."""
    import _thread

    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        mark = (id(self), _thread.get_ident())
        if mark in running:
            return "..."
        running.add(mark)
        try:
            return self.__class__.__qualname__ + "(" + ", ".join(
                f"{name}={getattr(self, name)!r}" for name in names) + ")"
        finally:
            running.discard(mark)

    return __repr__


def _signature_text(fields: list[dataclasses.Field]) -> str:
    """str(inspect.signature(cls)) without ' -> None', which dataclass sets as the __doc__ of a
    class without a docstring: '(name: 'str', amount: 'float | None' = None)'."""
    parts = []
    for f in fields:
        text = f"{f.name}: {f.type!r}"   # inspect.formatannotation of a str (every annotation here)
        if f.default is not MISSING:
            text += f" = {f.default!r}"
        elif f.default_factory is not MISSING:
            text += f" = {_FACTORY_MARK!r}"
        parts.append(text)
    return "(" + ", ".join(parts) + ")"


def _init_fn(cls: type, fields: list[dataclasses.Field]) -> Callable[..., None]:
    """The __init__ dataclass(frozen=True) writes: the same parameters, defaults, factories,
    annotations and qualified name (so a wrong call raises the same TypeError). Its code object is
    assembled (`_init_code`) when it can be, else compiled from source as dataclass compiles it."""
    namespace: dict[str, Any] = {"__dataclass_HAS_DEFAULT_FACTORY__": _FACTORY_MARK,
                                 "__dataclass_builtins_object__": object}
    code = _init_code(fields)
    if code is None:
        fn = _exec_init(fields, namespace)
    else:
        defaults = []
        for f in fields:
            if f.default is not MISSING:
                namespace[f"__dataclass_dflt_{f.name}__"] = f.default
                defaults.append(f.default)
            elif f.default_factory is not MISSING:
                namespace[f"__dataclass_dflt_{f.name}__"] = f.default_factory
                defaults.append(_FACTORY_MARK)
        namespace["__builtins__"] = _BUILTINS   # what exec puts into a namespace without one
        fn = FunctionType(code, namespace, "__init__", tuple(defaults) if defaults else None)
        namespace["__init__"] = fn
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__module__ = cls.__module__
    fn.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    return fn


def _exec_init(fields: list[dataclasses.Field], namespace: dict[str, Any]) -> Any:
    """__init__ compiled from the source dataclass writes, in `namespace` (the reference for
    `_init_code`, and what a field list it cannot assemble gets)."""
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
    exec(source, namespace)  # noqa: S102 - the same technique as dataclasses itself
    return namespace["__init__"]


# Assembling __init__ without compiling it. The source above has one line a field,
#     __dataclass_builtins_object__.__setattr__(self, 'name', name)
#     __dataclass_builtins_object__.__setattr__(self, 'name', __dataclass_dflt_name__() if name is
#         __dataclass_HAS_DEFAULT_FACTORY__ else name)                       (a default factory)
# so its code object is a fixed sequence of instructions a line, with indices into co_consts
# (None, then the names), co_varnames (self, then the names) and co_names (in order of first use),
# and its location table (co_linetable, in the format of CPython's Objects/locations.md) holds for
# each instruction the columns of the expression it comes from, offsets in that line given by the
# lengths of `self` and the name. `_assemble` writes both as the 3.11 compiler does; the first time,
# `_init_code` checks it against the compiler on a probe (`_calibrate`), and if anything differs
# every __init__ is compiled. Names it does not write (not an ASCII identifier, a keyword,
# `__dataclass_...`, more than `_MOST_FIELDS`: an index past 127 needs EXTENDED_ARG) are compiled.
_BUILTINS = builtins.__dict__
_OBJECT = "__dataclass_builtins_object__"
_MARK = "__dataclass_HAS_DEFAULT_FACTORY__"
_FLAGS = CO_OPTIMIZED | CO_NEWLOCALS | __future__.annotations.compiler_flag   # exec inherits ours
_MOST_FIELDS = 100
_CALIBRATED: list[bool] = []   # [whether _assemble writes what the compiler does], once checked


def _op(name: str, arg: int = 0) -> bytes:
    """One instruction and its inline cache (zeros, as the compiler leaves it)."""
    code = opcode.opmap[name]
    return bytes((code, arg)) + bytes(2 * _CACHES[code])


if FAST:   # 3.11's instructions (3.12 has no PRECALL, and other caches): on other versions nothing is assembled
    _LOAD_CONST, _LOAD_FAST, _LOAD_GLOBAL = (opcode.opmap[name] for name in ("LOAD_CONST", "LOAD_FAST", "LOAD_GLOBAL"))
    _CACHES = opcode._inline_cache_entries  # type: ignore[attr-defined]
    # code units of the instructions with a cache
    _GLOBAL, _METHOD, _PRECALL, _CALL = (1 + _CACHES[opcode.opmap[name]]
                                         for name in ("LOAD_GLOBAL", "LOAD_METHOD", "PRECALL", "CALL"))
    _GLOBAL_CACHE = bytes(2 * (_GLOBAL - 1))
    _RESUME = _op("RESUME")
    _LINE_START = _op("LOAD_GLOBAL", 0) + _op("LOAD_METHOD", 1) + _op("LOAD_FAST", 0)  # object.__setattr__, self
    _LINE_END = _op("PRECALL", 3) + _op("CALL", 3) + _op("POP_TOP")
    _TEST = (_op("LOAD_GLOBAL", 2 << 1) + _op("IS_OP", 0)   # `name is __dataclass_HAS_DEFAULT_FACTORY__`, else jump
             + _op("POP_JUMP_FORWARD_IF_FALSE", _GLOBAL + _PRECALL + _CALL + 1))   # past the factory's call
    _FACTORY_CALL = _op("PRECALL", 0) + _op("CALL", 0) + _op("JUMP_FORWARD", 1)
    _RETURN = _op("LOAD_CONST", 0) + _op("RETURN_VALUE")
_PASS_TABLE = b"\xd8\x02\x06\x80\x24"


def _init_code(fields: list[dataclasses.Field]) -> CodeType | None:
    """The code object `_exec_init` would compile for these fields, or None where it is not
    assembled (see above)."""
    if not FAST or len(fields) > _MOST_FIELDS or not all(
            f.name.isascii() and f.name.isidentifier() and not iskeyword(f.name) and
            not f.name.startswith("__dataclass_") for f in fields):
        return None
    if not _CALIBRATED:
        _CALIBRATED.append(_calibrate())
    return _assemble(fields) if _CALIBRATED[0] else None


def _assemble(fields: list[dataclasses.Field]) -> CodeType:
    """The code object for these fields (see above; `_init_code` says when it is right)."""
    me = 18 if any(f.name == "self" for f in fields) else 4   # len("__dataclass_self__") or len("self")
    code = [_RESUME]
    table = [b"\x80\x00"]   # RESUME: line 1, columns 0-0
    names = [f.name for f in fields]
    co_names = [_OBJECT, "__setattr__"]
    tables: tuple[bytes, bytes] = (b"", _PASS_TABLE)   # `  pass` and its return: line 2, columns 2-6
    for index, f in enumerate(fields, 1):
        load = bytes((_LOAD_CONST, index, _LOAD_FAST, index))
        if f.default is not MISSING or f.default_factory is MISSING:   # a default wins, as in _exec_init
            code += (_LINE_START, load, _LINE_END)
            tables = _line_tables(False, me, len(f.name))
        else:
            if len(co_names) == 2:
                co_names.append(_MARK)   # at index 2, as _TEST reads it
            co_names.append(f"__dataclass_dflt_{f.name}__")
            code += (_LINE_START, load, _TEST, bytes((_LOAD_GLOBAL, (len(co_names) - 1) << 1 | 1)), _GLOBAL_CACHE,
                     _FACTORY_CALL, load[2:], _LINE_END)
            tables = _line_tables(True, me, len(f.name))
        table.append(tables[0])
    code.append(_RETURN)
    table.append(tables[1])
    if not fields:
        co_names = []
    return CodeType(
        len(fields) + 1, 0, 0, len(fields) + 1, (6 if len(co_names) > 2 else 5) if fields else 1, _FLAGS,
        b"".join(code), (None, *names), tuple(co_names),
        ("__dataclass_self__" if me == 18 else "self", *names), "<string>", "__init__", "__init__", 1,
        b"".join(table), b"")


# Columns in a field's line "  __dataclass_builtins_object__.__setattr__(self, 'name', value)":
# the object 2-31, its __setattr__ 2-43, self from 44; a factory's value is
# "__dataclass_dflt_name__() if name is __dataclass_HAS_DEFAULT_FACTORY__ else name".
def _line_end(factory: bool, me: int, name: int) -> int:
    """Where the call ends: after its value, which starts after "self, 'name', "."""
    return 50 + me + name + (3 * name + 69 if factory else name + 1)


def _line_tables(factory: bool, me: int, name: int) -> tuple[bytes, bytes]:
    """The location table of a field's line for `self` and a name of these lengths, and that of
    a closing `return None` after it (which has the whole line's columns)."""
    key = (factory, me, name)
    known = _TABLES.get(key)
    if known is not None:
        return known
    value = 50 + me + name
    end = _line_end(factory, me, name)
    entries = [_GLOBAL, 2, 31, _METHOD, 2, 43, 1, 44, 44 + me, 1, 46 + me, 48 + me + name]
    if factory:
        test = value + name + 25      # "name is __dataclass_HAS_DEFAULT_FACTORY__"
        mark = test + name + 4
        call = value + name + 21      # "__dataclass_dflt_name__()" ends here
        entries += [1, test, test + name, _GLOBAL, mark, mark + 33, 1, test, mark + 33, 1, test, mark + 33,
                    _GLOBAL, value, call - 2, _PRECALL, value, call, _CALL, value, call, 1, value, call,
                    1, end - 1 - name, end - 1]
    else:
        entries += [1, value, value + name]
    entries += [_PRECALL, 2, end, _CALL, 2, end, 1, 2, end]
    known = _TABLES[key] = (_locations(entries, 1), _locations([1, 2, end, 1, 2, end], 0))
    return known


_TABLES: dict[tuple[bool, int, int], tuple[bytes, bytes]] = {}


def _locations(entries: list[int], line_delta: int) -> bytes:
    """The entries of a 3.11 location table for instructions on one line, given as (code units,
    start column, end column) in a row, the first `line_delta` lines after the previous entry's:
    as the compiler writes them (the short form, else the one-line form, else the long one; at
    most 8 code units an entry)."""
    out: list[int] = []
    for i in range(0, len(entries), 3):
        units, start, stop = entries[i], entries[i + 1], entries[i + 2]
        while units > 0:
            size = units if units < 8 else 8
            units -= size
            head = 0x80 | (size - 1)
            if line_delta == 0 and start < 80 and 0 <= stop - start < 16:
                out += (head | (start >> 3) << 3, (start & 7) << 4 | (stop - start))
            elif start < 128 and stop < 128:   # line_delta is 0 or 1
                out += (head | (10 + line_delta) << 3, start, stop)
            else:
                out.append(head | 14 << 3)
                for number in (line_delta << 1, 0, start + 1, stop + 1):   # svarint (never < 0), then varints
                    while number >= 64:
                        out.append(number & 63 | 64)
                        number >>= 6
                    out.append(number)
            line_delta = 0
    return bytes(out)


def _calibrate() -> bool:
    """Whether `_assemble` writes what this Python's compiler does, on a probe with both kinds of
    line, `self` renamed, and names long enough for every form of location entry."""
    def probe(name: str, **kwargs: Any) -> dataclasses.Field:
        f = field(**kwargs)
        f.name = name
        return f

    fields = [probe("self"), probe("b", default=1), probe("c" * 40, default_factory=list)]
    compiled = _exec_init(fields, {"__dataclass_HAS_DEFAULT_FACTORY__": _FACTORY_MARK,
                                   "__dataclass_builtins_object__": object}).__code__
    ours = _assemble(fields)
    return all(getattr(compiled, name) == getattr(ours, name) for name in CODE_ATTRIBUTES)


# what exec sets on a code object, all compared by _calibrate (and by the tests)
CODE_ATTRIBUTES = ("co_code", "co_consts", "co_names", "co_varnames", "co_argcount", "co_kwonlyargcount",
                   "co_posonlyargcount", "co_flags", "co_nlocals", "co_stacksize", "co_firstlineno",
                   "co_linetable", "co_exceptiontable", "co_filename", "co_name", "co_qualname",
                   "co_freevars", "co_cellvars")
