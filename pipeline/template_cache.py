"""Jinja templates compiled, and installed themes listed, once per process, not once per MkDocs build.

    reuse_compiled(theme)   make every Jinja environment of a MkDocs theme use TEMPLATES and LISTED
    TEMPLATES               the compiled templates of the builds this process ran
    LISTED                  the files of the installed theme folders, as Jinja lists them

Each post × language is a separate MkDocs build, and each makes a new Jinja environment that
compiles Material's templates from their source again: about a quarter of a build's time. The
compiled code only depends on the template's source, its name and file, and the environment's
compile settings (syntax, extensions, escaping, filters and tests the optimiser may call), so
`CompiledTemplates` keeps it in memory under all of these: a build with any of them different
compiles its own, and what comes out is what a fresh compile gives (the same bytes in the pages).

Each build also lists every file of its theme folders to find the theme's static files, and
tests each name against its patterns: Material's folder holds 14,000 files, nearly all its icons
under `.icons/`; a fifth of a build's time once templates are compiled. A folder of an installed
package (site-packages: Material's, MkDocs') does not change while a process runs, so its listing
is made once, and without the files in hidden folders: MkDocs, the only one to list a theme's
templates (Files.add_files_from_theme), leaves out every name with a part that starts with "."
(its patterns '.*' and '*/.*'). Templates are still loaded from there by name (`.icons/…` in
Material's partials). The project's own theme folder (custom_dir), which an editor may change
while `serve` runs, is listed in full by every build.
"""

import sysconfig
from pathlib import Path

from jinja2 import FileSystemLoader
from jinja2.bccache import BytecodeCache

# Enough for the templates of several projects (each has its own theme folder); the oldest go first.
KEEP_AT_MOST = 2048


class CompiledTemplates(BytecodeCache):
    """Compiled templates in memory, by name, file, source checksum and the environment's settings."""

    def __init__(self, limit=KEEP_AT_MOST):
        self._kept = {}
        self._limit = limit

    def load_bytecode(self, bucket):
        bucket.code = self._kept.get(_key(bucket))

    def dump_bytecode(self, bucket):
        if len(self._kept) >= self._limit:
            self._kept.pop(next(iter(self._kept)))
        self._kept[_key(bucket)] = bucket.code

    def clear(self):
        self._kept.clear()


def _key(bucket):
    return (bucket.key, bucket.checksum, compile_settings(bucket.environment))


def compile_settings(env):
    """What the code Jinja compiles from a source depends on, besides the source (hashable)."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        getattr(env, "newstyle_gettext", None),  # the i18n extension's {% trans %} compiles by it
        repr(sorted(env.policies.items())),
        env.optimized,
        env.autoescape,
        env.finalize,
        env.is_async,
        env.sandboxed,
        env.code_generator_class,
        env.undefined,
        tuple(sorted(env.filters.items())),  # constant expressions may be folded by calling them
        tuple(sorted(env.tests.items())),
    )


TEMPLATES = CompiledTemplates()
# {folder of an installed package: the templates Jinja lists in it}
LISTED = {}
INSTALLED = tuple({Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")})


class ListingOnce(FileSystemLoader):
    """A FileSystemLoader that lists each folder of an installed package once per process (LISTED),
    leaving out its hidden files and folders (which MkDocs leaves out of a site)."""

    def list_templates(self):
        found = set()
        for folder in self.searchpath:
            if folder not in LISTED:
                listed = FileSystemLoader(folder, self.encoding, self.followlinks).list_templates()
                if not _installed(folder):
                    found.update(listed)
                    continue
                LISTED[folder] = [name for name in listed if not _hidden(name)]
            found.update(LISTED[folder])
        return sorted(found)


def _hidden(name):
    return any(part.startswith(".") for part in name.split("/"))


def _installed(folder):
    resolved = Path(folder).resolve()
    return any(resolved.is_relative_to(packages) for packages in INSTALLED)


def reuse_compiled(theme):
    """Make `theme` (a loaded configuration's mkdocs.theme.Theme) give environments that take their
    compiled templates from TEMPLATES and the listing of installed theme folders from LISTED:
    MkDocs' own environment and the ones Material's search plugin makes."""
    make = theme.get_env

    def get_env():
        env = make()
        env.bytecode_cache = TEMPLATES
        if type(env.loader) is FileSystemLoader:
            env.loader = ListingOnce(env.loader.searchpath, env.loader.encoding, env.loader.followlinks)
        return env

    theme.get_env = get_env
    return theme
