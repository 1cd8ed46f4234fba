"""Passwords for catalogues that need a login: from an environment variable or the keyring.

A password is never written to a target file. ``password_for`` looks first at the environment
variable the profile names (``password_env``, for scripts and CI), then at the system keyring
(service ``polycat``, user ``<profile id>:<user>``). Nothing is ever sent to a target whose
profile says ``auth = "none"``.
"""

from __future__ import annotations

import os

from app.targets.profile import TargetError, TargetProfile
from app.z3950.events import Authentication, IdPass, Open

KEYRING_SERVICE = "polycat"


class LoginNeeded(TargetError):
    """The catalogue wants a login we do not have yet: ask the user, then try again."""

    def __init__(self, message: str, *, profile_id: str) -> None:
        super().__init__(message)
        self.profile_id = profile_id


def _keyring_user(profile: TargetProfile) -> str:
    return f"{profile.id}:{profile.user}"


def password_for(profile: TargetProfile) -> str | None:
    """The profile's password, or None when neither the environment nor the keyring has it."""
    if profile.auth == "none":
        return None
    if profile.password_env and os.environ.get(profile.password_env):
        return os.environ[profile.password_env]
    import keyring  # loaded only when a login is needed: its backends are slow to find
    from keyring.errors import KeyringError

    try:
        found = keyring.get_password(KEYRING_SERVICE, _keyring_user(profile))
    except KeyringError:
        return None  # no usable keyring here: the caller asks the user instead
    return found if isinstance(found, str) else None


def store_password(profile: TargetProfile, password: str) -> None:
    """Keep ``password`` for this profile in the system keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(profile), password)
    except KeyringError as problem:
        raise TargetError(
            f"The password for {profile.name} could not be kept in the system keyring.",
            detail=str(problem),
        ) from problem


def forget_password(profile: TargetProfile) -> None:
    """Remove this profile's password from the keyring (nothing happens if there is none)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, _keyring_user(profile))
    except PasswordDeleteError:
        pass
    except KeyringError as problem:
        raise TargetError(
            f"The password for {profile.name} could not be removed from the system keyring.",
            detail=str(problem),
        ) from problem


def authentication(
    profile: TargetProfile, *, password: str | None = None
) -> Authentication | None:
    """What the Init request carries: None for ``auth = "none"``, else Open or IdPass.

    ``password`` (typed by the user just now) wins over the environment and the keyring.
    Raises ``LoginNeeded`` when the profile needs a user name or a password we lack.
    """
    if profile.auth == "none":
        return None
    if not profile.user:
        raise LoginNeeded(
            f"{profile.name} needs a login: enter your user name (for OCLC, your "
            "authorization number) in the catalogue's settings.",
            profile_id=profile.id,
        )
    secret = password if password is not None else password_for(profile)
    if profile.auth == "open":
        return Open(f"{profile.user}/{secret}" if secret else profile.user)
    if not secret:
        where = f" or in the environment variable {profile.password_env}" if (
            profile.password_env) else ""
        raise LoginNeeded(
            f"{profile.name} needs the password for {profile.user}: Polycat keeps it in the "
            f"system keyring{where}.",
            profile_id=profile.id,
        )
    return IdPass(user=profile.user, password=secret)
