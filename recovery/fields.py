"""Form fields and helpers that keep hostile ids from reaching the database.

PostgreSQL finds nothing for an id past 64 bits, but SQLite raises OverflowError,
and a non-number in a raw `pk=` lookup raises ValueError: both would be a 500. These
turn such input into an ordinary "not a valid choice" error or a 404.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id in `value` if it is a whole number a database id can be, else None."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses ids no row can have before asking."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """Choices read through the field's own queryset, so that a template asking
    whether there are any and then drawing them costs one query.

    Django's iterator asks the database again on every pass, through a server-side
    cursor on PostgreSQL (three round trips): right for thousands of choices, not for
    one person's handful of tools, strengths or shared goals.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids no row can have before asking,
    for one person's short lists (its choices are read once a form)."""

    iterator = ReadOnceChoiceIterator

    def _check_values(self, value):
        for item in value:
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)
