"""Hypothesis strategies for the event models, derived from their pydantic field declarations
(hypothesis' own `builds` trips over optional constrained strings)."""

from __future__ import annotations

import datetime as dt
import types
import typing
import uuid
from typing import Any

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs",))


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in ("min_length", "max_length", "ge", "le", "gt", "lt"):
            if isinstance(item, annotated_types.BaseMetadata) and hasattr(item, name):
                found[name] = getattr(item, name)
        if hasattr(item, "pattern") and item.pattern:
            found["pattern"] = item.pattern
    return found


def _for(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    limits = _constraints(metadata)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_for(arg, metadata) for arg in args))
    if origin is typing.Annotated:
        return _for(args[0], [*metadata, *args[1:]])
    if origin is tuple:
        return st.lists(
            _for(args[0], []),
            min_size=limits.get("min_length", 0),
            max_size=limits.get("max_length", 5),
        ).map(tuple)
    if annotation is type(None):
        return st.none()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_strategy(annotation)
    if annotation is str:
        if "pattern" in limits:
            return st.from_regex(limits["pattern"], fullmatch=True)
        return st.text(
            _TEXT,
            min_size=limits.get("min_length", 0),
            max_size=min(limits.get("max_length", 50), 50),
        )
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(limits.get("ge", -(10**6)), limits.get("le", 10**6))
    if annotation is float:
        return st.floats(limits.get("ge", -1e6), limits.get("le", 1e6), allow_nan=False)
    if annotation is uuid.UUID:
        return st.uuids()
    if annotation is dt.datetime or getattr(annotation, "__name__", "") == "AwareDatetime":
        return st.datetimes(timezones=st.just(dt.UTC))
    if annotation is dt.date:
        return st.dates()
    if getattr(annotation, "__name__", "") == "EmailStr":
        return st.emails()
    if annotation is Any:
        return st.none()
    raise NotImplementedError(f"no strategy for {annotation!r}")


def _field(info: FieldInfo) -> st.SearchStrategy[Any]:
    return _for(info.annotation, list(info.metadata))


def model_strategy(model: type[BaseModel]) -> st.SearchStrategy[Any]:
    """Valid instances of ``model`` (drawn values its own validators refuse are skipped)."""
    fields = {name: _field(info) for name, info in model.model_fields.items()}

    def build(values: dict[str, Any]) -> Any:
        try:
            return model.model_validate(values)
        except ValueError:
            return None

    return st.fixed_dictionaries(fields).map(build).filter(lambda v: v is not None)
