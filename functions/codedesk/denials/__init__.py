"""Denial explainer: group codes, CARC/RARC cards, code combinations, search and 835 decoding."""
