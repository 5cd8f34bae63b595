import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from recovery.models import User


def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


class AccountForm(forms.ModelForm):
    """What a person may change about their own account: name and time zone."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["first_name", "time_zone"]
        labels = {"first_name": _("What we call you")}
        # The input's purpose, for autofill and assistive tech (WCAG 1.3.5).
        widgets = {"first_name": forms.TextInput(attrs={"autocomplete": "nickname"})}
