"""The Single Digital Gateway items (pipeline/sdg.py): every procedure gives each one, or says it does
not apply or is not known; `check` warns about a missing one and `check --strict` fails; every
procedure page shows them in one fixed order, with its last-reviewed date and its legal basis where
known. (The broken-file corpus, tests/broken/sdg-*, holds the exact messages.)"""

import copy
import html
import re

import pytest
from test_broken_files import check, content_tree, expected, reported

from build import GOLDEN_DATE
from pipeline import sdg
from pipeline.export import post_export
from pipeline.render import render_post
from site_helpers import shared_site

LANGUAGES = ["nl", "fr", "de", "en"]
# The order of the "Good to know" list on every procedure page (the ids of its <dt> elements).
ORDER = ["authority", *(item.key.replace("_", "-") for item in sdg.ITEMS), "not-published", "reviewed"]
TERMS = re.compile(r'<dt id="good-to-know-([a-z-]+)">(.*?)</dt>\s*<dd>(.*?)</dd>', re.DOTALL)


def good_to_know(page):
    """[(item id, heading, text of its description)] of a built procedure page, in page order."""
    body = page.read_text(encoding="utf-8")
    block = body[body.index('<dl class="good-to-know">') : body.index("</dl>", body.index('class="good-to-know"'))]
    return [
        (key, html.unescape(term), html.unescape(re.sub(r"<[^>]+>", " ", text)))
        for key, term, text in TERMS.findall(block)
    ]


def test_the_shipped_procedures_give_every_item_so_strict_check_passes(content, tmp_path):
    for procedure in content.procedures.values():
        block = procedure.get("sdg", {})
        for item in sdg.ITEMS:
            assert sdg.own_list(procedure, item) or sdg.way_given(block.get(item.key)), (procedure["id"], item.key)
    result = check(content_tree(tmp_path, code=True), "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "(0 warnings)" in result.stdout.splitlines()[-1]


def test_a_missing_item_is_a_warning_at_the_sdg_block_that_only_strict_check_turns_into_a_failure(tmp_path):
    tree = content_tree(tmp_path, "sdg-item-missing", code=True)
    warning = expected("sdg-item-missing")
    assert warning == [
        "procedures/lost-passport.yaml:94:1: warning: the procedure does not say the avenues of redress or appeal "
        "(EU 2018/1724, Art. 10(1)(e)) — add 'redress:' under 'sdg:': a text ('value:') with its 'source: <id>' "
        "or 'example: true'; or 'fact: <a post fact>', 'not_applicable: true' or 'unknown: true'"
    ]
    lenient = check(tree)
    assert lenient.returncode == 0 and lenient.stderr.splitlines() == warning
    strict = check(tree, "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == warning + ["1 warning(s); --strict makes them errors."]


def test_a_procedure_without_an_sdg_block_is_warned_about_each_item_at_its_id(tmp_path):
    tree = content_tree(tmp_path)
    path = tree / "procedures" / "lost-passport.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n# What the EU's Single Digital Gateway")] + "\n", encoding="utf-8")
    warnings = reported(tree, GOLDEN_DATE)
    assert len(warnings) == len(sdg.ITEMS) - 1  # its documents are its own list
    assert all(
        w.startswith("procedures/lost-passport.yaml:3:1: warning: the procedure does not say ") for w in warnings
    )
    assert any("what it costs (EU 2018/1724, Art. 10(1)(f)) — list them under 'fees:', or add" in w for w in warnings)


