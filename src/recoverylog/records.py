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
ClassVar/InitVar probes, three a field), and `__init__` is compiled on the class's first
instantiation (`inspect.signature` of a class sees it from then on). Anything else (a base class,
`__slots__`, `__post_init__`, a class's own `__init__`/`__eq__`/`__hash__`/`__setattr__`/
`__delattr__`, ClassVar, InitVar, KW_ONLY, `init=False`, `kw_only=`, `hash=`) gets the standard
library's `dataclass(frozen=True)` itself, and so is every record on a Python other than 3.11
(`FAST`). tests/test_records.py compares the two on twin classes.
"""

from __future__ import annotations

import abc
import dataclasses
import inspect
import re
import sys
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, field
from operator import attrgetter
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["field", "record"]

T = TypeVar("T")

_STANDARD = dataclasses.dataclass(frozen=True)
_OWN_METHODS = ("__init__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__post_init__")
_FACTORY_MARK = dataclasses._HAS_DEFAULT_FACTORY  # type: ignore[attr-defined]  # repr '<factory>'
_PLAIN_FIELD = dataclasses._FIELD  # type: ignore[attr-defined]
_PSEUDO_WORDS = ("ClassVar", "InitVar", "KW_ONLY")
_FIRST_NAME = re.compile(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")   # dataclasses._MODULE_IDENTIFIER_RE
# dataclass(frozen=True): every parameter of the Python versions this runs on (3.11 has the first six)
_PARAMS = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False, "frozen": True,
           "match_args": True, "kw_only": False, "slots": False, "weakref_slot": False}


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """Make `cls` a frozen dataclass (see the module docstring)."""
    all_fields = _fields_of(cls)
    if all_fields is None:
        return _STANDARD(cls)
    _finish_fields(cls, all_fields)
    seen_default = False
    for f in all_fields:
        if f.default is MISSING and f.default_factory is MISSING:
            if seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            seen_default = True
    names = tuple(f.name for f in all_fields)
    compared = tuple(f.name for f in all_fields if f.compare)
    shown = tuple(f.name for f in all_fields if f.repr)
    key = _key(compared)

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
        # first instantiation: compile the real __init__, install it, and use it (`self` is in
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


def _fields_of(cls: type) -> list[dataclasses.Field] | None:
    """The fields dataclass() would find (its `_get_field`, for plain fields), or None when the
    class needs something only the standard decorator does: a base class, one of the methods it
    would leave alone, a non-string annotation, ClassVar, InitVar, KW_ONLY (also under another
    name: the first name of an annotation is looked up as dataclass looks it up), a field
    that is not in __init__, kw_only, or hash=."""
    if not FAST or cls.__bases__ != (object,) or any(name in cls.__dict__ for name in (*_OWN_METHODS, "__slots__")):
        return None
    module = sys.modules.get(cls.__module__)
    namespace = module.__dict__ if module is not None else {}
    found = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if not isinstance(annotation, str) or any(word in annotation for word in _PSEUDO_WORDS):
            return None
        match = _FIRST_NAME.match(annotation)
        if match and _pseudo(namespace.get(match.group(2))):
            return None
        default = getattr(cls, name, MISSING)
        if isinstance(default, dataclasses.Field):
            if not default.init or default.hash is not None or default.kw_only is True:
                return None
            f = default
        else:
            f = field(default=default)  # type: ignore[arg-type]
        f.name = name
        f.type = annotation
        f._field_type = _PLAIN_FIELD  # type: ignore[attr-defined]
        if f.kw_only is MISSING:
            f.kw_only = False
        if f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {f.name} is not allowed: "
                             "use default_factory")
        found.append(f)
    return found


def _pseudo(obj: Any) -> bool:
    """Whether a name an annotation starts with is ClassVar, InitVar or KW_ONLY."""
    return (obj is ClassVar or obj is dataclasses.InitVar or type(obj) is dataclasses.InitVar
            or obj is dataclasses.KW_ONLY or getattr(obj, "__origin__", None) is ClassVar)


def _finish_fields(cls: type, fields: list[dataclasses.Field]) -> None:
    """What dataclass(frozen=True) sets on the class besides its methods: class attributes for
    defaults (none for a factory), __dataclass_fields__ and __dataclass_params__."""
    annotations = cls.__dict__.get("__annotations__", {})
    for f in fields:
        if isinstance(getattr(cls, f.name, None), dataclasses.Field):
            if f.default is MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    for name, value in cls.__dict__.items():
        if isinstance(value, dataclasses.Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    cls.__dataclass_params__ = _params()  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = {f.name: f for f in fields}  # type: ignore[attr-defined]


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
        text = f"{f.name}: {inspect.formatannotation(f.type)}"
        if f.default is not MISSING:
            text += f" = {f.default!r}"
        elif f.default_factory is not MISSING:
            text += f" = {_FACTORY_MARK!r}"
        parts.append(text)
    return "(" + ", ".join(parts) + ")"


def _init_fn(cls: type, fields: list[dataclasses.Field]) -> Callable[..., None]:
    """The __init__ dataclass(frozen=True) writes: the same parameters, defaults, factories,
    annotations and qualified name (so a wrong call raises the same TypeError)."""
    namespace: dict[str, Any] = {"__dataclass_HAS_DEFAULT_FACTORY__": _FACTORY_MARK,
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
    exec(source, namespace)  # noqa: S102 - the same technique as dataclasses itself
    fn = namespace["__init__"]
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__module__ = cls.__module__
    fn.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    return fn
