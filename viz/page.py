"""The HTML page a view is drawn on: markup, styles and the small script that runs it.

Kept as Python strings so that the page ships with the package wherever it is
installed. Nothing here comes from data: names, tooltips and captions travel in a
JSON block and reach the page only through ``textContent`` or as vis-network
labels, which are drawn on a canvas.
"""

from __future__ import annotations

__all__ = ["DRAWING_HELPERS", "PAGE", "PAGE_CSS", "PAGE_SCRIPT"]

# ``{{ ... }}`` is autoescaped; ``|safe`` marks text the renderer has made safe for
# its context (inlined library code, JSON with ``<``, ``>`` and ``&`` escaped, hashes).
# A page with more on it (the control view's) extends this one as "page", filling
# its blocks: the controls under the title, the tools, the main part, the scripts that
# draw it (the explorer's and the page's, or its own) and the scripts that follow.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ policy }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="groupkg">
<title>{{ title }}</title>
<style>{{ vis_css|safe }}</style>
<style>{{ page_css|safe }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
{% block controls %}{% if states > 1 %}<div class="gk-steps">
<button type="button" id="gk-prev" title="previous state">&#9664;</button>
<input type="range" id="gk-slider" min="0" max="{{ states - 1 }}" step="1" value="0"
 aria-label="state of the group">
<button type="button" id="gk-next" title="next state">&#9654;</button>
<span id="gk-step"></span>
</div>{% endif %}{% endblock %}
<p id="gk-caption"></p>
<ul class="gk-legend">
{% for item in legend %}<li><span class="gk-swatch gk-{{ item.target }}
 gk-{{ item.target }}-{{ item.style }}"></span>{{ item.text }}</li>
{% endfor %}</ul>
{% block tools %}{{ tools|safe }}{% endblock %}
</header>
{% block main %}<main id="gk-network"></main>{% endblock %}
<script type="application/json" id="gk-data">{{ data|safe }}</script>
<script>{{ vis_js|safe }}</script>
{% block drawing %}<script>{{ explore_js|safe }}</script>
<script>{{ page_js|safe }}</script>
{% endblock %}{% block scripts %}{% endblock %}</body>
</html>
"""

PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 8px 14px 4px; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 2px 0 6px; }
#gk-caption { margin: 4px 0; font-size: 13px; color: #444; min-height: 1em; }
.gk-steps { display: flex; align-items: center; gap: 8px; font-size: 13px; }
#gk-slider { flex: 1; max-width: 640px; }
#gk-step { font-variant-numeric: tabular-nums; }
.gk-legend { list-style: none; margin: 4px 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 4px 16px; font-size: 12px; }
.gk-legend li { display: flex; align-items: center; gap: 6px; }
.gk-swatch { display: inline-block; box-sizing: border-box; }
.gk-swatch.gk-node { width: 22px; height: 14px; border: 2px solid #888; border-radius: 3px; }
.gk-swatch.gk-edge { width: 28px; height: 0; border-top: 3px solid #888; }
#gk-network { flex: 1; min-height: 360px; position: relative; }
.gk-tip { white-space: pre-line; max-width: 420px; font-size: 12px; line-height: 1.35; }
"""

# Shared by the scripts that draw a picture (this page's and the control page's), inside
# their functions: vis-network items with their tooltips as elements, and the fit of a
# picture to the box the layout reckoned around every node and label.
DRAWING_HELPERS = """
  // A tooltip is an element filled with textContent: data never becomes markup.
  function tooltip(text) {
    var box = document.createElement("div");
    box.className = "gk-tip";
    box.textContent = text;
    return box;
  }

  function items(list) {
    return list.map(function (item) {
      var copy = Object.assign({}, item);
      if (typeof copy.title === "string") {
        copy.title = tooltip(copy.title);
      }
      return copy;
    });
  }

  function fitExtent(network, container, extent) {
    var scale = Math.min(
      container.clientWidth / (extent[2] - extent[0]),
      container.clientHeight / (extent[3] - extent[1]),
      1.5
    );
    var middle = {x: (extent[0] + extent[2]) / 2, y: (extent[1] + extent[3]) / 2};
    network.moveTo({position: middle, scale: scale});
  }
"""

# Runs the page: builds the vis-network DataSets from the embedded JSON, swaps them
# when the timeline moves, and exposes the network as ``window.groupkgNetwork``.
PAGE_SCRIPT = (
    """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gk-data").textContent);
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var container = document.getElementById("gk-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  var slider = document.getElementById("gk-slider");
  var step = document.getElementById("gk-step");
  var caption = document.getElementById("gk-caption");

"""
    + DRAWING_HELPERS
    + """
  var api = {
    network: network,
    nodes: nodes,
    edges: edges,
    states: data.states.length,
    state: -1,
    ready: false,
    show: show
  };

  function show(index) {
    index = Math.max(0, Math.min(data.states.length - 1, index));
    var state = data.states[index];
    if (detail) {
      detail.draw(state, index);
    } else {
      nodes.clear();
      edges.clear();
      nodes.add(items(state.nodes));
      edges.add(items(state.edges));
    }
    caption.textContent = state.caption;
    if (slider) {
      slider.value = String(index);
      step.textContent = (index + 1) + " / " + data.states.length + ": " + state.name;
    }
    api.state = index;
    return index;
  }

  // -- fitting: the box the layout reckoned around every node and label of every
  // state, so that nothing is cut off at the edge and stepping moves nothing --

  // A timeline opens on every state at once (positions are shared), so stepping
  // through it moves nothing off screen; a single view fits itself.
  function fitAll() {
    if (data.extent) {
      fitExtent(network, container, data.extent);
      return;
    }
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    data.states.forEach(function (state) {
      state.nodes.forEach(function (node) {
        if (typeof node.x !== "number" || typeof node.y !== "number") { return; }
        left = Math.min(left, node.x);
        right = Math.max(right, node.x);
        top = Math.min(top, node.y);
        bottom = Math.max(bottom, node.y);
      });
    });
    if (data.states.length === 1 || left === Infinity) {
      network.fit();
      return;
    }
    var scale = Math.min(
      container.clientWidth / (right - left + 320),
      container.clientHeight / (bottom - top + 160),
      1.5
    );
    network.moveTo({position: {x: (left + right) / 2, y: (top + bottom) / 2}, scale: scale});
  }

  // The level of detail and the search box (groupkg.viz.explore), when the page has them.
  var detail = window.groupkgDetail ? window.groupkgDetail(api, items) : null;
  window.groupkgNetwork = api;
  network.once("afterDrawing", function () { api.ready = true; });
  show(0);
  fitAll();
  if (slider) {
    slider.addEventListener("input", function () { show(Number(slider.value)); });
    document.getElementById("gk-prev").addEventListener("click", function () {
      show(api.state - 1);
    });
    document.getElementById("gk-next").addEventListener("click", function () {
      show(api.state + 1);
    });
    document.addEventListener("keydown", function (event) {
      if (event.target === slider) { return; }
      if (event.key === "ArrowLeft") { show(api.state - 1); }
      if (event.key === "ArrowRight") { show(api.state + 1); }
    });
  }
})();
"""
)
