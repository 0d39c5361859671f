"""The kinds of payer a clinic bills. Shared vocabulary like the roles and topics, so it lives in the
core: a payer sheet has one type, and a denial card may answer differently per type (appeal rights
of a late claim differ at Medicare and at a commercial payer), without denials importing payers."""

from typing import Literal

PayerType = Literal["medicare", "medicaid", "medicare_advantage", "commercial"]
PAYER_TYPE_LABELS: dict[str, str] = {
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "medicare_advantage": "Medicare Advantage",
    "commercial": "Commercial",
}
