"""Organisation identity: a municipality's own bodies and units are its own."""

from __future__ import annotations

from kommunegraf.extract.records import Item, Meeting, Municipality, Record, Source
from kommunegraf.graph.rdf.mapping import map_record


def _record(name: str, code: str, sha: str) -> Record:
    item = Item(
        number=1,
        title="Tilskud",
        organizations=["Byrådet", "Center for Kultur", "Ankestyrelsen", "Kulturudvalget"],
        span=(0, 10),
    )
    return Record(
        source=Source(path=f"{sha}.txt", sha256=sha * 64),
        municipality=Municipality(name, code),
        meeting=Meeting(committee="Kulturudvalget", date="2024-01-10", kind="referat"),
        items=[item],
    )


def test_local_bodies_are_scoped_and_agencies_shared() -> None:
    a = map_record(_record("Tønder Kommune", "550", "a")).nquads
    b = map_record(_record("Ærø Kommune", "492", "b")).nquads
    assert "id/toender/udvalg/byraadet>" in a and "id/aeroe/udvalg/byraadet>" in b
    assert "id/toender/organisation/center-for-kultur>" in a
    assert "id/organisation/ankestyrelsen>" in a and "id/organisation/ankestyrelsen>" in b
    # the committee that is mentioned is the same node as the committee that meets
    assert a.count("<https://w3id.org/kommunegraf/id/toender/udvalg/kulturudvalget>") > 2
