"""The recovery app's forms: account settings, crisis lines, accepting an
invitation, a new password from a link, and two-step sign-in's code."""

from __future__ import annotations

import math
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery import two_factor
from recovery.models import CrisisLine, User
from recovery.time_zones import TimeZoneField
from recovery.two_factor import BACKUP_CODE_LENGTH, backup_code_normal


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


class AcceptForm(UserCreationForm):
    """Choose a username, a password and a time zone; Django's password validators
    apply."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "time_zone"]
        labels = {"username": gettext_lazy("Choose a username")}
        help_texts = {
            "username": gettext_lazy(
                "You sign in with it. Letters, digits and @ . + - _ only."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The programme's usual zone to start with: most people live there.
        self.initial["time_zone"] = settings.USUAL_TIME_ZONES[0]
        self.fields["time_zone"] = TimeZoneField(
            required=False,
            help_text=gettext_lazy(
                "Your days (like one check-in a day) follow it. Choose the place "
                "nearest you; you can change it later in Settings."
            ),
        )

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"] or settings.USUAL_TIME_ZONES[0]


class NewPasswordForm(SetPasswordForm):
    """Django's, with our words; its password validators apply."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Choose a new password")
        self.fields["new_password2"].label = _("The same password again")


class CodeForm(forms.Form):
    """A code from the person's app, or, where `backup` is given (signing in,
    turning it off), one of their backup codes instead."""

    code = forms.CharField(
        label=gettext_lazy("The 6-digit code your app shows now"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def __init__(
        self,
        *args,
        device: TOTPDevice | None,
        backup: StaticDevice | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.device: Device | None = device
        self.backup = backup
        self.used_backup = False
        if backup is not None:
            field = self.fields["code"]
            field.label = gettext_lazy("The code your app shows now, or a backup code")
            field.max_length = 24
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, MaxLengthValidator)
            ] + [MaxLengthValidator(24)]
            field.widget.attrs = {"autocomplete": "one-time-code", "maxlength": "24"}

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if code.isdigit():
            return code
        if self.backup is not None:
            backup = backup_code_normal(code)
            if len(backup) == BACKUP_CODE_LENGTH and backup.isalnum():
                self.used_backup = True
                return backup
            raise forms.ValidationError(
                _(
                    "Enter the 6-digit code from your app, or one of your backup "
                    "codes (ten letters and digits)."
                )
            )
        raise forms.ValidationError(_("The code is made of digits only."))

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code is None or self.device is None:
            return cleaned
        # A backup code is read only where `backup` was given (clean_code).
        device = self.backup if self.used_backup else self.device
        checked = two_factor.code_check(device=device, code=code)  # type: ignore[arg-type]
        if checked.device is None:  # turned off in another tab
            raise forms.ValidationError(
                _("Two-step sign-in was turned off meanwhile. Please start again.")
            )
        if not checked.allowed:
            raise self._wait_error(checked.locked_until)
        if not checked.worked and self.used_backup:
            raise forms.ValidationError(
                _(
                    "That backup code did not work. Each one works once: "
                    "try another from your list."
                )
            )
        if not checked.worked:
            raise forms.ValidationError(
                _(
                    "That code did not work. Codes change every 30 seconds: "
                    "try the newest one, and check your phone's clock."
                )
            )
        self.device = checked.device
        return cleaned

    @staticmethod
    def _wait_error(locked_until: datetime | None) -> forms.ValidationError:
        locked_until = locked_until or timezone.now()
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return forms.ValidationError(
            ngettext(
                "Too many codes that did not work. Wait %(seconds)d second, "
                "then try the newest code.",
                "Too many codes that did not work. Wait %(seconds)d seconds, "
                "then try the newest code.",
                seconds,
            )
            % {"seconds": seconds}
        )
