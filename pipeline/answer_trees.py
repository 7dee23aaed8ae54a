"""The engine's answer trees, walked once per process for each procedure, date and post.

A build renders many posts × languages of the same loaded procedures: the procedure page (with the
post's facts), the editors' flow diagrams, the export and the no-JavaScript wizard pages all read
the same tree, which depends on neither the language nor, without a post, on the post. Trees are
kept by the identity of the procedure and post objects (a new load of the content walks them
again) and must be read, not changed.

    tree(procedure, on, post=None)      wizard.paths.answer_tree
    paths(procedure, on, post=None)     wizard.paths.enumerate_paths: every complete path
    prefixes(procedure, on)             wizard.paths.all_prefixes: every node's answers
"""

from wizard.paths import answer_tree

_KEPT = {}  # {(id(procedure), on, id(post)): (procedure, post, tree)}
_KEEP_AT_MOST = 256


def tree(procedure, on, post=None):
    key = (id(procedure), on, id(post))
    kept = _KEPT.get(key)
    if kept is None or kept[0] is not procedure or kept[1] is not post:
        if len(_KEPT) >= _KEEP_AT_MOST:
            _KEPT.clear()
        kept = _KEPT[key] = (procedure, post, answer_tree(procedure, on, post=post))
    return kept[2]


def paths(procedure, on, post=None):
    return tree(procedure, on, post).paths()


def prefixes(procedure, on):
    return tree(procedure, on).prefixes()
