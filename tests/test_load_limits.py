"""The loader refuses, with file:line:column, every YAML file that would exhaust memory or crash it.

Content arrives by pull request, so `check` must survive any file: an alias bomb, a huge file,
deep nesting, binary data. The files that once blew up are loaded in a child process whose
memory is capped, so that a regression fails this test with a MemoryError instead of taking the
machine down; the timeout is only a guard against a hang, never a measurement. Mistakes that fit
in a small file are also in the corpus (tests/broken/yaml-*), with their exact messages.
"""

import resource
import subprocess
import sys

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.load import MAX_FILE_BYTES, MAX_VALUES, LoadError, libyaml_node, load_yaml, python_node

MEMORY_CAP = 512 * 1024 * 1024
LOAD = """
import sys
sys.path.insert(0, sys.argv[1])
from pipeline.load import LoadError, load_yaml
try:
    load_yaml(sys.argv[2], display="procedures/big.yaml")
except LoadError as error:
    print("\\n".join(map(str, error.problems)))
else:
    print("loaded")
"""
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""
TOO_LARGE_HINT = (
    "content files are far smaller (tens of KB): look for pasted data, or split the content into several files"
)


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def load_capped(path):
    """What the loader reports for `path`, loaded in a child process that may use at most 512 MB."""
    result = subprocess.run(
        [sys.executable, "-c", LOAD, str(ROOT), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_cap_memory,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.splitlines()


def test_the_billion_laughs_alias_bomb_is_refused_at_the_alias_that_goes_over_the_limit(tmp_path):
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    assert load_capped(tmp_path / "bomb.yaml") == [
        "procedures/big.yaml:5:16: the aliases in this file repeat more than 100000 characters "
        "('*d' goes over the limit) — an alias may repeat a short block such as a label or a step: "
        "write larger or nested repeats out in full where they are needed"
    ]


def test_a_file_over_one_megabyte_is_refused_by_its_size_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: big\ntitle: " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    size = big.stat().st_size
    assert load_capped(big) == [
        f"procedures/big.yaml:1:1: the file is {size} bytes, more than the limit of 1000000 bytes (1 MB) — "
        + TOO_LARGE_HINT
    ]


def test_a_file_of_exactly_one_megabyte_is_still_read(tmp_path):
    text = "id: big\n"
    text += "#" * (MAX_FILE_BYTES - len(text) - 1) + "\n"
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
    assert load_capped(tmp_path / "big.yaml") == ["loaded"]


def test_flow_nesting_deeper_than_32_levels_is_refused_at_the_33rd_bracket(tmp_path):
    (tmp_path / "deep.yaml").write_text("[" * 400_000 + "]" * 400_000 + "\n", encoding="utf-8")
    assert load_capped(tmp_path / "deep.yaml") == [
        "procedures/big.yaml:1:33: the data is nested more than 32 levels deep — content never needs that many "
        "levels: check the indentation and the brackets [ { on the lines above"
    ]


def test_indented_nesting_deeper_than_32_levels_is_refused_on_the_33rd_line(tmp_path):
    (tmp_path / "deep.yaml").write_text("".join(" " * i + "a:\n" for i in range(1000)), encoding="utf-8")
    assert load_capped(tmp_path / "deep.yaml") == [
        "procedures/big.yaml:33:33: the data is nested more than 32 levels deep — content never needs that many "
        "levels: check the indentation and the brackets [ { on the lines above"
    ]


def test_32_levels_of_nesting_are_still_read(tmp_path):
    (tmp_path / "deep.yaml").write_text("".join(" " * i + "a:\n" for i in range(32)) + " " * 32 + "b\n")
    data = load_yaml(tmp_path / "deep.yaml").data
    for _ in range(31):
        data = data["a"]
    assert data == {"a": "b"}


def test_a_file_with_more_values_than_the_limit_is_refused_at_the_first_value_too_many(tmp_path):
    # The mapping is one value, each line two more: the value 'v' on line 10000 is the 20001st.
    (tmp_path / "many.yaml").write_text("".join(f"k{i}: v\n" for i in range(MAX_VALUES)), encoding="utf-8")
    assert load_capped(tmp_path / "many.yaml") == [
        f"procedures/big.yaml:{MAX_VALUES // 2}:8: the file holds more than 20000 values — content files are far "
        "smaller: look for pasted data, or split the content into several files"
    ]


# Characters that mean something to YAML, some that are not text, and some plain ones.
YAML_ALPHABET = st.sampled_from(list("[]{}:,-?&*!|>'\"#%@` \n\t\\.<=~") + list("ab1éx") + ["\x00", "\x85", "\ud800"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=YAML_ALPHABET, max_size=60))
def test_any_text_either_loads_or_is_refused_with_a_file_line_column_message(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        load_yaml(path, display="fuzz.yaml")
    except LoadError as error:
        for problem in error.problems:
            assert problem.file == "fuzz.yaml" and problem.line >= 1 and problem.column >= 1
            assert problem.message and problem.hint


# --- libyaml's parser, the pure Python one's results --------------------------------------------


def _shape(node):
    """Everything of a composed node that the loader reads: kind, tag, text, style, positions."""
    if node is None:
        return None
    marks = (node.start_mark.line, node.start_mark.column, node.start_mark.index, node.end_mark.index)
    if isinstance(node, yaml.ScalarNode):
        return ("text", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("list", node.tag, node.flow_style, marks, [_shape(item) for item in node.value])
    return ("map", node.tag, node.flow_style, marks, [(_shape(k), _shape(v)) for k, v in node.value])


def _python_node(text):
    def refuse(*problem):
        raise LoadError(problem)

    return python_node(text, refuse)[0]


def test_libyaml_reads_every_file_as_the_pure_python_loader_does_or_leaves_it_to_that_loader():
    """load_yaml parses with libyaml (C) and reads a file that fails there again in pure Python,
    whose messages the corpus pins. Over the shipped content and every file of the corpus (also
    those with the mistakes), the fast way gives exactly the Python way's nodes, or gives up."""
    files = sorted({*ROOT.glob("procedures/*.yaml"), *ROOT.glob("content/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")})
    compared = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # refused before any parser (tests/broken/file-not-utf8)
        fast, loader = libyaml_node(text)
        try:
            slow = _python_node(text)
        except LoadError:
            assert loader is None, f"{path}: libyaml accepts what the Python loader refuses"
            continue
        if loader is not None:
            assert _shape(fast) == _shape(slow), path
            compared += 1
    assert compared > 200
    assert load_yaml(ROOT / "content" / "site.yaml").data == yaml.safe_load(
        (ROOT / "content" / "site.yaml").read_text()
    )
