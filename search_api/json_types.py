"""Request fields typed as JSON Schema types them. Pydantic's lax int takes `true` and `"5"`, which JSON
Schema's "integer" does not (schemathesis sent `page: true` and was answered 200); its strict int refuses
`100.0`, which JSON Schema's "integer" allows. JsonInt takes exactly what the schema says."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError


def _json_integer(value: object) -> object:
    if isinstance(value, bool | str):
        raise PydanticCustomError("int_type", "Input should be a valid integer")  # pydantic's own type and words
    return value  # int, or a float with no fraction (100.0), as JSON Schema's integer; pydantic checks the rest


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
# An optional 1–100 (a page, a count): the bounds inside the type, ahead of the validator, or pydantic writes
# them into the schema of `int | None` as `ge`/`le` instead of minimum/maximum.
OneToHundred = Annotated[int, Field(ge=1, le=100), BeforeValidator(_json_integer)]
