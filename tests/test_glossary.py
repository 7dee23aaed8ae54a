"""The glossary (content/glossary.yaml) and what `check` asks of every text because of it.

The broken-file corpus (tests/broken/glossary-*, translation-differs-for-the-same-text) pins the
exact messages; these tests pin how variants are found: as whole words, whatever the case, in
their other forms (German endings), the longer of two that cover the same words, once for a text
the YAML repeats with an alias; and that a differing translation is a warning `--strict` fails on.
"""

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from test_broken_files import CASE_DATE, content_tree, expected

from pipeline.errors import ContentError
from pipeline.load import load_yaml
from pipeline.model import load_content
from pipeline.validate import Result
from pipeline.validate.glossary import check_glossary, whole_words


@pytest.fixture(scope="module")
def variants():
    """{(lang, variant text): Variant} of the shipped glossary."""
    sources = [s["id"] for s in load_yaml(ROOT / "content" / "sources.yaml").data]
    result = Result()
    found = check_glossary(load_yaml(ROOT / "content" / "glossary.yaml"), ["nl", "fr", "de", "en"], sources, result)
    assert result.errors == []
    return {(v.lang, v.text): v for v in found}


@pytest.mark.parametrize(
    "lang, variant, text",
    [
        ("de", "elterliche Sorge", "Wer übt die elterliche Sorge aus?"),
        ("de", "elterliche Sorge", "das die Ausübung der elterlichen Sorge anders regelt"),
        ("de", "elterliche Sorge", "Elterliche  Sorge"),
        ("de", "Sorgerecht", "der Inhaber des Sorgerechts"),
        ("de", "Verlustanzeige", "zwei Verlustanzeigen"),
        ("de", "Reiseausweis", "des Reiseausweises"),
        ("de", "Eilverfahren", "im Eilverfahren"),
        ("de", "Bürgerdienst", "beim BÜRGERDIENST"),
        ("fr", "procédure standard", "Procédure standard (délai habituel)"),
        ("en", "Competent for", "competent for"),
        ("nl", "ouderschap", "tenzij het ouderschap anders werd toegewezen"),
    ],
)
def test_a_variant_is_found_as_whole_words_whatever_the_case_and_in_its_other_forms(variants, lang, variant, text):
    assert variants[(lang, variant)].regex.search(text)


@pytest.mark.parametrize(
    "lang, variant, text",
    [
        ("de", "Eilverfahren", "Teileilverfahren"),  # inside another word
        ("de", "Verlustanzeige", "Verlustanzeigenformular"),
        ("de", "elterliche Sorge", "elterliche Autorität, Sorge um das Kind"),
        ("nl", "ouderschap", "co-ouderschap"),
        ("en", "residence card", "residence cardinal"),
    ],
)
def test_a_variant_is_not_found_inside_other_words(variants, lang, variant, text):
    assert not variants[(lang, variant)].regex.search(text)


def test_no_term_of_the_glossary_is_ruled_out_by_a_variant_of_its_language(variants):
    terms = {(v.lang, v.term) for v in variants.values()}
    for lang, term in terms:
        assert not [v.text for v in variants.values() if v.lang == lang and v.regex.search(term)], term


def test_whole_words_keep_the_pattern_s_alternatives_together():
    assert whole_words("Eil|Sorge").search("Sorge") and not whole_words("Eil|Sorge").search("Sorgerecht")


def test_every_source_the_glossary_cites_is_a_public_page_with_an_address_checked_on_a_date():
    sources = {s["id"]: s for s in load_yaml(ROOT / "content" / "sources.yaml").data}
    cited = {
        source
        for concept in load_yaml(ROOT / "content" / "glossary.yaml").data
        for term in concept["terms"].values()
        for source in term.get("sources", [])
    }
    seeds = {source for source in cited if source.startswith("seed-")}  # the project's copies of real pages
    assert cited - seeds and all(sources[s].get("url") and sources[s].get("checked") for s in cited - seeds)


def _tree_with(tmp_path, relative, old, new):
    for name in ("procedures", "content"):
        shutil.copytree(ROOT / name, tmp_path / name)
    path = tmp_path / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


def errors(tree):
    with pytest.raises(ContentError) as raised:
        load_content(tree, on=CASE_DATE)
    return [str(problem) for problem in raised.value.problems]


def test_a_variant_in_a_text_the_yaml_repeats_with_an_alias_is_reported_once(tmp_path):
    # The step '&step-report-loss' is repeated by '*step-report-loss' in a second route.
    tree = _tree_with(
        tmp_path,
        "procedures/passport.yaml",
        "und füllen Sie ein Formular zur Meldung des Verlusts aus, das Sie Ihrem Antrag beifügen.",
        "und füllen Sie eine Verlustanzeige für Ihren Antrag aus.",
    )
    found = errors(tree)
    assert len(found) == 1 and "'Verlustanzeige'" in found[0] and "'Formular zur Meldung des Verlusts'" in found[0]


def test_of_two_variants_covering_the_same_words_the_longer_is_reported(tmp_path):
    tree = _tree_with(
        tmp_path,
        "procedures/travel-document.yaml",
        "de: Reisedokument, Hochdringlichkeitsverfahren",
        "de: Reisedokument, höchst dringliches Eilverfahren",
    )
    (found,) = errors(tree)
    assert "'höchst dringliches Eilverfahren'" in found and "'Hochdringlichkeitsverfahren'" in found


def test_a_variant_in_another_language_s_text_is_no_mistake(tmp_path):
    # 'Eilverfahren' is ruled out in German texts only.
    tree = _tree_with(
        tmp_path, "procedures/travel-document.yaml", "en: Travel document, urgent procedure", "en: Eilverfahren"
    )
    assert load_content(tree, on=CASE_DATE).warnings == []


def test_a_translation_that_differs_is_a_warning_that_only_strict_check_turns_into_a_failure(tmp_path):
    tree = content_tree(tmp_path, "translation-differs-for-the-same-text", code=True)
    warning = expected("translation-differs-for-the-same-text")

    def check(*args):
        command = [sys.executable, str(tree / "build.py"), "check", "--date", CASE_DATE, *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=tree, timeout=120)

    lenient = check()
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.splitlines() == warning
    strict = check("--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == warning + ["1 warning(s); --strict makes them errors."]
