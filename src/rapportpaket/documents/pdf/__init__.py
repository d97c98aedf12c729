"""The PDF analysis: template context → HTML (Jinja2) → tagged PDF (WeasyPrint)."""
