from django import forms
from django.utils.translation import gettext_lazy as _

from recovery.models import CrisisLine, User
from recovery.time_zones import TimeZoneField


class AccountForm(forms.ModelForm):
    """What a person may change about their own account: name and time zone."""

    class Meta:
        model = User
        fields = ["first_name", "time_zone"]
        labels = {"first_name": _("What we call you")}
        # The input's purpose, for autofill and assistive tech (WCAG 1.3.5).
        widgets = {"first_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The grouped list, built now: the offsets it shows are today's.
        self.fields["time_zone"] = TimeZoneField(also=self.instance.time_zone)


class CrisisLineForm(forms.ModelForm):
    """One crisis line, as a coordinator adds or changes it."""

    class Meta:
        model = CrisisLine
        fields = ["name", "contact", "kind", "hours"]
        labels = {
            "name": _("Name of the line"),
            "contact": _("Number"),
            "kind": _("It takes"),
            "hours": _("Hours (optional)"),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "contact": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_contact(self) -> str:
        return " ".join(self.cleaned_data["contact"].split())
