from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import (
    LADDER_LEVELS,
    SCALE_MAX,
    SCALE_MIN,
    Chime,
    Goal,
    GoalStatus,
    LifeDomain,
    Step,
    Strength,
    WellnessTool,
)
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
        help_texts = {
            "title": _("In your own words, what would you like to work towards?"),
            "shared": _("Your peer supporter sees this goal and its steps."),
        }

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strengths"].queryset = Strength.objects.for_user(member)
        self.fields["strengths"].required = False

    def clean(self):
        cleaned = super().clean()
        target, review = cleaned.get("target_date"), cleaned.get("review_date")
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
    tools = forms.ModelMultipleChoiceField(
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

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tools"].queryset = WellnessTool.objects.for_user(member).filter(
            in_use=True
        )


class SkipDayForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=200, required=False
    )
