"""Taking quizzes on the published content/, through the service, on the SQLite store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from codedesk.content.view import LivePointer
from codedesk.quizzes import service
from codedesk.quizzes.models import ChoiceQuestion, CodeThisQuestion, TrueFalseQuestion
from codedesk.quizzes.scoring import AnswersInvalid
from codedesk.quizzes.service import Learner
from codedesk.quizzes.serving import opaque_question_id, option_ids

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ANA = Learner("sub-ana", "Ana Receptionist", "main")
BEN = Learner("sub-ben", "Ben Biller", "main")


@pytest.fixture
def view(published):
    return LivePointer(published).view()


def served_id(context: str, learner: Learner, question_id: str) -> str:
    return opaque_question_id(context, learner.user_id, question_id)


def authored_ids(context: str, learner: Learner, question_ids) -> dict[str, str]:
    """Served id → authored id, to read results and served quizzes in tests."""
    return {served_id(context, learner, qid): qid for qid in question_ids}


def right_answer(context: str, learner: Learner, question):
    if isinstance(question, ChoiceQuestion):
        by_authored = {a: o for o, a in option_ids(context, learner.user_id, question).items()}
        picked = [by_authored[a] for a in question.correct_option_ids()]
        return picked[0] if question.type == "single_choice" else picked
    if isinstance(question, TrueFalseQuestion):
        return question.answer
    assert isinstance(question, CodeThisQuestion)
    return question.accepted[0].lower().replace(".", "")


def right_answers(view, quiz_id: str, learner: Learner) -> dict:
    """What a learner who knows everything sends, in the served form."""
    return {
        served_id(quiz_id, learner, q.id): right_answer(quiz_id, learner, q)
        for q in service.load_quiz(view, quiz_id).questions
    }


def wrong_answer(context: str, learner: Learner, question):
    if isinstance(question, ChoiceQuestion):
        by_authored = {a: o for o, a in option_ids(context, learner.user_id, question).items()}
        wrong = next(by_authored[o.id] for o in question.options if o.id not in question.correct_option_ids())
        return wrong if question.type == "single_choice" else [wrong]
    if isinstance(question, TrueFalseQuestion):
        return not question.answer
    return "Z99.89"


def wrong_on(view, quiz_id, learner, question_ids):
    answers = right_answers(view, quiz_id, learner)
    for question in service.load_quiz(view, quiz_id).questions:
        if question.id in question_ids:
            answers[served_id(quiz_id, learner, question.id)] = wrong_answer(quiz_id, learner, question)
    return answers


def blank_on(view, quiz_id, learner, question_ids):
    answers = right_answers(view, quiz_id, learner)
    for qid in question_ids:
        del answers[served_id(quiz_id, learner, qid)]  # unanswered counts as missed
    return answers


def submit(table, view, learner, answers, quiz_id="receptionist", key=None, now=NOW):
    return service.submit_attempt(
        table, view, quiz_id=quiz_id, learner=learner, answers=answers, idempotency_key=key, now=now
    )


# ------------------------------------------------------------------------------ the list


def test_six_quizzes_for_the_roles_and_topics(view):
    quizzes = {q.quiz_id: q for q in service.list_quizzes(view)}
    assert {"receptionist", "coder", "biller", "modifiers", "denials", "quarterly-updates"} <= set(quizzes)
    assert all(1 <= q.pass_mark <= 100 and q.question_count >= 5 for q in quizzes.values())
    assert "receptionist" in {q.quiz_id for q in service.list_quizzes(view, role="receptionist")}
    assert "coder" not in {q.quiz_id for q in service.list_quizzes(view, role="receptionist")}
    assert {q.quiz_id for q in service.list_quizzes(view, topic="modifiers")} >= {"modifiers"}


def test_the_quarterly_quiz_asks_release_dates_from_the_calendar(view):
    quiz = service.load_quiz(view, "quarterly-updates")
    icd = next(q for q in quiz.questions if q.id == "gen-release-icd-10-cm-annual-release")
    assert [o.text for o in icd.options if o.correct] == ["October 1"]


def test_a_served_quiz_holds_no_answer_or_explanation(view):
    quiz = service.load_quiz(view, "coder")
    served = service.served_quiz(view, "coder", "sub-ana").model_dump_json()
    for question in quiz.questions:
        assert question.explanation not in served
        if isinstance(question, CodeThisQuestion):
            assert all(code not in served for code in question.accepted)
    assert '"correct"' not in served and '"explanation"' not in served and '"accepted"' not in served


# ----------------------------------------------------------------------------- attempts


def test_a_perfect_attempt_is_scored_stored_and_listed(published, view):
    attempt = submit(published, view, ANA, right_answers(view, "receptionist", ANA))
    assert attempt.passed and attempt.score == attempt.max_score == 10
    assert all(r.correct and r.explanation for r in attempt.results)
    mine, cursor = service.list_attempts(published, "main", ANA.user_id, limit=25, cursor=None)
    assert [a.attempt_id for a in mine] == [attempt.attempt_id] and cursor is None
    owner_view = service.get_attempt(
        published, attempt.attempt_id, viewer_id=ANA.user_id, viewer_is_supervisor=False, viewer_teams=["main"]
    )
    assert owner_view == attempt


def test_missed_questions_show_the_expected_answer(published, view):
    attempt = submit(published, view, ANA, wrong_on(view, "receptionist", ANA, ["fd-group-number-is-not-the-member"]))
    missed = [r for r in attempt.results if not r.correct]
    assert [(r.question_id, r.expected, r.expected_text) for r in missed] == [
        (served_id("receptionist", ANA, "fd-group-number-is-not-the-member"), False, "False")
    ]
    assert missed[0].prompt.startswith("True or false: the group number")
    mbi = next(r for r in attempt.results if r.prompt.startswith("Which identifier"))
    assert mbi.sources[0].source.startswith("CMS, New Medicare Card") and mbi.sources[0].reviewed_on == "2026-11-23"
    assert attempt.score == 9 and attempt.passed


def test_only_the_owner_or_a_supervisor_reads_an_attempt(published, view):
    attempt = submit(published, view, ANA, right_answers(view, "receptionist", ANA))
    with pytest.raises(service.AttemptNotFound):
        service.get_attempt(
            published, attempt.attempt_id, viewer_id=BEN.user_id, viewer_is_supervisor=False, viewer_teams=["main"]
        )
    assert (
        service.get_attempt(
            published, attempt.attempt_id, viewer_id="boss", viewer_is_supervisor=True, viewer_teams=["main"]
        )
        == attempt
    )
    with pytest.raises(service.AttemptNotFound):
        service.get_attempt(published, "../ATTEMPT", viewer_id="boss", viewer_is_supervisor=True, viewer_teams=["main"])


def test_a_replayed_idempotency_key_returns_the_same_attempt_and_stores_one(published, view):
    answers = right_answers(view, "receptionist", ANA)
    first = submit(published, view, ANA, answers, key="k-1")
    again = submit(published, view, ANA, answers, key="k-1", now=NOW + timedelta(minutes=5))
    assert again == first
    assert len(service.list_attempts(published, "main", ANA.user_id, limit=25, cursor=None)[0]) == 1
    report = service.quiz_report(published, view, "main", "receptionist")
    assert report.people[0].attempts == 1 and all(q.seen == 1 for q in report.questions)


def test_the_same_key_for_another_submission_is_refused(published, view):
    submit(published, view, ANA, right_answers(view, "receptionist", ANA), key="k-1")
    with pytest.raises(service.IdempotencyKeyReused):
        submit(published, view, ANA, {}, key="k-1")


def test_two_people_may_use_the_same_key(published, view):
    first = submit(published, view, ANA, right_answers(view, "receptionist", ANA), key="same")
    second = submit(published, view, BEN, right_answers(view, "receptionist", BEN), key="same")
    assert first.attempt_id != second.attempt_id and second.user_id == BEN.user_id


def test_bad_answers_store_nothing(published, view):
    group_number = served_id("receptionist", ANA, "fd-group-number-is-not-the-member")
    answers = {**right_answers(view, "receptionist", ANA), "no-such-question": True, group_number: "false"}
    with pytest.raises(AnswersInvalid) as caught:
        submit(published, view, ANA, answers, key="k-bad")
    assert {p.field for p in caught.value.problems} == {"answers.no-such-question", f"answers.{group_number}"}
    assert service.list_attempts(published, "main", ANA.user_id, limit=25, cursor=None)[0] == []
    assert service.quiz_report(published, view, "main", "receptionist").people == []
    assert service.review_quiz(published, view, ANA, NOW.date()).questions == []


def test_an_unknown_quiz_is_not_found(published, view):
    with pytest.raises(service.QuizNotFound):
        submit(published, view, ANA, {}, quiz_id="astrology")


# ------------------------------------------------------------------------------- report


def test_the_report_shows_best_last_and_passed_per_person_and_confusing_questions(published, view):
    ana_first = submit(published, view, ANA, right_answers(view, "receptionist", ANA))
    ana_last = submit(
        published,
        view,
        ANA,
        wrong_on(view, "receptionist", ANA, ["fd-medicare-card-mbi", "fd-secondary-card", "bl-group-pr"]),
        now=NOW + timedelta(hours=1),
    )
    submit(published, view, BEN, wrong_on(view, "receptionist", BEN, ["fd-medicare-card-mbi", "fd-secondary-card"]))
    report = service.quiz_report(published, view, "main", "receptionist")
    people = {p.user_id: p for p in report.people}
    ana, ben = people[ANA.user_id], people[BEN.user_id]
    assert (ana.attempts, ana.best_score, ana.passed) == (2, 10, True)
    assert (ana.last_attempt_id, ana.last_score, ana.last_passed) == (ana_last.attempt_id, 7, False)
    assert ana_first.attempt_id != ana_last.attempt_id
    assert (ben.best_score, ben.passed, ben.name) == (8, True, "Ben Biller")
    shares = {q.question_id: q.share_correct for q in report.questions}
    assert shares["fd-medicare-card-mbi"] == pytest.approx(1 / 3, abs=0.01)
    assert shares["bl-group-pr"] == pytest.approx(2 / 3, abs=0.01)
    assert report.questions[0].question_id in {"fd-medicare-card-mbi", "fd-secondary-card"}
    assert all(q.seen == 3 for q in report.questions)


def test_an_evidence_attempt_shows_no_answer_for_a_question_left_unanswered(published, view):
    """A blank attempt teaches nothing to copy into the next one: no expected answer, explanation or link."""
    quiz = service.load_quiz(view, "coder")
    blank = submit(published, view, ANA, {}, quiz_id="coder", key="blank")
    assert blank.score == 0 and not blank.passed and not blank.answers_seen_before
    assert all(not r.answered and r.answer_withheld for r in blank.results)
    assert {(r.expected, r.expected_text, r.explanation) for r in blank.results} == {(None, None, None)}
    assert all(r.references == [] for r in blank.results)
    stored = service.get_attempt(
        published, blank.attempt_id, viewer_id=ANA.user_id, viewer_is_supervisor=False, viewer_teams=["main"]
    )
    shown = stored.model_dump_json()
    for question in quiz.questions:
        assert question.explanation not in shown
        if isinstance(question, CodeThisQuestion):
            assert all(f'"{code}"' not in shown for code in question.accepted)
    assert submit(published, view, ANA, {}, quiz_id="coder", key="blank") == blank  # a replay shows no more
    assert not submit(published, view, ANA, {}, quiz_id="coder").answers_seen_before  # nothing was shown


def test_a_wrong_answer_shows_the_answer_and_later_attempts_are_marked_as_after_answers_were_shown(published, view):
    missed = ["fd-medicare-card-mbi", "fd-secondary-card", "bl-group-pr"]
    first = submit(published, view, ANA, wrong_on(view, "receptionist", ANA, missed))
    assert not first.passed and not first.answers_seen_before
    assert all(r.expected is not None and r.explanation for r in first.results if r.answered)
    second = submit(published, view, ANA, right_answers(view, "receptionist", ANA), now=NOW + timedelta(hours=1))
    assert second.passed and second.answers_seen_before
    ben = submit(published, view, BEN, right_answers(view, "receptionist", BEN))
    assert ben.passed and not ben.answers_seen_before

    people = {p.user_id: p for p in service.quiz_report(published, view, "main", "receptionist").people}
    ana, ben_standing = people[ANA.user_id], people[BEN.user_id]
    assert (ana.passed, ana.passed_before_answers_seen) == (True, False)
    assert (ana.best_score, ana.best_answers_seen_before, ana.last_answers_seen_before) == (10, True, True)
    assert (ben_standing.passed, ben_standing.passed_before_answers_seen) == (True, True)
    assert not ben_standing.best_answers_seen_before and not ben_standing.last_answers_seen_before
    listed, _ = service.list_attempts(published, "main", ANA.user_id, limit=5, cursor=None)
    assert [a.answers_seen_before for a in listed] == [True, False]
    # answers to one quiz say nothing about another
    assert not submit(published, view, ANA, {}, quiz_id="coder").answers_seen_before


def test_practice_shows_every_answer_and_counts_as_answers_seen(published, view):
    submit(published, view, ANA, blank_on(view, "receptionist", ANA, ["fd-secondary-card"]))
    practice = service.submit_review(
        published,
        view,
        learner=ANA,
        now=NOW,
        idempotency_key=None,
        answers={served_id("misses", ANA, "fd-secondary-card"): None},
    )
    [result] = practice.results
    assert practice.kind == "review" and not result.answered and not result.answer_withheld
    assert result.expected is not None and result.expected_text and result.explanation
    again = submit(published, view, ANA, right_answers(view, "receptionist", ANA), now=NOW + timedelta(hours=1))
    assert again.answers_seen_before
    assert (
        service.quiz_report(published, view, "main", "receptionist").people[0].attempts == 2
    )  # practice is not evidence


def test_the_report_reads_a_page_of_quizzes_in_four_round_trips_however_many_people(published, view):
    quiz_ids = [q.quiz_id for q in service.list_quizzes(view)]
    for n in range(30):
        for quiz_id in quiz_ids[:3]:
            submit(published, view, Learner(f"sub-{n:02}", f"Person {n:02}", "main"), {}, quiz_id=quiz_id)
    published.stats.reset()
    reports, cursor = service.quiz_reports(published, view, "main")
    assert [r.quiz_id for r in reports] == quiz_ids and cursor is None
    assert [len(r.people) for r in reports] == [30, 30, 30] + [0] * (len(quiz_ids) - 3)
    assert published.stats.calls == {"query": 2, "batch_get": 2}  # the quiz list and the team's directory

    seen, cursor, pages = [], None, 0
    while True:
        published.stats.reset()
        reports, cursor = service.quiz_reports(published, view, "main", limit=2, cursor=cursor)
        assert published.stats.round_trips <= 4
        seen += [r.quiz_id for r in reports]
        pages += 1
        if cursor is None:
            break
    assert seen == quiz_ids and pages == -(-len(quiz_ids) // 2)


class RacingTableBase:
    """A table where someone else's write (`race`) lands just before our first transaction."""

    def __init__(self, table):
        self.table, self.raced = table, False

    def __getattr__(self, name):
        return getattr(self.table, name)

    def transact_write(self, ops):
        if not self.raced:
            self.raced = True
            self.race()
        return self.table.transact_write(ops)


