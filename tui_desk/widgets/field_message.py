"""The message a form field posts about itself (Choice.Changed, Toggle.Changed,
LimitedInput.Cut): the field is ``control`` (so ``@on(..., "#id")`` selects by it), and
``value`` what it says (the new value, the limit a paste was cut at)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.message import Message
from textual.widget import Widget

Field = TypeVar("Field", bound=Widget)
Value = TypeVar("Value")


class FieldMessage(Message, Generic[Field, Value]):
    """A message about ``field`` carrying ``value``. A subclass may name the two for its
    readers (``choice = FieldMessage.control``)."""

    def __init__(self, field: Field, value: Value) -> None:
        super().__init__()
        self._field = field
        self._value = value

    @property
    def control(self) -> Field:
        return self._field

    @property
    def value(self) -> Value:
        return self._value
