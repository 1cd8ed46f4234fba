"""Target lists from other library programs, read into profiles: ABCD, Koha, pazpar2.

- ABCD ``z3950.def`` lines (read in ``abcd``),
- Koha's ``z3950servers`` table as a CSV export or an SQL dump (``koha``),
- pazpar2 settings XML (``pazpar2``),

told apart by their content. Every record goes through the same checks as a TOML profile. A
file with any bad record is refused whole (``TargetImportError`` naming the file and line);
passwords come back apart from the profiles, for the keyring. SRU, OpenSearch and
authority-only servers are skipped and said so in ``skipped``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.targets.abcd import read_abcd
from app.targets.files import profile_toml, read_profile_text, shown_path, user_dir, write_text
from app.targets.koha import read_koha_csv, read_koha_sql
from app.targets.listed import ListedTarget, ListReader
from app.targets.login import store_password
from app.targets.pazpar2 import read_pazpar2
from app.targets.profile import (
    TargetImportError,
    TargetProfile,
    profile_from_mapping,
)


@dataclass(frozen=True)
class ImportedTargets:
    """What a target list gave: profiles, their passwords (by profile id) and what was left."""

    profiles: tuple[TargetProfile, ...]
    passwords: dict[str, str] = field(default_factory=dict)  # for the keyring, never a file
    skipped: tuple[str, ...] = ()  # "line 4: 'X' is an SRU server: Polycat speaks Z39.50"
    kind: str = ""  # "ABCD z3950.def", "Koha CSV", "Koha SQL", "pazpar2 settings"


def import_targets(path: Path) -> list[TargetProfile]:
    """The profiles in a target list of any known kind (see ``read_target_list``)."""
    return list(read_target_list(path).profiles)


def read_target_list(path: Path) -> ImportedTargets:
    """Read a target list, telling its kind from its content; all or nothing."""
    shown = shown_path(path)
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise TargetImportError(f"cannot be read ({problem.strerror})", path=shown) from None
    text = _decode(raw)
    kind, reader = _sniff(text, shown)
    skipped: list[str] = []
    entries = reader(text, shown, skipped)
    if not entries and not skipped:
        raise TargetImportError(f"this {kind} file lists no targets", path=shown)
    profiles, passwords = _profiles(entries, shown)
    return ImportedTargets(tuple(profiles), passwords, tuple(skipped), kind)


def save_imported(imported: ImportedTargets, folder: Path | None = None) -> list[Path]:
    """Add imported profiles to the user's targets folder, their passwords to the keyring.

    Nothing is overwritten: an id already taken in the folder gets a "-2" ... suffix. Every
    file is rendered and checked, and every password stored, before the first file is
    written; the paths written come back in the order of ``imported.profiles``.
    """
    folder = folder or user_dir()
    taken = {p.stem.lower() for p in folder.glob("*.toml")} if folder.is_dir() else set()
    plan: list[tuple[Path, str]] = []
    for profile in imported.profiles:
        final = replace(profile, id=_unique(profile.id, taken))
        path = folder / f"{final.id}.toml"
        text = profile_toml(final)
        read_profile_text(text, path=shown_path(path))
        plan.append((path, text))
        if profile.id in imported.passwords:
            store_password(final, imported.passwords[profile.id])
    for path, text in plan:
        write_text(path, text)
    return [path for path, _ in plan]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # old Windows exports (ABCD, Koha CSV)


def _sniff(text: str, shown: str) -> tuple[str, ListReader]:
    start = text.lstrip()
    first = next((ln for ln in text.splitlines()
                  if ln.strip() and not ln.lstrip().startswith(("#", "//", ";"))), "")
    if start.startswith("<"):
        return "pazpar2 settings", read_pazpar2
    if re.search(r"\binsert\s+(?:ignore\s+)?into\s+`?z3950servers`?", text, re.IGNORECASE):
        return "Koha SQL", read_koha_sql
    header = [c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)]
    if "host" in header and ("servername" in header or "name" in header):
        return "Koha CSV", read_koha_csv
    if "|" in first:
        return "ABCD z3950.def", read_abcd
    raise TargetImportError(
        "Polycat cannot tell what kind of target list this is: it reads ABCD z3950.def, "
        "Koha z3950servers (CSV with a header row, or an SQL dump) and pazpar2 settings XML",
        path=shown,
    )


def _profiles(
    entries: list[ListedTarget], shown: str
) -> tuple[list[TargetProfile], dict[str, str]]:
    profiles: list[TargetProfile] = []
    passwords: dict[str, str] = {}
    problems: list[TargetImportError] = []
    used: set[str] = set()
    for entry in entries:
        entry.data["id"] = _unique(_slug(str(entry.data.get("name") or entry.data["host"])), used)
        try:
            profile = profile_from_mapping(
                entry.data, path=shown, error=TargetImportError, line_of=entry.line_of
            )
        except TargetImportError as problem:
            problems.append(problem)
            continue
        profiles.append(profile)
        if entry.password:
            passwords[profile.id] = entry.password
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise TargetImportError(
            first.reason + more + "; nothing was imported",
            path=shown, line=first.line,
        ) from None
    return profiles, passwords


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "target"


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate
