"""Importing target lists from ABCD, Koha (CSV and SQL) and pazpar2: all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.targets import (
    TargetImportError,
    TargetProfile,
    import_targets,
    load_profile,
    password_for,
    profile_toml,
    read_target_list,
    save_imported,
)
from tests.targets.conftest import MemoryKeyring


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_id(profiles: tuple[TargetProfile, ...] | list[TargetProfile]) -> dict[str, TargetProfile]:
    return {p.id: p for p in profiles}


# --- ABCD z3950.def --------------------------------------------------------------------------

ABCD = """\
# servers for copy cataloguing
Library of Congress|z3950.loc.gov|7090|voyager|||USMARC
Biblioteca Nacional de España|sigb.bne.es|2200|Unicorn|||MARC21

OCLC WorldCat|zcat.oclc.org|210|OLUCWorldCat|100200300|s3cret|USMARC
BnF|z3950.bnf.fr|2211|TOUT-UTF8|||UNIMARC
Library of Congress|lx2.loc.gov|210|LCDB|1
Old LC|z3950.loc.gov|7090|Voyager|0
"""


def test_abcd_both_line_shapes(tmp_path: Path) -> None:
    result = read_target_list(write(tmp_path, "z3950.def", ABCD))
    assert result.kind == "ABCD z3950.def"
    p = by_id(result.profiles)
    assert list(p) == ["library-of-congress", "biblioteca-nacional-de-espana", "oclc-worldcat",
                       "bnf", "library-of-congress-2", "old-lc"]
    loc = p["library-of-congress"]
    assert (loc.name, loc.address, loc.syntaxes, loc.auth) == (
        "Library of Congress", "z3950.loc.gov:7090/voyager", ("usmarc",), "none")
    assert p["biblioteca-nacional-de-espana"].syntaxes == ("marc21",)
    assert p["bnf"].syntaxes == ("unimarc",)
    oclc = p["oclc-worldcat"]
    assert (oclc.auth, oclc.user) == ("idpass", "100200300")
    assert result.passwords == {"oclc-worldcat": "s3cret"}
    assert "s3cret" not in profile_toml(oclc)
    assert p["library-of-congress-2"].charset == "utf-8"
    assert p["old-lc"].charset == "marc-8"
    assert result.skipped == ()


@pytest.mark.parametrize(
    ("bad_line", "fragment"),
    [
        ("Broken|z3950.loc.gov|7090", "this line has 3 fields"),
        ("Port|z3950.loc.gov|seventy|voyager|||USMARC", "port must be a number between 1 and "
                                                        "65535, not 'seventy'"),
        ("Syntax|z3950.loc.gov|7090|voyager|||MARC99", "record syntax 'MARC99'"),
        ("NoHost||7090|voyager|||USMARC", "'NoHost' has no host"),
        ("NoDb|z3950.loc.gov|7090||||USMARC", "'NoDb' names no database"),
        ("Flag|z3950.loc.gov|7090|voyager|maybe", "fifth field says whether records are UTF-8"),
        ("Pw|z3950.loc.gov|7090|voyager||secret|USMARC", "a password is given without a user"),
    ],
)
def test_abcd_bad_line_is_named_and_nothing_is_imported(
    tmp_path: Path, bad_line: str, fragment: str
) -> None:
    text = ABCD.replace("BnF|z3950.bnf.fr|2211|TOUT-UTF8|||UNIMARC", bad_line)
    path = write(tmp_path, "z3950.def", text)
    with pytest.raises(TargetImportError) as caught:
        import_targets(path)
    error = caught.value
    assert error.line == 6
    assert str(error).startswith(f"{path} line 6: ")
    assert fragment in str(error)


# --- Koha CSV --------------------------------------------------------------------------------

KOHA_CSV = '''\
id,host,port,db,userid,password,servername,checked,rank,syntax,timeout,servertype,encoding,recordtype
1,lx2.loc.gov,210,LCDB,,,LIBRARY OF CONGRESS,1,1,USMARC,0,zed,utf8,biblio
2,lx2.loc.gov,210,NAF,,,LOC AUTHORITIES,0,0,USMARC,0,zed,utf8,authority
3,z3950.bibsys.no,2100,BIBSYS,,,BIBSYS,1,1,NORMARC,30,zed,ISO_8859-1,biblio
4,sru.example.org,80,sru,,,"Example SRU, ""test""",0,0,MARC21,0,sru,utf8,biblio
5,zcat.oclc.org,210,OLUCWorldCat,100200300,"pa,ss""word",OCLC,0,0,USMARC,60,zed,MARC-8,biblio
'''


def test_koha_csv_with_header_row(tmp_path: Path) -> None:
    result = read_target_list(write(tmp_path, "z3950servers.csv", KOHA_CSV))
    assert result.kind == "Koha CSV"
    p = by_id(result.profiles)
    assert list(p) == ["library-of-congress", "bibsys", "oclc"]
    assert p["library-of-congress"].address == "lx2.loc.gov:210/LCDB"
    bibsys = p["bibsys"]
    assert bibsys.syntaxes == ("1.2.840.10003.5.12",)  # NORMARC kept, as its OID
    assert bibsys.charset == "latin-1"
    assert (bibsys.timeouts.search, bibsys.timeouts.present) == (30.0, 30.0)
    oclc = p["oclc"]
    assert (oclc.auth, oclc.user, oclc.charset) == ("idpass", "100200300", "marc-8")
    assert result.passwords == {"oclc": 'pa,ss"word'}
    assert result.skipped == (
        "line 3: 'LOC AUTHORITIES' serves authority records, not bibliographic ones",
        "line 5: 'Example SRU, \"test\"' is an SRU server; Polycat speaks Z39.50 only",
    )


def test_koha_csv_semicolons_and_old_name_column(tmp_path: Path) -> None:
    text = "host;port;db;userid;password;name;syntax\nz3950.loc.gov;7090;Voyager;;;LC;USMARC\n"
    profiles = import_targets(write(tmp_path, "servers.csv", text))
    assert [(p.id, p.address) for p in profiles] == [("lc", "z3950.loc.gov:7090/Voyager")]


def test_koha_csv_bad_row_names_its_line(tmp_path: Path) -> None:
    text = KOHA_CSV.replace("NORMARC,30,zed,ISO_8859-1", "NORMARC,30,zed,EBCDIC")
    with pytest.raises(TargetImportError) as caught:
        import_targets(write(tmp_path, "z.csv", text))
    assert caught.value.line == 4
    assert "charset must be one of" in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    short = KOHA_CSV + "6,host.example,210\n"
    with pytest.raises(TargetImportError, match="line 7: this row has 3 values"):
        import_targets(write(tmp_path, "short.csv", short))


# --- Koha SQL --------------------------------------------------------------------------------

KOHA_SQL = r"""-- MySQL dump 10.13  Distrib 8.0.36
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `z3950servers`;
CREATE TABLE `z3950servers` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `host` varchar(255) DEFAULT NULL,
  `port` int(11) DEFAULT NULL,
  `db` varchar(255) DEFAULT NULL,
  `userid` varchar(255) DEFAULT NULL,
  `password` varchar(255) DEFAULT NULL,
  `servername` longtext NOT NULL,
  `checked` smallint(6) DEFAULT NULL,
  `rank` int(11) DEFAULT NULL,
  `syntax` varchar(80) DEFAULT NULL,
  `timeout` int(11) NOT NULL DEFAULT 0,
  `servertype` enum('zed','sru') NOT NULL DEFAULT 'zed',
  `encoding` text DEFAULT NULL,
  `recordtype` enum('authority','biblio') NOT NULL DEFAULT 'biblio',
  `sru_options` varchar(255) DEFAULT NULL,
  `sru_fields` longtext DEFAULT NULL,
  `add_xslt` longtext DEFAULT NULL,
  `attributes` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
LOCK TABLES `z3950servers` WRITE;
INSERT INTO `z3950servers` VALUES (1,'lx2.loc.gov',210,'LCDB','','','LIBRARY OF CONGRESS',1,1,
'USMARC',0,'zed','utf8','biblio',NULL,NULL,NULL,NULL),
(2,'z3950.bnf.fr',2211,'TOUT-UTF8','Z3950','pass\'word','BnF l\'officielle; \"test\"',0,0,
'UNIMARC',0,'zed','utf8','biblio',NULL,NULL,NULL,NULL);
UNLOCK TABLES;
INSERT INTO other_table VALUES (1, 'not a target');
INSERT INTO z3950servers (host, port, db, servername, syntax, encoding)
  VALUES ('sigb.bne.es', 2200, 'Unicorn', 'BNE', 'MARC21', 'utf8');
"""


def test_koha_sql_dump_with_create_table_and_column_lists(tmp_path: Path) -> None:
    result = read_target_list(write(tmp_path, "koha.sql", KOHA_SQL))
    assert result.kind == "Koha SQL"
    p = by_id(result.profiles)
    assert list(p) == ["library-of-congress", "bnf-l-officielle-test", "bne"]
    bnf = p["bnf-l-officielle-test"]
    assert bnf.name == "BnF l'officielle; \"test\""
    assert (bnf.address, bnf.syntaxes, bnf.auth, bnf.user) == (
        "z3950.bnf.fr:2211/TOUT-UTF8", ("unimarc",), "idpass", "Z3950")
    assert result.passwords == {"bnf-l-officielle-test": "pass'word"}
    assert p["bne"].address == "sigb.bne.es:2200/Unicorn"


def test_koha_sql_without_columns_uses_known_layouts(tmp_path: Path) -> None:
    modern = ("INSERT INTO z3950servers VALUES (1,'lx2.loc.gov',210,'LCDB','','','LOC',1,1,"
              "'USMARC',0,'zed','utf8','biblio',NULL,NULL,NULL,NULL);\n")
    old = ("INSERT INTO z3950servers VALUES ('z3950.loc.gov',7090,'Voyager','','','LC',1,1,1,"
           "'USMARC','','primary','zed','MARC-8','Library of Congress');\n")
    profiles = import_targets(write(tmp_path, "a.sql", modern + old))
    assert [(p.id, p.address, p.charset) for p in profiles] == [
        ("loc", "lx2.loc.gov:210/LCDB", "utf-8"), ("lc", "z3950.loc.gov:7090/Voyager", "marc-8")]
    odd = "INSERT INTO z3950servers VALUES (1,'h',210);\n"
    with pytest.raises(TargetImportError, match="line 1: the INSERT names no columns"):
        import_targets(write(tmp_path, "b.sql", odd))


@pytest.mark.parametrize(
    ("sql", "line", "fragment"),
    [
        ("INSERT INTO z3950servers (host, port, db, servername)\nVALUES\n"
         "('a.example', 210, 'db', 'A'),\n('b.example', 'x', 'db', 'B');\n",
         4, "port must be a number"),
        ("INSERT INTO z3950servers (host, port, db, servername) VALUES\n"
         "('a.example', 210, 'db', 'A'),\n('b.example', 210, 'db);\n", 3,
         "a quoted text is never closed"),
        ("INSERT INTO z3950servers (host, port) VALUES\n('a.example', 210, 'x');\n", 2,
         "this row has 3 values for 2 columns"),
        ("INSERT INTO z3950servers (host, port, servername) VALUES ('a.example' 210, 'A');\n",
         1, "',' or ')' expected between values"),
    ],
)
def test_koha_sql_errors_name_the_line(tmp_path: Path, sql: str, line: int, fragment: str) -> None:
    with pytest.raises(TargetImportError) as caught:
        import_targets(write(tmp_path, "bad.sql", sql))
    assert caught.value.line == line
    assert fragment in str(caught.value)


# --- pazpar2 -------------------------------------------------------------------------------

PAZPAR2 = """\
<?xml version="1.0" encoding="UTF-8"?>
<settings>
  <!-- defaults for every target -->
  <set target="*" name="pz:elements" value="F"/>
  <set target="*" name="pz:cclmap:term" value="u=1016 t=l,r s=al"/>
  <settings target="z3950.loc.gov:7090/Voyager">
    <set name="pz:name" value="Library of Congress"/>
    <set name="pz:requestsyntax" value="marc21"/>
    <set name="pz:nativesyntax" value="iso2709;marc-8"/>
    <set name="pz:queryencoding" value="iso-8859-1"/>
    <set name="pz:cclmap:ti" value="u=4 s=al"/>
    <set name="pz:cclmap:au" value="u=1004 s=al"/>
    <set name="pz:cclmap:isbn" value="u=7"/>
    <set name="pz:cclmap:date" value="u=30 r=r"/>
    <set name="pz:cclmap:ppn" value="u=12"/>
  </settings>
  <set target="z3950.bnf.fr:2211/TOUT-UTF8" name="pz:name" value="BnF"/>
  <set target="z3950.bnf.fr:2211/TOUT-UTF8" name="pz:requestsyntax" value="unimarc"/>
  <set target="z3950.bnf.fr:2211/TOUT-UTF8" name="pz:authentication" value="Z3950/secret"/>
  <set target="z3950.bnf.fr:2211/TOUT-UTF8" name="pz:piggyback" value="0"/>
  <settings target="sru.example.org:80/sru">
    <set name="pz:sru" value="get"/>
  </settings>
</settings>
"""


def test_pazpar2_settings_both_forms(tmp_path: Path) -> None:
    result = read_target_list(write(tmp_path, "settings.xml", PAZPAR2))
    assert result.kind == "pazpar2 settings"
    p = by_id(result.profiles)
    assert list(p) == ["library-of-congress", "bnf"]
    loc = p["library-of-congress"]
    assert loc.address == "z3950.loc.gov:7090/Voyager"
    assert (loc.syntaxes, loc.charset, loc.query_charset) == (("marc21",), "marc-8", "latin-1")
    assert loc.element_set_full == "F"
    assert loc.query_spec("any") == "u=1016 t=l,r s=al"
    assert loc.query_spec("title") == "u=4 s=al"
    assert loc.query_spec("author") == "u=1004 s=al"
    assert loc.query_spec("year") == "u=30 r=r"
    assert loc.query_spec("ppn") == "u=12"
    assert loc.query_spec("subject") == "u=21 s=al,pw t=r"  # not in the file: the default
    bnf = p["bnf"]
    assert (bnf.auth, bnf.user, bnf.capabilities.piggyback) == ("open", "Z3950", False)
    assert result.passwords == {"bnf": "secret"}
    assert result.skipped == (
        "line 21: 'sru.example.org:80/sru' is an SRU server; Polycat speaks Z39.50 only",)


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (('value="u=4 s=al"', 'value="u=4 s=zz"'), 11, "pz:cclmap:ti"),
        (('value="marc21"', 'value="marc99"'), 8, "record syntax 'marc99'"),
        (('value="iso-8859-1"', 'value="ebcdic"'), 10, "query_charset must be one of"),
        (('<settings target="z3950.loc.gov:7090/Voyager">',
          '<settings target="z3950.loc.gov:port/Voyager">'), 6, "not a number"),
        (('value="u=7"/>', 'value="u=7">'), 16, "not well-formed XML: mismatched tag"),
    ],
)
def test_pazpar2_errors_name_the_line(
    tmp_path: Path, change: tuple[str, str], line: int, fragment: str
) -> None:
    text = PAZPAR2.replace(*change)
    assert text != PAZPAR2
    with pytest.raises(TargetImportError) as caught:
        import_targets(write(tmp_path, "settings.xml", text))
    assert caught.value.line == line
    assert fragment in str(caught.value)


def test_pazpar2_set_without_target_is_refused(tmp_path: Path) -> None:
    text = '<settings>\n  <set name="pz:name" value="x"/>\n</settings>\n'
    with pytest.raises(TargetImportError, match="line 2: setting 'pz:name' names no target"):
        import_targets(write(tmp_path, "s.xml", text))


def test_pazpar2_refuses_entities(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY big "x">]>\n'
            '<settings target="h:210/d"><set name="pz:name" value="&big;"/></settings>\n')
    with pytest.raises(TargetImportError, match="line 2: the file declares XML entities"):
        import_targets(write(tmp_path, "s.xml", text))


# --- sniffing ------------------------------------------------------------------------------


def test_unknown_kind_and_empty_lists_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TargetImportError, match="cannot tell what kind of target list"):
        import_targets(write(tmp_path, "notes.txt", "just some notes\n"))
    with pytest.raises(TargetImportError, match="this pazpar2 settings file lists no targets"):
        import_targets(write(tmp_path, "empty.xml", "<settings/>\n"))
    with pytest.raises(TargetImportError, match="cannot tell what kind"):
        import_targets(write(tmp_path, "comments.def", "# nothing yet\n"))
    with pytest.raises(TargetImportError, match="cannot be read"):
        import_targets(tmp_path / "missing.def")


def test_windows_encoded_abcd_file_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "z3950.def"
    path.write_bytes("Biblioteca Nacional de España|sigb.bne.es|2200|Unicorn|||MARC21\r\n"
                     .encode("cp1252"))
    (profile,) = import_targets(path)
    assert profile.name == "Biblioteca Nacional de España"


# --- saving an import ----------------------------------------------------------------------


def test_save_imported_writes_profiles_and_keeps_passwords_in_the_keyring(
    tmp_path: Path, memory: MemoryKeyring
) -> None:
    folder = tmp_path / "targets"
    folder.mkdir()
    (folder / "oclc-worldcat.toml").write_text('host = "mine.example"\n', encoding="utf-8")
    imported = read_target_list(write(tmp_path, "z3950.def", ABCD))
    paths = save_imported(imported, folder)
    assert [p.name for p in paths] == [
        "library-of-congress.toml", "biblioteca-nacional-de-espana.toml",
        "oclc-worldcat-2.toml", "bnf.toml", "library-of-congress-2.toml", "old-lc.toml"]
    assert (folder / "oclc-worldcat.toml").read_text(encoding="utf-8") == (
        'host = "mine.example"\n')  # an existing file is never overwritten
    saved = load_profile(folder / "oclc-worldcat-2.toml")
    assert (saved.id, saved.user, saved.auth) == ("oclc-worldcat-2", "100200300", "idpass")
    assert "s3cret" not in (folder / "oclc-worldcat-2.toml").read_text(encoding="utf-8")
    assert memory.secrets == {("polycat", "oclc-worldcat-2:100200300"): "s3cret"}
    assert password_for(saved) == "s3cret"
