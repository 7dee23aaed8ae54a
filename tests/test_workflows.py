"""The GitHub Actions workflows validate against the published workflow schema and do what CI promises."""

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

from build import github_annotation
from pipeline.errors import Problem

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_validate_against_the_github_workflow_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(WORKFLOWS) == 3


def run_lines(name):
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    return [step.get("run", "") + step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]


def test_pull_requests_get_check_annotations_tests_diff_summary_and_artifacts():
    steps = "\n".join(run_lines("pull-request.yml"))
    for expected in (
        "build.py check --format github",
        "./run.sh test",
        "./run.sh test -m slow",
        "build.py diff",
        "GITHUB_STEP_SUMMARY",
        "build.py usb",
        "build.py screenshots",
        "actions/upload-artifact",
    ):
        assert expected in steps


def test_main_is_tested_then_published_to_pages():
    steps = "\n".join(run_lines("publish.yml"))
    assert steps.index("./run.sh test") < steps.index("./run.sh build") < steps.index("upload-pages-artifact")
    assert steps.index("./run.sh test -m slow") < steps.index("./run.sh build")
    assert "actions/deploy-pages" in steps
    # The build's records (dot files at the site's root) stay out of what is published.
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert "upload-pages-artifact@v4" in workflow and "include-hidden-files" not in workflow


def test_a_big_network_can_be_built_in_shards_merged_and_published():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish-sharded.yml").read_text())
    jobs = workflow["jobs"]
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, workflow["env"]["SHARDS"] + 1))
    assert jobs["shard"]["needs"] == "test" and jobs["merge"]["needs"] == "shard" and jobs["deploy"]["needs"] == "merge"
    steps = "\n".join(run_lines("publish-sharded.yml"))
    assert '--shard "${{ matrix.shard }}/${{ env.SHARDS }}"' in steps
    assert '--date "${{ needs.test.outputs.date }}"' in steps  # every shard on the same date
    assert steps.index("build.py merge") < steps.index("upload-pages-artifact") < steps.index("actions/deploy-pages")


def test_problems_become_annotations_on_their_file_and_line():
    problem = Problem("procedures/passport.yaml", 12, 5, "unknown key 'lable'", "did you mean 'label'?")
    assert github_annotation(problem) == (
        "::error file=procedures/passport.yaml,line=12,col=5::unknown key 'lable' — did you mean 'label'?"
    )
