"""The digital tool: one self-contained HTML file per package (`verktyg.html`)."""
