// api.js — the server's JSON API (everything under /api/), and base64 for the bytes
// that travel in it. The server only ever sees what these functions send: user names,
// public keys, and ciphertext.

import { t } from "./words.js";

// Sent with every request: a page of another site cannot add this header to a request
// to our server (CSRF protection, checked by the server on every POST).
const HEADERS = { "X-Squirrel-Chat": "1" };

// The page's own words for the errors it knows, by "path status", else by status. Any
// other error shows the server's message, which stays English: it is the wire
// protocol's, as the log's lines are.
const KNOWN = {
  "/api/login 401": "webchat-error-login",
  "/api/register 400": "webchat-error-bad-name", // the page checked the password first
  "/api/register 403": "webchat-error-registration-closed",
  "/api/register 409": "webchat-error-name-taken",
  0: "webchat-error-unreachable", // no answer at all: the request did not reach it
  401: "webchat-error-session-ended",
  413: "webchat-error-too-large",
  429: "webchat-error-throttled",
  500: "webchat-error-server",
};

// A refused request: its status (0 when the server did not answer), the JSON the server
// sent, and a message in the page's language where the page knows the error.
export class ApiError extends Error {
  // context: { path, name (the user name sent), seconds (Retry-After) }
  constructor(status, data, context = {}) {
    const key = KNOWN[`${context.path} ${status}`] ?? KNOWN[status];
    const known = key && (status !== 429 || context.seconds);
    super(known ? t(key, context) : data.message || t("webchat-error-status", { status }));
    this.status = status;
    this.data = data;
  }
}

async function request(method, path, body) {
  const headers = { ...HEADERS };
  let payload;
  if (body instanceof Uint8Array) {
    headers["Content-Type"] = "application/octet-stream";
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const context = { path: path.split("?")[0], name: body?.username };
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  } catch {
    throw new ApiError(0, {}, context);
  }
  if (!response.ok) {
    let data = {};
    try {
      data = await response.json();
    } catch {
      // not JSON: keep the status
    }
    context.seconds = response.headers.get("Retry-After");
    throw new ApiError(response.status, data, context);
  }
  return response;
}

async function json(method, path, body) {
  return (await request(method, path, body)).json();
}

const q = encodeURIComponent;

export const server = () => json("GET", "/api/server");
export const register = (username, password) => json("POST", "/api/register", { username, password });
export const login = (username, password) => json("POST", "/api/login", { username, password });
export const logout = () => json("POST", "/api/logout");
export const me = () => json("GET", "/api/me");
export const users = () => json("GET", "/api/users");
export const publishKey = (spki) => json("POST", "/api/keys", { spki: toBase64(spki) });
export const keyOf = (user) => json("GET", `/api/keys?user=${q(user)}`);
export const keyByFingerprint = (fingerprint) => json("GET", `/api/keys/${q(fingerprint)}`);
export const messages = (peer, after) => json("GET", `/api/messages?with=${q(peer)}&after=${after}`);

// A text message: { to, position, sender_key, recipient_key, iv, ciphertext }.
export function sendText(message) {
  return json("POST", "/api/messages", {
    ...message,
    iv: toBase64(message.iv),
    ciphertext: toBase64(message.ciphertext),
  });
}

// An image: the same fields in the query string, the ciphertext as the raw body.
export function sendImage(message) {
  const fields = ["to", "position", "sender_key", "recipient_key"].map((f) => `${f}=${q(message[f])}`);
  fields.push(`iv=${q(toBase64(message.iv))}`);
  return json("POST", `/api/images?${fields.join("&")}`, message.ciphertext);
}

export async function imageCiphertext(url) {
  return new Uint8Array(await (await request("GET", url)).arrayBuffer());
}

export function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
