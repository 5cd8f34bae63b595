"""Form fields and helpers that keep hostile ids from reaching the database.

PostgreSQL finds nothing for an id past 64 bits, but SQLite raises OverflowError,
and a non-number in a raw `pk=` lookup raises ValueError: both would be a 500. These
turn such input into an ordinary "not a valid choice" error or a 404.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1

# Dates a plan, a review or a contact can sensibly have.
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 50


def parse_id(value: object) -> int | None:
    """The id in `value` if it is a whole number a database id can be, else None."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def latest_date() -> date:
    return date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


def sensible_date(value: date) -> None:
    """Refuse, in words, a date no plan or contact can have (year 1, year 9999)."""
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            _("Please choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": EARLIEST_DATE.year, "last": latest.year},
        )


def keep_dates_sensible(form: forms.BaseForm, *names: str) -> None:
    """Give these date fields of `form` the sensible range: checked on the server,
    and offered to the browser's date picker as its min and max."""
    for name in names:
        field = form.fields[name]
        field.validators.append(sensible_date)
        field.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
        field.widget.attrs.setdefault("max", latest_date().isoformat())


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
    whether there are any, counting them and drawing them costs one query.

    Django's iterator asks the database again on every pass (a server-side cursor
    on PostgreSQL: three round trips), and counts or checks with queries of their
    own: right for thousands of choices, wasteful for a short list. The rows are
    the ones read first: one form does not see a row added after that, and every
    request builds its form anew.
    """

    def __iter__(self):
        # ModelMultipleChoiceField has no empty label, so no blank choice first.
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset)

    def __bool__(self):
        return bool(self.queryset)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids no row can have before asking.

    For short lists (a person's tools, strengths or shared goals, the programme's
    areas of lived experience): a form reads its choices once.
    """

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
