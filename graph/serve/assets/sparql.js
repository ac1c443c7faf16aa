// The SPARQL box of the groupkg viewer: the named queries as examples, filled in from
// the entity and date the viewer shows (viewer.js, which runs first and lends its
// helpers), and a query's answer as a table. Answers reach the page as textContent only.
"use strict";

(function () {
  const viewer = window.groupkgViewer;
  const { $, el, fill, getJSON, shiftYears } = viewer;
  const state = { queries: null, example: "", exampleTicket: 0 };

  function cellText(term) {
    if (!term) return "";
    if (term.type === "bnode") return "_:" + term.value;
    if (term.type === "triple") {
      const t = term.value;
      return "<< " + [t.subject, t.predicate, t.object].map(cellText).join(" ") + " >>";
    }
    return term["xml:lang"] ? term.value + "@" + term["xml:lang"] : term.value;
  }

  function sparqlStatus(text, isError) {
    $("sparql-status").textContent = text;
    $("sparql-status").className = isError ? "error" : "";
  }

  async function runQuery() {
    const query = $("query").value;
    const started = performance.now();
    sparqlStatus("running…", false);
    $("sparql-result").replaceChildren();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: query,
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        sparqlStatus(response.status + ": " + (await response.text()), true);
        return;
      }
      const took = Math.round(performance.now() - started) + " ms";
      if (!type.startsWith("application/sparql-results+json")) {
        $("sparql-result").replaceChildren(el("pre", await response.text()));
        sparqlStatus("graph in " + took, false);
        return;
      }
      const doc = await response.json();
      if ("boolean" in doc) {
        $("sparql-result").replaceChildren(el("p", String(doc.boolean)));
        sparqlStatus("answer in " + took, false);
        return;
      }
      const vars = doc.head.vars;
      const rows = doc.results.bindings.map((b) => vars.map((v) => cellText(b[v])));
      const table = el("table");
      fill(table, vars, rows, "no rows");
      $("sparql-result").replaceChildren(table);
      sparqlStatus(rows.length + (rows.length === 1 ? " row in " : " rows in ") + took, false);
    } catch (error) {
      sparqlStatus(error.message, true);
    }
  }

  // The value the chosen entity and date give a parameter, or null.
  function paramValue(name, kind) {
    const at = $("date").value;
    if (kind === "entity") return viewer.entity();
    if (kind !== "date" || !at) return null;
    if (name === "from") return shiftYears(at, -1);
    if (name === "to") return shiftYears(at, 1);
    return at;
  }

  // Show the chosen example, its parameters filled in from the entity and date when
  // every one of them can be; otherwise its text with the placeholders to replace.
  async function showExample() {
    const q = state.queries[Number($("examples").value)];
    const before = $("query").value;
    if (!q) return;
    // Each call takes a ticket: an earlier call whose answer comes back later (the
    // example shown at start, then another chosen) must not write over the later one.
    const ticket = (state.exampleTicket = (state.exampleTicket || 0) + 1);
    const params = Object.entries(q.parameters);
    const values = params.map(([name, kind]) => [name, paramValue(name, kind)]);
    let text = q.text;
    let note = "";
    if (params.length && values.every(([, value]) => value)) {
      try {
        text = (await getJSON("/api/queries/" + encodeURIComponent(q.name), Object.fromEntries(values))).text;
        note = " Filled in: " + values.map(([n, v]) => "$" + n + " = " + v).join(", ") + ".";
      } catch (error) {
        note = " " + error.message;
      }
    } else if (params.length) {
      note = " Choose an entity and a date to fill in " + params.map(([n]) => "$" + n).join(", ") +
        ", or replace them.";
    }
    if (ticket !== state.exampleTicket) return; // a later choice supersedes this one
    if ($("query").value !== before) return; // typed into meanwhile: keep what was typed
    $("query").value = text;
    state.example = text;
    $("example-description").textContent = q.description + note;
  }

  async function loadExamples() {
    state.queries = await getJSON("/api/queries");
    const groups = { example: "examples", check: "validation checks", internal: "used by the library" };
    const made = {};
    Object.entries(groups).forEach(([role, label]) => {
      made[role] = el("optgroup");
      made[role].label = label;
    });
    state.queries.forEach((q, i) => {
      const option = el("option", q.name);
      option.value = String(i);
      made[q.role].append(option);
    });
    $("examples").replaceChildren(...Object.values(made).filter((g) => g.children.length));
    $("examples").addEventListener("change", showExample);
    if (state.queries.length) {
      $("examples").value = String(Math.max(0, state.queries.findIndex((q) => q.role === "example")));
      if (!$("query").value) await showExample();
    }
  }

  // A new entity or date refreshes the example, unless the query was edited since.
  function refreshExample() {
    if (state.queries && $("query").value === state.example) showExample();
  }

  $("run").addEventListener("click", runQuery);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery();
  });

  viewer.sparql = {
    refresh: refreshExample,
    async start() {
      try {
        await loadExamples();
      } catch (error) {
        sparqlStatus(error.message, true);
      }
    },
  };
  if (viewer.onSparql) viewer.onSparql(viewer.sparql);
})();
