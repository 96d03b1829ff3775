// crypto.js — every WebCrypto call of lesson 09, in the order the lesson text reads them.
//
// The format (the same, byte for byte, as src/webchat/crypto.rs on the server side):
//   identity key   ECDH P-256, made here; the private key is non-extractable
//   pair key       HKDF-SHA256(ECDH shared secret, salt "squirrel web-chat v1",
//                  info = the two user names in byte order, joined by a NUL byte)
//   message        AES-256-GCM, a fresh random 12-byte IV each time, and associated data
//                  binding kind, sender, recipient and position in the conversation
//   safety number  SHA-256 over both public keys (SPKI) in byte order, last 60 digits

export const PROTOCOL = "squirrel web-chat v1";

const encoder = new TextEncoder();

// 1. A key pair of our own. `false`: the private key can be *used* by this page but
//    never read out — not by our code, not by a script injected into the page.
export function generateKeyPair() {
  return crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
}

// 2. The public half, as SPKI (DER bytes): what we publish on the server.
export async function exportPublicKey(publicKey) {
  return new Uint8Array(await crypto.subtle.exportKey("spki", publicKey));
}

// 3. A peer's public key, from the SPKI the server gave us.
export function importPublicKey(spki) {
  return crypto.subtle.importKey("spki", spki, { name: "ECDH", namedCurve: "P-256" }, true, []);
}

// A key's fingerprint: SHA-256 of its SPKI, in hex (the server uses the same name).
export async function fingerprint(spki) {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", spki)));
}

// 4. The pair key: ECDH gives both sides the same 32-byte secret; HKDF turns it into
//    an AES-256-GCM key bound to the protocol version and to the two user names.
export async function pairKey(privateKey, peerPublicKey, me, peer) {
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: peerPublicKey }, privateKey, 256);
  const hkdfKey = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  const [first, second] = [me, peer].sort(); // names are ASCII: this is byte order
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode(PROTOCOL), info: joinWithNul([first, second]) },
    hkdfKey,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

// 5. The associated data: authenticated, not encrypted. If the server moves a
//    ciphertext to another position, conversation or sender, decryption fails.
export function associatedData(kind, sender, recipient, position) {
  return joinWithNul([PROTOCOL, kind, sender, recipient, String(position)]);
}

// 6. Encrypt: a fresh random 96-bit IV for every message (never reuse one with a key).
//    AES-GCM appends a 16-byte tag that detects any change to the ciphertext.
export async function encrypt(key, plaintext, aad) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, plaintext);
  return { iv, ciphertext: new Uint8Array(ciphertext) };
}

// 7. Decrypt: throws (OperationError) when the key is wrong or anything was changed.
export async function decrypt(key, iv, ciphertext, aad) {
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, ciphertext));
}

// 8. The safety number: both sides hash the same two keys in the same order, so both
//    see the same 60 digits — unless someone handed them different keys.
export async function safetyNumber(spkiA, spkiB) {
  const [first, second] = compareBytes(spkiA, spkiB) <= 0 ? [spkiA, spkiB] : [spkiB, spkiA];
  const both = new Uint8Array(first.length + second.length);
  both.set(first, 0);
  both.set(second, first.length);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", both));
  const digits = (BigInt("0x" + toHex(digest)) % 10n ** 60n).toString().padStart(60, "0");
  return digits.match(/.{5}/g).join(" ");
}

// An image travels as JSON {"name","type"}, a NUL byte, then the image's bytes — all
// encrypted together, so the server sees neither the picture nor its name.
export function imagePlaintext(name, type, bytes) {
  const header = encoder.encode(JSON.stringify({ name, type }));
  const out = new Uint8Array(header.length + 1 + bytes.length);
  out.set(header, 0);
  out.set(bytes, header.length + 1);
  return out;
}

export function parseImagePlaintext(plaintext) {
  const end = plaintext.indexOf(0);
  if (end < 0) throw new Error("not an image message");
  const header = JSON.parse(new TextDecoder().decode(plaintext.subarray(0, end)));
  return { name: String(header.name), type: String(header.type), bytes: plaintext.subarray(end + 1) };
}

function joinWithNul(fields) {
  return encoder.encode(fields.join("\0"));
}

function compareBytes(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
