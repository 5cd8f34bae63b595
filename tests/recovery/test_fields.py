import pytest
from django import forms

from goals.models import Goal
from recovery.fields import IdChoiceField, IdMultipleChoiceField, parse_id
from tests.factories import GoalFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-3", None),
        ("abc", None),
        ("", None),
        ("1e3", None),
        ("٣", None),
        (str(2**63), None),
        (str(2**63 - 1), 2**63 - 1),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", str(10**30), "-1", "0"])
def test_id_fields_refuse_ids_no_row_can_have(bad):
    goal = GoalFactory()

    class Form(forms.Form):
        one = IdChoiceField(queryset=Goal.objects.all(), required=False)
        many = IdMultipleChoiceField(queryset=Goal.objects.all(), required=False)

    form = Form({"one": bad, "many": [str(goal.pk), bad]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}
    good = Form({"one": str(goal.pk), "many": [str(goal.pk)]})
    assert good.is_valid() and good.cleaned_data["one"] == goal


@pytest.mark.django_db
def test_a_short_choice_list_is_read_once_however_often_it_is_looked_at(
    django_assert_num_queries,
):
    GoalFactory.create_batch(3)

    class Form(forms.Form):
        many = IdMultipleChoiceField(
            queryset=Goal.objects.all(), widget=forms.CheckboxSelectMultiple
        )

    form = Form()
    with django_assert_num_queries(1):
        assert form["many"].field.choices  # "are there any?", as a template asks
        assert len(form["many"].field.choices) == 3
        drawn = str(form["many"])
    assert drawn.count('type="checkbox"') == 3
