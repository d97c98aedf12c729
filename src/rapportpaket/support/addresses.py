"""E-mail addresses as order forms and edition.toml give them, checked by email-validator.

An address is one plain `local@domain` (no display name, no line break, at most 254
characters); the domain may be internationalised (`växjö.se`), the part before the @ must
be ASCII, since mails are sent without SMTPUTF8. Deliverability (DNS) is not checked:
the order form's addresses are checked by the server that receives them.
"""

from __future__ import annotations

from functools import lru_cache


class _Checked:
    """The outcome of checking one address: its normal form, or why it is not one."""

    def __init__(self, normalized: str | None, ascii_form: str | None, problem: str | None):
        self.normalized, self.ascii_form, self.problem = normalized, ascii_form, problem


@lru_cache(maxsize=4096)
def _check(text: str) -> _Checked:
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(
            text, check_deliverability=False, allow_smtputf8=False, allow_display_name=False
        )
    except EmailNotValidError as error:
        return _Checked(None, None, _plain(str(error)))
    return _Checked(valid.normalized, valid.ascii_email or valid.normalized, None)


def _plain(message: str) -> str:
    """Return email-validator's sentence in the house's style: lower case, no full stop."""
    text = message.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def address_problem(text: str) -> str | None:
    """Return why `text` is not one plain e-mail address, or None when it is one."""
    return _check(text).problem


def normal_address(text: str) -> str:
    """Return an address in its normal form (domain in lower case); it must be valid."""
    checked = _check(text)
    if checked.normalized is None:
        raise ValueError(f"{text!r}: {checked.problem}")
    return checked.normalized


def ascii_address(text: str) -> str:
    """Return the form of a valid address that goes into headers and the SMTP envelope.

    An internationalised domain is written in its ASCII (IDNA) form, which every server takes.
    """
    checked = _check(text)
    if checked.ascii_form is None:
        raise ValueError(f"{text!r}: {checked.problem}")
    return checked.ascii_form
