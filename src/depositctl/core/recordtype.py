"""`record`: the class decorator of the core's read models (issue 12).

What `dataclass(slots=True, kw_only=..., unsafe_hash=True)` made of a class, without the
`dataclasses` module (which imports `inspect`, with `ast`, `dis` and `tokenize`: a fifth
of a 5-case `status`): the fields from the annotations (the bases' first), each with its
default or `field(default_factory=…, kw_only=…)`; an `__init__` compiled once per class,
as dataclass's (one assignment per field, then `__post_init__` if the class has one);
`__eq__` and `__hash__` of the fields' values as a tuple; `__repr__`; `__match_args__`;
the class re-created with `__slots__`. The type checker treats a record as a frozen
dataclass (`dataclass_transform(frozen_default=True)`: mypy refuses any assignment to a
field). At run time it is not frozen: a frozen dataclass's `__init__` sets every field
through `object.__setattr__`, which made building the records of `status --limit 0`
twice as slow. Nothing assigns to a record: mypy checks that in CI.

A record is not a dataclass: `fields_of`, `replace` and `asdict` here stand for the
`dataclasses` functions (which refuse a record with a TypeError).
tests/test_recordtype.py checks that a record behaves as the dataclass did.
"""

from __future__ import annotations

import builtins
from _thread import get_ident
from types import FunctionType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType
    from typing import Any, TypeVar, dataclass_transform

    _T = TypeVar("_T")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


#: No default (a required field), as `dataclasses.MISSING`.
MISSING: Any = _Missing()


class Field:
    """A record's field: its name, its annotation (the text of it), its default or the
    function making one, whether it is taken by keyword only."""

    __slots__ = ("default", "default_factory", "kw_only", "name", "type")

    def __init__(
        self, default: Any = MISSING, default_factory: Any = MISSING, kw_only: bool | None = None
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return (
            f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r}, "
            f"default_factory={self.default_factory!r}, kw_only={self.kw_only!r})"
        )


if TYPE_CHECKING:
    from dataclasses import field as field

    @dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
    def record(*, kw_only: bool = True) -> Callable[[type[_T]], type[_T]]: ...

else:

    def record(*, kw_only=True):
        return lambda cls: _make(cls, kw_only)

    def field(*, default=MISSING, default_factory=MISSING, kw_only=None):
        """`dataclasses.field` as records use it: a default made by `default_factory`
        (a dict), or a field taken by keyword among positional ones (`kw_only=True`)."""
        return Field(default, default_factory, kw_only)


def fields_of(cls_or_record: Any) -> tuple[Field, ...]:
    """The fields of a record class or record, in `__init__`'s order
    (`dataclasses.fields`)."""
    try:
        return cls_or_record.__record_fields__  # type: ignore[no-any-return]
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record `obj` with `changes` (`dataclasses.replace`)."""
    for f in fields_of(obj):
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def asdict(obj: Any) -> dict[str, Any]:
    """The record `obj` as a dict, the records in it (also in lists, tuples and dicts)
    as dicts too (`dataclasses.asdict`)."""
    if not hasattr(type(obj), "__record_fields__"):
        raise TypeError("asdict() should be called on record instances")
    return _asdict(obj)  # type: ignore[no-any-return]


def _asdict(obj: Any) -> Any:
    if hasattr(type(obj), "__record_fields__"):
        return {f.name: _asdict(getattr(obj, f.name)) for f in obj.__record_fields__}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple
        return type(obj)(*[_asdict(v) for v in obj])
    if isinstance(obj, list | tuple):
        return type(obj)(_asdict(v) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_asdict(k), _asdict(v)) for k, v in obj.items())
    return obj


#: `builder`'s functions, by class (a subclass has its own).
_BUILDERS: dict[type, Any] = {}


def builder(cls: type[_T]) -> Callable[..., _T]:
    """A function making a record of class `cls` from every field's value, in
    `fields_of`'s order or by name: what `cls(...)` makes given every field (then
    `__post_init__`, if the class has one), without the keyword dict a class call
    passes to `__init__` (its slot wrapper), which made a `Deadline` 2.4 times as slow
    to build. For the records made per case of a listing (issue 12); its code comes
    prebuilt from core/_recordcode.py as `__init__`'s does."""
    made = _BUILDERS.get(cls)
    if made is None:
        made = _BUILDERS[cls] = build_function(cls)
    return made


