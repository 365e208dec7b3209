"""Renderers: take report/result objects (never rows) and turn them into terminal
text, JSON, Markdown, HTML or CSV. rich is imported here only, and lazily."""
