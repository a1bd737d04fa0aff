"""The interactive figures' data: every number a reader can ask for, at build time.

The script `docs/javascripts/nudge-widget.js` only displays: for each entry the reader
can pick, this module lays the figure out again with that entry nudged (the same
`layout(lang, pick)` that draws the static SVG) and writes it as JSON, with the
numbers already written out in the page's language. For a fixed set of nudge sizes Δ it
adds the loss's actual change L(x + Δe) − L(x), computed with the snippet's forward
function, beside the first-order prediction dx · Δ, with dx from the snippet's backward.

The loss is the one every page uses, L = Σ dY ⊙ Y: its gradient for the output Y is
exactly the figure's upstream gradient dY.
"""

import json

import numpy as np
from matplotlib.colors import to_hex

from .drawing import heat_color, heat_scale
from .pieces import Curve, Matrix
from .text import entry, labels, number

#: The nudge sizes the reader can choose; the second one is shown first.
DELTAS = (0.01, 0.1, 0.5, 1.0, 2.0)
FIRST_DELTA = 1

TEXT = {
    "en": {
        "title": "Try it: nudge any entry of {name}",
        "hint": "Pick an entry of {name} (click, tap, or Tab to it and press Enter); "
        "the figure shows what moves and how d{letter} is assembled.",
        "pick": "nudge {entry}: row {r}, column {c}, value {v}",
        "pick_position": "nudge {entry}: entry {i}, value {v}",
        "delta": "Size of the nudge Δ",
        "actual": "Actual change of the loss, L(x + Δ) − L(x)",
        "predicted": "First-order prediction, {grad} · Δ",
        "gap": "Difference",
        "exact": "The two agree for every Δ: the output is linear in each entry of "
        "{name}.",
        "drift": "The prediction is close for a small Δ and drifts away as Δ grows.",
    },
    "zh": {
        "title": "动手试一试：微调 {name} 的任意一个元素",
        "hint": "点选 {name} 的一个元素（点击、轻触，或用 Tab 键移到它上面再按回车），"
        "图中会显示哪些输出跟着动，以及 d{letter} 是怎样拼出来的。",
        "pick": "微调 {entry}：第 {r} 行第 {c} 列，值为 {v}",
        "pick_position": "微调 {entry}：下标 {i}，值为 {v}",
        "delta": "微调量 Δ",
        "actual": "损失的实际变化 L(x + Δ) − L(x)",
        "predicted": "一阶预测 {grad} · Δ",
        "gap": "两者之差",
        "exact": "对任何 Δ 两者都相等：输出是 {name} 每个元素的线性函数。",
        "drift": "Δ 小时预测很准，Δ 越大偏差越大。",
    },
}


def loss_number(value):
    """A change of the loss, with five decimals, so that small Δ still show digits."""
    text = f"{value:.5f}"
    if text.lstrip("-").strip("0.") == "":
        text = f"{0:.5f}"
    return text.replace("-", "\u2212")


def cell_name(letter, index, shape, start=1):
    """The entry's name with the indices of its length-1 axes left out: b₁, z₂, a₁₂."""
    return entry(letter, *[n for n, size in zip(index, shape) if size > 1], start=start)


def matrix_item(m):
    """A matrix as the script draws it: text, colors and outlines for each cell."""
    scale = heat_scale(m)
    filled = {cell: (edge, face) for cell, edge, face in m.fill}
    cells = [[{"t": number(v)} for v in row] for row in m.values]
    for (r, c), value in np.ndenumerate(m.values):
        cell = cells[r][c]
        if m.heat:
            cell["m"] = "up" if value > 0 else "down" if value < 0 else "still"
            if value != 0:
                cell["bg"] = to_hex(heat_color(value, scale))
        if (r, c) in filled:
            cell["e"], cell["bg"] = filled[(r, c)]
    for (r0, c0, r1, c1), color in m.boxes:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                sides = ("t" if r == r0 else "") + ("b" if r == r1 else "") + (
                    "l" if c == c0 else "") + ("r" if c == c1 else "")
                cells[r][c]["b"] = [color, sides]
    item = {"k": "m", "title": m.title, "shape": m.shape, "cells": cells}
    if m.pick:
        item["pick"] = m.pick
    return item


