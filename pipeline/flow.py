"""A flow diagram of a procedure for editors: every question, option and route, as SVG and as text.

The diagram is the tree of answer paths the engine walks (`wizard.paths`), so it is exact: a
question node appears wherever it is asked, an option's edge leads to what really comes next.
Drawn here as inline SVG (no script, no CDN, works offline and prints); the same tree is also
given as a nested list, the text alternative for screen readers.
"""

import html
import textwrap

from wizard.presentation import markdown, text

from . import answer_trees

COLUMN = 230  # width of a node box
GAP = 170  # horizontal room for an edge and its option label
ROW = 64  # least vertical room per leaf
LINE = 15  # text line height
PAD = 8
MARGIN = 3  # least room between a box and the next band


def flow_tree(procedure, on):
    """{'question': id, 'children': [(option id, subtree)]} or {'route': id} for a leaf (or an error)."""

    def convert(node):
        if node.question:
            return {"question": node.question, "children": [(oid, convert(child)) for oid, child in node.children]}
        if node.result["status"] == "outcome":
            return {"route": node.result["route"]}
        return {"error": node.result["errors"][0]["message"]}

    return convert(answer_trees.tree(procedure, on))


def flow_svg(procedure, on, lang, title, title_id="flow-title"):
    """The diagram as an SVG element with a <title>, labelled for assistive technology.

    `title_id` must be unique in the page that shows several diagrams. Every label is drawn in
    full (wrapped, never cut): each subtree gets a horizontal band as tall as its boxes and the
    option labels on its edges need, so nothing overlaps whatever the language.
    """
    tree = flow_tree(procedure, on)
    questions = {q["id"]: q for q in procedure["questions"]}
    routes = {r["id"]: r for r in procedure["routes"]}
    nodes, edges = [], []  # (x, centre y, kind, lines); [x1, y1, x2, y2, lines]

    def place(node, depth, top, label_h):
        """Lay out `node`'s subtree in the band starting at `top`: (centre y, bottom of the band).

        `label_h` is the height of the option label drawn above the edge into `node`.
        """
        x = depth * (COLUMN + GAP)
        if "question" in node:
            kind, label = "question", text(questions[node["question"]]["text"], lang)
        elif "route" in node:
            kind, label = "route", text(routes[node["route"]]["title"], lang)
        else:
            kind, label = "error", node["error"]
        lines = _wrap(label, 34)
        half = (len(lines) * LINE + 2 * PAD) / 2 + MARGIN
        above = max(ROW / 2, label_h + 4, half)
        if "children" not in node:
            nodes.append((x, top + above, kind, lines))
            return top + above, top + above + max(ROW / 2, half)
        first_node, first_edge = len(nodes), len(edges)
        cursor, centres, labels = top, [], []
        for option_id, child in node["children"]:
            option = next(o for o in questions[node["question"]]["options"] if o["id"] == option_id)
            option_lines = _wrap(text(option["label"], lang), 24)
            centre, cursor = place(child, depth + 1, cursor, len(option_lines) * LINE + 6)
            centres.append(centre)
            labels.append(option_lines)
        y = sum(centres) / len(centres)
        shift = max(0, top + above - y)
        if shift:
            for i in range(first_node, len(nodes)):
                nodes[i] = (nodes[i][0], nodes[i][1] + shift, *nodes[i][2:])
            for edge in edges[first_edge:]:
                edge[1] += shift
                edge[3] += shift
            y, cursor, centres = y + shift, cursor + shift, [c + shift for c in centres]
        for centre, option_lines in zip(centres, labels, strict=False):
            edges.append([x + COLUMN, y, x + COLUMN + GAP, centre, option_lines])
        nodes.append((x, y, kind, lines))
        return y, max(cursor, y + max(ROW / 2, half))

    _, bottom = place(tree, 0, 0, 0)
    depth = max(n[0] for n in nodes) // (COLUMN + GAP) + 1
    width = depth * (COLUMN + GAP) - GAP + 2
    height = round(bottom) + 2
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" width="{width}" height="{height}" '
        f'viewBox="-1 -1 {width} {height}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{html.escape(title)}</title>',
    ]
    for x1, y1, x2, y2, lines in edges:
        mid = x1 + 16
        out.append(f'<path d="M{x1},{y1:.1f} H{mid} V{y2:.1f} H{x2}" class="flow-edge"/>')
        for i, line in enumerate(lines):
            out.append(
                f'<text x="{mid + 6}" y="{y2 - 6 - (len(lines) - 1 - i) * LINE:.1f}" '
                f'class="flow-option">{html.escape(line)}</text>'
            )
    for x, y, kind, lines in nodes:
        box_h = len(lines) * LINE + 2 * PAD
        top = y - box_h / 2
        out.append(f'<rect x="{x}" y="{top:.1f}" width="{COLUMN}" height="{box_h}" rx="4" class="flow-{kind}"/>')
        for i, line in enumerate(lines):
            out.append(
                f'<text x="{x + PAD}" y="{top + PAD + (i + 1) * LINE - 3:.1f}" class="flow-text">'
                f"{html.escape(line)}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)


def flow_outline(procedure, on, lang, route_label):
    """The same tree as a nested Markdown list: question, then each option and where it leads."""
    questions = {q["id"]: q for q in procedure["questions"]}
    routes = {r["id"]: r for r in procedure["routes"]}
    lines = []

    def walk(node, indent):
        pad = "    " * indent
        if "question" in node:
            lines.append(
                f"{pad}- **{markdown(text(questions[node['question']]['text'], lang))}** (`{node['question']}`)"
            )
            for option_id, child in node["children"]:
                option = next(o for o in questions[node["question"]]["options"] if o["id"] == option_id)
                lines.append(f"{pad}    - {markdown(text(option['label'], lang))} (`{option_id}`)")
                walk(child, indent + 2)
        elif "route" in node:
            title = markdown(text(routes[node["route"]]["title"], lang))
            lines.append(f"{pad}- {markdown(route_label)}: {title} (`{node['route']}`)")
        else:
            lines.append(f"{pad}- {markdown(node['error'])}")

    walk(flow_tree(procedure, on), 0)
    return "\n".join(lines)


def _wrap(label, width):
    return textwrap.wrap(label, width) or [""]
