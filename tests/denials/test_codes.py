"""Reading codes as billers type them."""

from __future__ import annotations

import pytest

from codedesk.denials.codes import CodeKind, DenialCode, UnreadableCode, parse_code_list, parse_denial_code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("16", DenialCode(carc="16")),
        ("CO-16", DenialCode(group="CO", carc="16")),
        ("CO16", DenialCode(group="CO", carc="16")),
        ("co 16", DenialCode(group="CO", carc="16")),
        (" pr-1 ", DenialCode(group="PR", carc="1")),
        ("OA:23", DenialCode(group="OA", carc="23")),
        ("016", DenialCode(carc="16")),
        ("B7", DenialCode(carc="B7")),
        ("N290", DenialCode(rarc="N290")),
        ("n290", DenialCode(rarc="N290")),
        ("M81", DenialCode(rarc="M81")),
        ("MA130", DenialCode(rarc="MA130")),
        ("CO", DenialCode(group="CO")),
        ("cr", DenialCode(group="CR")),
    ],
)
def test_every_spelling_from_remits_and_portals_is_understood(typed: str, expected: DenialCode) -> None:
    assert parse_denial_code(typed) == expected


def test_the_code_answering_a_pair_is_the_reason_not_the_group() -> None:
    pair = parse_denial_code("CO-16")
    assert (pair.kind, pair.code) == (CodeKind.CARC, "16")
    assert parse_denial_code("MA130").kind is CodeKind.RARC
    assert parse_denial_code("PI").kind is CodeKind.GROUP


@pytest.mark.parametrize("typed", ["", "XX-16", "CO-", "16A", "N", "MA", "hello", "CO-16-N290", "1234"])
def test_unreadable_codes_say_what_to_type_instead(typed: str) -> None:
    with pytest.raises(UnreadableCode) as raised:
        parse_denial_code(typed)
    assert "CO-16" in str(raised.value) and "N290" in str(raised.value)


def test_a_list_mixes_commas_spaces_and_group_pairs() -> None:
    assert parse_code_list("CO-16,N290") == [DenialCode(group="CO", carc="16"), DenialCode(rarc="N290")]
    assert parse_code_list("co 16 N290; M81") == [
        DenialCode(group="CO", carc="16"),
        DenialCode(rarc="N290"),
        DenialCode(rarc="M81"),
    ]
    assert parse_code_list(" , ") == []


def test_a_list_with_one_bad_code_is_refused_naming_it() -> None:
    with pytest.raises(UnreadableCode) as raised:
        parse_code_list("CO-16, ZZ9")
    assert raised.value.text == "ZZ9"
