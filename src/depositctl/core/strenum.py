"""`enum.StrEnum`'s behaviour for a class of text constants, without importing `enum`:
`enum` (its module and the class it builds) cost a 5-case `status` 7.7 M of its ~134 M
instructions (issue 12), for the one enumeration every command reads (`records.State`).

    class Colour(StrEnumBase):
        RED: ClassVar[Colour] = member("red")

`Colour.RED` is a `str` equal to "red" and the one object of that value (`is` compares
members, copies and pickles give it back); the class iterates its members in order, has
their `len` and `__members__`, and `Colour("red")` is `Colour.RED` (a `ValueError` for
any other value); each member has `name` and `value`, and its `repr`, `str` and `format`
are StrEnum's. tests/test_strenum.py compares every one of these with `enum.StrEnum`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, TypeVar

    _M = TypeVar("_M", bound="StrEnumBase")


def member(value: str) -> Any:
    """A member's value, in the class body (the class makes it the member)."""
    return value


class StrEnumType(type):
    """The class of a `StrEnumBase`: it makes each upper-case text of the body a member."""

    _members_: tuple[Any, ...]
    _by_value_: dict[str, Any]

    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> StrEnumType:
        cls = super().__new__(mcs, name, bases, ns)
        members = []
        for key, value in ns.items():
            if key.isupper() and not key.startswith("_") and type(value) is str:
                m: Any = str.__new__(cls, value)  # type: ignore[arg-type]
                m._name_ = key
                type.__setattr__(cls, key, m)
                members.append(m)
        cls._members_ = tuple(members)
        cls._by_value_ = {str(m): m for m in members}
        if len(cls._by_value_) != len(members):
            raise ValueError(f"a value occurs twice in {name}")
        return cls

    def __call__(cls: type[_M], value: object) -> _M:  # type: ignore[misc]
        found = cls._by_value_.get(value) if isinstance(value, str) else None
        if found is None:
            raise ValueError(f"{value!r} is not a valid {cls.__qualname__}")
        return found  # type: ignore[no-any-return]

    def __iter__(cls: type[_M]) -> Iterator[_M]:  # type: ignore[misc]
        return iter(cls._members_)

    def __len__(cls) -> int:
        return len(cls._members_)

    def __setattr__(cls, name: str, value: object) -> None:
        if isinstance(cls.__dict__.get(name), cls):
            raise AttributeError(f"cannot reassign member {name!r}")
        super().__setattr__(name, value)

    @property
    def __members__(cls) -> dict[str, Any]:
        return {m._name_: m for m in cls._members_}


class StrEnumBase(str, metaclass=StrEnumType):
    """What every member is (a `str` of its value)."""

    _name_: str

    @property
    def name(self) -> str:
        return self._name_

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {str.__repr__(self)}>"

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str.__str__(self), spec)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return type(self), (str.__str__(self),)

    def __copy__(self: _M) -> _M:
        return self

    def __deepcopy__(self: _M, memo: Any) -> _M:
        return self
