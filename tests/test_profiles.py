"""Profiles and the catalogue of shapes they name (invented text, OPDIGTET)."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pytest

from kommunegraf.extract import extract_text
from kommunegraf.extract.layouts import Explanation, catalogue, choose
from kommunegraf.extract.layouts.profiles import ProfileError, bundled, load_profile, parse_profile
from kommunegraf.extract.layouts.reflow import reflow
from kommunegraf.extract.limits import MAX_CHARS, MAX_ITEMS, DocumentTooLarge


@pytest.mark.parametrize("shape", list(catalogue.HEADERS.values()), ids=lambda s: s.name)
def test_every_header_shape_matches_its_example(shape: catalogue.HeaderShape) -> None:
    m = shape.pattern.match(shape.example)
    assert m and int(m["num"]) > 0
    assert m["title"] or shape.name.endswith("-alone")  # its title is on the next line
    assert shape.example[0] in shape.first_chars or shape.example[0] > "\x7f"


@pytest.mark.parametrize("shape", list(catalogue.LINES.values()), ids=lambda s: s.name)
def test_every_line_shape_matches_its_example(shape: catalogue.LineShape) -> None:
    example = shape.example
    if shape.name == "run-together":  # a page of 1,200 characters or more as one line
        example = "Punkt 1 " + "tekst " * 250 + "Beslutning Godkendt."
    assert catalogue.line_matches(shape, example), shape.name


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("number-colon", "12: Godkendelse af dagsorden", (12, "Godkendelse af dagsorden")),
        ("number-colon", "16:00 Mødet begynder", None),
        ("number-glued", "3Orientering fra formanden", (3, "Orientering fra formanden")),
        ("number-glued", "3D-print af skilte", None),
        ("number-twice", "4.  4. Salg af grund", (4, "Salg af grund")),
        ("number-twice", "4.  5. Salg af grund", None),
        ("numbered-dot", "Indholdsfortegnelse1. Afbud", (1, "Afbud")),
        ("numbered-dot", "1. at planen godkendes", None),
        ("punkt-colon", "Punkt 10001: Budget", (10001, "Budget")),
        ("label-alone", "Sag nr. 129", (129, "")),
        ("label-alone", "Sag nr. 129 Budget", None),
        ("number-alone", "4.", (4, "")),
        ("number-alone", "4", None),
    ],
)
def test_header_shapes(name: str, line: str, expected: tuple[int, str] | None) -> None:
    m = catalogue.HEADERS[name].pattern.match(line)
    assert (None if m is None else (int(m["num"]), m["title"])) == expected


def test_archive_case_alone_and_decision_alone() -> None:
    assert catalogue.ARCHIVE_CASE_ALONE.match("SAG-2023-0042")
    assert not catalogue.ARCHIVE_CASE_ALONE.match("EMN-2025-003383 og mere")
    assert catalogue.DECISION_ALONE.match("BESLUTNINGER")
    assert not catalogue.DECISION_ALONE.match("Beslutningstema")
    assert catalogue.MEMBER_WITH_PARTY.match("Karen Ibsen, Ø")
    assert catalogue.MEMBER_WITH_PARTY.match("• Karen Ibsen (V)")
    assert not catalogue.MEMBER_WITH_PARTY.match("Godkendt, med bemærkning")


# OPDIGTET: a FirstAgenda PDF whose template prints an EMN number alone, wrapped titles and
# "Beslutninger", numbered past 9999.
FIRSTAGENDA_EMN = """OPDIGTET TESTDOKUMENT
Referat
Byrådet
Onsdag den 8. oktober 2025 kl. 16:00

Punkt 10001: Forslag til lokalplan 1201 for et boligområde
ved Skovbrynet i Fjordby (B)
EMN-2025-003383
Resume
Lokalplanen giver mulighed for 40 boliger.
Beslutninger
Godkendt.

