import re
from datetime import date

from django import forms
from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from goals import services
from goals.measures import QUESTIONNAIRES, Questionnaire
from goals.models import (
    EVERY_MONTHS_CHOICES,
    LADDER_LEVELS,
    SCALE_MAX,
    SCALE_MIN,
    CheckIn,
    Chime,
    Goal,
    GoalStatus,
    LifeDomain,
    PlanItem,
    Reminder,
    Step,
    Strength,
    WellnessTool,
)
from recovery.fields import IdMultipleChoiceField, keep_dates_sensible
from recovery.models import User

SCALE_CHOICES = [(n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]


class DateInput(forms.DateInput):
    input_type = "date"


class GoalForm(forms.ModelForm):
    """A goal in the member's own words. Only the member's own strengths can be
    chosen; status, origin and owner are never taken from the form."""

    domain = forms.ChoiceField(
        label=_("Life area"),
        choices=[("", _("Choose a life area"))] + LifeDomain.choices,
    )
    chime_tags = forms.MultipleChoiceField(
        label=_("Recovery themes (optional)"),
        choices=Chime.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The goal's version when the form was opened: saving checks nobody saved
    # the goal since (goals.services.goal_update). Never written from the form.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("This form is out of date. Please open the goal again."),
            "min_value": _("This form is out of date. Please open the goal again."),
        },
    )

    # Asked only when the target date has passed (templates/goals/goal_form.html).
    keep_past_date = forms.BooleanField(label=_("Keep this date"), required=False)

    class Meta:
        model = Goal
        fields = [
            "title",
            "why",
            "domain",
            "chime_tags",
            "strengths",
            "target_date",
            "review_date",
            "shared",
            "ladder_much_less",
            "ladder_less",
            "ladder_expected",
            "ladder_more",
            "ladder_much_more",
        ]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "strengths": forms.CheckboxSelectMultiple,
            "target_date": DateInput,
            "review_date": DateInput,
        }
        field_classes = {"strengths": IdMultipleChoiceField}
        help_texts = {
            "title": _("In your own words, what would you like to work towards?"),
            "shared": _("Your peer supporter sees this goal and its steps."),
        }

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strengths"].queryset = Strength.objects.for_user(member)
        self.fields["strengths"].required = False
        self.fields["version"].initial = self.instance.version
        self.today = member.local_date()
        keep_dates_sensible(self, "target_date", "review_date")

    @property
    def asks_about_past_date(self) -> bool:
        return self.has_error("target_date", "past") or bool(
            self["keep_past_date"].value()
        )

    @property
    def goal_columns(self) -> list[str]:
        """The goal's own columns this form edits (its strengths are a relation)."""
        columns = {field.name for field in Goal._meta.concrete_fields}
        return [name for name in self._meta.fields if name in columns]

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:
            # Shown where the person reads it: the hidden field has no place.
            self.add_error(None, self.errors["version"].as_data())
        target, review = cleaned.get("target_date"), cleaned.get("review_date")
        unchanged = target is not None and target == self.instance.target_date
        passed = target is not None and target < self.today and not unchanged
        if passed and not cleaned.get("keep_past_date"):
            self.add_error(
                "target_date",
                forms.ValidationError(
                    _(
                        "That date has passed: keep it? Tick “Keep this date” "
                        "to save it as it is, or choose another."
                    ),
                    code="past",
                ),
            )
        if target and review and review > target:
            self.add_error(
                "review_date", _("Pick a review date on or before the target date.")
            )
        return cleaned


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices)


class LadderLevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Where I am now"),
        choices=[("", _("Not set"))] + [(n, f"{n:+d}") for n in LADDER_LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
    )


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ["title"]
        labels = {"title": _("A small next step")}


class StrengthForm(forms.ModelForm):
    class Meta:
        model = Strength
        fields = ["category", "text"]
        labels = {"text": _("A strength of mine")}


class WellnessToolForm(forms.ModelForm):
    class Meta:
        model = WellnessTool
        fields = ["name", "description"]

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if (
            WellnessTool.objects.for_user(self.member)
            .filter(name__iexact=name)
            .exists()
        ):
            raise forms.ValidationError(_("This is already on your list."))
        return name


