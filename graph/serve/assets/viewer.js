// The groupkg viewer (its SPARQL box is sparql.js). Every string from the server reaches the page through
// textContent or an attribute set with setAttribute/URLSearchParams, never as markup,
// so names and sources in the data cannot inject script.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    entity: null, name: "", suggestions: [], active: -1, asked: 0,
    changesOf: null, days: [],
  };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // The knowledge date asked for, as a query parameter (none: everything known).
  function known() {
    const day = $("known-at").value;
    return day ? { known_at: day } : {};
  }

  async function getJSON(path, params) {
    const url = params ? path + "?" + new URLSearchParams(params) : path;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error((body && body.error) || response.status + " " + response.statusText);
    }
    return body;
  }

  function say(text) {
    $("message").textContent = text || "";
  }

  // A table from a header and rows; a cell is text, a Node, or {text, className}.
  function fill(table, head, rows, empty) {
    const thead = el("thead");
    const tr = el("tr");
    head.forEach((name) => tr.append(el("th", name)));
    thead.append(tr);
    const tbody = el("tbody");
    rows.forEach((row) => {
      const line = el("tr");
      row.forEach((cell) => {
        const td = el("td");
        if (cell instanceof Node) td.append(cell);
        else if (cell && typeof cell === "object") {
          td.textContent = cell.text;
          td.className = cell.className;
        } else td.textContent = cell === null || cell === undefined ? "" : String(cell);
        line.append(td);
      });
      tbody.append(line);
    });
    if (!rows.length) {
      const line = el("tr");
      const td = el("td", empty || "none", "empty");
      td.colSpan = head.length;
      line.append(td);
      tbody.append(line);
    }
    table.replaceChildren(thead, tbody);
  }

  function entityButton(ref) {
    const button = el("button", ref.name, "link");
    button.type = "button";
    button.title = ref.id;
    button.addEventListener("click", () => choose(ref));
    return button;
  }

  function percentText(row) {
    let text;
    if (row.percent !== null && row.percent !== undefined) text = row.percent + "%";
    else if (row.percent_min !== null || row.percent_max !== null) {
      const low = row.percent_min ?? 0;
      const high = row.percent_max ?? 100;
      text = low === high ? low + "%" : low + "–" + high + "%";
    } else text = "unknown";
    if (row.consolidated && (row.percent === null || row.percent === undefined)) {
      text += " (consolidated)";
    }
    return text;
  }

  // -- search as you type -------------------------------------------------------------

  function hideSuggestions() {
    $("suggestions").hidden = true;
    $("search").setAttribute("aria-expanded", "false");
    state.active = -1;
  }

  function markActive() {
    Array.from($("suggestions").children).forEach((li, i) => {
      li.setAttribute("aria-selected", i === state.active ? "true" : "false");
      if (i === state.active) {
        $("search").setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function showSuggestions(list) {
    state.suggestions = list;
    state.active = list.length ? 0 : -1;
    const items = list.map((found, i) => {
      const li = el("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.append(el("span", found.name, "name"));
      if (found.matched && found.matched !== found.name) li.append(el("span", found.matched, "alias"));
      // mousedown, not click: it comes before the input loses focus.
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(found);
      });
      return li;
    });
    $("suggestions").replaceChildren(...items);
    $("suggestions").hidden = !items.length;
    $("search").setAttribute("aria-expanded", items.length ? "true" : "false");
    markActive();
  }

  async function suggest() {
    const text = $("search").value.trim();
    const asked = ++state.asked;
    if (!text) {
      hideSuggestions();
      return;
    }
    try {
      const found = await getJSON("/api/entities", { q: text });
      if (asked === state.asked) showSuggestions(found.entities);
    } catch (error) {
      say(error.message);
    }
  }

  let typing = null;
  $("search").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(suggest, 120);
  });
  $("search").addEventListener("keydown", (event) => {
    const count = state.suggestions.length;
    const open = !$("suggestions").hidden;
    if (event.key === "ArrowDown" && count) {
      state.active = (state.active + 1) % count;
      markActive();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && count) {
      state.active = (state.active - 1 + count) % count;
      markActive();
      event.preventDefault();
    } else if (event.key === "Enter" && open && state.active >= 0) {
      choose(state.suggestions[state.active]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      hideSuggestions();
    }
  });
  $("search").addEventListener("blur", () => setTimeout(hideSuggestions, 150));

  // -- one entity at one date ---------------------------------------------------------

  function shiftYears(day, years) {
    const date = new Date(day + "T00:00:00Z");
    date.setUTCFullYear(date.getUTCFullYear() + years);
    return date.toISOString().slice(0, 10);
  }

  function choose(ref) {
    state.entity = ref.id;
    state.name = ref.name;
    $("search").value = ref.name;
    hideSuggestions();
    show();
    refreshExample();
  }

  async function show() {
    const at = $("date").value;
    if (!state.entity) return;
    if (!at) {
      say("Choose a date.");
      return;
    }
    say("");
    history.replaceState(null, "", "?" + new URLSearchParams({ entity: state.entity, at, ...known() }));
    $("entity").hidden = false;
    $("entity-name").textContent = state.name;
    showControl(at);
    const name = encodeURIComponent(state.entity);
    const from = shiftYears(at, -1);
    const to = shiftYears(at, 1);
    try {
      const [facts, owners, holdings, paths, events] = await Promise.all([
        getJSON("/api/entity/" + name, { at, ...known() }),
        getJSON("/api/owners/" + name, { at, ...known() }),
        getJSON("/api/holdings/" + name, { at, ...known() }),
        getJSON("/api/paths/" + name, { at, ...known() }),
        getJSON("/api/events", { entity: state.entity, from, to, ...known() }),
      ]);
      if (at !== $("date").value || facts.entity.id !== state.entity) return; // superseded
      if ((facts.knownAt || "") !== $("known-at").value) return; // asked as known on another day
      showPicture(facts);
      showChanges(state.entity, at);
      showFacts(facts);
      showStakes($("owners"), owners.owners, "owner");
      showScheduled($("owners-scheduled"), owners.scheduled_events);
      showStakes($("holdings"), holdings.holdings, "holds");
      showScheduled($("holdings-scheduled"), holdings.scheduled_events);
      showPaths(paths);
      showScheduled($("paths-scheduled"), paths.scheduled_events);
      $("events-range").textContent = from + " to " + to;
      showEvents(events);
    } catch (error) {
      say(error.message);
    }
  }

  // The paths to the entity when it is active on the day; the whole group otherwise.
  // With "before/after", what changed in its group from the day before to the day.
  function showPicture(facts) {
    const active = facts.status === "active";
    const around = $("before-after").checked;
    let params = active ? { entity: facts.entity.id, at: facts.at } : { at: facts.at };
    if (around) params = { entity: facts.entity.id, before: shiftDays(facts.at, -1), after: facts.at };
    const src = "/view?" + new URLSearchParams({ ...params, ...known() });
    if ($("graph").getAttribute("src") !== src) $("graph").src = src;
    $("graph-note").textContent = active || around
      ? ""
      : facts.entity.name + " is " + facts.status + " on " + facts.at + ": the whole group is shown.";
  }

  function showFacts(facts) {
    const parts = ["status on " + facts.at + ": " + facts.status];
    if (facts.legal_name && facts.legal_name !== facts.entity.name) parts.push(facts.legal_name);
    if (facts.incorporated) parts.push("incorporated " + facts.incorporated);
    if (facts.dissolved) parts.push("dissolved " + facts.dissolved);
    if (facts.issued_shares) parts.push(facts.issued_shares.toLocaleString("en") + " shares issued");
    $("entity-facts").textContent = parts.join(" · ");
  }

  function showStakes(table, rows, who) {
    fill(
      table,
      [who, "interest", "percent", "shares", "basis", "sources"],
      rows.map((row) => [
        entityButton(row),
        row.interest,
        { text: percentText(row), className: "number" },
        { text: row.shares === null ? "" : row.shares.toLocaleString("en"), className: "number" },
        row.basis,
        row.sources.join("; "),
      ]),
    );
  }

  // The scheduled events an answer rests on: announced, not confirmed since.
  function showScheduled(where, events) {
    where.textContent = events.length
      ? "Rests on events known only as announced (scheduled): " +
        events.map((e) => e.date + " " + (e.label || e.type)).join("; ")
      : "";
  }

  function showPaths(paths) {
    $("parent").replaceChildren(
      document.createTextNode("Ultimate parent: "),
      entityButton(paths.ultimate_parent),
    );
    const items = paths.paths.map((path) => el("li", path.map((step) => step.name).join(" → ")));
    if (!items.length) items.push(el("li", "no consolidation path", "muted"));
    $("paths").replaceChildren(...items);
  }

  function showEvents(events) {
    fill(
      $("events"),
      ["effective", "announced", "type", "event", "participants"],
      events.map((e) => [
        e.date ? aroundButton(e.date) : "unknown",
        e.announced || "",
        e.type,
        e.label || e.id.split("/").pop(),
        e.participants.map((p) => p.name).join(", "),
      ]),
      "no event within a year of this date",
    );
  }

  // -- the days the group changes: a slider, and before/after ------------------------

  function shiftDays(day, days) {
    const date = new Date(day + "T00:00:00Z");
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  // The slider stops at the days on which the entity's group changes (asked once per
  // entity); it sits on the last of them not after the date shown.
  async function showChanges(entity, at) {
    const asked = entity + " " + $("known-at").value;
    if (state.changesOf !== asked) {
      state.changesOf = asked;
      state.days = [];
      try {
        const found = await getJSON("/api/changes", { entity, ...known() });
        if (state.changesOf !== asked) return; // another entity or knowledge day since
        state.days = found.days;
      } catch (error) {
        say(error.message);
      }
    }
    const days = state.days;
    $("changes").hidden = !days.length;
    if (!days.length) return;
    let index = 0;
    days.forEach((day, i) => {
      if (day <= at) index = i;
    });
    $("change-slider").max = String(days.length - 1);
    $("change-slider").value = String(index);
    const on = days[index] === at ? "a change on " + at : "last change before " + at + ": " + days[index];
    $("change-day").textContent = (index + 1) + " / " + days.length + " · " + on;
  }

  function showDay(day, around) {
    $("date").value = day;
    $("before-after").checked = around;
    show();
    refreshExample();
  }

  function aroundButton(day) {
    const button = el("button", day, "link");
    button.type = "button";
    button.title = "what changed on " + day + " (before/after)";
    button.addEventListener("click", () => showDay(day, true));
    return button;
  }

  let sliding = null;
  $("change-slider").addEventListener("input", () => {
    clearTimeout(sliding);
    const day = state.days[Number($("change-slider").value)];
    sliding = setTimeout(() => showDay(day, $("before-after").checked), 150);
  });
  $("before-after").addEventListener("change", () => show());
  // The second date: every answer as known on it (empty: everything known).
  $("known-at").addEventListener("change", () => show());

  // data-loaded names the picture the frame has finished loading (tests wait for it).
  $("graph").addEventListener("load", () => {
    const src = $("graph").getAttribute("src");
    if (src) $("graph").dataset.loaded = src;
  });

  $("date").addEventListener("change", () => {
    show();
    refreshExample();
  });

  // -- control and beneficial owners, under each rule set -----------------------------

  // One answer per entity and day (every shipped rule set): the table compares all of
  // them; the selector chooses which rule set's holders and chains are shown in detail,
  // and keeps that choice across entities.
  const control = { answer: null, rule: null };

  async function showControl(at) {
    const entity = state.entity;
    let answer;
    try {
      answer = await getJSON("/api/control/" + encodeURIComponent(entity), { at, ...known() });
    } catch (error) {
      control.answer = null;
      $("control-table").replaceChildren();
      $("control-rules").replaceChildren();
      $("control-holders").replaceChildren();
      $("control-reasons").replaceChildren();
      $("control-nobody").textContent = "";
      $("control-listed").textContent = "";
      $("control-rule").textContent = "control: " + error.message;
      return;
    }
    if (at !== $("date").value || entity !== state.entity) return; // superseded
    control.answer = answer;
    const names = answer.rule_sets.map((found) => found.rule_set.name);
    if (!names.includes(control.rule)) control.rule = names[0];
    $("control-rules").replaceChildren(
      ...answer.rule_sets.map((found) => {
        const option = el("option", found.rule_set.label);
        option.value = found.rule_set.name;
        return option;
      }),
    );
    $("control-rules").value = control.rule;
    $("control-listed").textContent = answer.listed
      ? answer.entity.name + " is listed: " + answer.listings.join("; ")
      : "";
    controlTable(answer);
    showRuleSet();
  }

  // The rule sets compared: a column per rule set, a row per holder that qualifies under
  // any of them (natural persons first, then by name); a cell says certain, possible or
  // no, with the holder's look-through percent under that rule set and the interests
  // that qualify it.
  function controlTable(answer) {
    const founds = answer.rule_sets;
    const rows = new Map();
    founds.forEach((found, index) => {
      [...found.beneficial_owners, ...found.controlling_entities].forEach((holder) => {
        if (!rows.has(holder.id)) rows.set(holder.id, { holder, cells: founds.map(() => null) });
        rows.get(holder.id).cells[index] = holder;
      });
    });
    // Under the other rule sets, such a holder is among those that do not qualify.
    founds.forEach((found, index) => {
      found.not_qualifying.forEach((holder) => {
        if (rows.has(holder.id)) rows.get(holder.id).cells[index] = { ...holder, status: "no" };
      });
    });
    const order = (row) => [row.holder.kind === "person" ? 0 : 1, row.holder.name.toLowerCase(), row.holder.id];
    const before = (a, b) => {
      const [x, y] = [order(a), order(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    };
    const cell = (holder) => {
      if (holder.status === "no") return { text: "no: " + percentText(holder), className: "no" };
      const text = holder.status + ": " + percentText(holder) + "; by " + interestText(holder);
      return { text, className: holder.status };
    };
    fill(
      $("control-table"),
      ["holder", ...founds.map((found) => found.rule_set.label)],
      [...rows.values()].sort(before).map((row) => [entityButton(row.holder), ...row.cells.map(cell)]),
      "nobody qualifies under any rule set",
    );
  }

  function controlChain(path) {
    const item = el("li");
    path.steps.forEach((step, index) => {
      if (index === 0) item.append(step.owner.name);
      const stake = el("span", " → " + percentText(step) + " " + step.interest + " → ");
      if (step.sources.length) stake.title = "sources: " + step.sources.join("; ");
      item.append(stake, step.owned.name);
    });
    item.append(" (carries " + percentText(path) + ")");
    return item;
  }

  // The interest kinds that qualify a holder: "shareholding, votingRights (possible)".
  function interestText(holder) {
    return holder.interests
      .map((i) => i.kind + (i.status === "certain" ? "" : " (possible)"))
      .join(", ");
  }

  function controlHolder(holder, role) {
    const item = el("li", undefined, holder.status);
    item.append(entityButton(holder), el("span", holder.status, "status"));
    item.append(el("div", role + ", " + percentText(holder) + "; by " + interestText(holder)));
    const chains = el("ul");
    holder.paths.forEach((path) => chains.append(controlChain(path)));
    item.append(chains);
    return item;
  }

  function showRuleSet() {
    const found = control.answer.rule_sets.find((r) => r.rule_set.name === control.rule);
    const rule = found.rule_set;
    const persons = rule.qualifying === "naturalPersons";
    $("control-rule").textContent = rule.comment || rule.label;
    const holders = [
      ...found.beneficial_owners.map((h) => controlHolder(h, "beneficial owner")),
      ...found.controlling_entities.map((h) => controlHolder(h, "qualifying entity")),
    ];
    $("control-holders").replaceChildren(...holders);
    $("control-nobody").textContent = holders.length
      ? ""
      : persons ? "no beneficial owner identified" : "no qualifying entity";
    $("control-reasons").replaceChildren(...found.reasons.map((r) => el("li", r.message)));
  }

  $("control-rules").addEventListener("change", () => {
    control.rule = $("control-rules").value;
    if (control.answer) showRuleSet();
  });

  // -- the SPARQL box (sparql.js): told of a new entity or date -----------------------

  const viewer = (window.groupkgViewer = window.groupkgViewer || {});
  Object.assign(viewer, { $, el, fill, getJSON, shiftYears, entity: () => state.entity });

  function refreshExample() {
    if (viewer.sparql) viewer.sparql.refresh();
  }

  // The box's script runs after this one; its examples wait for the entity of the address.
  function sparqlBox() {
    return new Promise((done) => {
      if (viewer.sparql) done(viewer.sparql);
      else viewer.onSparql = done;
    });
  }

  // -- start --------------------------------------------------------------------------

  async function start() {
    const wanted = new URLSearchParams(location.search);
    try {
      const info = await getJSON("/api/info");
      const range = info.date_range ? ", dates " + info.date_range.join(" to ") : "";
      $("info").textContent =
        info.entities + " entities, " + info.holdings + " holdings, " + info.events +
        " events" + range + " (" + info.store + ")";
      $("date").value =
        wanted.get("at") || (info.date_range ? info.date_range[1] : new Date().toISOString().slice(0, 10));
      $("known-at").value = wanted.get("known_at") || "";
      if (wanted.get("entity")) {
        const facts = await getJSON("/api/entity/" + encodeURIComponent(wanted.get("entity")), {
          at: $("date").value,
        });
        choose(facts.entity);
      }
    } catch (error) {
      say(error.message);
    }
    await (await sparqlBox()).start();
  }

  start();
})();
