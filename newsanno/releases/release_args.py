"""The arguments of a release, checked before anything is written: version, date, Hub repo id, credentials.

Each check is pure apart from reading the Hugging Face token store; each raises
:class:`ReleaseArgumentError` with a message naming the argument and what it must be.
"""

from __future__ import annotations

import datetime
import re

from newsanno.releases import history

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class ReleaseArgumentError(ValueError):
    """An argument of ``release`` that is not what it must be; the message says which and why."""


def check_version(version: str) -> history.Version:
    """(major, minor, patch) of a SemVer 2.0 version core exactly as written."""
    parsed = history.parse_version(version)
    if parsed is None:
        raise ReleaseArgumentError(
            f"VERSION {version!r} is not a SemVer 2.0 version X.Y.Z (ASCII digits, no leading zeros, nothing before or after it)"
        )
    return parsed


def check_date(date: str) -> str:
    """``date`` when it is exactly ``YYYY-MM-DD`` in ASCII digits and a day of the calendar."""
    if not _DATE.fullmatch(date):
        raise ReleaseArgumentError(f"--date {date!r} is not YYYY-MM-DD (ASCII digits, nothing before or after it)")
    try:
        datetime.date.fromisoformat(date)
    except ValueError as exc:
        raise ReleaseArgumentError(f"--date {date!r} is not a day of the calendar: {exc}") from exc
    return date


def check_repo_id(repo_id: str) -> str:
    """``repo_id`` when it is a Hub repo id, ``name`` or ``namespace/name`` by huggingface_hub's own rule."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        # validate_repo_id's \w also matches non-ASCII letters, which the Hub refuses.
        if not repo_id.isascii():
            raise HFValidationError("a repo id is ASCII letters, digits, '-', '_' and '.'")
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        raise ReleaseArgumentError(f"--push {repo_id!r} is not a Hub repo id (namespace/name): {exc}") from exc
    return repo_id


def check_credentials() -> None:
    """Refuse unless a push could authenticate and is allowed to go online."""
    from huggingface_hub import constants, get_token

    if constants.HF_HUB_OFFLINE:
        raise ReleaseArgumentError("--push needs the network, but HF_HUB_OFFLINE is set")
    try:
        token = get_token()
    except (OSError, ValueError) as exc:  # an OIDC exchange that was asked for and failed (network or a bad answer)
        raise ReleaseArgumentError(f"--push: getting a Hugging Face token failed: {exc}") from exc
    if not token:
        raise ReleaseArgumentError(
            "--push needs a Hugging Face token: HF_TOKEN is not set and no token is stored "
            f"at {constants.HF_TOKEN_PATH} (run: hf auth login, or set HF_TOKEN)"
        )


def check_arguments(version: str, date: str, push_to: str | None) -> history.Version:
    """Every argument of a release, in order; the parsed version."""
    parsed = check_version(version)
    check_date(date)
    if push_to is not None:
        check_repo_id(push_to)
        check_credentials()
    return parsed
