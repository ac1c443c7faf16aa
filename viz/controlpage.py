"""The page of a control view: the picture of each rule set beside its panel, a
selector to switch rule sets, and :func:`control_html` that writes it.

The page is :mod:`groupkg.viz.page`'s, extended (vis-network inlined, a strict
Content-Security-Policy, data in a JSON block with ``<``, ``>`` and ``&`` escaped),
with a panel beside the picture. The panels' words travel in the JSON block and reach
the page only through ``textContent``; nothing from data is ever markup.
"""

from __future__ import annotations

from pathlib import Path

from groupkg.viz.controlview import ControlView
from groupkg.viz.render import page_html

__all__ = ["CONTROL_PAGE", "CONTROL_SCRIPT", "control_html", "write_control_html"]

CONTROL_PAGE = """{% extends "page" %}
{% block controls %}<label class="gk-rules">Rule set <select id="gk-rules"></select></label>
{%- endblock %}
{% block main %}<div class="gk-body">
<main id="gk-network"></main>
<aside id="gk-control" aria-live="polite">
<h2 id="gk-rule-label"></h2>
<p id="gk-rule"></p>
<p id="gk-comment"></p>
<p id="gk-listed"></p>
<ol id="gk-holders"></ol>
<p id="gk-nobody"></p>
<ul id="gk-reasons"></ul>
</aside>
</div>{% endblock %}
{% block scripts %}{% for script in scripts %}<script>{{ script|safe }}</script>
{% endfor %}{% endblock %}
"""

CONTROL_CSS = """
.gk-body { flex: 1; display: flex; min-height: 360px; }
.gk-rules { font-size: 13px; }
#gk-control { width: 420px; overflow-y: auto; border-left: 1px solid #ddd;
  padding: 6px 14px; font-size: 13px; }
#gk-control h2 { font-size: 15px; margin: 6px 0; }
#gk-rule, #gk-comment, #gk-listed { margin: 4px 0; color: #444; }
#gk-comment { font-size: 12px; }
#gk-holders { list-style: none; padding: 0; margin: 8px 0; }
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
#gk-nobody { font-weight: 600; margin: 8px 0 4px; }
#gk-reasons { margin: 0; padding-left: 18px; }
.gk-swatch.gk-edge-possible { border-top: 3px dashed #e8590c; }
"""

# Runs the panel and the selector: fills them from the JSON block with textContent
# only, and switches the picture with the page script's ``show``.
CONTROL_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gk-data").textContent);
  var control = data.control;
  var picture = window.groupkgNetwork;
  var select = document.getElementById("gk-rules");

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function fill(id, text) {
    var target = document.getElementById(id);
    target.textContent = text;
    target.hidden = !text;
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

  function show(index) {
    var panel = control.panels[index];
    picture.show(index);
    select.value = String(index);
    fill("gk-rule-label", panel.label);
    fill("gk-rule", panel.rule);
    fill("gk-comment", panel.comment);
    var holders = document.getElementById("gk-holders");
    holders.replaceChildren();
    panel.holders.forEach(function (found) { holders.appendChild(holder(found)); });
    fill("gk-nobody", panel.holders.length ? "" : panel.nobody);
    var reasons = document.getElementById("gk-reasons");
    reasons.replaceChildren();
    panel.reasons.forEach(function (reason) {
      reasons.appendChild(element("li", "gk-reason", reason));
    });
    api.rule = panel.name;
    return index;
  }

  control.panels.forEach(function (panel, index) {
    var option = element("option", "", panel.label);
    option.value = String(index);
    select.appendChild(option);
  });
  select.addEventListener("change", function () { show(Number(select.value)); });
  fill("gk-listed", control.listed);
  var api = {rule: null, show: show, rules: control.panels.map(function (p) {
    return p.name;
  })};
  window.groupkgControl = api;
  show(0);
})();
"""


class _States(list):  # type: ignore[type-arg]
    """The rule sets' pictures, ``(name, View)``, under the page's one title."""

    title: str = ""


def control_html(view: ControlView) -> str:
    """The page of a control view: every rule set's picture and panel, one shown."""
    answer = view.answer
    listed = ""
    if answer["listed"]:
        listed = f"{answer['entity']['name']} is listed: " + "; ".join(answer["listings"])
    control = {"panels": view.panels, "listed": listed}
    states = _States(view.views)
    states.title = view.title
    return page_html(
        states,
        page=CONTROL_PAGE,
        data={"control": control},
        css=CONTROL_CSS,
        scripts=(CONTROL_SCRIPT,),
    )


def write_control_html(view: ControlView, path: str | Path) -> Path:
    """Write the page of a control view to ``path``; return the path."""
    from groupkg.graph.output import write_output

    return write_output(path, control_html(view))
