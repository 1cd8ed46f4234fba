"""Target profiles: loading, every validation error (file and line), overrides, parse_target,
writing back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import PolycatError
from app.net.address import AddressError
from app.targets import (
    DEFAULT_QUERY_MAP,
    Capabilities,
    TargetError,
    TargetFileError,
    TargetProfile,
    Timeouts,
    load_profile,
    load_profiles,
    parse_target,
    profile_toml,
    save_profile,
)

MINIMAL = 'id = "loc"\nname = "Library of Congress"\nhost = "lx2.loc.gov"\n'


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An empty shipped folder and an empty user config folder, both under tmp_path."""
    shipped = tmp_path / "shipped"
    config = tmp_path / "config"
    shipped.mkdir()
    (config / "targets").mkdir(parents=True)
    monkeypatch.setenv("POLYCAT_TARGETS_DIR", str(shipped))
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(config))
    return shipped, config / "targets"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_profile_takes_the_defaults(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    profile = load_profile(write(shipped, "loc.toml", MINIMAL))
    assert profile == TargetProfile(id="loc", name="Library of Congress", host="lx2.loc.gov")
    assert profile.port == 210
    assert profile.databases == ("Default",)
    assert profile.syntax_oids == ("1.2.840.10003.5.10",)
    assert profile.timeouts == Timeouts(10.0, 20.0, 60.0, 60.0)
    assert profile.capabilities == Capabilities()
    assert profile.query_spec("isbn") == "u=7"
    assert profile.query_spec("year") == "u=31 s=4 r=r"
    assert profile.query_spec("any") == "u=1016 s=al,pw t=r"
    assert dict(profile.query) == DEFAULT_QUERY_MAP
    assert profile.source == "targets/loc.toml"


def test_full_profile_reads_every_setting(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    text = """\
id = "gbv"
name = "GBV"
host = "z3950.gbv.de"
port = 210
databases = ["olc", "opac-de-7"]
syntaxes = ["USMARC", "mods", "1.2.840.10003.5.109.10.1.1"]
elements = { full = "FULL", brief = "SHORT" }
charset = "ISO-8859-1"
query_charset = "utf8"
negotiate = true
database_suffix = ".iso8859-1"
auth = "idpass"
user = "me"
password_env = "POLYCAT_GBV_PASSWORD"
style = "gbv"
page_size = 50
max_records = 1000
max_sessions = 3
pause_between_requests = 1.5
isbn_form = "13"
fallback_on = [3, 114]
isbn_fallback = "any"
year_range = "hyphen"
notes = "hello"

[timeouts]
connect = 5
search = 120.5

[capabilities]
scan = true
sort = true
named_result_sets = true
piggyback = false

[query]
isbn = "u=1007"
publisher = "u=59 s=pw"
lccn = false
ppn = "u=12"
"""
    p = load_profile(write(shipped, "gbv.toml", text))
    assert p.databases == ("olc", "opac-de-7")
    assert p.database_names == ("olc.iso8859-1", "opac-de-7.iso8859-1")
    assert p.syntaxes == ("usmarc", "mods", "1.2.840.10003.5.109.10.1.1")
    assert p.syntax_oids == ("1.2.840.10003.5.10", "1.2.840.10003.5.109.10",
                             "1.2.840.10003.5.109.10.1.1")
    assert (p.element_set_full, p.element_set_brief) == ("FULL", "SHORT")
    assert (p.charset, p.query_charset, p.negotiate) == ("latin-1", "utf-8", True)
    assert (p.auth, p.user, p.password_env) == ("idpass", "me", "POLYCAT_GBV_PASSWORD")
    assert p.timeouts == Timeouts(connect=5.0, init=20.0, search=120.5, present=60.0)
    assert p.capabilities == Capabilities(True, True, True, False)
    assert (p.page_size, p.max_records, p.max_sessions) == (50, 1000, 3)
    assert p.pause_between_requests == 1.5
    assert (p.isbn_form, p.fallback_on, p.isbn_fallback) == ("13", (3, 114), "any")
    assert p.year_range == "hyphen"
    assert p.query_spec("isbn") == "u=1007"
    assert p.query_spec("publisher") == "u=59 s=pw"
    assert p.query_spec("lccn") is None and not p.can_search("lccn")
    assert p.query_spec("ppn") == "u=12"  # an extra field becomes a CCL qualifier
    assert p.query_spec("title") == DEFAULT_QUERY_MAP["title"]
    assert p.address == "z3950.gbv.de:210/olc+opac-de-7"


def test_id_defaults_to_the_file_name(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    p = load_profile(write(shipped, "My-Library.toml", 'host = "h.example"\n'))
    assert (p.id, p.name) == ("my-library", "my-library")


# (text, line, what the message says) - each a broken file
BROKEN = [
    ('id = "x"\nhost = "h"\nport = "abc"\n', 3,
     "port must be a number between 1 and 65535, not 'abc'"),
    ('id = "x"\nhost = "h"\n\nport = 70000\n', 4, "between 1 and 65535, not 70000"),
    ('id = "x"\nhost = "h"\nprot = 210\n', 3, "unknown setting 'prot' (did you mean 'port'?)"),
    ('id = "x"\nhost = "h"\nauth = "idpass"\nuser = "u"\npassword = "secret"\n', 5,
     "passwords are never kept in target files"),
    ('id = "x"\nhost = "h"\nauth = "basic"\n', 3,
     "auth must be one of 'none', 'open' or 'idpass', not 'basic'"),
    ('id = "x"\nhost = "h"\nuser = "me"\n', 3, "user is set but auth is 'none'"),
    ('id = "x"\nhost = "h"\nauth = "idpass"\npassword_env = "my pw"\n', 4,
     "password_env must be the name of an environment variable"),
    ('id = "x"\nhost = "h"\nsyntaxes = ["usmarc", "marc99"]\n', 3,
     "unknown record syntax 'marc99'"),
    ('id = "x"\nhost = "h"\ndatabases = []\n', 3, "databases must name at least one"),
    ('id = "x"\nhost = "h"\ndatabases = [1]\n', 3, "databases must be a list of texts"),
    ('id = "x"\nhost = "h"\ncharset = "koi8-r"\n', 3, "charset must be one of"),
    ('id = "x"\nhost = "h"\n[timeouts]\nconnect = 5\nsearch = -1\n', 5,
     "timeouts.search must be a number of seconds between 0.1 and 3600, not -1"),
    ('id = "x"\nhost = "h"\n[timeouts]\nserch = 5\n', 4,
     "unknown setting 'serch' in timeouts (did you mean 'search'?)"),
    ('id = "x"\nhost = "h"\npage_size = 0\n', 3, "page_size must be a number between 1"),
    ('id = "x"\nhost = "h"\npage_size = 50\nmax_records = 10\n', 4,
     "max_records (10) must not be smaller than page_size (50)"),
    ('id = "x"\nhost = "h"\nfallback_on = ["x"]\nisbn_fallback = "any"\n', 3,
     "fallback_on must be a list of Bib-1 diagnostic numbers"),
    ('id = "x"\nhost = "h"\nfallback_on = [3]\n', 3, "fallback_on needs isbn_fallback"),
    ('id = "x"\nhost = "h"\nisbn_form = "12"\n', 3, "isbn_form must be one of"),
    ('id = "x"\nhost = "h"\nstyle = "fancy"\n', 3, "style must be one of"),
    ('id = "x"\nhost = "h"\n\n[query]\ntitle = "u=4"\nauthor = "u=1003 s=xx"\n', 6,
     "query.author: 's=xx': structure modes are pw, al or ol"),
    ('id = "x"\nhost = "h"\n[query]\ntitle = 4\n', 4,
     "query.title must be Bib-1 attributes in YAZ CCL notation"),
    ('id = "x"\nhost = "h"\n[query]\n"Bad Name" = "u=4"\n', 4,
     "'Bad Name' is not a usable search field name"),
    ('id = "Library of Congress"\nhost = "h"\n', 1, "id must be a short name"),
    ('id = "x"\nhost = "h"\nnegotiate = "yes"\n', 3, "negotiate must be true or false, not 'yes'"),
    ('id = "x"\nhost = "h"\ncapabilities = 3\n', 3, "capabilities must be a table"),
    ('id = "x"\nhost = "h"\n[capabilities]\nscan = 1\n', 4, "capabilities.scan must be true"),
    ('id = "x"\nhost = "no such host"\n', 2, "host must be a host name or address"),
    ('id = "x"\nhost = "h"\nport = 210\nport = 211\n', 4, "this is not valid TOML"),
    ('id = "x"\nhost = "h"\nname = "unterminated\n', 3, "this is not valid TOML"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BROKEN)
def test_every_broken_setting_names_file_and_line(
    dirs: tuple[Path, Path], text: str, line: int, fragment: str
) -> None:
    shipped, _ = dirs
    path = write(shipped, "x.toml", text)
    with pytest.raises(TargetFileError) as caught:
        load_profile(path)
    error = caught.value
    assert isinstance(error, PolycatError)
    assert str(error).startswith(f"targets/x.toml line {line}: ")
    assert fragment in str(error)
    assert (error.path, error.line) == ("targets/x.toml", line)


def test_query_spec_error_reports_the_ccl_problem(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    path = write(shipped, "x.toml", 'host = "h"\n[query]\ntitle = "u=4 s=xx"\n')
    with pytest.raises(TargetFileError) as caught:
        load_profile(path)
    assert str(caught.value) == (
        "targets/x.toml line 3: query.title: 's=xx': structure modes are pw, al or ol"
    )


def test_missing_host_names_the_file_without_a_line(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    with pytest.raises(TargetFileError) as caught:
        load_profile(write(shipped, "x.toml", 'name = "Nowhere"\n'))
    assert str(caught.value) == "targets/x.toml: host is missing"


def test_unreadable_and_non_utf8_files_are_clear_errors(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    latin = shipped / "latin.toml"
    latin.write_bytes('host = "h"\nname = "Bibliothèque"\n'.encode("latin-1"))
    with pytest.raises(TargetFileError, match=r"targets/latin\.toml: the file is not UTF-8"):
        load_profile(latin)
    with pytest.raises(TargetFileError, match="cannot be read"):
        load_profile(shipped / "missing.toml")


def test_user_profiles_override_shipped_ones_with_the_same_id(dirs: tuple[Path, Path]) -> None:
    shipped, user = dirs
    write(shipped, "loc.toml", MINIMAL)
    write(shipped, "bnf.toml", 'host = "z3950.bnf.fr"\nport = 2211\nname = "BnF"\n')
    write(user, "my-loc.toml", 'id = "loc"\nname = "LC via proxy"\nhost = "proxy.example"\n')
    write(user, "mine.toml", 'name = "Our catalogue"\nhost = "opac.example"\n')
    profiles = load_profiles()
    assert list(profiles) == ["bnf", "loc", "mine"]  # sorted by name: BnF, LC via, Our
    assert profiles["loc"].host == "proxy.example"
    assert profiles["loc"].source.endswith("config/targets/my-loc.toml")
    assert profiles["bnf"].port == 2211


def test_duplicate_id_in_one_folder_names_both_files(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    write(shipped, "a.toml", 'id = "same"\nhost = "a"\n')
    write(shipped, "b.toml", 'host = "b"\nid = "same"\n')
    with pytest.raises(TargetFileError) as caught:
        load_profiles()
    assert str(caught.value) == (
        "targets/b.toml line 2: id 'same' is already used by targets/a.toml"
    )


def test_on_error_reports_bad_files_and_loads_the_rest(dirs: tuple[Path, Path]) -> None:
    shipped, user = dirs
    write(shipped, "loc.toml", MINIMAL)
    write(shipped, "bad.toml", 'host = "h"\nport = "abc"\n')
    write(user, "worse.toml", "this is not toml\n")
    problems: list[TargetFileError] = []
    profiles = load_profiles(on_error=problems.append)
    assert list(profiles) == ["loc"]
    assert [p.path for p in problems] == ["targets/bad.toml",
                                          str(user / "worse.toml").replace(
                                              str(Path.home()), "~", 1)]
    assert problems[0].line == 2


def test_examples_are_left_out_unless_asked_for(dirs: tuple[Path, Path]) -> None:
    shipped, _ = dirs
    write(shipped, "loc.toml", MINIMAL)
    write(shipped, "copac-style.toml", 'host = "z3950.copac.ac.uk"\nexample = true\n')
    assert list(load_profiles()) == ["loc"]
    assert sorted(load_profiles(include_examples=True)) == ["copac-style", "loc"]


def test_a_missing_user_folder_is_fine(
    dirs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped, _ = dirs
    write(shipped, "loc.toml", MINIMAL)
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(tmp_path / "nowhere"))
    assert list(load_profiles()) == ["loc"]


# --- parse_target ---------------------------------------------------------------------------

PROFILES = {"loc": TargetProfile(id="loc", name="Library of Congress", host="lx2.loc.gov",
                                 databases=("LCDB",))}


@pytest.mark.parametrize(
    ("spec", "host", "port", "databases"),
    [
        ("z3950.loc.gov:7090/Voyager", "z3950.loc.gov", 7090, ("Voyager",)),
        ("lx2.loc.gov/LCDB", "lx2.loc.gov", 210, ("LCDB",)),
        ("tcp:z3950.gbv.de:210/olc", "z3950.gbv.de", 210, ("olc",)),
        ("fsz3950.oclc.org:210/WorldCat+ERIC", "fsz3950.oclc.org", 210, ("WorldCat", "ERIC")),
        ("127.0.0.1:9999", "127.0.0.1", 9999, ("Default",)),
        ("[::1]:2100/db", "::1", 2100, ("db",)),
        ("z3950.gbv.de/olc!levels=0", "z3950.gbv.de", 210, ("olc!levels=0",)),
    ],
)
def test_parse_target_builds_ad_hoc_profiles(
    spec: str, host: str, port: int, databases: tuple[str, ...]
) -> None:
    p = parse_target(spec, PROFILES)
    assert (p.host, p.port, p.databases) == (host, port, databases)
    assert (p.auth, p.syntaxes, p.charset) == ("none", ("usmarc",), "utf-8")
    assert p.query == TargetProfile(id="x", name="x", host="x").query


def test_parse_target_finds_profiles_by_id_in_any_case() -> None:
    assert parse_target("loc", PROFILES) is PROFILES["loc"]
    assert parse_target(" LOC ", PROFILES) is PROFILES["loc"]


def test_parse_target_unknown_name_suggests_close_ones() -> None:
    with pytest.raises(TargetError) as caught:
        parse_target("lox", PROFILES)
    message = str(caught.value)
    assert "There is no catalogue called 'lox'" in message
    assert "Did you mean loc?" in message
    assert "z3950.loc.gov:7090/Voyager" in message


def test_parse_target_bad_port_is_an_address_error() -> None:
    with pytest.raises(AddressError, match="not a number"):
        parse_target("host.example:abc/db", PROFILES)


# --- writing back --------------------------------------------------------------------------


def test_save_profile_round_trips_and_writes_only_what_differs(
    dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    profile = TargetProfile(
        id="oclc", name='OCLC "WorldCat" — Cataloguing', host="zcat.oclc.org",
        databases=("OLUCWorldCat",), syntaxes=("usmarc", "sutrs"), element_set_brief="Brief",
        charset="marc-8", negotiate=True, auth="idpass", user="100-200-300",
        password_env="POLYCAT_OCLC_PASSWORD", style="oclc", max_sessions=1,
        pause_between_requests=0.5, timeouts=Timeouts(init=30.0, search=90.0),
        capabilities=Capabilities(scan=True),
        query=tuple({**DEFAULT_QUERY_MAP, "oclc": "u=12", "lccn": None}.items()),
        fallback_on=(3, 114), isbn_fallback="any", notes="line one\nline \\two",
    )
    path = tmp_path / "out" / "oclc.toml"
    save_profile(profile, path)
    again = load_profile(path)
    assert again == profile
    text = path.read_text(encoding="utf-8")
    assert "password =" not in text
    assert "[query]\nlccn = false\noclc = \"u=12\"\n" in text
    assert "title =" not in text  # defaults are not repeated
    assert "[timeouts]\ninit = 30.0\nsearch = 90.0\n" in text
    assert "[capabilities]\nscan = true\n" in text
    assert not list(path.parent.glob(".oclc.toml.*"))  # no temporary file left behind


def test_save_profile_refuses_what_could_not_be_read_back(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("keep me\n", encoding="utf-8")
    bad = TargetProfile(id="bad", name="Bad", host="h", port=0)
    with pytest.raises(TargetFileError, match="port must be a number"):
        save_profile(bad, path)
    assert path.read_text(encoding="utf-8") == "keep me\n"
    sneaky = TargetProfile(id="s", name="S", host="h", user="me")  # auth none but a user
    with pytest.raises(TargetFileError, match="would never be sent"):
        save_profile(sneaky, tmp_path / "s.toml")
    assert not (tmp_path / "s.toml").exists()


def test_profile_toml_of_an_ad_hoc_target_is_minimal() -> None:
    p = parse_target("z3950.loc.gov:7090/Voyager", {})
    assert profile_toml(p).splitlines()[2:] == [
        'id = "z3950.loc.gov:7090/Voyager"',
        'name = "z3950.loc.gov:7090/Voyager"',
        'host = "z3950.loc.gov"',
        "port = 7090",
        'databases = ["Voyager"]',
        'syntaxes = ["usmarc"]',
    ]
