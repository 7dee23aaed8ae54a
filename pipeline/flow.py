"""A flow diagram of a procedure for editors: every question, option and route, as SVG and as text.

The diagram is the tree of answer paths the engine walks (`wizard.paths`), so it is exact: a
question node appears wherever it is asked, an option's edge leads to what really comes next.
Drawn here as inline SVG (no script, no CDN, works offline and prints); the same tree is also
given as a nested list, the text alternative for screen readers.
"""

import html
import textwrap

from wizard.engine import evaluate
from wizard.present import text

COLUMN = 230        # width of a node box
GAP = 170           # horizontal room for an edge and its option label
ROW = 64            # vertical room per leaf
LINE = 15           # text line height
PAD = 8


def flow_tree(procedure, on):
    """{'question': id, 'children': [(option id, subtree)]} or {'route': id} for a leaf."""
    def walk(answers):
        result = evaluate(procedure, answers, on)
        if result["status"] == "question":
            question = next(q for q in procedure["questions"] if q["id"] == result["question"])
            return {"question": question["id"],
                    "children": [(o["id"], walk({**answers, question["id"]: o["id"]})) for o in question["options"]]}
        if result["status"] == "outcome":
            return {"route": result["route"]}
        return {"error": result["errors"][0]["message"]}
    return walk({})


def flow_svg(procedure, on, lang, title, title_id="flow-title"):
    """The diagram as an SVG element with a <title>, labelled for assistive technology.

    `title_id` must be unique in the page that shows several diagrams.
    """
    tree = flow_tree(procedure, on)
    questions = {q["id"]: q for q in procedure["questions"]}
    routes = {r["id"]: r for r in procedure["routes"]}
    nodes, edges = [], []
    leaves = [0]

    def place(node, depth):
        x = depth * (COLUMN + GAP)
        if "children" not in node:
            y = leaves[0] * ROW
            leaves[0] += 1
        else:
            ys = [place(child, depth + 1) for _, child in node["children"]]
            y = sum(ys) / len(ys)
            for (option_id, _), child_y in zip(node["children"], ys):
                option = next(o for o in questions[node["question"]]["options"] if o["id"] == option_id)
                edges.append((x + COLUMN, y, x + COLUMN + GAP, child_y, text(option["label"], lang)))
        if "question" in node:
            nodes.append((x, y, "question", text(questions[node["question"]]["text"], lang)))
        elif "route" in node:
            nodes.append((x, y, "route", text(routes[node["route"]]["title"], lang)))
        else:
            nodes.append((x, y, "error", node["error"]))
        return y

    place(tree, 0)
    depth = max(n[0] for n in nodes) // (COLUMN + GAP) + 1
    width = depth * (COLUMN + GAP) - GAP + 2
    height = leaves[0] * ROW + 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" width="{width}" height="{height}" '
           f'viewBox="-1 -1 {width} {height}" role="img" aria-labelledby="{title_id}">',
           f'<title id="{title_id}">{html.escape(title)}</title>']
    for x1, y1, x2, y2, label in edges:
        y1c, y2c, mid = y1 + ROW / 2, y2 + ROW / 2, x1 + 16
        out.append(f'<path d="M{x1},{y1c:.1f} H{mid} V{y2c:.1f} H{x2}" class="flow-edge"/>')
        for i, line in enumerate(_wrap(label, 24)[:2]):
            out.append(f'<text x="{mid + 6}" y="{y2c - 6 - (len(_wrap(label, 24)[:2]) - 1 - i) * LINE:.1f}" '
                       f'class="flow-option">{html.escape(line)}</text>')
    for x, y, kind, label in nodes:
        lines = _wrap(label, 34)[:3]
        box_h = len(lines) * LINE + 2 * PAD
        top = y + (ROW - box_h) / 2
        out.append(f'<rect x="{x}" y="{top:.1f}" width="{COLUMN}" height="{box_h}" rx="4" class="flow-{kind}"/>')
        for i, line in enumerate(lines):
            out.append(f'<text x="{x + PAD}" y="{top + PAD + (i + 1) * LINE - 3:.1f}" class="flow-text">'
                       f'{html.escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def flow_outline(procedure, on, lang, route_label, option_label=None):
    """The same tree as a nested Markdown list: question, then each option and where it leads."""
    questions = {q["id"]: q for q in procedure["questions"]}
    routes = {r["id"]: r for r in procedure["routes"]}
    lines = []

    def walk(node, indent):
        pad = "    " * indent
        if "question" in node:
            lines.append(f"{pad}- **{_md(text(questions[node['question']]['text'], lang))}** (`{node['question']}`)")
            for option_id, child in node["children"]:
                option = next(o for o in questions[node["question"]]["options"] if o["id"] == option_id)
                lines.append(f"{pad}    - {_md(text(option['label'], lang))} (`{option_id}`)")
                walk(child, indent + 2)
        elif "route" in node:
            lines.append(f"{pad}- {route_label}: {_md(text(routes[node['route']]['title'], lang))} (`{node['route']}`)")
        else:
            lines.append(f"{pad}- {_md(node['error'])}")

    walk(flow_tree(procedure, on), 0)
    return "\n".join(lines)


def _wrap(label, width):
    return textwrap.wrap(label, width) or [""]


def _md(value):
    return value.replace("*", r"\*").replace("_", r"\_")
