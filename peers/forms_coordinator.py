"""Forms for the coordinator's pages: a supporter's profile, the list of
lived-experience areas, match changes, batch confirmation and invitations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peers.forms import CommaListField, checkboxes
from peers.models import (
    Availability,
    ExperienceArea,
    MeetingMode,
    Pathway,
    SupporterProfile,
)
from recovery.fields import MAX_ID, IdMultipleChoiceField, parse_id
from recovery.models import Invitation, Role
from recovery.search import NameSearchForm


class SupporterProfileForm(forms.ModelForm):
    """A supporter's profile as the coordinator edits it, capacity included (a
    capacity below the supporter's active matches is refused by
    `services.supporter_profile_save`, under a lock on the row)."""

    languages = CommaListField(
        label=_("Languages"),
        required=False,
        max_length=300,
        help_text=_("Separate languages with commas, e.g. English, Spanish."),
    )
    experience_areas = IdMultipleChoiceField(
        label=_("Lived experience"),
        queryset=ExperienceArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pathways = checkboxes(_("Recovery pathways"), Pathway.choices)
    availability = checkboxes(_("Availability"), Availability.choices)
    meeting_modes = checkboxes(_("Meeting modes"), MeetingMode.choices)

    class Meta:
        model = SupporterProfile
        fields = [
            "capacity",
            "accepting",
            "languages",
            "experience_areas",
            "pathways",
            "life_stage",
            "gender",
            "availability",
            "meeting_modes",
            "region",
            "contact",
            "intro",
        ]
        labels = {
            "capacity": _("Most active matches"),
            "accepting": _("Accepting new members"),
            "life_stage": _("Life stage"),
            "gender": _("Gender"),
            "region": _("Region"),
            "contact": _("How members reach them"),
            "intro": _("A few words about them"),
        }


class ExperienceAreaForm(forms.ModelForm):
    class Meta:
        model = ExperienceArea
        fields = ["name"]
        labels = {"name": _("New lived-experience area")}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if ExperienceArea.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("“%(name)s” is already on the list."), params={"name": name}
            )
        return name


class MatchCreateForm(forms.Form):
    """One "Match" button on the suggestions page."""

    member = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    supporter = forms.IntegerField(
        min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=300
    )


class MatchEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_(
            "Kept in the match history, e.g. “the member asked for a change”, "
            "“goals reached, moving on”."
        ),
    )


class BatchRowsField(forms.Field):
    """Rows of a batch proposal posted as "memberid:supporterid:score".

    The score is only shown on the page: confirming works it out again from the
    database, so a hand-made post cannot record a score of its own.
    """

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[tuple[int, int, None]]:
        rows = []
        for text in value or []:
            parts = str(text).split(":")
            ids = [parse_id(part) for part in parts[:2]]
            if len(parts) not in (2, 3) or None in ids:
                raise forms.ValidationError(
                    _("This proposal could not be read. Please load it again."),
                    code="unreadable",
                )
            rows.append((ids[0], ids[1], None))
        return rows


class BatchConfirmForm(forms.Form):
    """Confirm the whole proposal (`confirm=all`: every `proposed` row) or only the
    rows the coordinator ticked (`confirm=ticked`: the `ticked` rows)."""

    ticked = BatchRowsField(required=False)
    proposed = BatchRowsField(required=False)
    confirm = forms.ChoiceField(
        choices=[("all", "all"), ("ticked", "ticked")],
        initial="ticked",
        error_messages={
            "required": _("Nothing was confirmed: please press a Confirm button."),
            "invalid_choice": _(
                "Nothing was confirmed: please press a Confirm button."
            ),
        },
    )

    def clean(self) -> dict:
        data = super().clean()
        everything = data.get("confirm") == "all"
        rows = data.get("proposed") if everything else data.get("ticked")
        if not self.errors and not rows:
            raise forms.ValidationError(
                _(
                    "Nothing was confirmed: no match was ticked. Tick the matches "
                    "to confirm, or confirm them all."
                ),
                code="empty",
            )
        data["rows"] = rows or []
        return data


class InvitationForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Joins as"),
        choices=[
            (Role.MEMBER, _("Member")),
            (Role.SUPPORTER, _("Peer supporter")),
        ],
        widget=forms.RadioSelect,
        initial=Role.MEMBER,
    )

    class Meta:
        model = Invitation
        fields = ["name", "email", "role"]
        labels = {"name": _("Name"), "email": _("Email (optional)")}
        help_texts = {
            "name": _("How they would like to be called."),
            "email": _("Only used to let them know about match changes."),
        }


# The waiting list's "waiting at least" choices, in days.
WAITED_CHOICES = [
    ("", _("Any time")),
    ("7", _("A week or more")),
    ("30", _("A month or more")),
    ("90", _("Three months or more")),
]


class WaitingSearchForm(NameSearchForm):
    """Find people on the waiting list by name, a language they asked for, their
    region, or how long they have waited. The languages and regions offered are
    those someone waiting asked for."""

    language = forms.ChoiceField(
        label=_("Speaks"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Nobody waiting asked for this language now: please choose one "
                "from the list."
            )
        },
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Nobody waiting is in this region now: please choose one from the list."
            )
        },
    )
    waited = forms.TypedChoiceField(
        label=_("Waiting for"),
        required=False,
        choices=WAITED_CHOICES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Please choose how long from the list.")},
    )

    def __init__(self, *args, languages: list[str], regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language"))] + [
            (language, language) for language in languages
        ]
        self.fields["region"].choices = [("", _("Any region"))] + [
            (region, region) for region in regions
        ]
