"""Editors see, per language, how complete the translations are and what a native editor reviewed."""

from pipeline.report import format_translation_report, translation_report


def test_every_language_is_complete_and_dutch_is_the_source(content):
    rows = {row["lang"]: row for row in translation_report(content)}
    assert list(rows) == content.languages
    for row in rows.values():
        assert row["present"] == row["total"] > 100
    assert rows["nl"]["source"] == sorted(content.procedures)
    assert rows["fr"]["unreviewed"] == sorted(content.procedures)


def test_the_report_names_the_status_per_language(content):
    text = format_translation_report(translation_report(content))
    assert "  nl: " in text and "source: lost-passport, passport, travel-document" in text
    assert "  de: " in text and "unreviewed: lost-passport, passport, travel-document" in text
