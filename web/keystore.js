// keystore.js — where this browser keeps each user's key pair: IndexedDB, which stores
// a CryptoKey object as it is. The private key was made non-extractable, so even here
// it is a handle the browser can use, not bytes anyone can read or send.

const DATABASE = "squirrel-chat";
const STORE = "keys";

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "user" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run(mode, action) {
  return openDatabase().then(
    (db) =>
      new Promise((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = action(transaction.objectStore(STORE));
        transaction.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        transaction.onerror = () => {
          db.close();
          reject(transaction.error);
        };
      }),
  );
}

// The key pair this browser made for `user`, or null.
export async function loadKeyPair(user) {
  const entry = await run("readonly", (store) => store.get(user));
  return entry ? { privateKey: entry.privateKey, publicKey: entry.publicKey } : null;
}

export function saveKeyPair(user, keyPair) {
  return run("readwrite", (store) =>
    store.put({ user, privateKey: keyPair.privateKey, publicKey: keyPair.publicKey }),
  );
}
