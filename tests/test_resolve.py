"""resolve_record: one key per person and organisation across a document (and documents)."""

from __future__ import annotations

import pytest

from kommunegraf.extract.entities.resolve import KnownEntities, resolve_record
from kommunegraf.extract.records import Item, Person, Record, Section, Source
from kommunegraf.extract.text.slugs import key_slug as slug


def record(*items: Item) -> Record:
    return Record(source=Source(path="x.txt", sha256="0" * 64), items=list(items))


def item(number: int, people=(), organisations=(), text: str = "") -> Item:
    return Item(
        number=number,
        title=f"Punkt {number}",
        people=[Person(*p) if isinstance(p, tuple) else Person(p) for p in people],
        organizations=list(organisations),
        sections=[Section("Sagsfremstilling", text)] if text else [],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jette Leth Buhl", "jette-leth-buhl"),
        ("Center for Arbejdsmarked", "center-for-arbejdsmarked"),
        ("Center for Børn & Unge", "center-for-boern-unge"),
        ("Økonomiudvalget", "oekonomiudvalget"),
        ("Ærø Kommune", "aeroe-kommune"),
        ("VeteranCafé Næstved", "veterancafe-naestved"),
        ("  Hans von Holstein-Rathlou ", "hans-von-holstein-rathlou"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_one_person_under_two_forms_gets_one_key_and_the_party() -> None:
    rec = record(
        item(1, [("Jette Leth Buhl", "F")]),
        item(2, ["Jette Leth Buhl"]),
        item(3, [("Jette Buhl", None, "formand")]),
    )
    resolve_record(rec)
    people = [p for it in rec.items for p in it.people]
    assert {p.key for p in people} == {"jette-leth-buhl"}
    assert [p.party for p in people] == ["F", "F", "F"]
    # each item keeps the name it prints and its own title
    assert [p.name for p in people] == ["Jette Leth Buhl", "Jette Leth Buhl", "Jette Buhl"]
    assert [p.role for p in people] == [None, None, "formand"]


def test_first_name_only_joins_the_full_name_in_the_same_item() -> None:
    rec = record(item(1, [("Lis-Birgit", None, "teamleder"), "Lis-Birgit Holm"]))
    resolve_record(rec)
    assert [(p.name, p.role, p.key) for p in rec.items[0].people] == [
        ("Lis-Birgit Holm", "teamleder", "lis-birgit-holm")
    ]


def test_people_who_share_a_surname_are_never_joined() -> None:
    rec = record(
        item(1, [("Torben Hansen", "V"), "Jens Peter Hansen"]),
        item(2, [("Kim Hansen", "A"), "Hansen"]),
    )
    resolve_record(rec)
    keys = {p.name: p.key for it in rec.items for p in it.people}
    assert len(set(keys.values())) == 4
    parties = {p.name: p.party for it in rec.items for p in it.people}
    assert parties["Jens Peter Hansen"] is None and parties["Hansen"] is None


def test_a_short_form_that_fits_two_people_stays_apart() -> None:
    rec = record(item(1, ["Anne Marie Lund", "Anne Sofie Lund"]), item(2, ["Anne Lund"]))
    resolve_record(rec)
    keys = [p.key for it in rec.items for p in it.people]
    assert len(set(keys)) == 3


def test_a_typo_in_a_long_name_is_the_same_person() -> None:
    rec = record(item(1, [("Morten Hass Augustsen", "V")]), item(2, ["Morten Has Augustsen"]))
    resolve_record(rec)
    people = [p for it in rec.items for p in it.people]
    assert {p.key for p in people} == {"morten-hass-augustsen"}
    assert people[1].party == "V"


def test_two_forms_in_one_item_are_listed_once_with_the_fuller_name() -> None:
    rec = record(
        item(1, [("Morten Has Augustsen", None, "formand"), ("Morten Hass Augustsen", "V")])
    )
    resolve_record(rec)
    assert [(p.name, p.party, p.role) for p in rec.items[0].people] == [
        ("Morten Hass Augustsen", "V", "formand")
    ]


def test_similar_short_names_are_different_people() -> None:
    rec = record(item(1, ["Kim Kristensen", "Kim Christensen"]))
    resolve_record(rec)
    assert len({p.key for p in rec.items[0].people}) == 2


def test_abbreviation_tied_in_one_item_shares_the_key_in_another() -> None:
    rec = record(
        item(
            1,
            organisations=["Center for Vækst", "Ankestyrelsen"],
            text="Center for Vækst (CFV) har svaret Ankestyrelsen.",
        ),
        item(2, organisations=["CFV"], text="CFV har svaret."),
        item(3, organisations=["Center for Vækst", "CFV"], text="Center for Vækst og CFV."),
    )
    resolve_record(rec)
    assert rec.items[1].organizations == ["CFV"]  # listed as printed where alone
    assert rec.items[1].organization_keys == {"CFV": "center-for-vaekst"}
    assert rec.items[2].organizations == ["Center for Vækst"]  # listed once
    assert rec.items[0].organization_keys == {
        "Center for Vækst": "center-for-vaekst",
        "Ankestyrelsen": "ankestyrelsen",
    }


def test_letters_that_spell_a_full_form_of_the_document() -> None:
    rec = record(
        item(1, organisations=["Styrelsen for Undervisning og Kvalitet"]),
        item(2, organisations=["STUK"]),
    )
    resolve_record(rec)
    assert rec.items[1].organization_keys == {"STUK": "styrelsen-for-undervisning-og-kvalitet"}


def test_near_identical_organisation_names_are_merged() -> None:
    rec = record(
        item(1, organisations=["Holbæk Ressource Center"]),
        item(2, organisations=["Holbæk Ressourcecenter"]),
        item(3, organisations=["Integrationsafdelingen"]),
        item(4, organisations=["Integrationsafdelingens"]),
    )
    resolve_record(rec)
    keys = [k for it in rec.items for k in it.organization_keys.values()]
    assert keys[0] == keys[1] == "holbaek-ressource-center"
    assert keys[2] == keys[3]


def test_different_units_stay_apart() -> None:
    rec = record(
        item(1, organisations=["Børne- og Skoleudvalget", "Børne- og Ungeudvalget"]),
        item(2, organisations=["Team 1", "Team 2", "Jobcenter Holbæk", "Jobcenter Horsens"]),
    )
    resolve_record(rec)
    assert len(set(rec.items[0].organization_keys.values())) == 2
    assert len(set(rec.items[1].organization_keys.values())) == 4


def test_known_entities_carry_keys_across_documents() -> None:
    known = KnownEntities()
    first = record(
        item(1, [("Eva Lind Holm", "A")], ["Center for Vækst"], "Center for Vækst (CFV)."),
    )
    resolve_record(first, known)
    second = record(item(1, ["Eva Holm"], ["CFV", "Center for vækst"]))
    resolve_record(second, known)
    person = second.items[0].people[0]
    assert person.key == "eva-lind-holm"
    assert person.party is None  # a party comes only from the document itself
    assert set(second.items[0].organization_keys.values()) == {"center-for-vaekst"}


def test_resolve_is_idempotent() -> None:
    rec = record(item(1, [("Ib Holm", "C")], ["Center for Vækst"]), item(2, ["Ib Holm"]))
    resolve_record(rec)
    before = rec.to_json()
    resolve_record(rec)
    assert rec.to_json() == before
