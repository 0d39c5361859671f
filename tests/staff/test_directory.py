"""Recording sign-ins, checking the people a request names, and importing a CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest

from codedesk.staff import service
from codedesk.staff.models import Person
from tests.staff.conftest import NOW


def test_a_sign_in_records_a_new_person_and_keeps_their_name_and_roles_current(table):
    first = Person.model_validate({"user_id": "mlopez", "name": "María  López", "roles": ["biller"], "team": "north"})
    service.record_sign_in(table, first, NOW)
    assert [p.name for p in service.team_people(table, ["north"])] == ["María López"]

    table.stats.reset()
    service.record_sign_in(table, first, NOW + timedelta(hours=1))
    assert (table.stats.round_trips, table.stats.items_written) == (1, 0)  # one get; nothing changed

    promoted = first.model_copy(update={"roles": ["biller", "supervisor"]})
    service.record_sign_in(table, promoted, NOW + timedelta(days=1))
    assert service.team_people(table, ["north"])[0].roles == ["biller", "supervisor"]


def test_a_sign_in_does_not_reactivate_someone_the_directory_marked_inactive(directory):
    again = Person.model_validate({"user_id": "gone", "name": "Gina Left", "roles": ["biller"], "team": "north"})
    assert service.record_sign_in(directory, again, NOW).active is False


def test_unknown_and_inactive_people_are_refused_with_the_closest_matches(directory):
    with pytest.raises(service.UnknownPeople) as refused:
        service.active_people(directory, ["north"], ["mlopez", "mraia", "Lopez", "gone", "tkim"], field="assignees")
    details = {detail["value"]: detail for detail in refused.value.details}
    assert set(details) == {"mraia", "Lopez", "gone", "tkim"}
    assert "mlopez" in details["Lopez"]["suggestions"]
    assert details["mraia"]["suggestions"][0] in ("mlopez", "mhart")
    assert details["gone"]["message"] == "Gina Left is no longer active"
    assert details["tkim"]["suggestions"] == []  # another team's person is unknown here, and never suggested
    assert "'mraia'" in refused.value.message


def test_known_active_people_of_the_team_pass(directory):
    found = service.active_people(directory, ["north"], ["mlopez", "oneil"], field="assignees")
    assert {user_id: person.name for user_id, person in found.items()} == {
        "mlopez": "María López",
        "oneil": "Seán O'Neil",
    }


def test_a_csv_with_accents_apostrophes_and_several_roles_imports(table):
    people, problems = service.people_from_csv(
        "\ufeffuser_id,name,roles,team,active\n"
        "mlopez,María López,biller,north,true\n"
        'oneil,"Seán O\'Neil, Jr.",coder;biller,,yes\n'
        "gone,Gina Left,biller,north,false\n",
        default_team="north",
    )
    assert problems == []
    service.add_people(table, people, NOW)
    stored = {p.user_id: p for p in service.team_people(table, ["north"])}
    assert stored["oneil"].name == "Seán O'Neil, Jr."
    assert stored["oneil"].roles == ["coder", "biller"]
    assert stored["gone"].active is False


def test_every_bad_csv_row_is_named_by_line_and_field(table):
    _, problems = service.people_from_csv(
        "user_id,name,roles\nmlopez,María López,biller\nmlopez,Again,biller\nbad id,Someone,biller\nx,Y,wizard\n",
        default_team="main",
    )
    lines = [(problem.line, problem.field) for problem in problems]
    assert (3, "user_id") in lines  # the duplicate
    assert (4, "user_id") in lines  # a space in an id
    assert (5, "roles.0") in lines
    _, header = service.people_from_csv("id,full name\n1,A\n", default_team="main")
    assert header and header[0].line == 1


def test_a_teams_time_zone_is_a_setting_of_the_team_and_must_be_a_real_zone(table):
    from pydantic import ValidationError

    from codedesk.staff.models import Team

    assert service.team_settings(table, "north").time_zone == "UTC"  # until set
    service.set_team(table, Team(team="north", time_zone="America/Chicago"), NOW)
    assert service.team_settings(table, "north").time_zone == "America/Chicago"
    assert service.team_settings(table, "south").time_zone == "UTC"
    with pytest.raises(ValidationError, match="not a time zone name"):
        Team(team="north", time_zone="Central Time")


def test_an_assignee_in_an_empty_team_is_refused_with_no_suggestions_not_an_error():
    from codedesk.staff.service import closest_user_ids

    assert closest_user_ids("maria", []) == []
