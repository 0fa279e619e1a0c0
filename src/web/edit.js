/* edit.js: pep edit's form, drawn from the schema the server sends.
 *
 * The server (src/serve.c, src/edit.c) holds the PEP; this page shows it as
 * a form and sends each change as it is made. Every change is checked on
 * the server as `pep validate` checks a file; its messages come back and
 * are shown beside their fields and in the list at the top.
 *
 * The page keeps a mirror of the document's elements: {id, name, text,
 * attrs, kids}. An element the file does not have yet is a placeholder with
 * no id; a change to it names the nearest element that exists and the
 * names below it, and the server's reply gives the new ids.
 *
 * No library, nothing fetched from elsewhere; no inline script (the
 * server's Content-Security-Policy forbids it). */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let S = null;             // the state: form, doc, check, file, stage ...
  let current = null;       // the tab shown
  let widgets = new Map();  // element id -> [{box, input, errors}]
  let queue = [];           // changes waiting: {node, attr, value}
  let sending = false;
  let timer = null;
  let closed = false;
  let uid = 0;

  /* ---------------------------------------------------------------- */
  /* Talking to the server                                             */
  /* ---------------------------------------------------------------- */

  function post(path, params) {
    return fetch(path, {
      method: "POST",
      headers: {"X-Pep-Edit": "1"},
      body: new URLSearchParams(params),
      cache: "no-store",
      credentials: "omit",
    }).then((r) => r.json().then((j) => ({status: r.status, j: j}), () => ({status: r.status, j: {ok: false,
      message: "the server's answer could not be read (status " + r.status + ")"}})));
  }

  function say(text, bad) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("bad", !!bad);
  }

  /* ---------------------------------------------------------------- */
  /* The mirror                                                        */
  /* ---------------------------------------------------------------- */

  function adopt(node, parent) {
    node.parent = parent;
    node.kids = node.kids || [];
    node.attrs = node.attrs || {};
    for (const k of node.kids) adopt(k, node);
    return node;
  }

  function pathOf(node) {
    const names = [];
    for (let n = node; n && n.parent; n = n.parent) names.unshift(n.name);
    return names.join("/");
  }

  // A placeholder for an element not in the file yet.
  function placeholder(parent, name) {
    return {id: null, name: name, text: "", attrs: {}, kids: [], parent: parent, placeholder: true};
  }

  // Where a change to node goes: the nearest element that exists, and the
  // names below it.
  function address(node) {
    const names = [];
    let n = node;
    while (n && n.id === null) {
      names.unshift(n.name);
      n = n.parent;
    }
    return {at: n.id, path: names.join("/"), chain: names.length};
  }

  // Gives the placeholders on node's way up the ids the server made.
  function settle(node, chain, ids) {
    const path = [];
    let n = node;
    for (let i = 0; i < chain; i++) {
      path.unshift(n);
      n = n.parent;
    }
    path.forEach((p, i) => {
      if (p.id === null && ids[i] !== undefined) {
        p.id = ids[i];
        p.placeholder = false;
        if (!p.parent.kids.includes(p)) p.parent.kids.push(p);
      }
    });
  }

  // An element the server took out (an optional value emptied) is a
  // placeholder again: the next change makes it anew.
  function unsettle(node) {
    node.parent.kids = node.parent.kids.filter((k) => k !== node);
    node.pending = widgets.get(node.id) || [];
    widgets.delete(node.id);
    node.id = null;
    node.placeholder = true;
  }

  function find(node, id) {
    if (node.id === id) return node;
    for (const k of node.kids) {
      const f = find(k, id);
      if (f) return f;
    }
    return null;
  }

  function kidsNamed(node, name) {
    return node.kids.filter((k) => k.name === name);
  }

  function kind() {
    const header = kidsNamed(S.doc, "header")[0];
    const k = header && kidsNamed(header, "kind")[0];
    return k ? k.text : "";
  }

  function holdsData(node) {
    if (node.text && node.text.trim()) return true;
    for (const v of Object.values(node.attrs)) if (v && v.trim() && node.name !== "sectionComplete") return true;
    return node.kids.some(holdsData);
  }

  /* ---------------------------------------------------------------- */
  /* Sending changes                                                   */
  /* ---------------------------------------------------------------- */

  function change(node, attr, value, now) {
    const same = queue.find((q) => q.node === node && q.attr === attr);
    if (same) same.value = value;
    else queue.push({node: node, attr: attr, value: value});
    S.dirty = true;
    showSaved();
    clearTimeout(timer);
    if (now) pump();
    else timer = setTimeout(pump, 250);
  }

  // Sends the waiting changes one at a time: each may make elements the
  // next one needs the ids of.
  function pump() {
    clearTimeout(timer);
    if (sending || !queue.length || closed) return Promise.resolve();
    const c = queue.shift();
    const a = address(c.node);
    const params = {op: "set", at: String(a.at), path: a.path, value: c.value};
    if (c.attr) params.attr = c.attr;
    sending = true;
    const t0 = performance.now();
    return post("api/change", params).then((r) => {
      sending = false;
      if (!r.j.ok) {
        say(r.j.message, true);
        if (r.status === 409) offerReload(r.j.message);
      } else {
        settle(c.node, a.chain, r.j.ids);
        if (c.attr) c.node.attrs[c.attr] = c.value;
        else c.node.text = c.value;
        if (r.j.removed && r.j.removed === c.node.id) unsettle(c.node);
        showCheck(r.j.check, c.node);
        S.dirty = r.j.dirty;
        showSaved();
        document.body.dataset.roundTripMs = (performance.now() - t0).toFixed(1);
      }
      return pump();
    }, (err) => {
      sending = false;
      say("The change was not sent: " + err + ". Is pep edit still running?", true);
    });
  }

  function flush() {
    return pump().then(() => (queue.length || sending ? flush() : undefined));
  }

  function structural(params, then) {
    return flush().then(() => post("api/change", params)).then((r) => {
      if (!r.j.ok) {
        say(r.j.message, true);
        if (r.status === 409) offerReload(r.j.message);
        return;
      }
      then(r.j);
      S.dirty = r.j.dirty;
      S.check = r.j.check;
      showSaved();
      draw();
      showCheck(r.j.check, null);
    });
  }

  function addItem(parent, fe) {
    const a = address(parent);
    const path = (a.path ? a.path + "/" : "") + fe.name;
    return structural({op: "add", at: String(a.at), path: path}, (j) => {
      settle(parent, a.chain, j.ids);
      const item = adopt(j.item, parent);
      parent.kids.push(item);
      focusAfterDraw = "item-" + item.id;
      const n = kidsNamed(parent, fe.name).length;
      say(fe.label + " " + n + " added.");
    });
  }

  function removeItem(item, fe, index) {
    const label = fe.label + " " + index;
    const go = () => structural({op: "remove", at: String(item.id), path: ""}, () => {
      item.parent.kids = item.parent.kids.filter((k) => k !== item);
      focusAfterDraw = "add-" + pathOf(item.parent) + "/" + fe.name;
      say(label + " removed.");
    });
    if (!holdsData(item)) return go();
    ask("Remove " + label.toLowerCase() + "?", "What it holds is removed from the PEP when you save.",
      "Remove", "Keep it").then((yes) => yes && go());
  }

  function choose(parent, fe, others) {
    const a = address(parent);
    const go = () => structural({op: "choose", at: String(a.at), path: (a.path ? a.path + "/" : "") + fe.name}, (j) => {
      settle(parent, a.chain, j.ids);
      parent.kids = parent.kids.filter((k) => !others.some((o) => o.name === k.name));
      if (!parent.kids.some((k) => k.id === j.item.id)) parent.kids.push(adopt(j.item, parent));
      say(fe.label + " chosen.");
      focusAfterDraw = "choice-" + fe.path;
    });
    const losing = parent.kids.filter((k) => others.some((o) => o.name === k.name) && holdsData(k));
    if (!losing.length) return go();
    ask("Replace " + others.map((o) => o.label.toLowerCase()).join(" and ") + "?",
      "What is filled in there is removed from the PEP when you save.", "Replace", "Keep it").then((yes) => {
      if (yes) go();
      else draw();
    });
  }

  /* ---------------------------------------------------------------- */
  /* Drawing the form                                                  */
  /* ---------------------------------------------------------------- */

  let focusAfterDraw = null;

  function el(tag, props, kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids || []) if (k) e.appendChild(k);
    return e;
  }

  function register(node, w) {
    if (node.id === null) {
      (node.pending = node.pending || []).push(w);
      return;
    }
    if (!widgets.has(node.id)) widgets.set(node.id, []);
    widgets.get(node.id).push(w);
  }

  // The widgets of a placeholder move under its id once it has one.
  function settleWidgets(node) {
    for (let n = node; n; n = n.parent) {
      if (n.id !== null && n.pending) {
        for (const w of n.pending) {
          if (!widgets.has(n.id)) widgets.set(n.id, []);
          widgets.get(n.id).push(w);
        }
        delete n.pending;
      }
    }
  }

  function shown(fe, node) {
    if (kidsNamed(node, fe.name).length) return true;
    return !fe.kinds || fe.kinds.includes(kind());
  }

  function whoLine(fe) {
    return fe.who ? el("p", {class: "who", text: "Completed by: " + fe.who}) : null;
  }

  // A value box: its label, its input, its help, its messages.
  function field(node, fe, attr, label, type, value, extraHelp) {
    const key = "f" + (++uid);
    const helpId = key + "-help", errId = key + "-errors";
    const t = type || {widget: "line"};
    let input;
    const common = {id: key, "aria-describedby": helpId + " " + errId, "data-path": pathOf(node) + (attr ? "@" + attr : "")};
    const looksDate = /^\d{4}-\d{2}-\d{2}$/, looksTime = /^\d{2}:\d{2}$/, looksNumber = /^-?\d+(\.\d+)?$/;
    let widget = t.widget;
    if (value && ((widget === "date" && !looksDate.test(value)) || (widget === "time" && !looksTime.test(value)) ||
        (widget === "number" && !looksNumber.test(value)))) widget = "line"; // show what the file holds
    if (widget === "select") {
      input = el("select", common);
      const optional = t.empty || (attr ? false : fe.min === 0);
      if (optional || !value) input.appendChild(el("option", {value: "", text: optional ? "— not given —" : "— choose —"}));
      let found = false;
      for (const o of t.options) {
        input.appendChild(el("option", {value: o.value, text: o.label}));
        found = found || o.value === value;
      }
      if (value && !found) input.appendChild(el("option", {value: value, text: value + " (not an allowed value)"}));
      input.value = value || "";
    } else if (widget === "text") {
      // As tall as what it holds (up to 12 lines), so long text reads whole.
      const lines = (value || "").split("\n").reduce((n, l) => n + 1 + Math.floor(l.length / 90), 0);
      input = el("textarea", Object.assign({rows: Math.min(12, Math.max(3, lines))}, common));
      input.value = value || "";
    } else {
      const html = {date: "date", time: "time", number: "number"}[widget] || "text";
      input = el("input", Object.assign({type: html}, common));
      if (html === "date" || html === "number") {
        if (t.min) input.min = t.min;
        if (t.max) input.max = t.max;
      }
      if (html === "number") {
        input.step = t.step || "any";
        input.inputMode = "decimal";
      }
      input.value = value || "";
    }
    if (node.locked) input.disabled = true;
    const helpText = [];
    // (a help that only lists the codes of a drop-down says nothing more)
    if (extraHelp && !(widget === "select" && t.options.every((o) => extraHelp.indexOf(o.value) >= 0)))
      helpText.push(extraHelp);
    if (t.help && (widget === "number" || widget === "time" || (widget === "line" && t.name && t.name !== "Line")))
      helpText.push("Write it as " + t.help.replace(/\.$/, "") + ".");
    if (node.locked) helpText.push("It holds other elements the form cannot show: edit it in a text editor.");
    const help = el("p", {class: "help", id: helpId, text: helpText.join(" ")});
    const optionHelp = () => {
      if (widget !== "select") return;
      const o = t.options.find((x) => x.value === input.value);
      help.textContent = helpText.concat(o && o.help ? [o.label + ": " + o.help] : []).join(" ");
    };
    optionHelp();
    const errors = el("ul", {class: "errors", id: errId});
    const box = el("div", {class: "field"}, [el("label", {for: key, text: label}), input, help, errors]);
    const send = (now) => change(node, attr, input.value, now);
    if (widget === "select" || widget === "date" || widget === "time") {
      input.addEventListener("change", () => {
        optionHelp();
        send(true);
      });
    } else {
      input.addEventListener("input", () => send(false));
      input.addEventListener("change", () => send(true));
    }
    register(node, {box: box, input: input, errors: errors, attr: attr});
    node.label = label;
    return box;
  }

  // On another format's form: a note on a field that form has no place for.
  function absentNote(node) {
    const f = S.format, path = pathOf(node);
    const a = f.canonical ? null : f.absent.find((x) => x.path === path);
    if (!a) return null;
    return el("p", {class: "absent", text: a.everyForm
      ? f.label + " has no place for this: what you give here is kept in the file's carried block, which pep " +
        "reads and pep convert restores, but which other systems may not show."
      : f.label + (f.form ? " (" + f.form + ")" : "") + " has no place for this: if you fill it in, Save writes " +
        "the PEP on another of its forms that has a place for it, or keeps it in the file's carried block."});
  }

  function valueField(node, fe) {
    const boxes = [field(node, fe, null, fe.label, fe.type, node.text, fe.help)];
    const who = whoLine(fe);
    if (who) boxes[0].insertBefore(who, boxes[0].children[1]);
    const absent = absentNote(node);
    if (absent) {
      const input = boxes[0].querySelector("input, select, textarea");
      absent.id = input.id + "-absent";
      input.setAttribute("aria-describedby", input.getAttribute("aria-describedby") + " " + absent.id);
      boxes[0].insertBefore(absent, boxes[0].children[1]);
    }
    for (const a of fe.attrs || []) {
      boxes.push(field(node, fe, a.name, a.label, a.type, node.attrs[a.name] || "", a.help));
    }
    return boxes;
  }

  function group(node, fe, depth, legendText) {
    const box = el("fieldset", {class: depth ? "group" : "part"}, [el("legend", {text: legendText || fe.label})]);
    if (fe.help) box.appendChild(el("p", {class: "group-help", text: fe.help}));
    const who = whoLine(fe);
    if (who) box.appendChild(who);
    const absent = absentNote(node);
    if (absent) box.appendChild(absent);
    const errors = el("ul", {class: "errors"});
    box.appendChild(errors);
    register(node, {box: box, input: null, errors: errors});
    for (const a of fe.attrs || [])
      box.appendChild(field(node, fe, a.name, a.label, a.type, node.attrs[a.name] || "", a.help));
    drawKids(box, node, fe, depth + 1);
    return box;
  }

  function drawKids(box, node, fe, depth) {
    const kids = fe.kids || [];
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (k.choice) {
        let j = i;
        while (j < kids.length && kids[j].choice === k.choice) j++;
        drawChoice(box, node, kids.slice(i, j), depth);
        i = j - 1;
        continue;
      }
      if (!shown(k, node)) continue;
      if (k.max !== 1) drawList(box, node, k, depth);
      else drawOne(box, node, k, depth);
    }
  }

  function drawOne(box, node, k, depth) {
    const inst = kidsNamed(node, k.name)[0] || placeholder(node, k.name);
    if (k.type) for (const b of valueField(inst, k)) box.appendChild(b);
    else box.appendChild(group(inst, k, depth));
  }

  function drawList(box, node, k, depth) {
    const items = kidsNamed(node, k.name);
    const list = el("div", {class: "list"});
    items.forEach((item, n) => {
      const label = k.label + " " + (n + 1);
      let part;
      if (k.type) {
        part = el("div", {class: "item-value", id: "item-" + item.id, tabindex: "-1"}, valueField(item, Object.assign({}, k, {label: label})));
      } else {
        part = group(item, k, depth, label);
        part.classList.add("item");
        part.id = "item-" + item.id;
        part.tabIndex = -1;
      }
      const rm = el("button", {type: "button", class: "small remove", text: "Remove " + inText(label),
        onclick: () => removeItem(item, k, n + 1)});
      part.appendChild(el("div", {class: "item-actions"}, [rm]));
      list.appendChild(part);
    });
    const full = k.max !== -1 && items.length >= k.max;
    const add = el("button", {type: "button", class: "small", id: "add-" + pathOf(node) + "/" + k.name,
      text: "Add " + (items.length ? "another " : /^[AEIOU]/.test(k.label) ? "an " : "a ") + inText(k.label), disabled: full,
      onclick: () => addItem(node, k)});
    const head = items.length ? null : el("p", {class: "group-help", text: k.label + ": none yet. " + (k.help || "")});
    box.appendChild(el("div", {class: "list-block"}, [head, list, add]));
  }

  // A label inside a sentence: "Previous PEP meeting" -> "previous PEP meeting" ("SDQ" stays).
  function inText(label) {
    return /^.[A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  }

  function drawChoice(box, node, alts, depth) {
    const present = alts.filter((a) => kidsNamed(node, a.name).length);
    const byKind = alts.filter((a) => !a.kinds || a.kinds.includes(kind()));
    const pick = present[0] || byKind[0] || alts[0];
    const name = "choice" + (++uid);
    const radios = alts.map((a) => {
      const id = name + "-" + a.name;
      const r = el("input", {type: "radio", name: name, id: id, value: a.name, checked: a === pick});
      if (a === pick) r.id = "choice-" + a.path;
      r.addEventListener("change", () => choose(node, a, alts.filter((o) => o !== a)));
      return [r, el("label", {for: r.id, text: a.label})];
    });
    const legend = el("legend", {text: "Which applies: " + alts.map((a) => a.label.toLowerCase()).join(" or ") + "?"});
    box.appendChild(el("fieldset", {class: "choice"}, [legend].concat(radios.flat())));
    drawOne(box, node, pick, depth);
  }

  /* ---------------------------------------------------------------- */
  /* Tabs                                                              */
  /* ---------------------------------------------------------------- */

  function parts() {
    return S.form.kids.map((fe) => ({fe: fe, node: kidsNamed(S.doc, fe.name)[0] || placeholder(S.doc, fe.name)}));
  }

  function tabId(name) {
    return "tab-" + name;
  }

  function buildTabs() {
    const list = $("tabs");
    list.textContent = "";
    for (const p of parts()) {
      const t = el("button", {type: "button", role: "tab", id: tabId(p.fe.name), "aria-controls": "form",
        "aria-selected": String(p.fe.name === current), tabindex: p.fe.name === current ? "0" : "-1",
        onclick: () => show(p.fe.name, true)}, [el("span", {text: p.fe.label}), el("span", {class: "count", hidden: true})]);
      t.addEventListener("keydown", (ev) => {
        const names = S.form.kids.map((k) => k.name);
        let i = names.indexOf(p.fe.name);
        if (ev.key === "ArrowRight") i = (i + 1) % names.length;
        else if (ev.key === "ArrowLeft") i = (i + names.length - 1) % names.length;
        else if (ev.key === "Home") i = 0;
        else if (ev.key === "End") i = names.length - 1;
        else return;
        ev.preventDefault();
        show(names[i], false);
        $(tabId(names[i])).focus();
      });
      list.appendChild(t);
    }
  }

  function show(name, focusForm) {
    current = name;
    for (const t of $("tabs").children) {
      const on = t.id === tabId(name);
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    }
    draw();
    if (focusForm) $("form").focus();
  }

  function draw() {
    widgets = new Map();
    const main = $("form");
    main.textContent = "";
    main.setAttribute("aria-labelledby", tabId(current));
    const p = parts().find((x) => x.fe.name === current);
    const fe = p.fe;
    const box = el("div", {class: "part"}, [el("h2", {text: fe.label})]);
    if (fe.help) box.appendChild(el("p", {class: "part-help", text: fe.help}));
    const who = whoLine(fe);
    if (who) box.appendChild(who);
    const errors = el("ul", {class: "errors"});
    box.appendChild(errors);
    register(p.node, {box: box, input: null, errors: errors});
    drawKids(box, p.node, fe, 1);
    main.appendChild(box);
    if (S.check) showCheck(S.check, null, true);
    if (focusAfterDraw) {
      const f = document.getElementById(focusAfterDraw);
      if (f) {
        const first = f.querySelector("input, select, textarea, button") || f;
        first.focus();
      }
      focusAfterDraw = null;
    }
  }

  /* ---------------------------------------------------------------- */
  /* Messages                                                          */
  /* ---------------------------------------------------------------- */

  const partOfSection = {A: "essentialInformation", B: "educationInformation", C: "youngPersonsViews", D: "pepMeeting"};

  // The part (tab) an element is in.
  function partOf(id) {
    const n = id !== null ? find(S.doc, id) : null;
    let top = n;
    while (top && top.parent && top.parent !== S.doc) top = top.parent;
    return top && top.parent === S.doc ? top.name : null;
  }

  function goTo(d) {
    const part = (d.id !== null && partOf(d.id)) || partOfSection[d.section] || "header";
    if (part !== current) show(part, false);
    const ws = d.id !== null ? widgets.get(d.id) : null;
    const w = ws && ws[0];
    if (w) {
      (w.input || w.box.querySelector("input, select, textarea, button") || w.box).focus();
      w.box.scrollIntoView({block: "center"});
    } else {
      $("form").focus();
    }
  }

  function showCheck(check, changed, quiet) {
    S.check = check;
    if (changed) settleWidgets(changed);
    for (const ws of widgets.values())
      for (const w of ws) {
        w.errors.textContent = "";
        if (w.input) w.input.removeAttribute("aria-invalid");
      }
    const diags = check.diagnostics;
    let changedSays = [];
    for (const d of diags) {
      const ws = d.id !== null ? widgets.get(d.id) : null;
      if (!ws) continue;
      // A value's message goes to its box (and an attribute's to its own).
      const w = ws.find((x) => x.attr && d.message.indexOf("the " + x.attr + " attribute") >= 0) || ws[0];
      w.errors.appendChild(el("li", {class: d.severity, title: d.rule, "data-rule": d.rule,
        text: (d.severity === "warning" ? "Warning: " : "") + d.text}));
      if (w.input && d.severity === "error") w.input.setAttribute("aria-invalid", "true");
      if (changed && d.id === changed.id) changedSays.push(d.text);
    }
    // The list at the top, by part, with links.
    const stage = check.stage === "signoff" ? "sign-off" : check.stage;
    const box = $("problems");
    box.classList.toggle("has-errors", check.errors > 0);
    box.classList.toggle("has-warnings", check.errors === 0 && check.warnings > 0);
    let title;
    if (!check.saveable) title = "Not yet saveable: " + count(check.errors, "error") +
      " (Save waits for the ones marked \u201cfix to save\u201d)";
    else if (check.errors) title = (check.stage === "signoff" ? "What still blocks sign-off: " : "Problems at the " + stage + " stage: ") +
      count(check.errors, "error") + (check.warnings ? " and " + count(check.warnings, "warning") : "");
    else if (check.warnings) title = "Nothing blocks " + stage + "; " + count(check.warnings, "warning") + " to look at";
    else title = "Nothing blocks " + stage + ": no problems found";
    $("problems-title").textContent = title;
    const list = $("problem-list");
    list.textContent = "";
    const groups = new Map();
    for (const d of diags) {
      const part = (d.id !== null && partOf(d.id)) || partOfSection[d.section] || "header";
      if (!groups.has(part)) groups.set(part, []);
      groups.get(part).push(d);
    }
    for (const fe of S.form.kids) {
      const ds = groups.get(fe.name) || [];
      const tab = $(tabId(fe.name));
      const errs = ds.filter((d) => d.severity === "error").length;
      if (tab) {
        const c = tab.querySelector(".count");
        c.hidden = !errs;
        c.textContent = errs ? String(errs) : "";
        tab.setAttribute("aria-label", fe.label + (errs ? ", " + count(errs, "error") : ""));
      }
      if (!ds.length) continue;
      list.appendChild(el("h3", {text: fe.label + ": " + count(errs, "error") +
        (ds.length > errs ? ", " + count(ds.length - errs, "warning") : "")}));
      const ul = el("ul");
      for (const d of ds) {
        const a = el("a", {href: "#", text: d.text, onclick: (ev) => {
          ev.preventDefault();
          goTo(d);
        }});
        // (the rule's code is for support staff: a tooltip, not the text)
        ul.appendChild(el("li", {title: d.rule, "data-rule": d.rule}, [el("span", {class: "sev " + d.severity,
          text: blocksSave(d) ? "fix to save" : d.severity}), a]));
      }
      list.appendChild(ul);
    }
    // Announced (aria-live) only when what is said about the box changed,
    // so that a screen reader is not interrupted at every keystroke.
    if (!quiet && changed) {
      const now = changedSays.join(" ");
      if (now !== (changed.said || "")) {
        say(now || "No problem with " + (changed.label || "this box") + " now. " + title + ".", !!now);
        changed.said = now;
      }
    }
    $("save").disabled = false;
  }

  // What the schema (or the file's form) refuses: Save waits for it.
  function blocksSave(d) {
    return d.severity === "error" && (d.rule === "XSD" || d.rule === "XML" || d.rule === "CONV");
  }

  function count(n, what) {
    return n + " " + what + (n === 1 ? "" : "s");
  }

  function showSaved() {
    $("saved").textContent = S.dirty ? (S.onDisk ? "Changes not saved" : "New PEP, not saved yet") : "Saved";
  }

  /* ---------------------------------------------------------------- */
  /* Save, reload, close                                               */
  /* ---------------------------------------------------------------- */

  function ask(title, text, yes, no) {
    const d = $("dialog");
    $("dialog-title").textContent = title;
    $("dialog-text").textContent = text;
    $("dialog-yes").textContent = yes;
    $("dialog-no").textContent = no;
    return new Promise((resolve) => {
      const done = (v) => {
        d.close();
        $("dialog-yes").onclick = $("dialog-no").onclick = null;
        resolve(v);
      };
      $("dialog-yes").onclick = () => done(true);
      $("dialog-no").onclick = () => done(false);
      d.oncancel = () => done(false);
      d.showModal();
      $("dialog-no").focus();
    });
  }

  function offerReload(message) {
    return ask("The PEP changed elsewhere", message + " Reload it from the file now? Your changes here are then lost.",
      "Reload from the file", "Keep editing").then((yes) => yes && reload());
  }

  function reload() {
    return post("api/reload", {}).then((r) => {
      if (!r.j.ok) {
        say(r.j.message, true);
        return;
      }
      start(r.j);
      say("Reloaded " + S.file + " from the file.");
    });
  }

  function save() {
    $("save").disabled = true;
    say("Saving…");
    return flush().then(() => post("api/save", {})).then((r) => {
      $("save").disabled = false;
      S.dirty = r.j.dirty;
      S.onDisk = r.j.onDisk;
      if (r.j.check) showCheck(r.j.check, null, true);
      showSaved();
      if (r.j.format) {
        S.format = r.j.format;
        showForm();
      }
      if (r.j.ok) {
        say(r.j.message.charAt(0).toUpperCase() + r.j.message.slice(1) + ". " + $("problems-title").textContent + ".");
        return;
      }
      say(r.j.message, true);
      if (r.j.why === "changed") offerReload(r.j.message);
      else if (r.j.why === "invalid") $("problems").scrollIntoView();
    });
  }

  function close() {
    const go = () => flush().then(() => post("api/close", {})).then(() => {
      closed = true;
      document.body.textContent = "";
      document.body.appendChild(el("p", {class: "stopped", role: "status",
        text: "pep edit has stopped. You can close this tab."}));
    });
    if (!S.dirty) return go();
    return ask("Close without saving?", "The changes made here since the last save are lost.", "Close without saving",
      "Keep editing").then((yes) => yes && go());
  }

  /* ---------------------------------------------------------------- */
  /* Start                                                             */
  /* ---------------------------------------------------------------- */

  // Which form the file is on, when it is another format's.
  function showForm() {
    const f = S.format, onForm = $("on-form");
    onForm.hidden = f.canonical;
    onForm.textContent = f.canonical ? "" : "This PEP is on " + f.label + (f.form ? " (" + f.form + ")" : "") +
      ". The form shows it in pep's canonical sections A to D; Save writes it back on " + f.label +
      ", keeping in the file's carried block anything that form has no place for, and the messages are those " +
      "pep validate gives for the file as saved.";
  }

  function start(state) {
    S = state;
    adopt(S.doc, null);
    const name = S.file.split("/").pop();
    $("file").textContent = name;
    document.title = name + " — PEP editor";
    const stage = S.stage === "signoff" ? "sign-off" : S.stage;
    $("facts").textContent = "Checked as pep validate checks it, for " + stage + ", as of " + S.asOf +
      (S.strict ? ", warnings counted as errors" : "") + ".";
    const unknown = [];
    (function walk(n) {
      if (n.unknown) unknown.push("<" + n.name + "> (line " + n.line + ")");
      n.kids.forEach(walk);
    })(S.doc);
    showForm();
    const notice = $("notice");
    notice.hidden = !unknown.length;
    notice.textContent = unknown.length ? "This file also holds " + unknown.join(", ") +
      ", which the form does not show. It is kept as it is." : "";
    if (!current) current = S.form.kids[0].name;
    buildTabs();
    draw();
    showCheck(S.check, null, true);
    showSaved();
  }

  window.addEventListener("beforeunload", (ev) => {
    if (S && S.dirty && !closed) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    $("save").addEventListener("click", save);
    $("close").addEventListener("click", close);
    const p = $("preview");
    p.addEventListener("pointerdown", () => flush());
    p.addEventListener("keydown", () => flush());
    fetch("api/state", {cache: "no-store", credentials: "omit"}).then((r) => r.json()).then(start, (err) => {
      say("The PEP could not be loaded: " + err, true);
    });
  });
})();
