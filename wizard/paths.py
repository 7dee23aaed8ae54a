"""The answer tree of a procedure: one walk with the engine, three views of it.

The answer space is finite (options, age classes), so the build walks it completely, once:

    answer_tree(procedure, on)      the tree itself: every answer prefix, what the engine says there
    enumerate_paths(procedure, on)  its leaves: every complete path and its outcome (checks, golden
                                    files, the pages' "applies if", parity with Pyodide)
    all_prefixes(procedure, on)     every node's answers: one no-JavaScript wizard page each
    (pipeline/flow.py draws the same tree for editors)
"""

from dataclasses import dataclass, field

from .conditions import question_by_id
from .engine import evaluate

DEFAULT_LIMIT = 1000


class TooManyPaths(Exception):
    """Raised by the walk when a procedure has more answer paths than the limit allows."""


@dataclass
class Node:
    """One answer prefix: the answers so far, the engine's result for them and, for a question, one
    child per option in the order the options are written."""

    answers: list
    result: dict
    children: list = field(default_factory=list)  # [(option id, Node)]

    @property
    def question(self):
        return self.result["question"] if self.result["status"] == "question" else None

    def nodes(self):
        """This node and every node below it, depth first in option order."""
        yield self
        for _, child in self.children:
            yield from child.nodes()

    def leaves(self):
        return (node for node in self.nodes() if not node.children)

    def paths(self):
        """[(answers, result)] of every complete path below this node (enumerate_paths)."""
        return [(leaf.answers, leaf.result) for leaf in self.leaves()]

    def prefixes(self):
        """The answers of every node, in walk order (all_prefixes)."""
        return [node.answers for node in self.nodes()]


def answer_tree(procedure, on, limit=DEFAULT_LIMIT, post=None):
    """The whole tree of answer prefixes of `procedure` on date `on` (raises TooManyPaths); with
    `post`, the outcomes carry that post's facts (its delivery time, its closing days)."""
    count = [0]

    def walk(answers):
        result = evaluate(procedure, dict(answers), on, post)
        node = Node(answers, result)
        if result["status"] != "question":
            count[0] += 1
            if count[0] > limit:
                raise TooManyPaths(f"more than {limit} answer paths")
            return node
        question = question_by_id(procedure, result["question"])
        for option in question["options"]:
            node.children.append((option["id"], walk([*answers, (question["id"], option["id"])])))
        return node

    return walk([])


def enumerate_paths(procedure, on, limit=DEFAULT_LIMIT, post=None):
    """Every complete path: [(answers, result)], `answers` a list of (question id, option id) pairs in
    the order asked, `result` an outcome or an error."""
    return answer_tree(procedure, on, limit, post).paths()


def all_prefixes(procedure, on, limit=DEFAULT_LIMIT):
    """Every answer prefix (each question page and each outcome page), in walk order."""
    return answer_tree(procedure, on, limit).prefixes()


def path_key(answers):
    """A readable, stable name for a path: `status=refugee/age=adult/speed=urgent`."""
    return "/".join(f"{q}={o}" for q, o in answers) or "(no questions)"
