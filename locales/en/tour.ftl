# `squirrel tour` (src/cli/tour.rs, src/tour.rs): the whole story of `fluffy tail`, stage
# by stage, with what the eavesdropper saw. The stages' names come from lessons.ftl; the
# errors of the certificates, TLS and the vault inside a stage are their areas' words.

tour-cannot-write = cannot write { $path }: { $reason }
tour-html-hint = pass --html a file in a folder you can write to
tour-keep-hint = pass --keep a folder you can write to, or check TMPDIR
tour-failed-hint = run it again with RUST_LOG=info to see the servers' logs
tour-error-folder = cannot use the folder { $path }: { $reason }
tour-error-stage = stage { $number } failed: { $reason }

tour-intro-1 = squirrel tour: the Secret Squirrels guard `fluffy tail`, stage by stage.
tour-intro-2 = Each stage runs here, on loopback, with a tap between client and server keeping a copy
tour-intro-3 = of every byte: what an eavesdropper on the path would see.
tour-wrote-html = Wrote { $path }: open it in a browser (it needs no network), project it, or print it: one stage per A4 page.

## Each stage

tour-stage-title = { $number } { $title }
tour-eavesdropper = The eavesdropper (tap { $tap } → server { $server }, { $connections ->
    [one] 1 connection
   *[other] { $connections } connections
}, { $to_server } bytes to the server, { $to_client } back) saw:
tour-capture = Capture: { $files }
tour-excerpt-title = { $arrow }, connection #{ $connection }, from byte { $at }: { $what }

## The closing lines

tour-done = Done in { $seconds } s. Stopped every server and tap (ports { $ports }); removed { $folder }.
tour-kept-in = Kept in { $folder }:
tour-open-them = Open them: `tshark -r { $pcap } -Y http` shows the secret in clear;
tour-wireshark-decrypted = Wireshark opens { $pcapng } already decrypted (the key log is inside);
tour-wireshark-keys-log = for a .pcap, set Edit → Preferences → Protocols → TLS → (Pre)-Master-Secret log filename to its .keys.log.
tour-keep-tip = To look at the captures in Wireshark: squirrel tour --keep tour-captures
tour-next = Next: the lessons one by one — squirrel lessons

## Stage 01: plain HTTP

tour-01-seen = the request and the reply in clear text: `fluffy tail` is right there
tour-01-excerpt = the reply's body
tour-01-story = The client asked the server for GET / over plain HTTP and printed: { $body }
tour-01-teaches = plain HTTP hides nothing: anyone on the path reads the secret, and could change it.

## Stage 02: a substitution cipher

tour-02-seen = shifted letters: `{ $shifted }` where the secret was
tour-02-excerpt = Alice's message
tour-02-alice = Alice sent, each letter moved { $shift } back: { $posted }
tour-02-bob = Bob, with the same key, read: { $text }
tour-02-eve = Eve counted the { $letters } letters she captured: shift { $shift } ({ $language }) fits best, and she reads: { $text }
tour-02-teaches = a shift cipher hides the letters, not their frequencies: 26 keys, and statistics pick the right one.

## Stage 03: Fernet

tour-03-wrong-key-decrypted = a wrong key decrypted the token
tour-03-seen = a Fernet token of { $length } characters (gAAAAA…: version, time, IV, ciphertext, HMAC); the HTTP around it is still clear
tour-03-excerpt = the token
tour-03-key = Both sides share SECRET_KEY={ $start }… (32 random bytes).
tour-03-decrypted = The client decrypted the token: { $text }
tour-03-refused = With another key the client refuses: { $reason }
tour-03-teaches = real encryption hides the message — but both sides needed the key first: how did it get there?

## Stage 04: key exchange

tour-04-toy = Toy Diffie-Hellman, p = { $p }, g = { $g }: Alice sends { $A }, Bob sends { $B }, both compute { $secret }.
tour-04-eve = Eve tried { $tries } private numbers and found the shared number { $secret } too: toy numbers are no protection.
tour-04-x25519 = X25519: both sides reach the same 32-byte secret ({ $start }…) and Bob reads: { $text }
tour-04-mallory = Mallory in the middle swaps the public keys: she reads `{ $mallory }`, and Bob still reads `{ $bob }` — neither notices.
tour-04-teaches = a key exchange beats the eavesdropper, not the man in the middle: you must know whose key you got.

## Stage 05: a certificate authority

tour-05-inspect = squirrel ca inspect server.crt: { $sentence }
tour-05-teaches = a CA's signature ties a name to a key: the proof of identity lesson 04 was missing.

## Stage 06: HTTPS

tour-06-trusted-anyway = a client without --cacert trusted our CA
tour-06-refused = Without --cacert the client refuses the server: { $reason }
tour-06-fetched = With --cacert certs/ca.crt (the OpenSSL client, so the key log gets its secrets): { $body }
tour-06-teaches = TLS = a key exchange + a certificate the client checks: the eavesdropper sees only records, an impostor fails the check.

## Stage 07: mutual TLS

tour-07-let-in = the server let in a client without a certificate
tour-07-refused = Without a client certificate: { $reason }
tour-07-fetched = With certs/client.crt, signed by the squirrels' CA: { $body }
tour-07-teaches = mutual TLS: the server checks the client's certificate too — no certificate, no connection.

## Stage 08: the file vault

tour-08-differs = the downloaded file differs from the uploaded one
tour-08-login = { $user } logged in (mutual TLS, then the password; PBKDF2 derives the archive key on each side).
tour-08-uploaded = Uploaded { $name } ({ $size } bytes); the server stored it as { $archive }: { $stored }
tour-08-listed = Listed { $n ->
    [one] 1 archive
   *[other] { $n } archives
}; downloaded and decrypted it: identical to the original, byte for byte.
tour-08-at-rest-empty = an encrypted archive
tour-08-at-rest = a Fernet token, { $size } bytes, starting { $start }…
tour-08-no-readme = No README.md here nor in the source tree: uploading a generated text instead.
tour-08-teaches = everything together: mutual TLS on the wire, a key from the password, encryption at rest.

## What the eavesdropper of a TLS stage saw

tour-tls-seen-nowhere = only TLS records ({ $records }); `fluffy tail` nowhere
tour-tls-seen-in-clear = only TLS records ({ $records }); `fluffy tail` IN CLEAR
tour-tls-excerpt = server → client, connection #0, from byte { $at }: the reply, an application_data record (type 0x17, then the version 0x0303 and { $length } bytes of ciphertext)
tour-no-key-log = No key log: { $env } was not set, so this capture stays encrypted.
tour-key-log-empty = The key log holds no secrets for this connection.
tour-key-log-lines = The TLS endpoints wrote { $n ->
    [one] 1 secret line
   *[other] { $n } secret lines
} to { $env }: with them Wireshark decrypts this capture.
