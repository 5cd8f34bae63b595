"""Finding people by name on staff pages: the supporter's caseload and the
coordinator's waiting list.

A search is a plain GET form whose words stay in the address, so a list found
once can be bookmarked, shared with a colleague's own account, reloaded, and
paged. The audit log keeps the path alone, never the query string, so what a
person typed is not written down anywhere.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Enough for any name; a longer search is refused in words, never cut.
SEARCH_MAX_LENGTH = 100


def name_matches(words: str, *, via: str = "") -> Q:
    """People whose first name, last name or sign-in name holds every word of
    `words` (ignoring case): "maya lo" finds Maya Lopez. `via` reaches the person
    through a relation ("member__")."""
    condition = Q()
    for word in words.split():
        condition &= (
            Q(**{f"{via}first_name__icontains": word})
            | Q(**{f"{via}last_name__icontains": word})
            | Q(**{f"{via}username__icontains": word})
        )
    return condition


class NameSearchForm(forms.Form):
    """The name box every people list starts with; lists add their own filters."""

    # The length is checked in words below, not as the field's max_length: that
    # would say "Up to 100 characters" under a name box, which says nothing useful.
    q = forms.CharField(
        label=_("Name"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        words = self.cleaned_data["q"]
        if len(words) > SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                _("A name to look for is at most %(n)d characters."),
                params={"n": SEARCH_MAX_LENGTH},
                code="max_length",
            )
        return words

    def chosen(self) -> dict[str, object]:
        """What the person asked for that can be used: every valid field (an
        invalid one is said in words beside it and left out of the search)."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in ("", None)
        }

    def query(self) -> str:
        """The valid search as a query string for the pager's links, so a page
        of results keeps its search ("q=maya&reason=quiet")."""
        return urlencode(self.chosen())

    @property
    def searching(self) -> bool:
        return bool(self.chosen())
