"""Kazakh and Russian text: folding for search, Kazakh collation, and the matcher that finds the
registry's names in an article. A library for the rest of Kense; it imports no app of Kense."""
