"""The history of one entity as a small self-contained HTML timeline
(``groupkg history NAME --html FILE``): a row a record, in the order the records became
known (knowledge time down), each with a bar over the days what it says held (valid
time across); a superseded record is struck through and says from when.

The answer is ``Group.history``'s (``docs/json.md``). Escaping follows
:mod:`groupkg.viz.render`: the answer travels in a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, the page's script reads it and writes every
string with ``textContent``; the Content-Security-Policy (``default-src 'none'``) lets
only the page's own inline script and style run, named by their SHA-256 hashes.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from groupkg.viz.render import _hash, _script_json

__all__ = ["history_html", "write_history_html"]

HISTORY_CSS = """
body { font: 13px system-ui, sans-serif; margin: 12px; color: #1a1a1a; }
h1 { font-size: 16px; }
.gk-axis, .gk-row { display: grid; grid-template-columns: 90px 90px 1fr 40%;
  gap: 8px; align-items: center; border-bottom: 1px solid #eee; padding: 2px 0; }
.gk-axis { font-weight: 600; border-bottom: 1px solid #999; }
.gk-track { position: relative; height: 14px; background: #f6f6f6; }
.gk-bar { position: absolute; top: 2px; height: 10px; background: #4c6ef5;
  min-width: 3px; }
.gk-scheduled .gk-bar { background: repeating-linear-gradient(45deg, #4c6ef5 0 4px,
  #dbe4ff 4px 8px); }
.gk-superseded .gk-what { text-decoration: line-through; color: #868e96; }
.gk-superseded .gk-bar { background: #adb5bd; }
.gk-note { color: #868e96; font-size: 12px; }
"""

HISTORY_SCRIPT = """
(function () {
  var answer = JSON.parse(document.getElementById("gk-history").textContent);
  var list = document.getElementById("gk-rows");
  var records = answer.records;
  function start(r) { return r.valid_from || r.as_of; }
  var days = [];
  records.forEach(function (r) {
    [r.valid_from, r.valid_to, r.as_of].forEach(function (d) { if (d) days.push(d); });
  });
  days.sort();
  var low = days.length ? Date.parse(days[0]) : 0;
  var high = days.length ? Date.parse(days[days.length - 1]) : 1;
  var span = Math.max(high - low, 1);
  function x(day) { return (Date.parse(day) - low) / span * 100; }
  document.getElementById("gk-from").textContent = days.length ? days[0] : "";
  document.getElementById("gk-to").textContent = days.length ? days[days.length - 1] : "";
  records.forEach(function (r) {
    var row = document.createElement("div");
    row.className = "gk-row" + (r.status === "scheduled" ? " gk-scheduled" : "") +
      (r.superseded_by.length ? " gk-superseded" : "");
    row.dataset.id = r.id;
    var known = document.createElement("span");
    known.textContent = r.known_from || "not recorded";
    var status = document.createElement("span");
    status.textContent = r.status;
    var track = document.createElement("div");
    track.className = "gk-track";
    if (start(r) || r.valid_to) {
      var bar = document.createElement("div");
      bar.className = "gk-bar";
      var left = start(r) ? x(start(r)) : 0;
      var right = r.valid_to ? x(r.valid_to) : (r.valid_from ? 100 : left);
      bar.style.left = left + "%";
      bar.style.width = Math.max(right - left, 0) + "%";
      bar.title = (r.valid_from || "") + " .. " + (r.valid_to || "") +
        (r.as_of ? " as of " + r.as_of : "");
      track.appendChild(bar);
    }
    var what = document.createElement("span");
    what.className = "gk-what";
    what.textContent = r.what;
    if (r.superseded_by.length) {
      var note = document.createElement("div");
      note.className = "gk-note";
      note.textContent = "superseded from " + (r.superseded_from || "every day");
      what.appendChild(note);
    }
    [known, status, track, what].forEach(function (c) { row.appendChild(c); });
    list.appendChild(row);
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src {script}; style-src {style}">
<title>{title}</title>
<style>{css}</style></head>
<body><h1>{title}</h1>
<p class="gk-note">Knowledge time down, valid time across:
<span id="gk-from"></span> .. <span id="gk-to"></span>{known}</p>
<div class="gk-axis"><span>known from</span><span>status</span><span>held</span>
<span>record</span></div>
<div id="gk-rows"></div>
<script type="application/json" id="gk-history">{data}</script>
<script>{js}</script>
</body></html>
"""


def history_html(answer: dict[str, Any]) -> str:
    """The page of a ``Group.history`` answer (a ``knownAt`` in it is said)."""
    known = answer.get("knownAt")
    return _PAGE.format(
        script=_hash(HISTORY_SCRIPT),
        style=_hash(HISTORY_CSS),
        title=html.escape(f"History of {answer['entity']['name']}"),
        css=HISTORY_CSS,
        known=html.escape(f"; as known on {known}") if known else "",
        data=_script_json(answer),
        js=HISTORY_SCRIPT,
    )


def write_history_html(answer: dict[str, Any], path: str | Path) -> Path:
    """Write :func:`history_html` of ``answer`` to ``path``."""
    target = Path(path)
    target.write_text(history_html(answer), encoding="utf-8")
    return target
