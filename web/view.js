// view.js — everything that touches the page. Text from the network (names, messages,
// file names) goes in with textContent only, never innerHTML: `<script>` in a message
// is shown as the eight characters it is. Every word comes from words.js.

import { language, t } from "./words.js";

const $ = (id) => document.getElementById(id);

export function status(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

export function insecure() {
  $("insecure").hidden = false;
}

export function showLogin(registration) {
  $("chat-view").hidden = true;
  $("logout").hidden = true;
  $("who").textContent = "";
  $("register-button").hidden = !registration;
  $("login-view").hidden = false;
  $("password").value = "";
}

export function showChat(user, keyFingerprint) {
  $("login-view").hidden = true;
  $("chat-view").hidden = false;
  $("logout").hidden = false;
  $("who").textContent = t("webchat-logged-in-as", { user });
  $("my-key").textContent = groups(keyFingerprint.slice(0, 16), 4) + "…";
}

export function contacts(list, selected, onPick) {
  const ul = $("contacts");
  ul.replaceChildren();
  for (const contact of list) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = contact.name;
    button.dataset.name = contact.name;
    if (contact.name === selected) button.classList.add("selected");
    if (!contact.key) {
      button.title = t("webchat-no-key-title");
      button.classList.add("no-key");
    }
    button.addEventListener("click", () => onPick(contact.name));
    li.append(button);
    ul.append(li);
  }
  if (list.length === 0) {
    const li = document.createElement("li");
    li.textContent = t("webchat-nobody-else");
    ul.append(li);
  }
}

export function conversation(peer) {
  $("peer-name").textContent = peer;
  $("messages").replaceChildren();
  $("safety").hidden = true;
  $("conversation-warning").hidden = true;
  $("send-form").hidden = false;
  for (const button of $("contacts").querySelectorAll("button")) {
    button.classList.toggle("selected", button.dataset.name === peer);
  }
}

export function safetyNumber(peer, number) {
  $("safety-peer").textContent = peer;
  $("safety-number").textContent = number;
  $("safety").hidden = false;
}

export function warn(text) {
  $("conversation-warning").textContent = text;
  $("conversation-warning").hidden = false;
}

function messageItem(message, mine) {
  const li = document.createElement("li");
  li.className = mine ? "message mine" : "message theirs";
  li.dataset.id = message.id;
  li.dataset.position = message.position;
  li.dataset.kind = message.kind;
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = `${message.from} · ${new Date(message.time).toLocaleTimeString(language())}`;
  li.append(meta);
  $("messages").append(li);
  return li;
}

export function text(message, mine, body) {
  const li = messageItem(message, mine);
  const p = document.createElement("p");
  p.className = "text";
  p.textContent = body;
  li.append(p);
  li.dataset.status = "decrypted";
  scrollDown();
}

export function image(message, mine, url, name) {
  const li = messageItem(message, mine);
  const figure = document.createElement("figure");
  const img = document.createElement("img");
  img.src = url; // a blob: URL of the decrypted bytes, allowed by the CSP's img-src
  img.alt = name;
  const caption = document.createElement("figcaption");
  caption.className = "file-name";
  caption.textContent = name;
  figure.append(img, caption);
  li.append(figure);
  li.dataset.status = "decrypted";
  scrollDown();
}

export function failed(message, mine, reason) {
  const li = messageItem(message, mine);
  const p = document.createElement("p");
  p.className = "failed";
  const key = message.kind === "image" ? "webchat-cannot-decrypt-image" : "webchat-cannot-decrypt-text";
  p.textContent = t(key, { reason });
  li.append(p);
  li.dataset.status = "failed";
  scrollDown();
}

function scrollDown() {
  $("messages").lastElementChild?.scrollIntoView({ block: "end" });
}

function groups(text, size) {
  return text.match(new RegExp(`.{1,${size}}`, "g")).join(" ");
}

export const elements = {
  loginForm: () => $("login-form"),
  registerButton: () => $("register-button"),
  logoutButton: () => $("logout"),
  username: () => $("username"),
  password: () => $("password"),
  sendForm: () => $("send-form"),
  messageText: () => $("message-text"),
  imageInput: () => $("image-input"),
};
