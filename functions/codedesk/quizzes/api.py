"""The quizzes function: the quiz list, taking a quiz, attempts, the supervisor's report,
review-my-misses and each person's onboarding checklist. Thin: parse, authorize, call
codedesk.quizzes.service (and .checklists)."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from pydantic import BaseModel, ConfigDict

from codedesk.errors import Forbidden
from codedesk.quizzes import assignments, checklists, service
from codedesk.quizzes.assignments import AssignQuizRequest, MyQuizAssignments, QuizAssignment
from codedesk.quizzes.checklists import Checklist, ChecklistItem
from codedesk.quizzes.rules import MAX_IDEMPOTENCY_KEY
from codedesk.quizzes.schemas import (
    Attempt,
    AttemptList,
    AttemptRequest,
    QuizList,
    QuizReports,
    ServedQuiz,
)
from codedesk.quizzes.service import Learner
from codedesk.roles import Role
from codedesk.staff import service as staff
from codedesk.topics import Topic
from codedesk.web.auth import User, require_groups
from codedesk.web.deps import Content, Now, SignedIn, Store
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()

QuizId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="idempotency-key",
        max_length=MAX_IDEMPOTENCY_KEY,
        description="send the same key again to get the same attempt back instead of a second one",
    ),
]


def _learner(user: User) -> Learner:
    return Learner(user_id=user.user_id, name=user.name, team=user.team)


def _created(attempt: Attempt) -> Response[Attempt]:
    return Response(status_code=201, content_type="application/json", body=attempt)


@app.get("/api/quizzes")
def list_quizzes(
    user: SignedIn,
    view: Content,
    role: Role | None = None,
    topic: Topic | None = None,
) -> QuizList:
    return QuizList(items=service.list_quizzes(view, role=role, topic=topic))


@app.get("/api/quizzes/<quiz_id>")
def get_quiz(
    quiz_id: QuizId,
    user: SignedIn,
    view: Content,
) -> ServedQuiz:
    """The questions without answers or explanations; option ids are opaque and per person."""
    return service.served_quiz(view, quiz_id, user.user_id)


@app.post("/api/quizzes/<quiz_id>/attempts")
def submit_attempt(
    quiz_id: QuizId,
    request: AttemptRequest,
    user: SignedIn,
    view: Content,
    store: Store,
    now: Now,
    idempotency_key: IdempotencyKey = None,
) -> Response[Attempt]:
    attempt = service.submit_attempt(
        store,
        view,
        quiz_id=quiz_id,
        learner=_learner(user),
        answers=request.answers,
        idempotency_key=idempotency_key,
        now=now,
    )
    return _created(attempt)


@app.get("/api/attempts")
def list_attempts(
    user: SignedIn,
    store: Store,
    person: Annotated[str | None, Query(alias="user", max_length=128, description="default: yourself")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> AttemptList:
    """Your own attempts, newest first; a supervisor may ask for anyone's of their team(s)."""
    if person not in (None, user.user_id) and not user.is_supervisor:
        raise Forbidden("You can list only your own attempts; a supervisor can list anyone's of their team.")
    team = user.team
    if person not in (None, user.user_id):
        team = staff.person_in_teams(store, user.teams, person).team
    items, next_cursor = service.list_attempts(store, team, person or user.user_id, limit=limit, cursor=cursor)
    return AttemptList(items=items, next_cursor=next_cursor)


@app.get("/api/attempts/<attempt_id>")
def get_attempt(
    attempt_id: Annotated[str, Path(max_length=64)],
    user: SignedIn,
    store: Store,
) -> Attempt:
    return service.get_attempt(
        store, attempt_id, viewer_id=user.user_id, viewer_is_supervisor=user.is_supervisor, viewer_teams=user.teams
    )


@app.get("/api/reports/quizzes")
def quiz_reports(
    user: SignedIn,
    view: Content,
    store: Store,
    quiz_id: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="quizzes per page")] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    team: Annotated[str | None, Query(max_length=40, description="one of your teams; default: your first")] = None,
) -> QuizReports:
    """Supervisors: per quiz, each person's best and last attempt, whether they passed, and whether
    those attempts came after answers to the quiz had been shown to them; and the share of right
    answers per question (the most missed first); and who of the team, in the quiz's roles, has not
    started it. Pages of quizzes, in id order."""
    require_groups(user, "supervisor")
    [team] = staff.chosen_teams(user.teams, team or user.team)
    if quiz_id is not None:
        return QuizReports(items=[service.quiz_report(store, view, team, quiz_id)])
    items, next_cursor = service.quiz_reports(store, view, team, limit=limit, cursor=cursor)
    return QuizReports(items=items, next_cursor=next_cursor)


@app.get("/api/practice/misses")
def review_quiz(
    user: SignedIn,
    view: Content,
    store: Store,
    now: Now,
) -> ServedQuiz:
    """Review my misses: the questions you got wrong that are due today (Leitner boxes)."""
    return service.review_quiz(store, view, _learner(user), now.date())


@app.post("/api/practice/misses/attempts")
def submit_review(
    request: AttemptRequest,
    user: SignedIn,
    view: Content,
    store: Store,
    now: Now,
    idempotency_key: IdempotencyKey = None,
) -> Response[Attempt]:
    attempt = service.submit_review(
        store, view, learner=_learner(user), answers=request.answers, idempotency_key=idempotency_key, now=now
    )
    return _created(attempt)


@app.post(
    "/api/quizzes/<quiz_id>/assignments",
    responses={201: {"description": "who was assigned", "content": {"application/json": {"model": QuizAssignment}}}},
)
def assign_quiz(
    quiz_id: QuizId, request: AssignQuizRequest, user: SignedIn, view: Content, store: Store, now: Now
) -> Response[QuizAssignment]:
    """Supervisors: assign a quiz to people of your team, by user_id or everyone in a role."""
    require_groups(user, "supervisor")
    assigned = assignments.assign_quiz(
        store, view, team=user.team, quiz_id=quiz_id, request=request, assigned_by=user.user_id, now=now
    )
    return Response(status_code=201, content_type="application/json", body=assigned)


@app.get("/api/quiz-assignments")
def my_quiz_assignments(user: SignedIn, store: Store, now: Now) -> MyQuizAssignments:
    """The quizzes assigned to you, with whether you have passed them and whether they are overdue."""
    return assignments.my_assignments(
        store, team=user.team, user_id=user.user_id, today=staff.clinic_today(store, user.team, now)
    )


class TickRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done: bool


@app.get("/api/checklists/<role>")
def read_checklist(role: Annotated[Role, Path()], user: SignedIn, view: Content, store: Store) -> Checklist:
    """Your own onboarding checklist for a role: the guide's week-one items, ticked by you or, for
    taking quizzes, by passing them."""
    return checklists.read_checklist(store, view, team=user.team, user_id=user.user_id, role=role)


@app.put("/api/checklists/<role>/items/<item_id>")
def tick_checklist_item(
    role: Annotated[Role, Path()],
    item_id: Annotated[str, Path(max_length=80)],
    request: TickRequest,
    user: SignedIn,
    view: Content,
    store: Store,
    now: Now,
) -> ChecklistItem:
    """Tick or untick an item of your own checklist; it is dated with the clinic's day."""
    return checklists.tick(
        store, view, team=user.team, user_id=user.user_id, role=role, item_id=item_id, done=request.done,
        today=staff.clinic_today(store, user.team, now),
    )  # fmt: skip


handler = make_handler(app)
