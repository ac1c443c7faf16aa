"""The page of a control view: every rule set side by side, one panel each, under a
table that compares them, and :func:`control_html` that writes it.

The page is :mod:`groupkg.viz.page`'s, extended (vis-network inlined, a strict
Content-Security-Policy, data in a JSON block with ``<``, ``>`` and ``&`` escaped). Each
panel draws its rule set's picture in a network of its own, every one from the same
node positions and fitted to the same box, so that an entity sits at the same place in
every panel; the panels wrap in a grid. The panels' and the table's words travel in
the JSON block and reach the page only through ``textContent``; nothing from data is
ever markup.
"""

from __future__ import annotations

from pathlib import Path

from groupkg.viz.controlview import ControlView
from groupkg.viz.page import DRAWING_HELPERS
from groupkg.viz.render import page_html

__all__ = ["CONTROL_PAGE", "CONTROL_SCRIPT", "control_html", "write_control_html"]

CONTROL_PAGE = """{% extends "page" %}
{% block controls %}<p id="gk-listed"></p>{% endblock %}
{% block tools %}{% endblock %}
{% block main %}<main id="gk-control">
<section id="gk-compare" aria-labelledby="gk-compare-title">
<h2 id="gk-compare-title">Who qualifies under each rule set</h2>
<table id="gk-table"></table>
</section>
<div id="gk-panels"></div>
</main>{% endblock %}
{% block drawing %}{% endblock %}
{% block scripts %}{% for script in scripts %}<script>{{ script|safe }}</script>
{% endfor %}{% endblock %}
"""

CONTROL_CSS = """
html, body { height: auto; min-height: 100%; }
#gk-caption { display: none; }
#gk-listed { margin: 4px 0; font-size: 13px; color: #444; }
#gk-listed:empty { display: none; }
#gk-control { padding: 8px 14px 24px; font-size: 13px; }
#gk-compare h2 { font-size: 15px; margin: 4px 0 6px; }
#gk-table { border-collapse: collapse; margin-bottom: 12px; }
#gk-table th, #gk-table td { border: 1px solid #ddd; padding: 4px 8px; text-align: left;
  vertical-align: top; }
#gk-table thead th { background: #f4f4f4; font-weight: 600; max-width: 220px; }
.gk-how { display: block; font-weight: normal; font-size: 11px; color: #555; }
.gk-kind { display: block; font-weight: normal; font-size: 11px; color: #666; }
.gk-cell.gk-certain { background: #fff0e6; border: 2px solid #e8590c; }
.gk-cell.gk-possible { background: #fffaf5; border: 2px dashed #f0a070; }
.gk-cell.gk-no { color: #888; }
.gk-verdict { font-weight: 600; }
.gk-figure { display: block; font-size: 12px; }
.gk-empty { color: #666; font-style: italic; }
#gk-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr));
  gap: 12px; }
.gk-panel { border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; min-width: 0; }
.gk-panel h2 { font-size: 15px; margin: 4px 0; }
.gk-named { font-weight: 600; margin: 4px 0; color: #b34700; }
.gk-panel.gk-none .gk-named { color: #444; }
.gk-picture { height: 420px; border: 1px solid #eee; position: relative; }
.gk-rule, .gk-comment { margin: 4px 0; color: #444; }
.gk-comment { font-size: 12px; }
.gk-holders { list-style: none; padding: 0; margin: 8px 0; }
.gk-holder { border: 2px solid #e8590c; border-radius: 4px; padding: 6px 8px;
  margin-bottom: 8px; }
.gk-holder.gk-possible { border-style: dashed; border-color: #f0a070; }
.gk-holder-head { font-weight: 600; }
.gk-status { font-weight: normal; font-size: 11px; padding: 0 5px; border-radius: 3px;
  margin-left: 4px; background: #e8590c; color: #fff; }
.gk-possible .gk-status { background: #fff; color: #b34700; border: 1px dashed #b34700; }
.gk-chains { margin: 4px 0 0; padding-left: 18px; }
.gk-chains li { margin: 2px 0; }
.gk-stake { color: #b34700; }
.gk-nobody { font-weight: 600; margin: 8px 0 4px; }
.gk-reasons { margin: 0; padding-left: 18px; }
.gk-swatch.gk-edge-possible { border-top: 3px dashed #e8590c; }
"""

