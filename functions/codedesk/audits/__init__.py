"""The compliance audit scorecard: billed codes against the codes the documentation supports."""
