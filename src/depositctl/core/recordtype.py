"""`record`: the class decorator of the core's read models (issue 12).

A slotted dataclass, keyword-only unless told otherwise, with equality and a hash of its
fields, that the type checker treats as frozen (`dataclass_transform(frozen_default=True)`:
mypy refuses any assignment to a field). At run time it is not frozen: a frozen
dataclass's `__init__` sets every field through `object.__setattr__`, which made building
the records of `status --limit 0` (eight thousand cases, a dozen records each) twice as
slow, and generates two more methods per class at import. Nothing assigns to a record:
mypy checks that in CI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False  # no `typing` at run time (core/hints.py)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    _T = TypeVar("_T")

    @dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
    def record(*, kw_only: bool = True) -> Callable[[type[_T]], type[_T]]: ...

else:

    def record(*, kw_only: bool = True) -> Any:
        def wrap(cls: type) -> type:
            return dataclass(slots=True, kw_only=kw_only, unsafe_hash=True)(cls)

        return wrap