def curve_item(curve, width=160, height=100):
    """A curve as SVG path data in a width × height box (y from −0.1 to 1.1)."""
    x0, x1 = curve.x[0], curve.x[-1]

    def point(x, y):
        return (f"{(x - x0) / (x1 - x0) * width:.1f},"
                f"{(1.1 - y) / 1.2 * height:.1f}")

    (px, py), run = curve.point, np.array([-1.6, 1.6])
    return {
        "k": "c", "title": curve.title, "w": width, "h": height,
        "curve": "M" + " L".join(point(x, y)  # every 4th point is smooth enough
                                 for x, y in zip(curve.x[::4], curve.y[::4])),
        "tangent": "M" + " L".join(point(px + r, py + curve.slope * r) for r in run),
        "dot": point(px, py),
    }


def item(thing):
    if isinstance(thing, Matrix):
        return matrix_item(thing)
    if isinstance(thing, Curve):
        return curve_item(thing)
    return {"k": "o", "s": thing.symbol, "l": thing.label}


def lines(formula):
    if not formula:
        return []
    return [formula] if isinstance(formula, str) else list(formula)


def pick_matrix(rows):
    """The matrix whose entries the reader picks: the one drawn with `pick=`."""
    for _, items, _ in rows:
        for thing in items:
            if isinstance(thing, Matrix) and thing.pick:
                return thing
    raise ValueError("A figure's layout needs one Matrix(..., pick='x') to pick from.")


def changes(chain, delta):
    """The loss's actual change and its first-order prediction, for a nudge `delta`."""
    f, X, dY, index = chain["forward"], chain["X"], chain["upstream"], chain["index"]
    E = np.zeros_like(X)
    E[index] = delta
    actual = np.sum(dY * (f(X + E) - f(X)))
    predicted = chain["gradient"][index] * delta
    return actual, predicted


def has_widget(module):
    """Whether a figure module says what the reader may pick (see CONTRIBUTING.md)."""
    return all(hasattr(module, part) for part in ("PICKS", "DEFAULT", "chain"))


def widget(name, module, lang):
    """Everything the script shows for figure `name` in `lang`, as a dict for JSON."""
    ui = labels(TEXT, lang)
    start = getattr(module, "START", 1)  # the number the page gives the first entry
    picks, gaps = [], []
    for pick in module.PICKS:
        rows = module.layout(lang, pick)
        m, chain = pick_matrix(rows), module.chain(pick)
        shape = np.shape(chain["X"])
        name_of = cell_name(m.pick, chain["index"], shape, start)
        grad = "d" + name_of
        if len(shape) == 1:  # a vector: its position, not a row and a column
            label = ui["pick_position"].format(entry=name_of, i=chain["index"][0] + start,
                                               v=number(m.values[pick]))
        else:
            label = ui["pick"].format(entry=name_of, r=pick[0] + start,
                                      c=pick[1] + start, v=number(m.values[pick]))
        table = []
        for delta in DELTAS:
            actual, predicted = changes(chain, delta)
            gaps.append(abs(actual - predicted))
            table.append([loss_number(actual), loss_number(predicted),
                          loss_number(actual - predicted)])
        picks.append({
            "cell": list(pick),
            "label": label,
            "grad": f"{grad} = {number(chain['gradient'][chain['index']])}",
            "predicted": ui["predicted"].format(grad=grad),
            "rows": [{"h": h, "items": [item(t) for t in items], "f": lines(f)}
                     for h, items, f in rows],
            "deltas": table,
        })
    title = pick_matrix(module.layout(lang)).title
    letter = pick_matrix(module.layout(lang)).pick
    linear = max(gaps) < 1e-12
    return {
        "figure": name,
        "lang": lang,
        "title": ui["title"].format(name=title),
        "hint": ui["hint"].format(name=title, letter=letter),
        "deltaLabel": ui["delta"], "actual": ui["actual"], "gap": ui["gap"],
        "note": ui["exact" if linear else "drift"].format(name=title),
        "deltas": [number(d) for d in DELTAS],
        "firstDelta": FIRST_DELTA,
        "first": module.PICKS.index(module.DEFAULT),
        "picks": picks,
    }


def widget_json(name, module, lang):
    """The widget's data as JSON that is safe inside a <script> element."""
    text = json.dumps(widget(name, module, lang), ensure_ascii=False,
                      separators=(",", ":"))
    return text.replace("</", "<\\/")
