"""Damaged, oversized and hostile ISO 2709: an error or warnings, the bytes kept, no exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.records import read_bytes, read_record
from app.records.marc import split_iso2709
from tests.records.helpers import USMARC, df, iso, raw_record, subfields, yaz_marcdump

LEADER = "00000nam a2200000 a 4500"


def fields(count: int, size: int, last: int = 0) -> list[tuple[str, bytes]]:
    """245 first, then ``count`` 505 notes of ``size`` bytes, then a 650 with ``last`` more."""
    out = [("001", b"big-1"), ("245", subfields("10", ("a", b"A very long record")))]
    out += [
        ("505", subfields("0 ", ("a", f"Chapter {i} ".encode() + b"x" * size)))
        for i in range(count)
    ]
    out.append(("650", subfields(" 0", ("a", b"Last subject"), ("x", b"y" * last))))
    return out


def test_record_over_99999_bytes_with_wrapped_offsets_is_read_whole() -> None:
    data = raw_record(LEADER, fields(300, 400))
    assert len(data) > 120_000
    assert data[:5] == b"99999"  # the leader cannot say more
    rec = read_record(USMARC, data)
    assert rec.error is None
    assert rec.title == "A very long record"
    assert rec.subjects == ("Last subject",)
    assert len(rec.notes) == 300
    assert rec.notes[-1].startswith("Chapter 299 ")
    assert any("more than ISO 2709's 99,999" in w for w in rec.warnings)
    assert rec.original is not None and rec.original.data == data


def test_record_over_99999_bytes_whose_offsets_still_fit_reads_by_the_directory() -> None:
    data = raw_record(LEADER, fields(10, 9_500, last=8_000))  # every field starts < 100,000
    assert len(data) > 99_999
    rec = read_record(USMARC, data)
    assert (rec.title, len(rec.notes)) == ("A very long record", 10)
    assert rec.subjects == ("Last subject -- " + "y" * 8_000,)
    assert not any("fields read in order" in w for w in rec.warnings)


def test_a_file_of_oversized_records_splits_at_record_terminators() -> None:
    big = raw_record(LEADER, fields(300, 400))
    small = iso(df("245", "10", ("a", "Small one")))
    records = read_bytes(big + b"\n" + small + big)
    assert [r.title for r in records] == ["A very long record", "Small one", "A very long record"]
    assert [r.position for r in records] == [1, 2, 3]


def test_truncated_record_keeps_the_fields_it_has() -> None:
    whole = iso(df("245", "10", ("a", "Kept title")), df("650", " 0", ("a", "Lost subject")))
    cut = whole[: whole.index(b"Lost") + 2]
    rec = read_record(USMARC, cut)
    assert rec.error is None
    assert rec.title == "Kept title"
    assert any("no record terminator" in w for w in rec.warnings)
    assert rec.original is not None and rec.original.data == cut


def test_record_cut_inside_the_directory_is_an_error_with_bytes_kept() -> None:
    whole = iso(df("245", "10", ("a", "Title")))
    cut = whole[:30]
    rec = read_record(USMARC, cut, target="Broken", position=7)
    assert rec.error is not None and "cut off inside its directory" in rec.error
    assert rec.original is not None and rec.original.data == cut
    assert (rec.target, rec.position) == ("Broken", 7)


def test_shorter_than_a_leader() -> None:
    rec = read_record(USMARC, b"00012nam")
    assert rec.error == "the record is only 8 bytes long, shorter than a MARC leader (24 bytes)"


def test_empty_record() -> None:
    assert read_record(USMARC, b"").error == "the catalogue sent an empty record"


def test_corrupt_directory_entry_falls_back_to_field_terminators() -> None:
    good = iso(df("245", "10", ("a", "Title")), df("650", " 0", ("a", "Subject")))
    # overwrite the second entry's length and offset with garbage
    broken = good[:24 + 12 + 3] + b"ZZZZ?????" + good[24 + 24 :]
    rec = read_record(USMARC, broken)
    assert (rec.title, rec.subjects) == ("Title", ("Subject",))
    assert "the directory's lengths or offsets are wrong; fields read in order" in rec.warnings


def test_wrong_base_address_and_length_are_warned_and_survived() -> None:
    good = iso(df("245", "10", ("a", "Title")))
    broken = b"00999" + good[5:12] + b"00010" + good[17:]
    rec = read_record(USMARC, broken)
    assert rec.title == "Title"
    assert any("leader/12-16" in w for w in rec.warnings)
    assert any("leader/00-04" in w for w in rec.warnings)


def test_missing_field_terminator_inside_the_record() -> None:
    good = iso(df("245", "10", ("a", "Title")), df("650", " 0", ("a", "Subject")))
    first_end = good.index(b"Title") + len(b"Title")
    broken = good[:first_end] + good[first_end + 1 :]  # 245 runs into 650
    rec = read_record(USMARC, broken)
    assert rec.error is None
    assert rec.title.startswith("Title")
    assert rec.warnings


def test_not_marc_at_all_is_an_error() -> None:
    rec = read_record(USMARC, b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
    assert rec.error is not None
    assert rec.original is not None and rec.original.data.startswith(b"HTTP/1.1")


def test_yaz_reads_what_we_call_truncated_as_broken_too() -> None:
    """An independent judge: yaz-marcdump also reports our cut record as incomplete."""
    whole = iso(df("245", "10", ("a", "Kept title")), df("650", " 0", ("a", "Lost subject")))
    cut = whole[: whole.index(b"Lost")]
    out = yaz_marcdump(cut, check=False).decode("utf-8", "replace")
    assert "Premature EOF" in out
    rec = read_record(USMARC, cut)
    assert rec.title == "Kept title" and rec.warnings  # we still show what is there


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_damage_never_raises(data: st.DataObject) -> None:
    good = iso(
        df("020", "  ", ("a", "0198526636")),
        df("100", "1 ", ("a", "Müller, Hans")),
        df("245", "14", ("a", "The title :"), ("b", "sub")),
        df("773", "0 ", ("t", "Host"), ("g", "Vol. 1, no. 2 (2000), p. 3-4")),
    )
    damaged = bytearray(good)
    for _ in range(data.draw(st.integers(1, 8))):
        where = data.draw(st.integers(0, len(damaged) - 1))
        damaged[where] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(damaged)))
    sample = bytes(damaged[:cut])
    rec = read_record(USMARC, sample)
    assert rec.original is not None and rec.original.data == sample
    # damage is described in plain words, never by the catch-all for Polycat's own bugs
    assert rec.error is None or not rec.error.startswith("Polycat could not read"), rec.error


def test_split_skips_line_breaks_between_records() -> None:
    one = iso(df("245", "10", ("a", "One")))
    two = iso(df("245", "10", ("a", "Two")))
    assert list(split_iso2709(b"\r\n" + one + b"\n" + two + b"\n")) == [one, two]