def test_a_lost_race_for_the_counters_is_retried(published, view):
    """Ben submits between Ana's read and Ana's write: both attempts are counted."""

    class RacingTable(RacingTableBase):
        def race(self):
            submit(self.table, view, BEN, right_answers(view, "receptionist", BEN))

    submit(RacingTable(published), view, ANA, right_answers(view, "receptionist", ANA))
    report = service.quiz_report(published, view, "main", "receptionist")
    assert {p.user_id for p in report.people} == {ANA.user_id, BEN.user_id}
    assert all(q.seen == 2 for q in report.questions)


def test_two_sends_of_one_key_at_the_same_moment_store_one_attempt(published, view):
    """The second send passes the replay check before the first is stored: the conditional put
    of the attempt decides, and the loser answers with the winner's attempt."""
    answers = right_answers(view, "receptionist", ANA)

    class SimultaneousTable(RacingTableBase):
        def race(self):
            submit(self.table, view, ANA, answers, key="same-moment", now=NOW - timedelta(seconds=1))

    winner_time = (NOW - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    attempt = submit(SimultaneousTable(published), view, ANA, answers, key="same-moment")
    assert attempt.submitted_at == winner_time
    assert len(service.list_attempts(published, "main", ANA.user_id, limit=25, cursor=None)[0]) == 1
    report = service.quiz_report(published, view, "main", "receptionist")
    assert report.people[0].attempts == 1


# ---------------------------------------------------------------------- review my misses


def test_misses_come_back_for_review_and_move_up_when_answered_right(published, view):
    missed = ["fd-medicare-card-mbi", "fd-secondary-card"]
    submit(published, view, ANA, wrong_on(view, "receptionist", ANA, missed))
    review = service.review_quiz(published, view, ANA, NOW.date())
    in_review = authored_ids("misses", ANA, missed)
    assert sorted(in_review[q.id] for q in review.questions) == missed
    assert "correct" not in review.model_dump_json()

    mbi = next(q for q in service.load_quiz(view, "receptionist").questions if q.id == "fd-medicare-card-mbi")
    attempt = service.submit_review(
        published,
        view,
        learner=ANA,
        now=NOW,
        idempotency_key=None,
        answers={
            served_id("misses", ANA, "fd-medicare-card-mbi"): right_answer("misses", ANA, mbi),
            served_id("misses", ANA, "fd-secondary-card"): None,
        },
    )
    assert attempt.kind == "review" and attempt.score == 1 and attempt.max_score == 2

    today = service.review_quiz(published, view, ANA, NOW.date())
    assert [in_review[q.id] for q in today.questions] == ["fd-secondary-card"]
    assert today.due_later == 1 and today.next_due_on == (NOW.date() + timedelta(days=1)).isoformat()
    tomorrow = service.review_quiz(published, view, ANA, NOW.date() + timedelta(days=1))
    assert sorted(in_review[q.id] for q in tomorrow.questions) == missed


def test_review_answers_must_be_for_the_learners_misses(published, view):
    submit(published, view, ANA, wrong_on(view, "receptionist", ANA, ["fd-secondary-card"]))
    with pytest.raises(AnswersInvalid) as caught:
        service.submit_review(
            published,
            view,
            learner=ANA,
            now=NOW,
            idempotency_key=None,
            answers={served_id("misses", ANA, "fd-medicare-card-mbi"): "x"},
        )
    assert caught.value.problems[0].field == f"answers.{served_id('misses', ANA, 'fd-medicare-card-mbi')}"
    assert "no question with this id" in caught.value.problems[0].message
    with pytest.raises(AnswersInvalid, match="at least one"):
        service.submit_review(published, view, learner=ANA, now=NOW, idempotency_key=None, answers={})


def test_attempts_are_listed_newest_first_with_a_cursor(published, view):
    for n in range(3):
        submit(published, view, ANA, {}, now=NOW + timedelta(minutes=n))
    first, cursor = service.list_attempts(published, "main", ANA.user_id, limit=2, cursor=None)
    rest, end = service.list_attempts(published, "main", ANA.user_id, limit=2, cursor=cursor)
    times = [a.submitted_at for a in first + rest]
    assert len(times) == 3 and times == sorted(times, reverse=True) and end is None
    assert json.loads(first[0].model_dump_json())["score"] == 0


# ------------------------------------------------------------------------------ DynamoDB


def test_attempts_behave_the_same_on_dynamodb(dynamo_table, view):
    """User data on DynamoDB (moto), quizzes from the published content: submit, replay, race-free
    counters, listing through GSI1, the report and the review."""
    answers = wrong_on(view, "receptionist", ANA, ["fd-secondary-card"])
    first = submit(dynamo_table, view, ANA, answers, key="k-dynamo")
    assert submit(dynamo_table, view, ANA, answers, key="k-dynamo") == first
    submit(dynamo_table, view, BEN, right_answers(view, "receptionist", BEN), now=NOW + timedelta(minutes=1))
    mine, _ = service.list_attempts(dynamo_table, "main", ANA.user_id, limit=25, cursor=None)
    assert [a.attempt_id for a in mine] == [first.attempt_id]
    report = service.quiz_report(dynamo_table, view, "main", "receptionist")
    assert {p.user_id: p.best_score for p in report.people} == {ANA.user_id: 9, BEN.user_id: 10}
    assert report.questions[0].question_id == "fd-secondary-card" and report.questions[0].share_correct == 0.5
    review = service.review_quiz(dynamo_table, view, ANA, NOW.date())
    assert [q.id for q in review.questions] == [served_id("misses", ANA, "fd-secondary-card")]
