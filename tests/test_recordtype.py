"""core/recordtype.py's `record`: what `dataclass(slots=True, kw_only=…, unsafe_hash=True)`
made of a class, without the `dataclasses` module (issue 12)."""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import pickle
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depositctl.core import caseview, channels, deadlines, records, rules, vocab
from depositctl.core.recordtype import (
    MISSING,
    asdict,
    build_function,
    builder,
    builder_sources,
    field,
    fields_of,
    init_source,
    record,
    replace,
)


@record()
class Point:
    """A plain record."""

    x: int
    y: int = 0
    tags: dict[str, int] = field(default_factory=dict)


@record(kw_only=False)
class Word:
    value: str
    zh: str = ""
    aliases: tuple[str, ...] = field(default=(), kw_only=True)


@record(kw_only=False)
class Loud(Word):
    loud: bool = False


@record()
class Checked:
    n: int

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError("negative")


def test_equality_hash_and_repr() -> None:
    a, b, c = Point(x=1), Point(x=1, y=0), Point(x=1, y=2)
    assert a == b and a != c and Word("w", "z") == Word("w", zh="z")
    assert a != (1, 0, {}) and (a == object()) is False
    assert repr(c) == "Point(x=1, y=2, tags={})"
    assert hash(Word("w")) == hash(("w", "", ()))
    with pytest.raises(TypeError, match="unhashable"):
        hash(Point(x=1, tags={"a": 1}))  # as dataclass's unsafe_hash: a dict field


def test_defaults_and_factories_are_fresh() -> None:
    a, b = Point(x=1), Point(x=2)
    assert a.tags == {} and a.tags is not b.tags
    assert Point(x=1, tags={"k": 1}).tags == {"k": 1}


def test_keyword_only_and_positional() -> None:
    with pytest.raises(TypeError):
        Point(1)  # type: ignore[misc]
    assert Point.__match_args__ == ()
    w = Word("phone", "电话", aliases=("tel",))
    assert (w.value, w.zh, w.aliases) == ("phone", "电话", ("tel",))
    with pytest.raises(TypeError):
        Word("phone", "电话", ("tel",))  # type: ignore[misc]
    loud = Loud("x", "y", True, aliases=("z",))
    assert (loud.value, loud.zh, loud.loud, loud.aliases) == ("x", "y", True, ("z",))
    assert Loud.__match_args__ == ("value", "zh", "loud")
    assert [f.name for f in fields_of(Loud)] == ["value", "zh", "aliases", "loud"]
    assert loud != Word("x", "y", aliases=("z",))  # another class: never equal


def test_slots_no_dict() -> None:
    p = Point(x=1)
    assert not hasattr(p, "__dict__") and Point.__slots__ == ("x", "y", "tags")
    assert Loud.__slots__ == ("loud",)  # the base's slots are the base's
    with pytest.raises(AttributeError):
        p.z = 1  # type: ignore[attr-defined]
    assert not hasattr(Loud("a"), "__dict__")
    assert pickle.loads(pickle.dumps(loud := Loud("a", aliases=("b",)))) == loud


def test_methods_compiled_on_first_use_once() -> None:
    @record()
    class Late:
        a: int
        b: str = ""

    placeholder = Late.__dict__["__init__"]
    first = Late(a=1)
    compiled = Late.__dict__["__init__"]
    assert compiled is not placeholder and compiled.__qualname__.endswith("Late.__init__")
    assert Late(a=2).b == "" and Late.__dict__["__init__"] is compiled
    eq = Late.__dict__["__eq__"]
    assert first == Late(a=1) and first != Late(a=1, b="x")
    assert Late.__dict__["__eq__"] is not eq and Late.__dict__["__hash__"] is not eq
    assert hash(first) == hash((1, ""))


def test_post_init_runs() -> None:
    assert Checked(n=0).n == 0
    with pytest.raises(ValueError, match="negative"):
        Checked(n=-1)


