// app.js — the chat: log in, make or load this browser's key, pick a contact, poll for
// messages about once a second, decrypt and show them, encrypt and send. Its words come
// from words.js, in the reader's language.

import * as e2e from "./crypto.js";
import * as keystore from "./keystore.js";
import * as api from "./api.js";
import * as view from "./view.js";
import { load as loadWords, t } from "./words.js";

const POLL_MS = 1000;
const CONTACTS_MS = 5000;
const decoder = new TextDecoder("utf-8", { fatal: true });

const state = {
  server: { registration: false, max_text: 65536, max_image: 5 * 1024 * 1024, min_password: 8 },
  me: null,
  keyPair: null,
  mySpki: null,
  myFingerprint: null,
  peer: null, // { name, fingerprint, spki }
  conversation: 0, // bumped on every switch, so late answers for the old one are dropped
  lastId: 0,
  nextPosition: 0,
  keys: new Map(), // fingerprint → { user, spki, publicKey }
  pairKeys: new Map(), // peer fingerprint → AES-GCM key
  timers: [],
  polling: null,
};

async function start() {
  await loadWords();
  // crypto.subtle exists only in a secure context: HTTPS, or http://localhost.
  if (!window.isSecureContext || !window.crypto?.subtle) {
    view.insecure();
    return;
  }
  wire();
  state.server = await api.server();
  try {
    const me = await api.me();
    await enter(me.user);
  } catch (e) {
    if (e.status === 401) view.showLogin(state.server.registration);
    else view.status(e.message, true);
  }
}

function wire() {
  const { loginForm, registerButton, logoutButton, username, password, sendForm, messageText, imageInput } =
    view.elements;
  loginForm().addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => enter((await api.login(username().value, password().value)).user));
  });
  registerButton().addEventListener("click", () => {
    if (!loginForm().reportValidity()) return;
    act(async () => {
      // The server counts characters (code points), as [...text] does.
      const min = state.server.min_password;
      if ([...password().value].length < min) throw new Error(t("webchat-error-short-password", { min }));
      await enter((await api.register(username().value, password().value)).user);
    });
  });
  logoutButton().addEventListener("click", () =>
    act(async () => {
      await api.logout();
      leave();
    }),
  );
  sendForm().addEventListener("submit", (event) => {
    event.preventDefault();
    const text = messageText().value;
    if (text === "") return;
    act(async () => {
      await sendText(text);
      messageText().value = "";
    });
  });
  messageText().addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      sendForm().requestSubmit();
    }
  });
  imageInput().addEventListener("change", () => {
    const file = imageInput().files[0];
    if (!file) return;
    act(async () => {
      await sendImage(file);
      imageInput().value = "";
    });
  });
}

// Runs a user action, showing its failure in the status line.
async function act(action) {
  try {
    view.status("");
    await action();
  } catch (e) {
    view.status(e.message, true);
  }
}

// After login: this browser's key pair for this user, made on first login here.
async function enter(user) {
  state.me = user;
  let keyPair = await keystore.loadKeyPair(user);
  if (!keyPair) {
    view.status(t("webchat-making-key"));
    keyPair = await e2e.generateKeyPair();
    await keystore.saveKeyPair(user, keyPair);
  }
  state.keyPair = keyPair;
  state.mySpki = await e2e.exportPublicKey(keyPair.publicKey);
  state.myFingerprint = await e2e.fingerprint(state.mySpki);
  const me = await api.me();
  if (me.key !== state.myFingerprint) {
    // Only the public half goes to the server.
    await api.publishKey(state.mySpki);
  }
  view.status("");
  view.showChat(user, state.myFingerprint);
  await refreshContacts();
  state.timers.push(setInterval(() => refreshContacts().catch(() => {}), CONTACTS_MS));
  state.timers.push(setInterval(() => poll().catch(showPollError), POLL_MS));
}

function leave() {
  state.timers.forEach(clearInterval);
  state.timers = [];
  Object.assign(state, { me: null, keyPair: null, peer: null, lastId: 0, nextPosition: 0 });
  state.conversation++;
  state.pairKeys.clear();
  view.showLogin(state.server.registration);
}

function showPollError(e) {
  if (e.status === 401) leave();
  view.status(e.message, true);
}

async function refreshContacts() {
  const { users } = await api.users();
  view.contacts(users, state.peer?.name, (name) => act(() => pick(name)));
  // A contact who logs in for the first time gets a key: pick it up.
  const peer = users.find((u) => u.name === state.peer?.name);
  if (peer && peer.key && peer.key !== state.peer.fingerprint) await loadPeerKey();
}

async function pick(name) {
  state.conversation++;
  state.peer = { name, fingerprint: null, spki: null };
  state.lastId = 0;
  state.nextPosition = 0;
  view.conversation(name);
  await loadPeerKey();
  await poll();
}

// The peer's current key from the server, and the safety number it gives.
async function loadPeerKey() {
  const peer = state.peer;
  try {
    const key = await api.keyOf(peer.name);
    const known = await rememberKey(key);
    peer.fingerprint = key.fingerprint;
    peer.spki = known.spki;
    view.safetyNumber(peer.name, await e2e.safetyNumber(state.mySpki, known.spki));
  } catch (e) {
    if (e.status === 404) view.warn(t("webchat-peer-has-no-key", { peer: peer.name }));
    else throw e;
  }
}

async function rememberKey(key) {
  let known = state.keys.get(key.fingerprint);
  if (!known) {
    const spki = api.fromBase64(key.spki);
    if ((await e2e.fingerprint(spki)) !== key.fingerprint) throw new Error(t("webchat-key-mismatch"));
    known = { user: key.user, spki, publicKey: await e2e.importPublicKey(spki) };
    state.keys.set(key.fingerprint, known);
  }
  return known;
}

