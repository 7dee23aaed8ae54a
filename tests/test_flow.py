"""The editors' flow diagram shows every question, option and route, offline, with a text alternative."""

import re
import xml.etree.ElementTree as ET

from build import GOLDEN_DATE
from pipeline.flow import flow_outline, flow_svg
from wizard.paths import enumerate_paths

SVG = "{http://www.w3.org/2000/svg}"


def test_the_svg_names_every_question_and_every_reachable_route(procedures):
    for pid, procedure in procedures.items():
        svg = flow_svg(procedure, GOLDEN_DATE, "en", f"Flow of {pid}")
        root = ET.fromstring(svg)
        assert root.find(f"{SVG}title").text == f"Flow of {pid}"
        drawn = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
        drawn = re.sub(r"\s+", " ", drawn)
        for question in procedure["questions"]:
            assert question["text"]["en"].split()[0] in drawn
        leaves = {o["route"] for _, o in enumerate_paths(procedure, GOLDEN_DATE)}
        assert len(root.findall(f"{SVG}rect[@class='flow-route']")) == len(enumerate_paths(procedure, GOLDEN_DATE))
        assert leaves == {r["id"] for r in procedure["routes"]}
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_outline_lists_every_option_with_where_it_leads(procedures):
    outline = flow_outline(procedures["travel-document"], GOLDEN_DATE, "fr", "Parcours")
    assert outline.startswith(
        "- **Quelle est la situation de la personne qui a besoin du titre de voyage ?** (`status`)"
    )
    assert outline.count("- Parcours: ") == 27
    assert "    - Apatride (`stateless`)" in outline