def test_fields_replace_asdict() -> None:
    f = fields_of(Point)[1]
    assert (f.name, f.type, f.default, f.default_factory, f.kw_only) == (
        "y",
        "int",
        0,
        MISSING,
        True,
    )
    assert fields_of(Point(x=1)) == fields_of(Point)
    p = Point(x=1, y=2)
    assert replace(p, y=3) == Point(x=1, y=3) and p.y == 2
    with pytest.raises(TypeError):
        replace(p, z=1)
    assert asdict(p) == {"x": 1, "y": 2, "tags": {}}
    nested = records.CaseFacts(case=_case(), progress=())
    as_dict = asdict(nested)
    assert as_dict["case"]["condition"] == dict.fromkeys(("volume", "count", "days"), None) | {
        "on_return": False,
        "none": False,
    }
    assert as_dict["case"]["paid_on"] == date(2026, 1, 1) and as_dict["contacts"] == ()
    assert asdict(Loud("a", aliases=("b",))) == {
        "value": "a",
        "zh": "",
        "aliases": ("b",),
        "loud": False,
    }
    for bad in (fields_of, asdict):
        with pytest.raises(TypeError):
            bad(object())


def test_mistakes_are_refused() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @record()
        class Bad:
            items: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match=r"recordtype\.field"):

        @record()
        class Other:
            items: dict[str, int] = dataclasses.field(default_factory=dict)

    with pytest.raises(TypeError, match="non-default argument"):

        @record(kw_only=False)
        class Order:
            a: int = 0
            b: int


# -- the real records, against the dataclass each was ----------------------------------------
REAL = [
    cls
    for module in (records, caseview, channels, deadlines, rules, vocab)
    for cls in vars(module).values()
    if isinstance(cls, type)
    and "__record_fields__" in vars(cls)
    and cls.__module__ == module.__name__
]


def _twin(cls: type) -> Any:
    """The dataclass `record` made before: the same fields, defaults and `__post_init__`."""
    specs = []
    for f in fields_of(cls):
        options: dict[str, Any] = {"kw_only": f.kw_only}
        if f.default is not MISSING:
            options["default"] = f.default
        if f.default_factory is not MISSING:
            options["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**options)))
    namespace = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {}
    return dataclasses.make_dataclass(
        cls.__name__, specs, namespace=namespace, slots=True, unsafe_hash=True
    )


def _case() -> records.Case:
    return records.Case(
        id=1, provider="P", amount=__import__("decimal").Decimal(1), paid_on=date(2026, 1, 1)
    )


def test_every_real_record_is_found() -> None:
    names = {c.__name__ for c in REAL}
    assert {
        "Case",
        "Contact",
        "CaseView",
        "Deadline",
        "Rules",
        "Channel",
        "Derived",
        "Wait",
    } <= names


def _signature(cls: type) -> list[tuple[str, Any, Any]]:
    """`__init__`'s parameters, once compiled (a record compiles it on the first call)."""
    if hasattr(cls, "__record_fields__"):
        with contextlib.suppress(ValueError):  # RefundWithin's __post_init__
            cls(**dict.fromkeys(f.name for f in fields_of(cls)))
    return [
        (p.name, p.kind, p.default if p.default is inspect.Parameter.empty else "-")
        for p in inspect.signature(cls.__init__).parameters.values()
    ]


@pytest.mark.parametrize("cls", REAL, ids=lambda c: c.__name__)
def test_shape_as_the_dataclass(cls: type) -> None:
    twin = _twin(cls)
    assert cls.__match_args__ == twin.__match_args__  # type: ignore[attr-defined]
    assert (
        cls.__slots__
        == tuple(  # type: ignore[attr-defined]
            n
            for n in twin.__slots__
            if n not in {s for b in cls.__mro__[1:] for s in getattr(b, "__slots__", ())}
        )
    )
    ours = [(n, k, "<factory>" if repr(d) == "<factory>" else d) for n, k, d in _signature(cls)]
    theirs = [(n, k, "<factory>" if repr(d) == "<factory>" else d) for n, k, d in _signature(twin)]
    assert ours == theirs


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3), st.sampled_from(["d", "wd"])
)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("cls", REAL, ids=lambda c: c.__name__)
def test_behaves_as_the_dataclass(cls: type, data: st.DataObject) -> None:
    twin = _twin(cls)
    names = [f.name for f in fields_of(cls)]
    required = [
        f.name for f in fields_of(cls) if f.default is MISSING and f.default_factory is MISSING
    ]
    optional = [n for n in names if n not in required]
    chosen = data.draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []

    def make(kind: type, kwargs: dict[str, Any]) -> tuple[Any, Any]:
        try:
            return kind(**kwargs), None
        except Exception as exc:  # the same error from both: __post_init__
            return None, (type(exc), str(exc))

    one = {n: data.draw(VALUES) for n in (*required, *chosen)}
    other = {
        **one,
        **{n: data.draw(VALUES) for n in data.draw(st.lists(st.sampled_from(names), max_size=2))},
    }
    a, err = make(cls, dict(one))
    ta, terr = make(twin, dict(one))
    assert err == terr
    if a is None:
        return
    b, _ = make(cls, dict(other))
    tb, _ = make(twin, dict(other))
    if b is None:
        return
    assert repr(a) == repr(ta)
    assert (a == b) == (ta == tb) and (a != b) == (ta != tb)
    try:
        expected: Any = hash(ta)
    except TypeError:
        expected = TypeError
    if expected is TypeError:
        with pytest.raises(TypeError):
            hash(a)
    else:
        assert hash(a) == expected
    assert {n: getattr(a, n) for n in names} == {n: getattr(ta, n) for n in names}
    built = build_function(cls)(*[getattr(a, n) for n in names])  # positional, no keyword dict
    assert type(built) is cls and built == a and repr(built) == repr(a)
    changed = data.draw(st.sampled_from(names))
    value = data.draw(VALUES)
    try:
        expected_replace: Any = dataclasses.replace(ta, **{changed: value})
    except Exception as exc:
        with pytest.raises(type(exc)):
            replace(a, **{changed: value})
    else:
        assert repr(replace(a, **{changed: value})) == repr(expected_replace)


