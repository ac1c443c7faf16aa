"""The page's controls for exploring a large group: summaries, search, path focus.

:data:`EXPLORE_SCRIPT` runs before the page's own script
(:data:`~groupkg.viz.page.PAGE_SCRIPT`) and gives it the function that decides what
is drawn: the entities the level of detail (:mod:`groupkg.viz.detail`) shows, and a
summary node for each list still shut. Clicking a summary draws its members;
double-clicking one of them folds the list back; "expand all" and "collapse all"
do so for every list. The search box finds entities by name (case-folded, names
that start with what was typed first, then names that contain it); choosing one
opens the summaries above it, centres the picture on it and selects its path to
the top of the tree. "Only paths to it" draws nothing but the entities through
which the chosen one is held from the top of its group.

Expanding adds the members at the places the layout of the whole view gave them
(the summary sat on the first of them), so nothing drawn moves; the work is a
difference of the vis-network DataSets, done in the page with no request.

Nothing from data becomes markup: names reach the suggestion list through
``textContent``, and the summaries' labels are drawn on the canvas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EXPLORE_CSS", "EXPLORE_SCRIPT", "EXPLORE_TOOLS", "SUMMARY_GROUP"]

#: vis-network options of the ``summary`` node group.
SUMMARY_GROUP: dict[str, Any] = {
    "shape": "box",
    "borderWidth": 1.5,
    "color": {
        "background": "#fffbea",
        "border": "#8a6d1f",
        "highlight": {"background": "#fff3c4", "border": "#e8590c"},
        "hover": {"background": "#fff3c4", "border": "#8a6d1f"},
    },
    "font": {"color": "#5c4813", "size": 14},
    "shapeProperties": {"borderDashes": [6, 3]},
}

EXPLORE_TOOLS = """<div class="gk-tools">
<div class="gk-find">
<input type="search" id="gk-search" placeholder="find an entity" autocomplete="off"
 spellcheck="false" aria-label="find an entity by name" role="combobox"
 aria-autocomplete="list" aria-expanded="false" aria-controls="gk-matches">
<ul id="gk-matches" role="listbox" hidden></ul>
</div>
<label><input type="checkbox" id="gk-focus" disabled> only paths to it</label>
<button type="button" id="gk-expand" hidden>expand all</button>
<button type="button" id="gk-collapse" hidden>collapse all</button>
<span id="gk-hint"></span>
</div>
"""

EXPLORE_CSS = """
.gk-tools { display: flex; align-items: center; flex-wrap: wrap; gap: 6px 12px;
  font-size: 13px; margin: 4px 0; }
.gk-find { position: relative; }
#gk-search { width: 18rem; font: inherit; padding: 2px 6px; }
#gk-matches { position: absolute; z-index: 10; left: 0; right: 0; margin: 2px 0 0;
  padding: 0; list-style: none; background: #fff; border: 1px solid #ccc;
  box-shadow: 0 4px 12px rgba(0, 0, 0, .12); max-height: 18rem; overflow-y: auto; }
