"""Forms for members' and supporters' pages, and the staff digest's time; the
coordinator's are in forms_coordinator.py."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import LifeDomain
from peers.caseload import ANY_REASON, REASON_FILTERS
from peers.models import (
    CONTACT_MINUTES_WORDS,
    DAY_MINUTES,
    MESSAGE_MAX_LENGTH,
    SUGGESTION_ANSWER_MAX_LENGTH,
    Availability,
    ContactNote,
    DigestSetting,
    ExperienceArea,
    MatchPreferences,
    MeetingMode,
    Pathway,
)
from recovery.fields import (
    EARLIEST_DATE,
    IdMultipleChoiceField,
    keep_dates_sensible,
    sensible_date,
)
from recovery.search import NameSearchForm


class CommaListField(forms.CharField):
    """A list typed as words separated by commas: "Spanish, english ,  Spanish"
    is ["Spanish", "english"], each trimmed and kept once (ignoring case), in the
    order typed. `max_length` counts the characters typed, as the page says."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value) -> list[str]:
        text = super().clean(value)  # required, and the length, on what was typed
        seen, items = set(), []
        for part in text.split(","):
            item = " ".join(part.split())
            if item and item.casefold() not in seen:
                seen.add(item.casefold())
                items.append(item)
        return items


def checkboxes(label, choices) -> forms.MultipleChoiceField:
    """Any number of `choices`, none required, as a group of checkboxes."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MatchPreferencesForm(forms.ModelForm):
    """What a member would like in a supporter. Only language and gender can be a
    must; everything else is nice to have."""

    languages = CommaListField(
        label=_("Languages I speak"),
        required=False,
        max_length=200,
        help_text=_("Separate languages with commas, e.g. English, Spanish."),
    )
    pathways = checkboxes(_("Recovery pathways that fit me"), Pathway.choices)
    availability = checkboxes(_("When I'm usually free"), Availability.choices)
    meeting_modes = checkboxes(_("How I'd like to meet"), MeetingMode.choices)

    class Meta:
        model = MatchPreferences
        fields = [
            "languages",
            "language_must",
            "supporter_gender",
            "gender_must",
            "experience_areas",
            "pathways",
            "life_stage",
            "availability",
            "meeting_modes",
            "region",
        ]
        widgets = {"experience_areas": forms.CheckboxSelectMultiple}
        field_classes = {"experience_areas": IdMultipleChoiceField}
        labels = {
            "supporter_gender": _("I'd prefer a supporter who is"),
            "experience_areas": _("Lived experience I'd like my supporter to share"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experience_areas"].queryset = ExperienceArea.objects.all()
        self.fields["supporter_gender"].choices = [("", _("No preference"))] + list(
            self.fields["supporter_gender"].choices
        )[1:]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("language_must") and not cleaned.get("languages"):
            self.add_error("languages", _("Name the language that is a must."))
        if cleaned.get("gender_must") and not cleaned.get("supporter_gender"):
            self.add_error("supporter_gender", _("Choose the gender that is a must."))
        return cleaned


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Anything you'd like us to know (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EncouragementForm(forms.Form):
    text = forms.CharField(
        label=_("A few encouraging words"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CrisisFollowUpForm(forms.Form):
    """The hard day it follows up is never taken from the form: the caseload says
    which flag stands now."""

    note = forms.CharField(
        label=_("What you did, in a few words"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "In the supporters' record: coordinators see it, the member does not."
        ),
        error_messages={"required": _("Please say in a few words what you did.")},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please write a few words first."),
            "max_length": _(
                "A message can be up to %(limit_value)d characters; this one has "
                "%(show_value)d. Please make it shorter, or send it in two."
            ),
        },
    )


class SuggestionDeclineForm(forms.Form):
    words = forms.CharField(
        label=_("A few words for your supporter (if you like)"),
        max_length=SUGGESTION_ANSWER_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Your words can be up to %(limit_value)d characters; these have "
                "%(show_value)d. Nothing was changed: please make them shorter."
            ),
        },
    )


class GoalSuggestionForm(forms.Form):
    title = forms.CharField(label=_("A goal to suggest"), max_length=200)
    domain = forms.ChoiceField(
        label=_("Life area"),
        choices=[("", _("Choose a life area"))] + LifeDomain.choices,
    )


class StepSuggestionForm(forms.Form):
    title = forms.CharField(label=_("A step to suggest"), max_length=200)


class ContactNoteForm(forms.ModelForm):
    """One contact with a member. Goals talked about come from their shared goals."""

    class Meta:
        model = ContactNote
        fields = [
            "contact_date",
            "mode",
            "reached",
            "minutes",
            "goals_discussed",
            "next_step",
            "follow_up",
            "note",
            "shared_with_member",
        ]
        widgets = {
            "contact_date": forms.DateInput(attrs={"type": "date"}),
            "follow_up": forms.DateInput(attrs={"type": "date"}),
            "goals_discussed": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"goals_discussed": IdMultipleChoiceField}
        help_texts = {
            "shared_with_member": _(
                "Unticked, the note stays in supporters' records: the member and a "
                "later supporter do not see it; coordinators do."
            ),
        }

    def __init__(self, *args, shared_goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals_discussed"].queryset = shared_goals
        self.fields["goals_discussed"].required = False
        keep_dates_sensible(self, "follow_up")
        # A contact has happened: from the sensible range's start up to today.
        contact_date = self.fields["contact_date"]
        contact_date.widget.attrs["min"] = EARLIEST_DATE.isoformat()
        contact_date.widget.attrs["max"] = timezone.localdate().isoformat()
        minutes = self.fields["minutes"]
        minutes.validators.append(MaxValueValidator(DAY_MINUTES))
        minutes.widget.attrs["max"] = DAY_MINUTES
        minutes.error_messages["max_value"] = CONTACT_MINUTES_WORDS
        if not self.is_bound:
            self.initial.setdefault("contact_date", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        day, follow_up = cleaned.get("contact_date"), cleaned.get("follow_up")
        if day and follow_up and follow_up < day:
            self.add_error("follow_up", _("Pick a follow-up on or after the contact."))
        return cleaned

    def clean_contact_date(self):
        day = self.cleaned_data["contact_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A contact date cannot be in the future."))
        sensible_date(day)  # year 1 and the like
        return day


class CaseloadSearchForm(NameSearchForm):
    """Find a member on one's own caseload by name, or by why they may welcome
    contact."""

    reason = forms.ChoiceField(
        label=_("Worth a contact because"),
        required=False,
        choices=[
            ("", _("Any member")),
            (ANY_REASON, _("Any reason to reach out")),
            *[(key, label) for key, (_reason, label) in REASON_FILTERS.items()],
        ],
        error_messages={
            "invalid_choice": _("Please choose one of the reasons in the list.")
        },
    )


class DigestForm(forms.ModelForm):
    """The time of a supporter's or coordinator's digest."""

    class Meta:
        model = DigestSetting
        fields = ["at"]
        widgets = {"at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