@pytest.mark.parametrize(
    "item, message",
    [
        (
            "  redress: {unknown: true, value: {nl: a, fr: a, de: a, en: a}}",
            "the item 'redress' is marked unknown but also has a value — write either 'unknown: …' alone, "
            "or a value with its source",
        ),
        (
            "  redress: {not_applicable: true, unknown: true}",
            "the item 'redress' needs exactly one of source, example, fact, not_applicable or unknown, not "
            "not_applicable and unknown — give it as a text ('value:') with its 'source: <id>' or 'example: true'; "
            "or 'fact: <a post fact>', 'not_applicable: true' or 'unknown: true'",
        ),
        ("  redress: {source: seed-004}", "the item 'redress' has a source but no value"),
        (
            "  redress: {value: {nl: a, fr: a, de: a, en: a}, source: seed-04}",
            "unknown source 'seed-04' — did you mean 'seed-004'?",
        ),
        ("  documents: {unknown: true}\n  redress: {unknown: true}", "the procedure lists its documents under"),
    ],
)
def test_an_item_says_where_it_comes_from_in_exactly_one_way(tmp_path, item, message):
    tree = content_tree(tmp_path)
    path = tree / "procedures" / "lost-passport.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  redress: {unknown: true}", item, 1), encoding="utf-8")
    problems = reported(tree, GOLDEN_DATE)
    assert len(problems) == 1 and problems[0].startswith("procedures/lost-passport.yaml:"), problems
    assert message in problems[0]


def test_every_procedure_page_shows_the_items_in_one_order_with_its_review_date_and_legal_basis(content):
    site, report = shared_site()
    for post_id, lang in report.builds:
        post = content.posts[post_id]
        words = content.words(lang)
        for pid in post["procedures"]:
            procedure = content.procedures[pid]
            rows = good_to_know(site / post_id / lang / f"{pid}.html")
            keys = [key for key, _, _ in rows]
            assert keys == [key for key in ORDER if key in keys], (post_id, lang, pid, keys)
            assert keys[0] == "authority" and keys[-1] == "reviewed"
            assert words.text(post["name"]) in rows[0][2]
            # Every item is on the page: its own list, its own row, or the list of what is not published.
            shown = dict((key, (term, text)) for key, term, text in rows)
            missing = shown.get("not-published", ("", ""))[1]
            for item in sdg.ITEMS:
                if sdg.own_list(procedure, item):
                    assert item.key.replace("_", "-") not in shown
                    continue
                label = words[item.label]
                assert (shown.get(item.key.replace("_", "-"), ("",))[0] == label) != (label in missing), (pid, item)
            # The last review: the oldest date an editor checked a source the page cites.
            cited = {s["id"] for s in procedure["sources"]} | set(post.get("sources", []))
            oldest = min(content.sources[sid]["checked"] for sid in cited)
            assert shown["reviewed"][1].strip() == words.date(oldest)


def test_the_legal_basis_is_each_posts_consular_code_on_its_passport_page(content):
    site, _ = shared_site()
    for post_id, lang in (("oslo", "en"), ("oslo", "nl"), ("astana", "fr")):
        expected_text = content.posts[post_id]["facts"]["consular_code"]["value"][lang]
        assert ("2015" in expected_text) == (post_id == "oslo")  # each post its own code's date
        rows = dict((key, text) for key, _, text in good_to_know(site / post_id / lang / "passport.html"))
        assert rows["legal-basis"].strip() == expected_text
        assert "legal-basis" not in dict(
            (k, t) for k, _, t in good_to_know(site / post_id / lang / "lost-passport.html")
        )


def test_items_from_a_source_a_post_an_example_or_not_applicable_read_as_such(content):
    changed = copy.deepcopy(content)
    block = changed.procedures["lost-passport"]["sdg"]
    block["fees"] = {"not_applicable": True}
    block["languages"] = {"value": ["nl", "fr"], "example": True}
    block["payment"] = {"fact": "payment"}
    block["reviewed"] = "2026-11-30"
    for post_id, expected_payment in (
        ("oslo", "In advance by bank transfer (bring the proof of payment) or on the spot at the counter."),
        ("astana", None),  # Astana's payment is not known: it joins the list of what to ask
    ):
        page = render_post(changed, post_id, "en").pages["lost-passport.md"]
        assert '<dt id="good-to-know-fees">Fees</dt>\n<dd>Does not apply to this procedure.' in page
        assert (
            '<dt id="good-to-know-languages">Languages of the procedure</dt>\n<dd>Dutch and French '
            '<strong class="example-value">(example value)</strong>' in page
        )
        assert '<dt id="good-to-know-reviewed">Last reviewed</dt>\n<dd>November 30, 2026' in page
        if expected_payment:
            assert f'<dt id="good-to-know-payment">How to pay</dt>\n<dd>{expected_payment}' in page
        else:
            assert 'id="good-to-know-payment"' not in page
            assert "<li>How to pay</li>" in page


