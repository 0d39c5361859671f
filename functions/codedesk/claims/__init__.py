"""Claim pre-check: the edits a payer would apply, run before the claim leaves the building."""