async function keyByFingerprint(fingerprint) {
  return state.keys.get(fingerprint) ?? rememberKey(await api.keyByFingerprint(fingerprint));
}

async function pairKeyWith(fingerprint) {
  let key = state.pairKeys.get(fingerprint);
  if (!key) {
    const peerKey = await keyByFingerprint(fingerprint);
    key = await e2e.pairKey(state.keyPair.privateKey, peerKey.publicKey, state.me, peerKey.user);
    state.pairKeys.set(fingerprint, key);
  }
  return key;
}

// One poll at a time: a send waits for the poll in flight, then polls again.
function poll() {
  const previous = state.polling ?? Promise.resolve();
  const next = previous.catch(() => {}).then(fetchNew);
  state.polling = next.finally(() => {
    if (state.polling === next) state.polling = null;
  });
  return next;
}

async function fetchNew() {
  const conversation = state.conversation;
  const peer = state.peer;
  if (!peer) return;
  for (;;) {
    const page = await api.messages(peer.name, state.lastId);
    if (conversation !== state.conversation) return;
    for (const message of page.messages) {
      await show(message);
      if (conversation !== state.conversation) return;
      state.lastId = message.id;
    }
    if (!page.more) return;
  }
}

// Decrypts and shows one message. The position is checked too: the sender bound it
// into the AAD, so a server that drops, repeats or reorders messages is noticed.
async function show(message) {
  const mine = message.from === state.me;
  if (message.position !== state.nextPosition) {
    view.warn(t("webchat-out-of-order", { position: message.position, expected: state.nextPosition }));
  }
  state.nextPosition = Math.max(state.nextPosition, message.position + 1);
  try {
    const myKey = mine ? message.sender_key : message.recipient_key;
    if (myKey !== state.myFingerprint) throw new Error(t("webchat-other-key"));
    const key = await pairKeyWith(mine ? message.recipient_key : message.sender_key);
    const aad = e2e.associatedData(message.kind, message.from, message.to, message.position);
    const iv = api.fromBase64(message.iv);
    if (message.kind === "text") {
      const plaintext = await e2e.decrypt(key, iv, api.fromBase64(message.ciphertext), aad);
      view.text(message, mine, decodeText(plaintext));
    } else {
      const ciphertext = await api.imageCiphertext(message.url);
      const image = parseImage(await e2e.decrypt(key, iv, ciphertext, aad));
      const type = imageType(image.bytes);
      if (!type) throw new Error(t("webchat-not-an-image"));
      // The type comes from the bytes, not from the sender: an SVG (which can hold
      // script) is never shown.
      const url = URL.createObjectURL(new Blob([image.bytes], { type }));
      view.image(message, mine, url, image.name);
    }
  } catch (e) {
    const reason = e.name === "OperationError" ? t("webchat-wrong-key") : e.message;
    view.failed(message, mine, reason);
  }
}

// The decrypted bytes as text; the browser's own error would not be in the page's
// language.
function decodeText(plaintext) {
  try {
    return decoder.decode(plaintext);
  } catch {
    throw new Error(t("webchat-not-utf8"));
  }
}

function parseImage(plaintext) {
  try {
    return e2e.parseImagePlaintext(plaintext);
  } catch {
    throw new Error(t("webchat-not-an-image-message"));
  }
}

// The image type from its first bytes (its "magic number").
function imageType(bytes) {
  const starts = (...sig) => sig.every((b, i) => b === null || bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50)) return "image/webp";
  return null;
}

// Encrypts at the conversation's next position and sends. If the other side sent at
// the same moment (409 with next_position), or changed keys, catch up and try again.
async function sendSealed(kind, plaintext, post) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await poll();
    const peer = state.peer;
    if (!peer) throw new Error(t("webchat-pick-contact"));
    if (!peer.fingerprint) throw new Error(t("webchat-peer-has-no-key", { peer: peer.name }));
    const position = state.nextPosition;
    const key = await pairKeyWith(peer.fingerprint);
    const aad = e2e.associatedData(kind, state.me, peer.name, position);
    const { iv, ciphertext } = await e2e.encrypt(key, plaintext, aad);
    try {
      await post({
        to: peer.name,
        position,
        sender_key: state.myFingerprint,
        recipient_key: peer.fingerprint,
        iv,
        ciphertext,
      });
      await poll();
      return;
    } catch (e) {
      if (e.status === 409 && e.data.stale === "recipient_key") await loadPeerKey();
      else if (e.status === 409 && e.data.stale === "sender_key") await api.publishKey(state.mySpki);
      else if (!(e.status === 409 && "next_position" in e.data)) throw e;
    }
  }
  throw new Error(t("webchat-kept-moving"));
}

async function sendText(text) {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > state.server.max_text) throw new Error(t("webchat-text-too-long", { kib: state.server.max_text / 1024 }));
  await sendSealed("text", bytes, api.sendText);
}

async function sendImage(file) {
  if (file.size > state.server.max_image) {
    throw new Error(t("webchat-image-too-large", { name: file.name, mib: Math.round(state.server.max_image / 1048576) }));
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = imageType(bytes);
  if (!type) throw new Error(t("webchat-file-not-an-image", { name: file.name }));
  const plaintext = e2e.imagePlaintext(file.name.slice(0, 200), type, bytes);
  await sendSealed("image", plaintext, api.sendImage);
}

start().catch((e) => view.status(e.message, true));
