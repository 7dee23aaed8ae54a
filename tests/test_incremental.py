"""Partial and incremental builds: only what an edit touches is built again, and the site that
comes out holds exactly the bytes a clean build of the same content gives. Work reused between the
builds of one process (compiled templates, the theme's listing) gives the bytes of plain MkDocs."""

import datetime

import pytest

from build import main as build_cli
from pipeline.builds import INPUTS
from pipeline.model import load_content
from pipeline.render import render_post
from pipeline.site import build_site, prepare_builds, run_mkdocs, write_config, write_docs
from site_helpers import DATE, ROOT, copy_project, files_digest, replace_in, shared_site

OSLO = ROOT / "content" / "posts" / "oslo.yaml"
OSLO_NAME_EN = "  en: Embassy and Consulates of Belgium in Norway and Iceland\n"


@pytest.fixture(scope="module")
def site():
    return shared_site()[0]


def test_a_partial_build_holds_that_post_and_language_with_the_bytes_of_the_full_site(site, tmp_path):
    out = tmp_path / "site"
    assert build_cli(["build", "--post", "oslo", "--lang", "en", "--date", DATE, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["_assets", "_wizard", "oslo"]
    assert [p.name for p in (out / "oslo").iterdir()] == ["en"]
    for folder in ("oslo/en", "_assets", "_wizard"):
        assert files_digest(out / folder) == files_digest(site / folder), folder
    # The chooser at the root offers only what was built.
    chooser = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="oslo/en/index.html"' in chooser and "astana/" not in chooser


def test_an_edit_rebuilds_only_what_it_touches_and_gives_the_clean_builds_bytes(tmp_path):
    project = copy_project(tmp_path / "project")
    out, clean = tmp_path / "site", tmp_path / "clean"
    selection = {"on": DATE, "posts": ["oslo"], "langs": ["en", "fr"]}
    first = build_site(project, out, **selection)
    assert sorted(first.rebuilt) == [("oslo", "en"), ("oslo", "fr")]
    assert (out / INPUTS).is_file()

    unchanged = build_site(project, out, **selection)
    assert unchanged.rebuilt == []

    assert OSLO_NAME_EN in OSLO.read_text(encoding="utf-8")
    replace_in(project / "content" / "posts" / "oslo.yaml", OSLO_NAME_EN, "  en: Embassy of Belgium in Oslo\n")
    edited = build_site(project, out, **selection)
    assert edited.rebuilt == [("oslo", "en")]  # the French pages do not show the English name
    assert "Embassy of Belgium in Oslo" in (out / "oslo" / "en" / "index.html").read_text(encoding="utf-8")

    build_site(project, clean, **selection)
    built, expected = files_digest(out), files_digest(clean)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []


def test_an_edited_theme_template_shows_in_the_next_build_of_the_same_process(tmp_path):
    # Templates are compiled once per process (pipeline/template_cache.py); `serve` rebuilds in one.
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    selection = {"on": DATE, "posts": ["oslo"], "langs": ["en"], "processes": 1, "web": False}
    build_site(project, out, **selection)
    page = out / "oslo" / "en" / "index.html"
    assert "Footer edited" not in page.read_text(encoding="utf-8")
    copyright_partial = project / "pipeline" / "theme" / "partials" / "copyright.html"
    replace_in(copyright_partial, '<div class="md-copyright">', '<div class="md-copyright">Footer edited')
    assert build_site(project, out, **selection).rebuilt == [("oslo", "en")]
    assert "Footer edited" in page.read_text(encoding="utf-8")


def test_builds_in_one_process_give_the_bytes_of_plain_mkdocs(tmp_path, monkeypatch):
    content = load_content(ROOT, on=DATE)
    rendered = [render_post(content, "oslo", lang) for lang in ("fr", "en")]
    jobs = prepare_builds(ROOT, content, rendered, tmp_path / "docs", tmp_path / "site")
    for job in jobs:  # the English build comes second: templates compiled and the theme listed before it
        write_docs(job)
        run_mkdocs(job.config, job.config_file, content.on)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    plain = dict(jobs[1].config, site_dir=str(tmp_path / "plain"))
    write_config(plain, tmp_path / "plain.yml")
    epoch = datetime.datetime.fromisoformat(DATE).replace(tzinfo=datetime.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    build(load_config(str(tmp_path / "plain.yml")))  # MkDocs as it comes: nothing reused
    built, expected = files_digest(tmp_path / "site" / "oslo" / "en"), files_digest(tmp_path / "plain")
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []
