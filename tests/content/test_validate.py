"""`codedesk validate` names every problem as path:line: field: message and never shows a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codedesk.cli import main
from tests.conftest import CONTENT

GUIDE = """---
title: Front desk
role: receptionist
summary: What the front desk does on day one.
reviewed_on: 2026-11-23
---
## Day one

Check the patient in.
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small valid content folder: the real roles file and one guide per role."""
    root = tmp_path / "content"
    (root / "guides").mkdir(parents=True)
    shutil.copy(CONTENT / "roles.yaml", root / "roles.yaml")
    for role in ("receptionist", "coder", "biller", "supervisor", "compliance", "finance"):
        (root / "guides" / f"{role}.md").write_text(GUIDE.replace("receptionist", role))
    (root / "glossary.yaml").write_text("terms:\n  - term: Clean claim\n    definition: A claim paid on first pass.\n")
    return root


def test_the_repository_content_is_valid(capsys):
    assert main(["validate"]) == 0, capsys.readouterr().err


def test_valid_content_passes(content, capsys):
    assert main(["validate", "--content", str(content)]) == 0
    assert "content OK" in capsys.readouterr().out


def test_every_problem_is_reported_at_once_with_path_line_and_field(content, capsys):
    roles = (content / "roles.yaml").read_text()
    roles = roles.replace("    name: Coder\n", "")  # missing field (coder's block)
    roles = roles.replace("  - id: biller\n", "  - id: biller\n    colour: blue\n")  # unknown field
    (content / "roles.yaml").write_text(roles)
    (content / "glossary.yaml").write_text("terms:\n  - term: Clean claim\n    definition: [not, text]\n")
    (content / "guides" / "coder.md").write_text(GUIDE.replace("reviewed_on: 2026-11-23", "reviewed_on: someday"))

    assert main(["validate", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    coder_line = roles.splitlines().index("  - id: coder") + 1
    biller_line = roles.splitlines().index("    colour: blue") + 1
    assert f"roles.yaml:{coder_line}: roles[1].name: required field is missing" in err
    assert f"roles.yaml:{biller_line}: roles[2].colour: unknown field" in err
    assert "glossary.yaml:3: terms[0].definition: Input should be a valid string" in err
    assert "guides/coder.md:5: reviewed_on: Input should be a valid date" in err
    assert "Traceback" not in err
    assert "4 error(s)" in err


def test_a_citation_of_an_unlisted_source_names_its_line_in_the_file(content, capsys):
    guide = GUIDE + "\nVerify eligibility before the visit (source: nowhere).\n"
    (content / "guides" / "biller.md").write_text(guide.replace("receptionist", "biller"))
    assert main(["validate", "--content", str(content)]) == 1
    line = guide.splitlines().index("Verify eligibility before the visit (source: nowhere).") + 1
    assert f"guides/biller.md:{line}: body: cites source 'nowhere'" in capsys.readouterr().err


def test_yaml_syntax_errors_and_duplicate_keys_name_their_line(content, capsys):
    (content / "glossary.yaml").write_text("terms:\n  - term: A\n    term: B\n    definition: twice named\n")
    (content / "roles.yaml").write_text("roles: [unclosed\n")
    assert main(["validate", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "glossary.yaml:3: (file): key 'term' appears twice" in err
    assert "roles.yaml:2: (file): not valid YAML" in err


def test_a_file_no_kind_reads_is_reported(content, capsys):
    (content / "guides" / "notes.txt").write_text("stray")
    assert main(["validate", "--content", str(content)]) == 1
    assert "guides/notes.txt:1: (file): no content kind reads this file" in capsys.readouterr().err


def test_publish_refuses_invalid_content_and_keeps_the_previous_version(content, tmp_path, capsys):
    store = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["publish", "--content", str(content), "--store", store]) == 0
    assert "published content version 1" in capsys.readouterr().out
    assert main(["publish", "--content", str(content), "--store", store]) == 0
    assert "0 items written" in capsys.readouterr().out
    (content / "roles.yaml").write_text("roles: []\n")
    assert main(["publish", "--content", str(content), "--store", store]) == 1
    assert "nothing was published" in capsys.readouterr().err
    from codedesk.content.view import LivePointer
    from codedesk.store import open_store

    view = LivePointer(open_store(store), max_age=0).view()
    assert view.version == 1 and view.get("ROLE#coder", "PROFILE")["name"] == "Coder"


def test_validate_warns_about_deleted_curated_codes_and_facts_not_reviewed_for_a_year(capsys):
    # Judged on a day a year after the last review: every dated fact is due, G2012 is past its end.
    assert main(["validate", "--today", "2027-12-07"]) == 0
    err = capsys.readouterr().err
    assert "warning: G2012 was deleted: its last valid day was 2024-12-31" in err
    assert "payers/medicare-part-b-novitas.yaml:" in err and "warning: not reviewed since" in err
    assert "error" not in err.replace("warning", "")


def test_facts_reviewed_within_a_year_give_no_review_warning(capsys):
    assert main(["validate", "--today", "2026-12-06"]) == 0
    err = capsys.readouterr().err
    assert "not reviewed since" not in err
    assert "G2012 was deleted" in err  # a deleted code is flagged whatever the review date


def _write_synonyms(content, *entries: str) -> None:
    """content/codes/synonyms.yaml with these entries (each one YAML flow mapping), header first."""
    synonyms = content / "codes" / "synonyms.yaml"
    synonyms.parent.mkdir(exist_ok=True)
    synonyms.write_text("reviewed_on: 2026-12-07\nsynonyms:\n" + "".join(f"  - {entry}\n" for entry in entries))


def test_a_synonym_may_differ_between_code_systems_but_not_within_one(content, capsys):
    in_icd = '{terms: [cancer], means: malignant neoplasm, systems: [ICD10CM], source: "tabular titles"}'
    in_hcpcs = '{terms: [cancer], means: cancer, systems: [HCPCS], source: "HCPCS titles"}'
    everywhere = '{terms: [Cancer], means: carcinoma, source: "every system"}'
    _write_synonyms(content, in_icd, in_hcpcs)
    assert main(["validate", "--content", str(content)]) == 0, capsys.readouterr().err
    _write_synonyms(content, in_icd, everywhere)
    assert main(["validate", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert (
        "codes/synonyms.yaml:4: synonyms[1].terms: 'Cancer' means both 'malignant neoplasm' and 'carcinoma' "
        "in ICD10CM; keep one"
    ) in err


def test_a_synonym_is_listed_once_in_a_code_system(content, capsys):
    _write_synonyms(
        content,
        '{terms: [nearsighted], means: myopia, source: "H52.1 Myopia"}',
        '{terms: [Nearsighted, far sighted], means: myopia, systems: [ICD10CM], source: "again"}',
    )
    assert main(["validate", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "codes/synonyms.yaml:4: synonyms[1].terms: 'Nearsighted' is already listed at synonyms[0] in ICD10CM" in err
    assert "far sighted" not in err


def test_a_word_belongs_to_one_family_of_forms(content, capsys):
    synonyms = content / "codes" / "synonyms.yaml"
    synonyms.parent.mkdir()
    synonyms.write_text(
        "reviewed_on: 2026-12-07\n"
        'synonyms:\n  - {terms: [htn], means: hypertension, source: "editors"}\n'
        "forms:\n"
        '  - {words: [ovarian, ovary], source: "C56 Malignant neoplasm of ovary"}\n'
        '  - {words: [ovaries, Ovarian], source: "twice"}\n'
    )
    assert main(["validate", "--content", str(content)]) == 1
    assert (
        "codes/synonyms.yaml:6: forms[1].words: 'Ovarian' is also in forms[0]; a word has one family"
        in capsys.readouterr().err
    )