Punkt 10002: Orientering om affaldsordningen
EMN-2025-004100
Beslutninger
Taget til efterretning.
"""


def test_firstagenda_emn_numbers_wrapped_titles_and_beslutninger() -> None:
    rec = extract_text(FIRSTAGENDA_EMN)
    assert rec.source.layout == "firstagenda-pdf"
    first, second = rec.items
    assert (first.number, first.case_number, first.kind) == (10001, "EMN-2025-003383", "decision")
    assert first.title == "Forslag til lokalplan 1201 for et boligområde ved Skovbrynet i Fjordby"
    assert [d.outcome for d in first.decisions] == ["approved"]
    assert (second.number, second.case_number) == (10002, "EMN-2025-004100")
    assert [d.outcome for d in second.decisions] == ["noted"]


def test_explanation_names_profile_cues_and_runners_up() -> None:
    explain = Explanation()
    layout, _ = choose(FIRSTAGENDA_EMN, explain=explain)
    assert layout == "firstagenda-pdf" and explain.chosen is not None
    assert explain.chosen.profile.name == "firstagenda-pdf"
    assert any(c.held for c in explain.chosen.cues)
    assert [s.profile.layout for s in explain.ranked][-1] != "firstagenda-pdf"


def test_a_user_profile_changes_the_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "OPDIGTET\nKulturudvalget\n1: Bevilling til spejderne\nSagsnr: 24/1\n"
    text += "Afgørelse\nGodkendt.\n"
    path = tmp_path / "mit.toml"
    path.write_text(
        'name = "mit-system"\nheaders = ["number-colon"]\nmin_items = 1\n'
        '[sections]\n"afgørelse" = "Beslutning"\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    layout, seg = choose(text, profile)
    assert layout == "mit-system" and [i.number for i in seg.items] == [1]
    rec = extract_text(text, profile=profile)
    assert [d.outcome for d in rec.items[0].decisions] == ["approved"]


def test_a_bad_profile_is_named_with_its_fault(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nheaders = ["no-such-shape"]\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad\.toml.*no-such-shape"):
        load_profile(path)
    with pytest.raises(ProfileError, match="unknown key"):
        parse_profile({"name": "x", "colour": "blå"}, "x.toml")


def test_bundled_profiles_load_and_generic_is_last() -> None:
    names = [p.name for p in bundled()]
    assert names[-1] == "generic"
    assert {"firstagenda-pdf", "edoc", "sbsys", "municipal-cms", "word-pdf"} <= set(names)


def test_reflow_keeps_every_offset() -> None:
    page = (
        "Referat fra mødet. 1. Vejplan for Fjordby Sagsnr.: 24/100 Sagsfremstilling Planen "
        "omfatter tre veje og en sti langs åen, som skal istandsættes i løbet af året. "
        "Beslutning i Teknikudvalget den 3. marts 2024: Godkendt. Fraværende: Ole Bak (V). "
        "2. Orientering om vintertjeneste Sagsnr.: 24/101 Beslutning i Teknikudvalget den "
        "3. marts 2024: Taget til efterretning."
    ) * 2
    out = reflow(page)
    assert len(out) == len(page) and out.replace("\n", " ") == page
    assert "\n1. Vejplan for Fjordby\nSagsnr.: 24/100\nSagsfremstilling\nPlanen" in out


def _dense(size: int, start: int = 1) -> str:
    """OPDIGTET: repeated 'Punkt N:' / case number / Beslutning / Godkendt blocks."""
    blocks, n, total = [], start, 0
    while total < size:
        block = f"Punkt {n}: Godkendelse af sag {n}\n00.01.00-A00-{n % 999 + 1}-24\nBeslutning\n"
        block += "Godkendt\n\n"
        blocks.append(block)
        total += len(block)
        n += 1
    return "Referat\nByrådet\nDato: 3. maj 2024\n\n" + "".join(blocks)


@pytest.mark.slow
def test_a_dense_five_megabyte_file_is_refused_by_name() -> None:
    text = _dense(5_000_000)
    with pytest.raises(DocumentTooLarge, match="agenda items"):
        extract_text(text)
    with pytest.raises(DocumentTooLarge, match="characters"):
        extract_text("x" * (MAX_CHARS + 1))


def test_items_numbered_past_9999_are_items_each_with_its_decision() -> None:
    rec = extract_text(_dense(3_000, start=9_990))
    numbers = [i.number for i in rec.items]
    assert numbers[:12] == list(range(9_990, 10_002))
    assert all(len(i.decisions) == 1 for i in rec.items)
    assert len(rec.items) <= MAX_ITEMS


def test_cli_explain_and_profile(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from kommunegraf.graph.cli.main import main

    doc = tmp_path / "fjordby_kultur.txt"
    doc.write_text(
        FIRSTAGENDA_EMN + "\nPunkt 10003: Indholdsfortegnelse.....\t3\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["extract", str(doc), "--explain"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "profile: firstagenda-pdf" in out and "runners-up:" in out
    assert "10001. Forslag til lokalplan" in out and "decision:" in out
    assert "table-of-contents entry" in out  # a rejected header line and why
    own = tmp_path / "eget.toml"
    own.write_text('name = "eget"\nheaders = ["punkt-colon"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(doc), "--profile", str(own)])
    assert result.exit_code == 0 and '"layout": "eget"' in result.output
    own.write_text('name = "eget"\nheaders = ["punkt"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(doc), "--profile", str(own)])
    assert result.exit_code != 0 and "unknown header shape 'punkt'" in result.output


def test_the_readme_worked_example() -> None:
    """README, Profiles: the invented 'kulturportal' minutes and the profile that reads them."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("A worked example.", 1)[1].split("```")
    text, toml = blocks[1].strip() + "\n", blocks[3].removeprefix("toml\n")
    before = extract_text(text)
    assert not before.items or not before.items[0].decisions
    profile = parse_profile(tomllib.loads(toml), "README.md")
    rec = extract_text(text, profile=profile)
    assert rec.source.layout == "kulturportal"
    [item] = rec.items
    assert (item.number, item.case_number) == (1, "25/1401")
    assert [d.outcome for d in item.decisions] == ["approved"]
    assert (rec.meeting.location, rec.meeting.committee) == ("Byrådssalen", "Kulturudvalget")


def test_reflow_and_title_patterns() -> None:
    from kommunegraf.extract.layouts import engine

    rf = importlib.import_module("kommunegraf.extract.layouts.reflow")
    from kommunegraf.extract.municipalities import (
        CAPITALISED_RUN,
        FILE_NAME_WORDS,
        TOWN_HALL_AFTER,
        TOWN_HALL_BEFORE,
    )

    assert rf.ITEM_AFTER_SENTENCE.search("er godkendt. 4. Vejplan for byen")
    assert not rf.ITEM_AFTER_SENTENCE.search("i alt 4. Vejplan")  # no sentence before it
    assert rf.LABEL_INSIDE.search("om planen Sagsnr.: 24/1")
    assert rf.AFTER_LABEL_VALUE.search("Sagsnr.: 24/1 Resume")["blank"] == " "
    assert rf.SECTION_INSIDE.search("x Sagsfremstilling Planen")["name"] == "Sagsfremstilling"
    assert rf.ABSENCE_INSIDE.search("Godkendt. Afbud: Ole")
    assert rf.MEETING_LABEL_INSIDE.search("rådhuset Start kl.: 19:00")
    assert engine.TITLE_OPEN_END.search("Budget pr.")
    assert not engine.TITLE_OPEN_END.search("Budget 2025")
    assert engine.TITLE_GOES_ON.search("for området ved havnen (B)")
    assert engine.continues_title("Aftale med", "Fjordby Idrætsforening")
    assert not engine.continues_title("Aftale med", "Sagsnr.: 24/1")
    assert [m.group(0) for m in CAPITALISED_RUN.finditer("i Hvide Sande, 6960")] == ["Hvide Sande"]
    assert TOWN_HALL_AFTER.match(" Rådhus") and TOWN_HALL_BEFORE.search("Rådhuset i ")
    assert FILE_NAME_WORDS.findall("ringkobing-skjern_2019.txt")[0] == "ringkobing-skjern"


# OPDIGTET: Acadre-like page, "Sag nr. N" alone and the title on the next line
LABEL_ALONE_PAGE = """Referat
Teknisk Udvalg
Dato: 6. maj 2024
Sag nr. 129
Vejnavne i nyt boligområde
Sagsnr.: 24/5512
Beslutning
Godkendt.
Sag nr. 130
Trafiksikkerhedsplan
Sagsnr.: 24/3001
Beslutning
Drøftet.
"""


def test_headers_whose_title_is_on_the_next_line() -> None:
    rec = extract_text(LABEL_ALONE_PAGE)
    assert [(i.number, i.title, i.case_number) for i in rec.items] == [
        (129, "Vejnavne i nyt boligområde", "24/5512"),
        (130, "Trafiksikkerhedsplan", "24/3001"),
    ]
    pdf = LABEL_ALONE_PAGE.replace("Sag nr. 129", "1.").replace("Sag nr. 130", "2.")
    assert [(i.number, i.title) for i in extract_text(pdf).items] == [
        (1, "Vejnavne i nyt boligområde"),
        (2, "Trafiksikkerhedsplan"),
    ]
