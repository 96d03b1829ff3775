// app.js — the tap's live page: once a second, ask the tap for the connections that
// changed since the last answer, and show each as a ladder beside the bytes of its
// picked arrow (click another arrow to see its bytes). Newest connection first.

import { drawing } from "./drawing.js";
import { byteView } from "./bytes.js";

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

const state = {
  words: null,
  after: 0, // events already seen: the next poll asks only for what came after
  cards: new Map(), // connection id → { element, parts, data, chosen }
};

// The server's templates hold {name} placeholders.
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function card(id) {
  let entry = state.cards.get(id);
  if (entry) return entry;
  const element = document.createElement("article");
  element.className = "connection";
  element.id = `connection-${id}`;
  const parts = {
    title: document.createElement("h2"),
    counts: document.createElement("p"),
    body: document.createElement("div"),
    ladder: document.createElement("div"),
    side: document.createElement("div"),
    hint: document.createElement("p"),
    label: document.createElement("p"),
    bytes: document.createElement("div"),
  };
  parts.counts.className = "counts";
  parts.body.className = "connection-body";
  parts.hint.className = "hint";
  parts.label.className = "picked-label";
  parts.hint.textContent = state.words.live_click;
  parts.side.append(parts.hint, parts.label, parts.bytes);
  parts.body.append(parts.ladder, parts.side);
  element.append(parts.title, parts.counts, parts.body);
  $("connections").prepend(element);
  entry = { element, parts, data: null, chosen: null };
  state.cards.set(id, entry);
  return entry;
}

function pick(entry, index) {
  const arrow = entry.data.arrows[index];
  if (!arrow) return;
  for (const group of entry.parts.ladder.querySelectorAll("g.arrow")) {
    group.classList.toggle("picked", Number(group.dataset.index) === index);
  }
  entry.parts.label.textContent = arrow.label;
  const more = fill(state.words.more_bytes, { n: arrow.view.more });
  entry.parts.bytes.replaceChildren(byteView(arrow.view, more));
}

function show(connection) {
  const entry = card(connection.id);
  entry.data = connection;
  const words = state.words;
  const title = fill(words.connection, { id: connection.id, client: connection.client });
  const status = connection.closed ? words.live_closed : words.live_open;
  entry.parts.title.textContent = `${title}: ${status}`;
  let counts = fill(words.live_counts, {
    to_server: connection.to_server,
    to_client: connection.to_client,
  });
  if (connection.messages > connection.arrows.length) {
    counts += ". " + fill(words.live_elided, { shown: connection.arrows.length, n: connection.messages });
  }
  entry.parts.counts.textContent = counts;
  const svg = drawing(connection.drawing, title);
  svg.addEventListener("click", (event) => {
    const group = event.target.closest("g.arrow");
    if (!group) return;
    entry.chosen = Number(group.dataset.index);
    pick(entry, entry.chosen);
  });
  entry.parts.ladder.replaceChildren(svg);
  const index = entry.chosen ?? connection.picked;
  if (index !== null && index !== undefined) pick(entry, index);
}

async function poll() {
  try {
    const data = await getJson(`/api/connections?after=${state.after}`);
    state.after = data.events;
    $("relaying").textContent = fill(state.words.live_relaying, { tap: data.tap, server: data.server });
    for (const connection of data.connections) show(connection);
    $("status").textContent = state.cards.size ? "" : fill(state.words.live_waiting, { tap: data.tap });
    $("status").classList.remove("error");
  } catch {
    $("status").textContent = state.words.live_gone;
    $("status").classList.add("error");
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

async function start() {
  state.words = await getJson("/api/labels");
  document.documentElement.lang = state.words.lang;
  document.title = state.words.live_title;
  $("title").textContent = state.words.live_title;
  poll();
}

start();
