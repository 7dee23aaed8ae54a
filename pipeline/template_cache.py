"""Jinja templates compiled once per process, not once per MkDocs build.

    reuse_compiled(theme)   make every Jinja environment of a MkDocs theme use TEMPLATES
    TEMPLATES               the compiled templates of the builds this process ran

Each post × language is a separate MkDocs build, and each makes a new Jinja environment that
compiles Material's templates from their source again: about a quarter of a build's time. The
compiled code only depends on the template's source, its name and file, and the environment's
compile settings (syntax, extensions, escaping, filters and tests the optimiser may call), so
`CompiledTemplates` keeps it in memory under all of these: a build with any of them different
compiles its own, and what comes out is what a fresh compile gives (the same bytes in the pages).
"""

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


def reuse_compiled(theme):
    """Make `theme` (a loaded configuration's mkdocs.theme.Theme) give environments that take their
    compiled templates from TEMPLATES: MkDocs' own and the ones Material's search plugin makes."""
    make = theme.get_env

    def get_env():
        env = make()
        env.bytecode_cache = TEMPLATES
        return env

    theme.get_env = get_env
    return theme
