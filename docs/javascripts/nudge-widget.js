/* The interactive "what moves" figures: the reader picks the entry to nudge.

   Display only: every number, color and sentence comes from the JSON that the build
   writes into the page (hooks/figures.py, from hooks/nudge_figures/widget.py, which
   computes them with the functions of snippets/). This script does no arithmetic on
   them; it shows the data of the entry the reader picks, and of the chosen Δ.
   Without JavaScript, and in print, the static SVG figure stays. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var SIDES = { t: "borderTop", b: "borderBottom", l: "borderLeft", r: "borderRight" };

  function drawCell(td, cell) {
    if (cell.bg) {
      td.style.backgroundColor = cell.bg;
      td.classList.add("nudge-colored");
    }
    if (cell.m) td.setAttribute("data-moves", cell.m);
    if (cell.e) td.style.boxShadow = "inset 0 0 0 3px " + cell.e;
    if (cell.b) {
      cell.b[1].split("").forEach(function (side) {
        td.style[SIDES[side]] = "3px solid " + cell.b[0];
      });
    }
  }

  function drawMatrix(item, widget) {
    var box = el("div", "nudge-matrix");
    box.setAttribute("data-title", item.title);
    if (item.cells.some(function (row) { return row.some(function (c) { return c.m; }); })) {
      box.setAttribute("data-heat", "");
    }
    var table = el("table", "nudge-grid");
    table.appendChild(el("caption", "", item.title));
    var body = el("tbody");
    item.cells.forEach(function (row, r) {
      var tr = el("tr");
      row.forEach(function (cell, c) {
        var td = el("td");
        drawCell(td, cell);
        if (item.pick) {
          var index = widget.cellIndex(r, c);
          var button = el("button", "", cell.t);
          button.type = "button";
          button.setAttribute("data-cell", r + "," + c);
          button.setAttribute("aria-label", widget.data.picks[index].label);
          button.setAttribute("aria-pressed", String(index === widget.current));
          button.addEventListener("click", function () { widget.pick(index, true); });
          button.addEventListener("keydown", function (event) { widget.arrow(event, r, c); });
          td.appendChild(button);
        } else {
          td.textContent = cell.t;
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
    box.appendChild(el("div", "nudge-shape", item.shape));
    return box;
  }

  function drawCurve(item) {
    var NS = "http://www.w3.org/2000/svg";
    var box = el("div", "nudge-curve");
    box.appendChild(el("div", "nudge-curve-title", item.title));
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + item.w + " " + item.h);
    svg.setAttribute("aria-hidden", "true");
    [["curve", "nudge-line"], ["tangent", "nudge-tangent"]].forEach(function (part) {
      var path = document.createElementNS(NS, "path");
      path.setAttribute("d", item[part[0]]);
      path.setAttribute("class", part[1]);
      svg.appendChild(path);
    });
    var dot = document.createElementNS(NS, "circle");
    var xy = item.dot.split(",");
    dot.setAttribute("cx", xy[0]);
    dot.setAttribute("cy", xy[1]);
    dot.setAttribute("r", "3");
    dot.setAttribute("class", "nudge-dot");
    svg.appendChild(dot);
    box.appendChild(svg);
    return box;
  }

  function drawItem(item, widget) {
    if (item.k === "m") return drawMatrix(item, widget);
    if (item.k === "c") return drawCurve(item);
    var op = el("div", "nudge-op");
    if (item.l) op.appendChild(el("div", "nudge-op-label", item.l));
    op.appendChild(el("div", item.s.length === 1 ? "nudge-op-symbol" : "nudge-op-word", item.s));
    return op;
  }

  function Widget(data, figure, number) {
    var self = this;
    this.data = data;
    this.current = data.first;
    this.delta = data.firstDelta;
    this.root = el("div", "nudge-widget");
    this.root.setAttribute("data-figure", data.figure);
    this.root.setAttribute("role", "group");
    var title = el("p", "nudge-title", data.title);
    title.id = "nudge-" + data.figure + "-" + number;
    this.root.setAttribute("aria-labelledby", title.id);
    this.root.appendChild(title);
    this.root.appendChild(el("p", "nudge-hint", data.hint));
    this.rows = el("div", "nudge-rows");
    this.root.appendChild(this.rows);

    var panel = el("div", "nudge-delta");
    var label = el("label", "", data.deltaLabel);
    var range = el("input");
    range.type = "range";
    range.min = "0";
    range.max = String(data.deltas.length - 1);
    range.step = "1";
    range.value = String(this.delta);
    range.id = title.id + "-delta";
    label.htmlFor = range.id;
    this.range = range;
    this.deltaShown = el("output", "nudge-delta-value");
    this.deltaShown.htmlFor = range.id;
    range.addEventListener("input", function () { self.setDelta(Number(range.value)); });
    var control = el("div", "nudge-delta-control");
    control.appendChild(label);
    control.appendChild(range);
    control.appendChild(this.deltaShown);
    panel.appendChild(control);
    this.grad = el("p", "nudge-grad");
    this.grad.setAttribute("data-nudge", "grad");
    panel.appendChild(this.grad);
    var list = el("dl", "nudge-changes");
    this.values = {};
    [["actual", data.actual], ["predicted", ""], ["gap", data.gap]].forEach(function (part) {
      var dt = el("dt", "", part[1]);
      var dd = el("dd");
      dd.setAttribute("data-nudge", part[0]);
      self.values[part[0]] = dd;
      self.values[part[0] + "Label"] = dt;
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.appendChild(list);
    panel.appendChild(el("p", "nudge-note", data.note));
    this.root.appendChild(panel);
    this.live = el("p", "nudge-sr");
    this.live.setAttribute("aria-live", "polite");
    this.root.appendChild(this.live);

    figure.parentNode.insertBefore(this.root, figure);
    figure.classList.add("nudge-replaced");
    this.pick(this.current, false);
  }

  Widget.prototype.cellIndex = function (r, c) {
    for (var i = 0; i < this.data.picks.length; i++) {
      var cell = this.data.picks[i].cell;
      if (cell[0] === r && cell[1] === c) return i;
    }
    return -1;
  };

  Widget.prototype.pick = function (index, announce) {
    var self = this;
    var pick = this.data.picks[index];
    var focused = this.root.contains(document.activeElement) &&
      document.activeElement.getAttribute("data-cell");
    this.current = index;
    this.rows.textContent = "";
    pick.rows.forEach(function (row) {
      var part = el("div", "nudge-row");
      part.appendChild(el("p", "nudge-heading", row.h));
      var items = el("div", "nudge-items");
      row.items.forEach(function (item) { items.appendChild(drawItem(item, self)); });
      part.appendChild(items);
      row.f.forEach(function (line) { part.appendChild(el("p", "nudge-formula", line)); });
      self.rows.appendChild(part);
    });
    if (focused) {
      var cell = pick.cell[0] + "," + pick.cell[1];
      var button = this.rows.querySelector('button[data-cell="' + cell + '"]');
      if (button) button.focus();
    }
    this.grad.textContent = pick.grad;
    this.values.predictedLabel.textContent = pick.predicted;
    this.setDelta(this.delta);
    if (announce) {
      var last = pick.rows[pick.rows.length - 1];
      this.live.textContent = [pick.rows[0].h, last.h].concat(last.f).join(". ");
    }
  };

  Widget.prototype.setDelta = function (index) {
    var row = this.data.picks[this.current].deltas[index];
    var text = "Δ = " + this.data.deltas[index];
    this.delta = index;
    this.range.value = String(index);
    this.range.setAttribute("aria-valuetext", text);
    this.deltaShown.textContent = text;
    this.values.actual.textContent = row[0];
    this.values.predicted.textContent = row[1];
    this.values.gap.textContent = row[2];
  };

  var MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  Widget.prototype.arrow = function (event, r, c) {
    var move = MOVES[event.key];
    if (!move) return;
    var target = this.rows.querySelector(
      'button[data-cell="' + (r + move[0]) + "," + (c + move[1]) + '"]');
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };

  function start() {
    var nodes = document.querySelectorAll("script.nudge-data");
    Array.prototype.forEach.call(nodes, function (node, number) {
      var data = JSON.parse(node.textContent);
      var image = document.querySelector('img[src$="figures/' + data.figure + '.svg"]');
      var figure = image && (image.closest("figure") || image);
      if (figure) new Widget(data, figure, number);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