def test_an_office_of_the_procedure_is_named_beside_the_post_as_a_competent_authority():
    site, _ = shared_site()
    rows = good_to_know(site / "example-municipality" / "en" / "travel-document.html")
    assert rows[0][0] == "authority"
    assert "Example municipality (example)" in rows[0][2]
    assert "FPS Foreign Affairs, Travel and Identity Documents Directorate" in rows[0][2]
    assert "passeport@diplobel.fed.be" in rows[0][2]


def test_the_seeds_fill_the_items_they_speak_of(content):
    passport = content.procedures["passport"]["sdg"]
    assert passport["identification"]["source"] == "seed-004"
    assert "vingerafdrukken en digitale handtekening" in passport["identification"]["value"]["nl"]
    assert passport["payment"] == {"fact": "payment"} and passport["legal_basis"] == {"fact": "consular_code"}
    travel = content.procedures["travel-document"]["sdg"]
    assert travel["identification"]["source"] == "seed-003"
    assert "per e-mail of per brief" in travel["identification"]["value"]["nl"]
    assert travel["legal_basis"] == {"unknown": True}  # seed 003 names none


def test_the_export_carries_each_item_as_the_yaml_gives_it_and_the_pages_review_date(content):
    for post_id, post in content.posts.items():
        for lang in LANGUAGES:
            data = post_export(content, post_id, lang)
            assert data["version"] == "1.1"
            for exported in data["procedures"]:
                procedure = content.procedures[exported["id"]]
                block = procedure.get("sdg", {})
                for item in sdg.ITEMS:
                    entry = exported["sdg"][item.key]
                    given = block.get(item.key)
                    if sdg.own_list(procedure, item):
                        assert entry == {"given": "list", "list": item.own}
                    elif "value" in given:
                        value = given["value"]
                        assert entry["value"] == (value if isinstance(value, list) else value[lang])
                        assert entry.get("source") == given.get("source")
                    elif "fact" in given:
                        assert entry == {"given": "fact", "fact": given["fact"]}
                    else:
                        assert entry == {"given": next(iter(given))}
                cited = {s["id"] for s in procedure["sources"]} | set(post.get("sources", []))
                assert exported["sdg"]["reviewed"] == min(content.sources[sid]["checked"] for sid in cited)


def test_every_page_says_when_its_facts_were_last_reviewed(content):
    """Art. 9: the home page, the fees, the editors' page and every wizard page too, not only the
    procedure pages; a page about some procedures gives the oldest date their sources were checked."""

    def oldest(post, procedure_ids):
        cited = set(post.get("sources", []))
        for pid in procedure_ids:
            cited |= {s["id"] for s in content.procedures[pid]["sources"]}
        return min(content.sources[sid]["checked"] for sid in cited)

    for post_id, post in content.posts.items():
        for lang in LANGUAGES:
            words = content.words(lang)
            pages = render_post(content, post_id, lang).pages
            label = words["sdg_reviewed"]
            for name, page in pages.items():
                if name.startswith("wizard"):
                    pid = name.split("/")[1] if "/" in name else name[len("wizard-") : -len(".md")]
                    expected = words.date(oldest(post, [pid]))
                elif name in ("fees.md", "editors.md"):
                    expected = words.date(oldest(post, post["procedures"]))
                elif name == "index.md":
                    expected = None  # the post's and its overview's sources: any date, but one
                else:
                    continue  # procedure pages: in their "Good to know" list (test above)
                shown = re.findall(rf'<p class="last-reviewed">{re.escape(label)}: ([^<]+)</p>', page)
                assert len(shown) == 1, (post_id, lang, name)
                assert expected is None or shown[0] == expected, (post_id, lang, name, shown[0], expected)
