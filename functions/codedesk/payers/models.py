"""A payer quick-reference sheet, as content editors write it in content/payers/<payer_id>.yaml.

Every statement on a sheet is a fact with its own `source` and `reviewed_on` (codedesk.content.facts
.Sourced). A value the clinic's own participation agreement decides is marked `contract_dependent`:
the sheet then says where to look instead of pretending there is one number for every clinic.
Statements are written in our own words: no CPT or CPT-modifier descriptors, no CARC/RARC text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_serializer, model_validator

from codedesk.content.facts import ContentModel, Sourced
from codedesk.denials.codes import DenialCode, UnreadableCode, parse_denial_code
from codedesk.payer_types import PayerType

PayerId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
# Words the API uses after /api/payers/ for its own routes; a payer may not be called that.
RESERVED_PAYER_IDS = frozenset({"compare"})

# A procedure code as rules name it once normalised: CPT (five digits, or four and F/T/U) or
# HCPCS Level II (a letter and four digits).
PROCEDURE_CODE = re.compile(r"^(?:[0-9]{4}[0-9FTU]|[A-V][0-9]{4})$")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
PLACE_OF_SERVICE = re.compile(r"^[0-9]{2}$")


def normalise_code(code: str) -> str:
    """`" 99213 "` → `"99213"`, `"g0439"` → `"G0439"`: how codes are compared with rules."""
    return re.sub(r"[.\s]", "", code).upper()


def spelled_denial(code: DenialCode) -> str:
    """A parsed denial code written the way sheets and denial cards write it: CO-29, N290."""
    return f"{code.group}-{code.carc}" if code.group and code.carc else code.code


def denial_reason(text: str) -> str:
    """A group and CARC ("CO-29", "co 29") or a RARC ("N290"), as a sheet names a denial it sees."""
    try:
        code = parse_denial_code(text)
    except UnreadableCode as error:
        raise ValueError(str(error)) from None
    if not (code.rarc or (code.group and code.carc)):
        raise ValueError(f"{text!r}: name a group and reason (e.g. CO-29) or a remark code (e.g. N290)")
    return spelled_denial(code)


def _checked(value: str, shape: re.Pattern[str], what: str) -> str:
    value = value.strip().upper()
    if not shape.match(value):
        raise ValueError(f"{value!r} is not {what}")
    return value


Modifier = Annotated[str, AfterValidator(lambda value: _checked(value, MODIFIER, "a modifier"))]
PlaceOfService = Annotated[str, AfterValidator(lambda value: _checked(value, PLACE_OF_SERVICE, "a POS code"))]
DenialReason = Annotated[str, AfterValidator(denial_reason)]


class Fact(Sourced):
    """One sourced statement on a sheet, in our own words."""

    text: str = Field(min_length=3)
    contract_dependent: bool = False


# ------------------------------------------------------------------------------ code ranges


class CodeRange(ContentModel):
    """One code (`"99213"`) or an inclusive range of codes of the same shape (`"99202-99215"`)."""

    first: str
    last: str

    @classmethod
    def parse(cls, text: str) -> CodeRange:
        first, _, last = normalise_code(text).partition("-")
        return cls(first=first, last=last or first)

    @model_validator(mode="after")
    def _is_a_procedure_code_range(self) -> CodeRange:
        for code in (self.first, self.last):
            if not PROCEDURE_CODE.match(code):
                raise ValueError(f"{code!r} is not a CPT or HCPCS Level II code")
        if len(self.first) != len(self.last) or self.first[0].isdigit() != self.last[0].isdigit():
            raise ValueError(f"{self.first}-{self.last} mixes CPT and HCPCS codes")
        if self.first > self.last:
            raise ValueError(f"{self.first}-{self.last} runs backwards")
        return self

    def covers(self, code: str) -> bool:
        return self.first <= code <= self.last and self.first[0].isdigit() == code[0].isdigit()

    def __str__(self) -> str:
        return self.first if self.first == self.last else f"{self.first}-{self.last}"

    @model_serializer
    def _as_written(self) -> str:
        return str(self)


def _parse_ranges(value: object) -> object:
    """Editors (and published items) write ranges as strings; the model keeps them parsed."""
    if isinstance(value, list):
        return [CodeRange.parse(item) if isinstance(item, str) else item for item in value]
    return value


CodeRanges = Annotated[list[CodeRange], BeforeValidator(_parse_ranges)]


# ------------------------------------------------------------------------------ timely filing


class Period(ContentModel):
    amount: int = Field(gt=0, le=3650)
    unit: Literal["days", "months", "years"]

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


class FilingLimit(Sourced):
    """How long the clinic has for one kind of submission, and from which event the clock runs.

    `period` may be absent only when the clinic's contract or the program sets it
    (`contract_dependent`) or the number still has to be confirmed (`verify`); `note` then says
    where to find it.
    """

    label: str = Field(min_length=3)
    period: Period | None = None
    clock_starts: str | None = None
    contract_dependent: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _says_how_long_or_where_to_look(self) -> FilingLimit:
        if self.period is not None and not self.clock_starts:
            raise ValueError(f"{self.label}: a period needs `clock_starts` (the event the clock runs from)")
        if self.period is None and not (self.contract_dependent or self.verify):
            raise ValueError(f"{self.label}: give a `period`, or mark it `contract_dependent`/`verify` with a note")
        if self.period is None and not self.note:
            raise ValueError(f"{self.label}: without a `period`, a `note` must say where the limit is found")
        return self

    def summary(self) -> str:
        """ "12 months from the date of service" or "set by your contract"."""
        if self.period is None:
            return "set by your contract" if self.contract_dependent else "to be confirmed"
        return f"{self.period} from {self.clock_starts}"


class TimelyFiling(ContentModel):
    initial_claim: FilingLimit
    corrected_claim: FilingLimit
    appeals: list[FilingLimit] = Field(min_length=1)


# --------------------------------------------------------------------------- the other topics


class Eligibility(ContentModel):
    how_to_verify: list[Fact] = Field(min_length=1)
    capture_at_check_in: list[Fact] = Field(default_factory=list)


class PriorAuthorization(ContentModel):
    how_to_check: list[Fact] = Field(min_length=1)
    commonly_required: list[Fact] = Field(default_factory=list)


ModifierTopic = Literal["modifier_25", "ncci_59_x", "abn_ga_gz", "telehealth"]
MODIFIER_TOPIC_LABELS: dict[str, str] = {
    "modifier_25": "Modifier 25",
    "ncci_59_x": "Modifier 59 and XE/XS/XP/XU",
    "abn_ga_gz": "ABN and GA/GZ",
    "telehealth": "Telehealth (95/93, POS 02/10)",
}


class ModifierRule(Fact):
    """A payer's rule about modifiers or place of service.

    `applies_to` lists the codes the rule matters for (empty: every code), which is how the rules
    for one code pick the general rules worth showing next to the code-specific ones.
    """

    topic: ModifierTopic
    modifiers: list[Modifier] = Field(default_factory=list)
    places_of_service: list[PlaceOfService] = Field(default_factory=list)
    applies_to: CodeRanges = Field(default_factory=list)

    def matters_for(self, code: str) -> bool:
        return not self.applies_to or any(r.covers(code) for r in self.applies_to)


class CodeRule(Fact):
    """A rule this payer has for particular codes.

    `paid_with` names, for an add-on such as G2211, the codes it is paid only with on the same claim;
    those codes are listed in `codes` too, so that their lookup shows the rule.
    """

    title: str = Field(min_length=3)
    codes: CodeRanges = Field(min_length=1)
    modifiers: list[Modifier] = Field(default_factory=list)
    denials: list[DenialReason] = Field(default_factory=list)
    paid_with: CodeRanges = Field(default_factory=list)

    def covers(self, code: str) -> bool:
        return any(r.covers(code) for r in self.codes)

    def is_partner(self, code: str) -> bool:
        """One of the codes the rule's own code goes with, rather than the code the rule is about."""
        return any(r.covers(code) for r in self.paid_with)


