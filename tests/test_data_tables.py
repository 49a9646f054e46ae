"""The reference tables read from extract/data/*.toml: their shape, and that the extractors
see them (a table that parses but is wired to nothing would pass a shape test alone)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kommunegraf.extract.entities import lawbook, names, parties
from kommunegraf.extract.entities.parties import party_letter
from kommunegraf.extract.tables import sequence, table, words

DATA = Path(__file__).resolve().parent.parent / "extract" / "data"


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.toml")))
def test_every_data_file_parses(name: str) -> None:
    assert tomllib.loads((DATA / f"{name}.toml").read_text(encoding="utf-8"))


def test_the_law_table_has_unique_keys_titles_and_checked_elis() -> None:
    laws = table("laws")["law"]
    keys = [law["key"] for law in laws]
    assert len(keys) == len(set(keys)) and len(laws) == len(lawbook.LAWS)
    for law in laws:
        assert set(law) <= {"key", "title", "names", "eli", "kind"}, law
        assert law["title"] == law["title"].lower()
        if "eli" in law:
            assert set(law["eli"]) == {"year", "number"}
            assert 1849 <= law["eli"]["year"] <= 2100 and law["eli"]["number"] > 0
    for rule in table("laws")["rules"].values():
        assert rule["law"] in keys


def test_the_extractors_read_the_tables() -> None:
    entry = lawbook.lookup("LAS")
    assert entry is not None and entry.key == "aktivloven"
    assert party_letter("Enhedslisten") == "Ø" and party_letter("Løsgænger") == "L"
    assert {p.letter for p in parties.PARTIES} == {p["letter"] for p in table("parties")["party"]}
    assert "mette" in names.GIVEN_NAMES and names.is_given_name("Mette")
    assert sequence("names", "particles") == names.PARTICLES


def test_a_word_list_is_a_string_of_words_or_an_array() -> None:
    assert words("names", "countries") == frozenset(table("names")["countries"].split())
    with pytest.raises(KeyError):
        words("names", "no_such_list")
