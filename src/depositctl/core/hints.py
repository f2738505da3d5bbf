"""What the modules `status` imports need of `typing` at run time, without importing it.

`typing` costs a 5-case `status` (depositctl/fast.py) about a twentieth of its time
(issue 12), and every name these modules take from it serves the type checker alone.
They import it as

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import Generic, TypeVar
    else:
        from depositctl.core.hints import Generic, TypeVar

so mypy reads `typing` (it takes any `TYPE_CHECKING` as true) and Python these stand-ins.
A stand-in does at run time what the code relies on (subscripting, decorating) and no
more: nothing in depositctl inspects type variables, overloads or generic aliases.
tests/test_fastpath.py checks that a served `status` leaves `typing` out of sys.modules.
"""

from __future__ import annotations

from collections.abc import Callable

#: `typing.Any` where a module evaluates it (a type variable's bound).
Any = object


def TypeVar(name: str, *constraints: object, **options: object) -> str:
    """`typing.TypeVar`: its name (annotations are strings here; nothing reads it)."""
    return name


def overload(func: Callable[..., object]) -> Callable[..., object]:
    """`typing.overload`: the decorated signature, which the implementation replaces."""
    return func


class _Subscripted:
    """A `typing` special form that a library may evaluate in an annotation (pydantic
    reads `Literal["d", "wd"]` of core/records.py's `RefundWithin` in that module's
    namespace): subscripted, it imports `typing` and gives the real thing."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getitem__(self, params: object) -> object:
        import typing

        return getattr(typing, self._name)[params]


Literal = _Subscripted("Literal")


class Generic:
    """`typing.Generic` as a base class: `Class[T]` is the class itself."""

    __slots__ = ()

    def __class_getitem__(cls, params: object) -> type:
        return cls
