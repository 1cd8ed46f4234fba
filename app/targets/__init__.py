"""Target profiles: the catalogues Polycat knows, loaded from ``targets/*.toml``.

Only this package reads the ``targets/`` folder. A profile is a frozen ``TargetProfile``;
``load_profiles()`` gives every shipped and user profile by id, ``parse_target()`` turns an id
or a ``host:port/db`` address into one, ``save_profile()`` writes one back (never a password),
``import_targets()`` reads target lists from ABCD, Koha and pazpar2.
"""

from app.targets.files import (
    load_profile,
    load_profiles,
    parse_target,
    profile_toml,
    read_profile_text,
    save_profile,
    shipped_dir,
    user_dir,
)
from app.targets.imports import (
    ImportedTargets,
    import_targets,
    read_target_list,
    save_imported,
)
from app.targets.login import (
    LoginNeeded,
    authentication,
    forget_password,
    password_for,
    store_password,
)
from app.targets.profile import (
    DEFAULT_QUERY_MAP,
    FIELD_LABELS,
    SEARCH_FIELDS,
    Capabilities,
    TargetError,
    TargetFileError,
    TargetImportError,
    TargetProfile,
    Timeouts,
    profile_from_mapping,
    syntax_oid,
)

__all__ = [
    "DEFAULT_QUERY_MAP",
    "FIELD_LABELS",
    "SEARCH_FIELDS",
    "Capabilities",
    "ImportedTargets",
    "LoginNeeded",
    "TargetError",
    "TargetFileError",
    "TargetImportError",
    "TargetProfile",
    "Timeouts",
    "authentication",
    "forget_password",
    "import_targets",
    "load_profile",
    "load_profiles",
    "parse_target",
    "password_for",
    "profile_from_mapping",
    "profile_toml",
    "read_profile_text",
    "read_target_list",
    "save_imported",
    "save_profile",
    "shipped_dir",
    "store_password",
    "syntax_oid",
    "user_dir",
]
