"""A site built in shards (on separate machines in CI) and merged holds the bytes of one build."""

from build import main as build_cli
from site_helpers import DATE, files_digest


def test_shards_merged_give_the_bytes_of_a_single_build(tmp_path, capsys):
    selection = ["--date", DATE, "--post", "oslo", "--lang", "en", "--lang", "fr"]
    single, merged = tmp_path / "single", tmp_path / "merged"
    shards = [tmp_path / "shard-1", tmp_path / "shard-2"]
    assert build_cli(["build", *selection, "--out", str(single)]) == 0
    for number, shard in enumerate(shards, start=1):
        assert build_cli(["build", *selection, "--shard", f"{number}/2", "--out", str(shard)]) == 0
    # Each shard holds its half of the post × language builds (in the site's order of languages:
    # nl, fr, de, en), and the files every build shares.
    assert [p.name for p in (shards[0] / "oslo").iterdir()] == ["fr"]
    assert [p.name for p in (shards[1] / "oslo").iterdir()] == ["en"]

    assert build_cli(["merge", *map(str, shards), "--out", str(merged)]) == 0
    built, expected = files_digest(merged), files_digest(single)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []

    # A shard left out is refused, and the merged site stays as it was.
    capsys.readouterr()
    assert build_cli(["merge", str(shards[0]), "--out", str(merged)]) == 1
    assert "no shard holds oslo/en" in capsys.readouterr().err
    assert files_digest(merged) == built