class CommonDenial(Fact):
    """A denial this payer commonly returns, with what to do about it at this payer."""

    code: DenialReason


class Contact(Sourced):
    label: str = Field(min_length=2)
    kind: Literal["portal", "website", "phone", "edi"]
    value: str = Field(min_length=3)
    note: str | None = None


class EdiPayerId(Sourced):
    value: str = Field(pattern=r"^[0-9A-Z]{3,10}$")
    note: str | None = None


# ------------------------------------------------------------------------------- the sheet


class PayerSheet(ContentModel):
    """One payer's quick-reference sheet: the file content/payers/<payer_id>.yaml."""

    payer_id: PayerId
    name: str = Field(min_length=2)
    type: PayerType
    summary: str = Field(min_length=10)
    verified_on: date
    edi_payer_id: EdiPayerId | None = None
    timely_filing: TimelyFiling
    eligibility: Eligibility
    prior_auth: PriorAuthorization
    modifier_rules: list[ModifierRule] = Field(default_factory=list)
    code_rules: list[CodeRule] = Field(default_factory=list)
    common_denials: list[CommonDenial] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)

    @field_validator("payer_id")
    @classmethod
    def _not_a_route_word(cls, payer_id: str) -> str:
        if payer_id in RESERVED_PAYER_IDS:
            raise ValueError(f"{payer_id!r} is reserved by the API; choose another payer_id")
        return payer_id

    def facts(self) -> list[Sourced]:
        """Every sourced statement on the sheet, in reading order."""
        tf = self.timely_filing
        return [
            *([self.edi_payer_id] if self.edi_payer_id else []),
            tf.initial_claim,
            tf.corrected_claim,
            *tf.appeals,
            *self.eligibility.how_to_verify,
            *self.eligibility.capture_at_check_in,
            *self.prior_auth.how_to_check,
            *self.prior_auth.commonly_required,
            *self.modifier_rules,
            *self.code_rules,
            *self.common_denials,
            *self.contacts,
        ]

    def cited_sources(self) -> list[str]:
        """The distinct sources the sheet cites, in the order they first appear."""
        return list(dict.fromkeys(fact.source for fact in self.facts()))
