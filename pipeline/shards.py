"""A site built in shards on separate machines, then merged into the bytes a single build gives.

    parse_shard("2/4")                  (2, 4), or ValueError saying what is wrong
    in_shard(jobs, shard)               the post × language builds that shard I of N makes
    merge_shards(root, shards, out)     the shards' sites as one site in `out`, atomically

`build.py build --shard I/N` builds every I-th of the post × language builds (in their sorted
order: post, then language) and, like every build, the files at the site root (the chooser, the
shared assets, the wizard's runtime, what the web reads): those are the same in every shard.
Each shard records the inputs of every build of the site (pipeline/builds.py), not only its own,
so the record is the same in every shard and names what the merged site must hold.
`build.py merge SHARD… --out site` puts the shards' post × language folders together beside one
copy of the root files, which is exactly what a single build writes. The shards must come from the
same content, date and code: a root file that differs between shards is refused, and so is a
build that no shard holds.
"""

import filecmp
import shutil
from pathlib import Path

from . import builds, layout, outdir


class ShardError(Exception):
    """Raised when shards cannot be merged (not shards of one build, one missing); says which."""


def parse_shard(text):
    """ "I/N" as (I, N) with 1 <= I <= N."""
    try:
        index, count = (int(part) for part in str(text).split("/"))
    except ValueError:
        raise ValueError(f"'{text}' is not a shard: write I/N, e.g. 2/4 (the second of four)") from None
    if not 1 <= index <= count:
        raise ValueError(f"'{text}' is not a shard: I/N needs 1 <= I <= N")
    return index, count


def in_shard(jobs, shard):
    """The jobs shard (I, N) builds: the I-th, (I+N)-th, … of all jobs (all of them without a shard)."""
    if shard is None:
        return list(jobs)
    index, count = shard
    return [job for number, job in enumerate(jobs) if number % count == index - 1]


def merge_shards(root, shards, out):
    """Merge the shards' sites (folders a `build --shard` made) into `out`; the number of builds merged.

    `out` follows the build's rules (pipeline/outdir.py): replaced only if a build made it, and
    only once the merged site is complete.
    """
    shards = [Path(s).resolve() for s in shards]
    out = Path(out).resolve()
    if not shards:
        raise ShardError("no shards to merge: name the folders that build --shard I/N made")
    for shard in shards:
        if not outdir.is_own(shard) or not (shard / builds.INPUTS).is_file():
            raise ShardError(f"{shard} is not a site made by build.py build --shard")
    outdir.check_output(root, out)
    outdir.check_writable(out)
    first = shards[0]
    record = builds.recorded(first)  # every shard records every build of the site (pipeline/site.py)
    for shard in shards[1:]:
        _check_same_root(first, shard)
    wanted = sorted(folder for folder in record if "/" in folder)  # post × language builds: "post/lang"
    found = {}
    for folder in wanted:
        having = [shard for shard in shards if (shard / folder).is_dir()]
        if not having:
            raise ShardError(f"no shard holds {folder}: build every shard I/N (I = 1 … N) and merge them all")
        found[folder] = having[0]
    with outdir.writing(out), outdir.working_folder(out) as work:
        site = work / "site"
        shutil.copytree(first, site, ignore=_only_root(first), symlinks=True)
        for folder, shard in found.items():
            shutil.copytree(shard / folder, site / folder, symlinks=True)
        outdir.swap_into_place(site, out, work)
    return len(found)


def _only_root(first):
    """copytree's ignore: leave out the post folders (each shard brings its own builds)."""
    posts = {p.name for p in first.iterdir() if p.is_dir() and not p.name.startswith("_")}

    def ignore(directory, names):
        return [name for name in names if Path(directory) == first and name in posts]

    return ignore


def _check_same_root(first, shard):
    """Every file at the root and in the shared folders is the same in both shards."""
    for entry in sorted(first.iterdir()):
        other = shard / entry.name
        if entry.is_dir() and entry.name not in _shared_folders():
            continue
        same = (
            _same_tree(entry, other)
            if entry.is_dir()
            else (other.is_file() and filecmp.cmp(entry, other, shallow=False))
        )
        if not same:
            raise ShardError(
                f"{shard} and {first} differ in {entry.name}: shards must be built from the same content, date and code"
            )


def _shared_folders():
    return (layout.SHARED_ASSETS, layout.RUNTIME_DIR)


def _same_tree(a, b):
    if not b.is_dir():
        return False
    left = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    right = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return left == right and all(filecmp.cmp(a / p, b / p, shallow=False) for p in left)