def test_builder_runs_post_init_and_takes_every_field() -> None:
    build = build_function(records.RefundWithin)
    assert build(15, "wd") == records.RefundWithin(n=15, unit="wd")
    assert build(unit="d", n=3) == records.RefundWithin(n=3, unit="d")  # by name too
    with pytest.raises(ValueError, match="not a refund time limit"):
        build(-1, "wd")
    with pytest.raises(TypeError):
        build(15)  # no defaults: every value is given
    assert builder(caseview.Deadline) is builder(caseview.Deadline)  # one per class, kept


def test_prebuilt_code_is_fresh() -> None:
    """core/_recordcode.py holds every record's `__init__`, compiled as `_compiled` would
    compile it (else `make record-code`: a record not there compiles its own, slower)."""
    from depositctl.core._recordcode import CODE
    from tests.fixtures import record_code

    classes = record_code.record_classes()
    assert len(classes) >= 30
    sources = set()
    for cls in classes:
        fields = fields_of(cls)
        source = init_source(
            [f for f in fields if not f.kw_only],
            [f for f in fields if f.kw_only],
            hasattr(cls, "__post_init__"),
        )
        sources.add(source)
        assert source in CODE, f"{cls.__qualname__}: run make record-code"
        namespace: dict[str, Any] = {}
        exec(source, {}, namespace)
        fresh, stored = namespace["__init__"].__code__, CODE[source]
        for attr in ("co_code", "co_varnames", "co_names", "co_consts", "co_argcount"):
            assert getattr(stored, attr) == getattr(fresh, attr), (cls, attr)
        assert stored.co_kwonlyargcount == fresh.co_kwonlyargcount
        made = cls.__dict__["__init__"].__code__
        if made.co_qualname == f"{cls.__qualname__}.__init__":  # made already: from CODE
            assert made.co_code == stored.co_code and made.co_filename.endswith("_recordcode.py")
    for source in builder_sources():  # the records built per case of a listing
        sources.add(source)
        assert source in CODE, "a builder: run make record-code"
        namespace = {}
        exec(source, {}, namespace)
        assert CODE[source].co_code == namespace["build"].__code__.co_code
    assert len(builder_sources()) >= 7
    assert set(CODE) == sources, "stale entries: run make record-code"


def test_prebuilt_text_is_the_file() -> None:
    from tests.fixtures import record_code

    assert record_code.TARGET.read_text(encoding="utf-8") == record_code.text()


def test_defaults_given_to_the_prebuilt_function() -> None:
    from decimal import Decimal

    case = records.Case(id=1, provider="P", amount=Decimal(1), paid_on=date(2026, 1, 1))
    init = records.Case.__dict__["__init__"]
    assert init.__qualname__ == "Case.__init__" and init.__code__.co_name == "__init__"
    assert init.__kwdefaults__["condition"] == records.Condition() and case.brand is None
    with pytest.raises(TypeError):  # compiles its `__init__` (first call), whatever ran before
        channels.ChannelVerdict()  # type: ignore[call-arg]
    a = channels.ChannelVerdict.__dict__["__init__"].__kwdefaults__
    assert a is not None and repr(a["params"]) == "<factory>"
    assert Word.__dict__["__init__"].__defaults__ is None or Word("v").zh == ""
    assert Word("v").zh == "" and Word.__init__.__defaults__ == ("",)