# Builds the table and the panels from the JSON block with textContent only, and draws
# each panel's picture: one vis-network per rule set, all fitted to the one box the
# layout reckoned, so that every entity sits at the same place in every panel.
CONTROL_SCRIPT = (
    """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gk-data").textContent);
  var control = data.control;
"""
    + DRAWING_HELPERS
    + """
  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function chain(found) {
    var item = element("li");
    found.steps.forEach(function (step, index) {
      if (index === 0) { item.appendChild(element("span", "gk-party", step.owner)); }
      var stake = element("span", "gk-stake", " \\u2192 " + step.stake + " \\u2192 ");
      if (step.sources) { stake.title = "sources: " + step.sources; }
      item.appendChild(stake);
      item.appendChild(element("span", "gk-party", step.owned));
    });
    item.appendChild(element("span", "gk-carries", " (carries " + found.carries + ")"));
    return item;
  }

  function holder(found) {
    var item = element("li", "gk-holder gk-" + found.status);
    var head = element("div", "gk-holder-head");
    head.appendChild(element("span", "gk-name", found.name));
    head.appendChild(element("span", "gk-status", found.status));
    item.appendChild(head);
    item.appendChild(element("div", "gk-what",
      found.role + ", " + found.percent + "; by " + found.interests));
    var chains = element("ul", "gk-chains");
    found.chains.forEach(function (each) { chains.appendChild(chain(each)); });
    item.appendChild(chains);
    return item;
  }

  // -- the table: a row per holder that qualifies anywhere, a column per rule set --
  function table() {
    var columns = control.table.columns;
    var head = element("thead");
    var line = element("tr");
    line.appendChild(element("th", "", "holder"));
    columns.forEach(function (column) {
      var cell = element("th", "gk-column", column.label);
      cell.scope = "col";
      cell.title = column.rule;
      cell.dataset.rule = column.name;
      line.appendChild(cell);
    });
    head.appendChild(line);
    var body = element("tbody");
    control.table.rows.forEach(function (row) {
      var tr = element("tr", "gk-row");
      var name = element("th", "gk-holder-name", row.name);
      name.scope = "row";
      name.appendChild(element("span", "gk-kind", row.kind));
      tr.appendChild(name);
      row.cells.forEach(function (found, index) {
        var cell = element("td", "gk-cell gk-" + found.status);
        cell.dataset.rule = columns[index].name;
        cell.appendChild(element("span", "gk-verdict", found.status));
        if (found.status === "no") {
          cell.appendChild(element("span", "gk-figure", found.percent));
        } else {
          cell.title = found.role;
          cell.appendChild(element("span", "gk-figure",
            found.percent + "; by " + found.interests));
        }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    if (!control.table.rows.length) {
      var none = element("tr");
      var cell = element("td", "gk-empty", "nobody qualifies under any of these rule sets");
      cell.colSpan = columns.length + 1;
      none.appendChild(cell);
      body.appendChild(none);
    }
    document.getElementById("gk-table").replaceChildren(head, body);
  }

  // -- the panels: the rule set, who qualifies, its picture, the evidence --
  function panel(words, state) {
    var section = element("section", "gk-panel" + (words.holders.length ? "" : " gk-none"));
    section.dataset.rule = words.name;
    section.appendChild(element("h2", "gk-panel-label", words.label));
    section.appendChild(element("p", "gk-named", words.named));
    var picture = element("div", "gk-picture");
    picture.setAttribute("role", "img");
    picture.setAttribute("aria-label", state.caption);
    section.appendChild(picture);
    section.appendChild(element("p", "gk-rule", words.rule));
    if (words.comment) { section.appendChild(element("p", "gk-comment", words.comment)); }
    var holders = element("ol", "gk-holders");
    words.holders.forEach(function (found) { holders.appendChild(holder(found)); });
    section.appendChild(holders);
    if (!words.holders.length) { section.appendChild(element("p", "gk-nobody", words.nobody)); }
    var reasons = element("ul", "gk-reasons");
    words.reasons.forEach(function (reason) {
      reasons.appendChild(element("li", "gk-reason", reason));
    });
    section.appendChild(reasons);
    return {section: section, picture: picture};
  }

  var api = {rules: control.panels.map(function (p) { return p.name; }), panels: [],
             ready: false};
  var drawn = 0;

  function fit(one) {
    if (data.extent) {
      fitExtent(one.network, one.container, data.extent);
    } else {
      one.network.fit();
    }
  }

  // A panel is at least as wide as its chart at 70% (where labels are still drawn) when
  // the page allows it, so a wide chart takes a row to itself and a narrow one shares
  // it; every picture is as high as the chart at that width asks, the same in all.
  function size() {
    if (!data.extent) { return; }
    var wide = data.extent[2] - data.extent[0];
    var high = data.extent[3] - data.extent[1];
    var least = Math.max(420, Math.round(wide * 0.7 + 24));
    grid.style.gridTemplateColumns =
      "repeat(auto-fit, minmax(min(100%, " + least + "px), 1fr))";
    var width = made[0].picture.clientWidth;
    var height = Math.max(220, Math.min(560, Math.round(high * Math.min(width / wide, 1.2))));
    made.forEach(function (built) { built.picture.style.height = height + "px"; });
  }

  table();
  document.getElementById("gk-listed").textContent = control.listed;
  var grid = document.getElementById("gk-panels");
  var made = control.panels.map(function (words, index) {
    var built = panel(words, data.states[index]);
    grid.appendChild(built.section);
    return built;
  });
  // Drawn once every panel is in the grid, so that every picture has its final size.
  size();
  made.forEach(function (built, index) {
    var state = data.states[index];
    var nodes = new vis.DataSet(items(state.nodes));
    var edges = new vis.DataSet(items(state.edges));
    var network = new vis.Network(built.picture, {nodes: nodes, edges: edges}, data.options);
    var one = {name: state.name, network: network, nodes: nodes, edges: edges,
               container: built.picture};
    network.once("afterDrawing", function () {
      drawn += 1;
      api.ready = drawn === made.length;
    });
    api.panels.push(one);
    fit(one);
  });
  window.addEventListener("resize", function () {
    size();
    api.panels.forEach(fit);
  });
  window.groupkgControl = api;
})();
"""
)


def control_html(view: ControlView) -> str:
    """The page of a control view: the table comparing the rule sets, and every rule
    set's picture and panel side by side."""
    answer = view.answer
    listed = ""
    if answer["listed"]:
        listed = f"{answer['entity']['name']} is listed: " + "; ".join(answer["listings"])
    control = {"panels": view.panels, "listed": listed, "table": view.table}
    states = _States(view.views)
    states.title = view.title
    return page_html(
        states,
        page=CONTROL_PAGE,
        data={"control": control},
        css=CONTROL_CSS,
        scripts=(CONTROL_SCRIPT,),
    )


class _States(list):  # type: ignore[type-arg]
    """The rule sets' pictures, ``(name, View)``, under the page's one title."""

    title: str = ""


def write_control_html(view: ControlView, path: str | Path) -> Path:
    """Write the page of a control view to ``path``; return the path."""
    from groupkg.graph.output import write_output

    return write_output(path, control_html(view))
