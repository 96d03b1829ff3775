// api.js — the server's JSON API (everything under /api/), and base64 for the bytes
// that travel in it. The server only ever sees what these functions send: user names,
// public keys, and ciphertext.

// Sent with every request: a page of another site cannot add this header to a request
// to our server (CSRF protection, checked by the server on every POST).
const HEADERS = { "X-Squirrel-Chat": "1" };

export class ApiError extends Error {
  constructor(status, data) {
    super(data.message || `the server answered ${status}`);
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
  const response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  if (!response.ok) {
    let data = {};
    try {
      data = await response.json();
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(response.status, data);
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