class CheckInForm(forms.Form):
    """Today's check-in: two taps for the numbers, the rest optional."""

    wellbeing = forms.TypedChoiceField(
        label=_("Overall, how are you doing today?"),
        help_text=_("0 is very hard, 10 is very good."),
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    hope = forms.TypedChoiceField(
        label=_("How hopeful do you feel?"),
        help_text=_("0 is no hope right now, 10 is very hopeful."),
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    feelings = forms.CharField(
        label=_("A few words for how you feel (optional)"),
        max_length=200,
        required=False,
    )
    tools = IdMultipleChoiceField(
        label=_("What helped today?"),
        queryset=WellnessTool.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    had_setback = forms.BooleanField(
        label=_("Today had a setback"),
        help_text=_(
            "Setbacks are part of the journey. Noting one helps you see what helps."
        ),
        required=False,
    )
    note = forms.CharField(
        label=_("Journal note (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_shared = forms.BooleanField(
        label=_("Share this note with my supporter"), required=False
    )
    wants_to_talk = forms.BooleanField(
        label=_("I'd like to talk with my supporter"), required=False
    )
    # The day this check-in is for: today, or a day of the last week
    # (goals.services.checkin_day_refusal says which, and why not in words).
    day = forms.DateField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        member: User,
        day: date,
        existing: CheckIn | None = None,
        **kwargs,
    ):
        """`existing` is the check-in of `day` when there is one: the tools it
        holds stay on offer even if set aside since, so saving it again keeps
        them. A past day's questions ask about that day."""
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["day"].initial = day
        offered = Q(in_use=True)
        if existing is not None:
            offered |= Q(pk__in=existing.tools_used.values("pk"))
        self.fields["tools"].queryset = WellnessTool.objects.for_user(member).filter(
            offered
        )
        if day < member.local_date():
            when = formats.date_format(day, "l j F")
            self.fields["wellbeing"].label = _(
                "Overall, how were you doing on %(day)s?"
            ) % {"day": when}
            self.fields["hope"].label = _("How hopeful did you feel?")
            self.fields["tools"].label = _("What helped that day?")
            self.fields["had_setback"].label = _("That day had a setback")

    def clean_day(self) -> date:
        day = self.cleaned_data["day"] or self.member.local_date()
        refusal = services.checkin_day_refusal(member=self.member, day=day)
        if refusal:
            raise forms.ValidationError(refusal, code="out_of_reach")
        return day

    def clean(self):
        cleaned = super().clean()
        if "day" in self.errors:
            # Said where the person reads it: the hidden field has no place.
            self.add_error(None, self.errors["day"].as_data())
        return cleaned


class SkipDayForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=200, required=False
    )


class SharingForm(forms.Form):
    """The member's sharing choices and consents, on their privacy page."""

    goals_shared = forms.BooleanField(
        label=_("Share new goals with my peer supporter"),
        help_text=_("Each goal can still be made private or shared on the goal."),
        required=False,
    )
    notes_shared = forms.BooleanField(
        label=_("Share new check-in notes with my peer supporter"),
        help_text=_("The check-in form starts with this choice; each note can differ."),
        required=False,
    )
    numbers_shared = forms.BooleanField(
        label=_("Show my wellbeing and hope numbers to my peer supporter"),
        help_text=_(
            "They see the numbers of every check-in, and how they change. Without "
            "this, they see only the days you checked in."
        ),
        required=False,
    )
    crisis_flag = forms.BooleanField(
        label=_("Tell my peer supporter when a check-in says things are very hard"),
        help_text=_(
            "When you choose 0 or 1 for wellbeing, you come first on your "
            "supporter's list for a week, so they can reach out. They learn it was "
            "a very hard day; your numbers stay private unless you share them."
        ),
        required=False,
    )
    measures_shared = forms.BooleanField(
        label=_("Show my recovery questionnaire totals to my peer supporter"),
        help_text=_(
            "They see each total and its day, never your answers to the "
            "statements. Turned off, they stop seeing them at once."
        ),
        required=False,
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        help_text=_("So we know it is really you."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, member: User, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Through authenticate(), like the sign-in page: a wrong password here is
        # a failed sign-in that the lockout counts, and a locked-out account or
        # address is refused here too (django-axes then answers the 429 page).
        user = authenticate(
            self.request, username=self.member.get_username(), password=password
        )
        if user is None or user.pk != self.member.pk:
            raise forms.ValidationError(
                _("That password does not match. Nothing has been deleted.")
            )
        return password


# --- The safety plan and the wellness plan -----------------------------------------

PHONE_CHARACTERS = re.compile(r"[0-9 +\-()]+")


def looks_like_phone(value: str) -> bool:
    """Loosely a phone number: digits, with spaces, +, - and brackets between, and
    between 3 digits (a short crisis line such as 988) and 15 (the longest
    international number)."""
    digits = sum(c.isdigit() for c in value)
    return bool(PHONE_CHARACTERS.fullmatch(value)) and 3 <= digits <= 15


class PlanItemForm(forms.ModelForm):
    """One item of a plan's section, in the member's words; a phone number for the
    sections of people to reach. `section` (a goals.plans.SheetSection) names the
    box after what the section asks for.

    The "Add" of a programme's crisis line sends its contact as `line_contact`: a
    phone number goes in the phone box, anything else (a text line's words) joins
    the item's words.
    """

    line_contact = forms.CharField(
        required=False, max_length=100, widget=forms.HiddenInput
    )

    class Meta:
        model = PlanItem
        fields = ["text", "phone"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        }
        help_texts = {"phone": _("Optional. Your plan then calls it in one tap.")}
        error_messages = {"text": {"required": _("Please write a few words.")}}

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["text"].label = section.label
        if section.takes_phone:
            self.fields["phone"].label = _("Phone number")
        else:
            del self.fields["phone"]

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not looks_like_phone(phone):
            raise forms.ValidationError(
                _(
                    "That does not look like a phone number. Please use digits, "
                    "with spaces, +, - or brackets if you like, as in "
                    "555 123 4567 or +44 20 7946 0000."
                )
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        contact = " ".join(cleaned.get("line_contact", "").split())
        if contact and "text" in cleaned:
            if "phone" in self.fields and looks_like_phone(contact):
                cleaned["phone"] = contact
            else:
                cleaned["text"] = f"{cleaned['text']} ({contact})"
        return cleaned


class PlanSharingForm(forms.Form):
    shared = forms.BooleanField(
        label=_("Share this plan with my peer supporter"),
        help_text=_(
            "They then see all of it, and when you last changed it. Untick it and "
            "they no longer see it, from their next page."
        ),
        required=False,
    )


# --- Reminders -------------------------------------------------------------------

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class ReminderForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Reminder
        fields = ["on", "weekdays", "at"]
        widgets = {"at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {
            "at": _("In your own time zone, set on your settings page."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["weekdays"] = list(self.instance.weekdays)

    def clean_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data["weekdays"])))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("on") and not cleaned.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one day, or turn it off."))
        return cleaned


# --- Recovery questionnaires ----------------------------------------------------

NOT_NOW = ""


class MeasureChoicesForm(forms.Form):
    """Which questionnaires, how often, and whether to be told by email too."""

    by_email = forms.BooleanField(
        label=_("Also tell me by email when one is due"),
        help_text=_(
            "The email only says that a questionnaire is ready, with a link. You "
            "are always told here in the planner."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, q in QUESTIONNAIRES.items():
            self.fields[f"every_{key}"] = forms.TypedChoiceField(
                label=_("How often for %(name)s") % {"name": q.name},
                choices=[(NOT_NOW, _("Not for me now")), *EVERY_MONTHS_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=q.about,
            )
        # The email choice last, after the questionnaires it is about.
        self.order_fields([*(f"every_{key}" for key in QUESTIONNAIRES), "by_email"])

    @property
    def questionnaire_fields(self):
        return [self[f"every_{key}"] for key in QUESTIONNAIRES]

    def chosen(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[f"every_{key}"]
            for key in QUESTIONNAIRES
            if self.cleaned_data[f"every_{key}"] is not None
        }


class StatementForm(forms.Form):
    """One statement and its scale: the statement is the group's legend."""

    answer = forms.TypedChoiceField(
        widget=forms.RadioSelect, coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, questionnaire: Questionnaire, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        field.label = questionnaire.items[number - 1]
        field.choices = [(o.value, o.label) for o in questionnaire.scale]


class AllStatementsForm(forms.Form):
    """Every statement on one page; one left out is skipped."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(o.value, o.label) for o in questionnaire.scale]
        for number, statement in enumerate(questionnaire.items, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {statement}",
                widget=forms.RadioSelect,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def answers(self) -> list[int | None]:
        return [self.cleaned_data[name] for name in self.fields]
