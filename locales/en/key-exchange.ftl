# Lesson 04: `squirrel key-exchange demo` (src/cli/key_exchange.rs,
# src/lessons/l04_key_exchange.rs), the story told with its numbers. Formulas, numbers,
# keys and tokens stay as they are.

key-exchange-error-toy = bad toy numbers: { $reason }
key-exchange-toy-p = p = { $p } must be a prime from 5 to { $limit }
key-exchange-toy-g = g = { $g } must be from 2 to p − 1
key-exchange-toy-private = { $who } = { $x } must be from 1 to p − 2 = { $max }
key-exchange-error-openssl = X25519 failed: { $reason }
key-exchange-error-key-length = an X25519 public key is 32 bytes, not { $length }
key-exchange-error-wrong-key = the token does not decrypt with this key: the two sides hold different keys
key-exchange-openssl-hint = this needs OpenSSL 1.1.1 or later (X25519 and HKDF)
key-exchange-cannot-write-stdout = cannot write to stdout: { $reason }

key-exchange-title = Lesson 04 — agreeing on a key while everyone listens
key-exchange-seeded = (numbers from --seed { $seed }: run it again, get the same ones)
key-exchange-random = (fresh random numbers: pass --seed N to replay a run)

## 1. Toy Diffie-Hellman

key-exchange-toy-heading = 1. Diffie-Hellman with toy numbers (a TOY: real groups have 255 bits or more)
key-exchange-paint = The paint analogy. Alice and Bob agree, in the open, on a common paint:
key-exchange-public = p = { $p } (a prime) and g = { $g }. Everyone knows them, Eve the eavesdropper too.
key-exchange-secret-colour = Each picks a secret colour and tells no one:
key-exchange-mixes = Each mixes the common paint with their secret colour and sends the mix:
key-exchange-alice-sends = Alice sends A = g^a mod p = { $g }^{ $a } mod { $p } = { $A }
key-exchange-bob-sends = Bob sends   B = g^b mod p = { $g }^{ $b } mod { $p } = { $B }
key-exchange-adds = Each adds their secret colour to the other's mix:
key-exchange-same-colour = The same colour on both sides: the shared secret is { $secret }. It never crossed the wire.
key-exchange-eve-holds = Eve holds p = { $p }, g = { $g }, A = { $A }, B = { $B }.
key-exchange-eve-tries = Unmixing paint is hard, but there are only { $n } secret colours: she tries them all.
key-exchange-that-is-a = <- that is A
key-exchange-eve-knows = After { $tries } tries Eve knows a = { $a }, and computes B^a mod p = { $secret }: the shared secret.
key-exchange-no-match = (no x matches: this g does not generate A)
key-exchange-out-of-reach = X25519 draws its secret from about 2^252 numbers: trying them all is out of reach.

## 2. X25519

key-exchange-x25519-heading = 2. X25519: the same idea on an elliptic curve (RFC 7748)
key-exchange-key-pairs = Each side makes a key pair and sends the public half (32 bytes):
key-exchange-alice-public = Alice's public key: { $key }
key-exchange-bob-public = Bob's public key:   { $key }
key-exchange-combines = Each combines its private key with the other's public key:
key-exchange-alice-shared = Alice's shared secret: { $secret }
key-exchange-bob-shared = Bob's shared secret:   { $secret }
key-exchange-same-bytes = The same 32 bytes on both sides.
key-exchange-hkdf = HKDF-SHA256 turns the secret into a Fernet key (URL-safe base64 of 32 bytes):
key-exchange-alice-fernet = Alice's Fernet key: { $key }
key-exchange-bob-fernet = Bob's Fernet key:   { $key }
key-exchange-alice-encrypts = Alice encrypts `{ $secret }` and sends the token:
key-exchange-bob-decrypts = Bob decrypts it with his key: { $text }
key-exchange-eve-saw = Eve saw both public keys and the token. Without a private key she cannot make
key-exchange-nothing-told = the secret — but nothing told Alice that the key she got really was Bob's.

## 3. The man in the middle

key-exchange-mitm-heading = 3. The man in the middle
key-exchange-mallory-swaps = Mallory sits on the path and swaps the public keys as they pass:
key-exchange-mitm-alice-sends = Alice sends her key:    { $key }
key-exchange-mitm-bob-receives = Bob receives instead:   { $key } (Mallory's)
key-exchange-mitm-bob-sends = Bob sends his key:      { $key }
key-exchange-mitm-alice-receives = Alice receives instead: { $key } (Mallory's)
key-exchange-with-mallory = Each honest side now shares a secret — with Mallory:
key-exchange-mitm-alice-shared = Alice's shared secret:        { $secret }
key-exchange-mitm-mallory-alice = Mallory's secret with Alice:  { $secret }
key-exchange-mitm-bob-shared = Bob's shared secret:          { $secret }
key-exchange-mitm-mallory-bob = Mallory's secret with Bob:    { $secret }
key-exchange-different = Alice and Bob hold different secrets, and neither can tell.
key-exchange-alice-for-bob = Alice encrypts `{ $secret }` for "Bob":
key-exchange-mallory-reads = Mallory decrypts it and reads: { $text }
key-exchange-mallory-forwards = She encrypts it again under her key with Bob and forwards it:
key-exchange-bob-reads = Bob decrypts: { $text } — everything worked, as far as he can see.
key-exchange-could-change = She could as easily have changed the message.
key-exchange-moral-1 = Key exchange keeps out eavesdroppers, not impostors. The fix: sign the public
key-exchange-moral-2 = key with a key you already trust — a certificate. Lesson 05: squirrel ca init

## The toy's lines of numbers

key-exchange-alice-a = Alice: a = { $a }
key-exchange-bob-b = Bob:   b = { $b }
key-exchange-alice-computes = Alice: B^a mod p = { $B }^{ $a } mod { $p } = { $secret }
key-exchange-bob-computes = Bob:   A^b mod p = { $A }^{ $b } mod { $p } = { $secret }