def build_function(cls: type[_T]) -> Callable[..., _T]:
    """`builder`'s function for `cls`, made anew and not kept in `builder`'s table (the
    records `make record-code` prebuilds a builder for: tests make their own here)."""
    source, new, owner = _builder_source(cls)
    given: dict[str, Any] = {new: object.__new__, owner: cls, "__builtins__": builtins}
    code = _prebuilt().get(source)
    qualname = f"{cls.__qualname__}.<builder>"
    if code is None:
        exec(source, given)
        made = given["build"]
    else:
        made = FunctionType(code.replace(co_name="build", co_qualname=qualname), given)
    made.__qualname__ = qualname
    return made  # type: ignore[no-any-return]


def _builder_source(cls: type) -> tuple[str, str, str]:
    """`builder`'s function for `cls` as text, and the names it gives `object.__new__`
    and the class (longer than any field's name)."""
    fields = fields_of(cls)
    me, _, _ = _init_names(fields)
    taken = {f.name for f in fields} | {me}
    new, owner = "_new", "_cls"
    while new in taken or owner in taken:
        new, owner = new + "_", owner + "_"
    body = "".join(f" {me}.{f.name} = {f.name}\n" for f in fields)
    if hasattr(cls, "__post_init__"):
        body += f" {me}.__post_init__()\n"
    params = ", ".join(f.name for f in fields)
    return f"def build({params}):\n {me} = {new}({owner})\n{body} return {me}\n", new, owner


def builder_sources() -> set[str]:
    """The text of every `builder` function made so far (`make record-code`)."""
    return {_builder_source(c)[0] for c in _BUILDERS}


def _is_classvar(annotation: Any) -> bool:
    return isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar"))


def _make(cls: type, kw_only: bool) -> type:
    """`cls` made a record (see the module's text)."""
    fields: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        for f in getattr(base, "__record_fields__", ()):
            fields[f.name] = f
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (no `inspect`: the point)
    for name, annotation in own.items():
        if _is_classvar(annotation):
            continue
        if isinstance(annotation, str) and annotation.startswith(("InitVar", "KW_ONLY")):
            raise TypeError(f"{cls.__name__}.{name}: records have no {annotation}")
        value = cls.__dict__.get(name, MISSING)
        if type(value).__module__ == "dataclasses":  # dataclasses.field: not ours
            raise TypeError(f"{cls.__name__}.{name}: use depositctl.core.recordtype.field")
        f = value if isinstance(value, Field) else Field(default=value)
        f.name, f.type = name, annotation
        if f.kw_only is None:
            f.kw_only = kw_only
        if type(f.default).__hash__ is None:  # as dataclass: a list, dict or set is shared
            raise ValueError(
                f"mutable default {type(f.default)} for field {name} is not allowed:"
                " use default_factory"
            )
        fields[name] = f
    every = tuple(fields.values())
    positional = [f for f in every if not f.kw_only]
    by_keyword = [f for f in every if f.kw_only]

    names = tuple(f.name for f in every)
    _check_order(positional)
    owner: list[type] = []  # the class made below, which the first call compiles for
    methods = _uncompiled(owner, every, positional, by_keyword)
    methods["__repr__"] = _repr(names)
    methods["__match_args__"] = tuple(f.name for f in positional)
    body = dict(cls.__dict__)
    for name, value in methods.items():
        if name not in body and name != "__hash__":
            body[name] = value
    if "__hash__" in cls.__dict__ and cls.__dict__["__hash__"] is not None:
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    body["__hash__"] = methods["__hash__"]
    body["__record_fields__"] = every

    inherited: set[str] = set()
    for base in cls.__mro__[1:-1]:
        slots = base.__dict__.get("__slots__", ())
        inherited.update((slots,) if isinstance(slots, str) else slots)
    body["__slots__"] = tuple(n for n in names if n not in inherited)
    for name in names:
        body.pop(name, None)
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    new = type(cls)(cls.__name__, cls.__bases__, body)
    new.__qualname__ = cls.__qualname__
    owner.append(new)
    return new


