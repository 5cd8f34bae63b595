"""The questionnaires' definitions and scoring (goals.measures): hand-worked
examples, every boundary, skipped items, and a property test of the range."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goals.measures import BARC_10, MOST_ITEMS, QUESTIONNAIRES, check_answers, score


def test_barc_10_is_as_published():
    assert BARC_10.name == "BARC-10"
    assert len(BARC_10.items) == 10
    assert BARC_10.values == (1, 2, 3, 4, 5, 6)
    assert (BARC_10.total_min, BARC_10.total_max) == (10, 60)
    assert BARC_10.items[0] == (
        "There are more important things to me in life than using substances."
    )
    assert BARC_10.items[-1] == "I am making good progress on my recovery journey."
    assert BARC_10.option(1).label == "1 – Strongly disagree"
    assert BARC_10.option(6).label == "6 – Strongly agree"
    assert BARC_10.option(3).label == "3"
    assert MOST_ITEMS == 10


def test_a_hand_worked_barc_10():
    # 4 + 5 + 3 + 2 + 6 + 4 + 1 + 5 + 3 + 4 = 37
    answers = [4, 5, 3, 2, 6, 4, 1, 5, 3, 4]
    result = score(BARC_10, answers)
    assert result.total == 37
    assert (result.answered, result.skipped, result.complete) == (10, 0, True)


def test_all_lowest_is_the_minimum_and_all_highest_the_maximum():
    assert score(BARC_10, [1] * 10).total == 10
    assert score(BARC_10, [6] * 10).total == 60


def test_one_skipped_item_leaves_no_total_and_counts_what_was_answered():
    result = score(BARC_10, [6, 6, 6, 6, None, 6, 6, 6, 6, 6])
    assert result.total is None
    assert not result.complete
    assert (result.answered, result.skipped) == (9, 1)


def test_everything_skipped_is_allowed_and_has_no_total():
    result = score(BARC_10, [None] * 10)
    assert (result.total, result.answered, result.skipped) == (None, 0, 10)


@pytest.mark.parametrize(
    "answers",
    [
        [0] + [3] * 9,  # below the scale
        [7] + [3] * 9,  # above it
        [3] * 9,  # one too few
        [3] * 11,  # one too many
        ["3"] + [3] * 9,  # not a number
    ],
)
def test_answers_off_the_scale_or_the_wrong_number_are_refused(answers):
    with pytest.raises(ValueError):
        score(BARC_10, answers)
    with pytest.raises(ValueError):
        check_answers(BARC_10, answers)


def test_no_cut_off_or_label_for_a_total_is_defined():
    """Members see their numbers, never a label like "low recovery capital"."""
    for q in QUESTIONNAIRES.values():
        texts = [q.about, q.instructions, *(o.words for o in q.scale)]
        words = " ".join(map(str, texts))
        for label in ("low", "moderate", "high", "remission", "47"):
            assert label not in words.lower()


@given(
    st.sampled_from(list(QUESTIONNAIRES.values())).flatmap(
        lambda q: st.tuples(
            st.just(q),
            st.lists(
                st.one_of(st.none(), st.sampled_from(q.values)),
                min_size=len(q.items),
                max_size=len(q.items),
            ),
        )
    )
)
def test_a_total_is_always_in_range_or_absent_when_something_was_skipped(case):
    q, answers = case
    result = score(q, answers)
    assert result.answered + result.skipped == len(q.items)
    if None in answers:
        assert result.total is None
    else:
        assert q.total_min <= result.total <= q.total_max
        assert result.total == sum(answers)
