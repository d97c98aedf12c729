"""The slide deck: what the slides say, their notes and charts, fitted into the template."""
