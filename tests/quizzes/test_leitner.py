"""The review-my-misses schedule, day by day as a learner lives it."""

from __future__ import annotations

from datetime import date, timedelta

from codedesk.quizzes.leitner import BOX_INTERVAL_DAYS, LAST_BOX, after_answer, due_cards

MONDAY = date(2026, 11, 23)


def answer(card, correct, today):
    return after_answer(card, question_id="q1", quiz_id="coder", correct=correct, today=today)


def test_a_miss_enters_box_one_due_at_once():
    card = answer(None, False, MONDAY)
    assert (card.box, card.due_on, card.misses) == (1, MONDAY, 1)
    assert due_cards([card], MONDAY, 10) == [card]


def test_a_question_never_missed_is_not_reviewed():
    assert answer(None, True, MONDAY) is None


def test_right_when_due_moves_up_and_comes_back_later():
    card = answer(answer(None, False, MONDAY), True, MONDAY)
    assert card.box == 2 and card.due_on == MONDAY + timedelta(days=BOX_INTERVAL_DAYS[2])
    assert due_cards([card], MONDAY, 10) == []
    assert due_cards([card], card.due_on, 10) == [card]


def test_right_before_it_is_due_changes_nothing():
    card = answer(answer(None, False, MONDAY), True, MONDAY)
    assert answer(card, True, MONDAY) == card


def test_a_miss_in_a_high_box_drops_back_to_box_one():
    card = answer(None, False, MONDAY)
    day = MONDAY
    for _ in range(3):
        card = answer(card, True, day)
        day = card.due_on
    assert card.box == 4
    dropped = answer(card, False, day)
    assert (dropped.box, dropped.due_on, dropped.misses) == (1, day, 2)


def test_right_in_the_last_box_means_learned():
    card = answer(None, False, MONDAY)
    day = MONDAY
    while card is not None and card.box < LAST_BOX:
        card = answer(card, True, day)
        day = card.due_on
    assert card.box == LAST_BOX
    assert answer(card, True, day) is None


def test_due_cards_come_lowest_box_first_then_longest_overdue_and_limited():
    long_ago = MONDAY - timedelta(days=30)
    box_two = after_answer(
        after_answer(None, question_id="old", quiz_id="coder", correct=False, today=long_ago),
        question_id="old",
        quiz_id="coder",
        correct=True,
        today=long_ago,
    )
    box_one = [
        after_answer(None, question_id=f"q{n}", quiz_id="coder", correct=False, today=MONDAY - timedelta(days=n))
        for n in range(3)
    ]
    assert box_two.box == 2 and box_two.due_on < MONDAY
    assert [c.question_id for c in due_cards([box_two, *box_one], MONDAY, 10)] == ["q2", "q1", "q0", "old"]
    assert [c.question_id for c in due_cards([box_two, *box_one], MONDAY, 2)] == ["q2", "q1"]
