"""Pure extraction: text in, claims out. No web or database imports."""
