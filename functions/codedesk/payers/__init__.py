"""Payer quick-reference sheets: sourced, dated, comparable, printable on one page."""