#gk-matches li { padding: 3px 6px; cursor: pointer; }
#gk-matches li[aria-selected="true"], #gk-matches li:hover { background: #e8f0fa; }
#gk-hint { color: #555; }
"""

# Defines window.groupkgDetail(api, items): what the page draws of a state, and the
# controls above. ``items`` turns records into DataSet items (tooltips as elements).
EXPLORE_SCRIPT = """
window.groupkgDetail = function (api, items) {
  "use strict";
  var network = api.network;
  var search = document.getElementById("gk-search");
  var list = document.getElementById("gk-matches");
  var focusBox = document.getElementById("gk-focus");
  var expandAll = document.getElementById("gk-expand");
  var collapseAll = document.getElementById("gk-collapse");
  var hint = document.getElementById("gk-hint");
  var prepared = [];
  var now = null;
  var found = [];
  var active = -1;

  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  // The state's records indexed once: its tree, its summaries, folded names.
  function prepare(state) {
    var detail = state.detail || {links: [], summaries: []};
    var at = {up: {}, behind: {}, role: {}, summary: {}, owners: {}, edgeIds: {}};
    detail.links.forEach(function (link) {
      at.up[link[0]] = link[1];
      at.behind[link[0]] = link[2];
      at.role[link[0]] = link[3];
    });
    detail.summaries.forEach(function (summary, i) { at.summary[summary.id] = i; });
    state.edges.forEach(function (edge) {
      (at.owners[edge.to] = at.owners[edge.to] || []).push(edge.from);
      at.edgeIds[edge.from + "\\u0000" + edge.to] = edge.id;
    });
    return {
      state: state,
      links: detail.links,
      summaries: detail.summaries,
      expanded: detail.summaries.map(function () { return false; }),
      at: at,
      names: state.nodes.map(function (node) { return fold(node.label || ""); }),
      target: null
    };
  }

  function shownSet() {
    var shown = {};
    now.state.nodes.forEach(function (node) {
      if (!(node.id in now.at.up)) { shown[node.id] = true; }
    });
    now.links.forEach(function (link) {  // parents come first
      if (shown[link[1]] && (link[2] < 0 || now.expanded[link[2]])) { shown[link[0]] = true; }
    });
    return shown;
  }

  // Everything through which the target is held from the top of its group: its
  // owners, theirs, and so on, leaving out holders outside the control tree.
  function pathSet(target) {
    var shown = {};
    var todo = [target];
    shown[target] = true;
    while (todo.length) {
      (now.at.owners[todo.pop()] || []).forEach(function (owner) {
        if (!shown[owner] && now.at.role[owner] !== "holder") {
          shown[owner] = true;
          todo.push(owner);
        }
      });
    }
    return shown;
  }

  function wanted() {
    var focused = focusBox.checked && now.target !== null;
    var shown = focused ? pathSet(now.target) : shownSet();
    var nodes = now.state.nodes.filter(function (node) { return shown[node.id]; });
    var edges = now.state.edges.filter(function (edge) {
      return shown[edge.from] && shown[edge.to];
    });
    if (!focused) {
      now.summaries.forEach(function (summary, i) {
        if (now.expanded[i] || !shown[summary.up]) { return; }
        nodes.push({id: summary.id, label: summary.label, title: summary.title,
                    x: summary.x, y: summary.y, group: "summary", shape: "box"});
        var holder = summary.role === "holder";
        edges.push({id: summary.id + " edge", from: holder ? summary.id : summary.up,
                    to: holder ? summary.up : summary.id, dashes: [4, 4],
                    color: {color: "#8a6d1f", highlight: "#e8590c", inherit: false}});
      });
    }
    return [nodes, edges];
  }

  // The DataSet brought to what is wanted: only the difference is removed and added.
  function sync(set, records) {
    var want = {};
    records.forEach(function (record) { want[record.id] = true; });
    var have = {};
    var gone = set.getIds().filter(function (id) { have[id] = true; return !want[id]; });
    set.remove(gone);
    set.add(items(records.filter(function (record) { return !have[record.id]; })));
  }

  function redraw() {
    var both = wanted();
    sync(api.nodes, both[0]);
    sync(api.edges, both[1]);
    var shut = now.expanded.filter(function (open) { return !open; }).length;
    expandAll.hidden = collapseAll.hidden = now.summaries.length === 0;
    expandAll.disabled = shut === 0;
    collapseAll.disabled = shut === now.summaries.length;
    hint.textContent = now.summaries.length
      ? "click a + box to draw what it stands for; double-click an entity to fold its list back"
      : "";
    api.summaries = shut;
  }

  // Another state of a timeline: its records replace the last state's whole (an
  // entity may look different in it); within one state only the difference changes.
  function draw(state, index) {
    if (now !== prepared[index] || !now) {
      api.nodes.clear();
      api.edges.clear();
    }
    now = prepared[index] = prepared[index] || prepare(state);
    focusBox.disabled = now.target === null;
    redraw();
  }

  function expand(id) {
    var i = now.at.summary[id];
    if (i === undefined) { return false; }
    now.expanded[i] = true;
    redraw();
    return true;
  }

  function foldBack(id) {
    var i = now.at.behind[id];
    if (i === undefined || i < 0 || !now.expanded[i]) { return false; }
    now.expanded[i] = false;
    redraw();
    return true;
  }

  function all(open) {
    now.expanded = now.expanded.map(function () { return open; });
    focusBox.checked = false;
    redraw();
  }

  // The entity's chain up the tree, itself first.
  function chain(id) {
    var up = [id];
    while (up[up.length - 1] in now.at.up) { up.push(now.at.up[up[up.length - 1]]); }
    return up;
  }

  // Open what hides the entity, centre on it, select its path to the top.
  function reveal(id) {
    if (!now.state.nodes.some(function (node) { return node.id === id; })) { return false; }
    var up = chain(id);
    up.forEach(function (node) {
      var i = now.at.behind[node];
      if (i !== undefined && i >= 0) { now.expanded[i] = true; }
    });
    now.target = id;
    focusBox.disabled = false;
    redraw();
    var lines = [];
    for (var k = 0; k + 1 < up.length; k += 1) {
      var edge = now.at.edgeIds[up[k + 1] + "\\u0000" + up[k]] ||
        now.at.edgeIds[up[k] + "\\u0000" + up[k + 1]];
      if (edge !== undefined) { lines.push(edge); }
    }
    network.setSelection({nodes: up, edges: lines}, {unselectAll: true, highlightEdges: false});
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: false});
    return true;
  }

  function matches(text) {
    var wantedText = fold(text.trim());
    if (!wantedText) { return []; }
    var first = [];
    var then = [];
    now.names.forEach(function (name, i) {
      var at = name.indexOf(wantedText);
      if (at === 0) { first.push(i); } else if (at > 0) { then.push(i); }
    });
    var byName = function (a, b) {
      return now.names[a] < now.names[b] ? -1 : now.names[a] > now.names[b] ? 1 : a - b;
    };
    return first.sort(byName).concat(then.sort(byName)).slice(0, 12).map(function (i) {
      var node = now.state.nodes[i];
      return {id: node.id, label: node.label};
    });
  }

  function mark() {
    Array.prototype.forEach.call(list.children, function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
    });
  }

  function close() {
    list.hidden = true;
    search.setAttribute("aria-expanded", "false");
  }

  function choose(match) {
    search.value = match.label;
    close();
    reveal(match.id);
  }

  function suggest() {
    found = matches(search.value);
    active = found.length ? 0 : -1;
    list.replaceChildren.apply(list, found.map(function (match) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.textContent = match.label;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(match);
      });
      return item;
    }));
    list.hidden = !found.length;
    search.setAttribute("aria-expanded", found.length ? "true" : "false");
    mark();
  }

  search.addEventListener("input", suggest);
  search.addEventListener("keydown", function (event) {
    event.stopPropagation();  // the arrow keys move in the list, not the timeline
    if (event.key === "ArrowDown" && found.length) {
      active = (active + 1) % found.length;
      mark();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && found.length) {
      active = (active - 1 + found.length) % found.length;
      mark();
      event.preventDefault();
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      choose(found[active]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  search.addEventListener("blur", function () { setTimeout(close, 150); });
  focusBox.addEventListener("change", function () {
    redraw();
    if (now.target !== null) { reveal(now.target); }
  });
  expandAll.addEventListener("click", function () { all(true); });
  collapseAll.addEventListener("click", function () { all(false); });
  network.on("click", function (params) {
    if (params.nodes.length === 1) { expand(params.nodes[0]); }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length === 1) { foldBack(params.nodes[0]); }
  });

  api.find = matches;
  api.reveal = reveal;
  api.expand = expand;
  api.collapse = foldBack;
  api.expandAll = function () { all(true); };
  api.collapseAll = function () { all(false); };
  return {draw: draw};
};
"""