def _check_order(positional: list[Field]) -> None:
    seen_default = False
    for f in positional:
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default


def _uncompiled(
    owner: list[type], fields: tuple[Field, ...], positional: list[Field], by_keyword: list[Field]
) -> dict[str, Any]:
    """`__init__`, `__eq__` and `__hash__` that compile the class's own on their first call
    (`_compiled`: `__init__` alone, or the other two), put them in the class and call them.
    Compiling is most of what making a record costs (~0.3 ms for `__init__`, ~0.4 for
    `__eq__` and `__hash__`, for the 35 records a 5-case `status` imports), and most
    records never compare or hash on a run, many are never made."""

    def compile_init() -> Any:
        made = _compiled(owner[0], fields, positional, by_keyword, init=True)
        if owner[0].__dict__.get("__init__") is __init__:
            owner[0].__init__ = made["__init__"]  # type: ignore[misc]
        return made["__init__"]

    def compile_eq_hash() -> dict[str, Any]:
        made = _compiled(owner[0], fields, positional, by_keyword, init=False)
        if owner[0].__dict__.get("__eq__") is __eq__:
            owner[0].__eq__ = made["__eq__"]  # type: ignore[method-assign]
        if owner[0].__dict__.get("__hash__") is __hash__:
            owner[0].__hash__ = made["__hash__"]  # type: ignore[method-assign]
        return made

    def __init__(self: Any, /, *args: Any, **kwargs: Any) -> None:  # a field may be `self`
        compile_init()(self, *args, **kwargs)

    def __eq__(self: Any, other: Any) -> Any:
        return compile_eq_hash()["__eq__"](self, other)

    def __hash__(self: Any) -> int:
        return compile_eq_hash()["__hash__"](self)  # type: ignore[no-any-return]

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def init_source(positional: list[Field], by_keyword: list[Field], post_init: bool) -> str:
    """The text of a record's `__init__`, without its defaults (the function is given
    them): `def __init__(self, a, b, *, c):` then `self.a = a` for each field (a field
    made by a factory: `self.c = _d_c() if c is _F else c`), then `self.__post_init__()`
    if the class has one. The key of `core/_recordcode.py`. (`_init_names`: other names
    where a field is named `self`, `_F` or `_d_c`.)"""
    me, marker, made_by = _init_names((*positional, *by_keyword))
    params = [me, *(f.name for f in positional)]
    if by_keyword:
        params += ["*", *(f.name for f in by_keyword)]
    lines = [
        f" {me}.{f.name} = {made_by}{f.name}() if {f.name} is {marker} else {f.name}"
        if f.default_factory is not MISSING
        else f" {me}.{f.name} = {f.name}"
        for f in (*positional, *by_keyword)
    ]
    if post_init:
        lines.append(f" {me}.__post_init__()")
    return f"def __init__({', '.join(params)}):\n" + ("\n".join(lines) or " pass") + "\n"


