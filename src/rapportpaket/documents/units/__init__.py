"""The unit analysis add-on: `enheter.pdf` and the deck's unit slides (method.md §12)."""