def _compiled(
    cls: type,
    fields: tuple[Field, ...],
    positional: list[Field],
    by_keyword: list[Field],
    *,
    init: bool,
) -> dict[str, Any]:
    """`__init__` (`init`) or `__eq__` and `__hash__`, as dataclass's are: `init_source`,
    its defaults given to the function as dataclass's has them (a default made by a
    factory: `_F`, then `_d_c()` in the body); `(self.a, self.b,) == (other.a,
    other.b,)`, `hash((self.a, self.b,))`. `__init__`'s code comes compiled from
    core/_recordcode.py (`make record-code`) where its text is there: compiling it here
    costs a 5-case `status` ~0.25 ms a record, for the ~25 it makes."""
    _, marker, made_by = _init_names(fields)
    given: dict[str, Any] = {marker: _FACTORY, "__builtins__": builtins}
    for f in fields:
        if f.default_factory is not MISSING:
            given[f"{made_by}{f.name}"] = f.default_factory
    if init:
        source = init_source(positional, by_keyword, hasattr(cls, "__post_init__"))
        code = _prebuilt().get(source)
        if code is None:
            namespace: dict[str, Any] = {}
            exec(source, given, namespace)
            code = namespace["__init__"].__code__
        qualname = f"{cls.__qualname__}.__init__"
        function = FunctionType(
            code.replace(co_name="__init__", co_qualname=qualname),
            given,
            "__init__",
            tuple(_default(f) for f in positional if _default(f) is not MISSING) or None,
        )
        function.__kwdefaults__ = {
            f.name: _default(f) for f in by_keyword if _default(f) is not MISSING
        } or None
        function.__qualname__ = qualname
        return {"__init__": function}
    mine = "".join(f"self.{f.name}," for f in fields)  # the fields' order, as dataclass
    theirs = mine.replace("self.", "other.")
    exec(
        "def __eq__(self, other):\n"
        " if other.__class__ is self.__class__:\n"
        f"  return ({mine}) == ({theirs})\n"
        " return NotImplemented\n"
        "def __hash__(self):\n"
        f" return hash(({mine}))\n",
        given,
    )
    made = {"__eq__": given["__eq__"], "__hash__": given["__hash__"]}
    for name, method in made.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
    return made


def _init_names(fields: tuple[Field, ...] | list[Field]) -> tuple[str, str, str]:
    """The names `__init__`'s code uses besides the fields': its first parameter (`self`),
    the factory marker (`_F`) and the prefix of the factories (`_d_`), each made longer by
    `_` while a field has its name (as dataclass names its own `__dataclass_self__`
    where a field is `self`): a field `self`, `_F` or `_d_c` is set as any other."""
    taken = {f.name for f in fields}
    me, marker, made_by = "self", "_F", "_d_"
    while me in taken:
        me += "_"
    while marker in taken:
        marker += "_"
    while any(made_by + f.name in taken for f in fields if f.default_factory is not MISSING):
        made_by += "_"
    return me, marker, made_by


def _default(f: Field) -> Any:
    return _FACTORY if f.default_factory is not MISSING else f.default


def _prebuilt() -> dict[str, CodeType]:
    """core/_recordcode.py's code, {} where it is missing."""
    global _PREBUILT
    if _PREBUILT is None:
        try:
            from depositctl.core._recordcode import CODE
        except ImportError:  # pragma: no cover - removed by hand
            CODE = {}
        _PREBUILT = CODE
    return _PREBUILT


_PREBUILT: dict[str, CodeType] | None = None


def prebuilt_text(classes: list[type]) -> str:
    """What core/_recordcode.py holds for the records `classes` (`make record-code`)."""
    sources = sorted(
        {
            init_source(
                [f for f in fields_of(c) if not f.kw_only],
                [f for f in fields_of(c) if f.kw_only],
                hasattr(c, "__post_init__"),
            )
            for c in classes
        }
        | {_builder_source(c)[0] for c in classes if c in _BUILDERS}
    )
    out = [
        '"""The compiled `__init__` of each record (core/recordtype.py) and its `builder`, keyed\n'
        "by its text: a 5-case `status` compiled ~25 of them, ~6 ms (issue 12). Written by\n"
        "`make record-code` (tests/test_recordtype.py checks it is fresh); a record whose\n"
        'text is not here compiles its own."""\n\n# mypy: ignore-errors\n# ruff: noqa\n',
    ]
    for i, source in enumerate(sources):
        named = source.replace("def __init__(", f"def _{i}(", 1).replace(
            "def build(", f"def _{i}(", 1
        )
        out.append("\n" + named.replace("\n ", "\n    "))
    out.append("\n\nCODE = {\n")
    out += [f"    {source!r}: _{i}.__code__,\n" for i, source in enumerate(sources)]
    out.append("}\n")
    return "".join(out)


class _Factory:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _repr(names: tuple[str, ...]) -> Any:
    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        key = (id(self), get_ident())
        if key in running:  # a record holding itself, as reprlib says it
            return "..."
        running.add(key)
        try:
            inner = ", ".join([f"{n}={getattr(self, n)!r}" for n in names])
        finally:
            running.discard(key)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__
