# Lesson 04: `squirrel key-exchange demo` (src/cli/key_exchange.rs,
# src/lessons/l04_key_exchange.rs), the story told with its numbers; the area is `kex`,
# key exchange as SSH calls it. Formulas, numbers, keys and tokens stay as they are.

kex-error-toy = bad toy numbers: { $reason }
kex-toy-p = p = { $p } must be a prime from 5 to { $limit }
kex-toy-g = g = { $g } must be from 2 to p − 1
kex-toy-private = { $who } = { $x } must be from 1 to p − 2 = { $max }
kex-error-openssl = X25519 failed: { $reason }
kex-error-key-length = an X25519 public key is 32 bytes, not { $length }
kex-error-wrong-key = the token does not decrypt with this key: the two sides hold different keys
kex-openssl-hint = this needs OpenSSL 1.1.1 or later (X25519 and HKDF)
kex-cannot-write-stdout = cannot write to stdout: { $reason }

kex-title = Lesson 04 — agreeing on a key while everyone listens
kex-seeded = (numbers from --seed { $seed }: run it again, get the same ones)
kex-random = (fresh random numbers: pass --seed N to replay a run)

## 1. Toy Diffie-Hellman

kex-toy-heading = 1. Diffie-Hellman with toy numbers (a TOY: real groups have 255 bits or more)
kex-paint = The paint analogy. Alice and Bob agree, in the open, on a common paint:
kex-public = p = { $p } (a prime) and g = { $g }. Everyone knows them, Eve the eavesdropper too.
kex-secret-colour = Each picks a secret colour and tells no one:
kex-mixes = Each mixes the common paint with their secret colour and sends the mix:
kex-alice-sends = Alice sends A = g^a mod p = { $g }^{ $a } mod { $p } = { $A }
kex-bob-sends = Bob sends   B = g^b mod p = { $g }^{ $b } mod { $p } = { $B }
kex-adds = Each adds their secret colour to the other's mix:
kex-same-colour = The same colour on both sides: the shared secret is { $secret }. It never crossed the wire.
kex-eve-holds = Eve holds p = { $p }, g = { $g }, A = { $A }, B = { $B }.
kex-eve-tries = Unmixing paint is hard, but there are only { $n } secret colours: she tries them all.
kex-that-is-a = <- that is A
kex-eve-knows = After { $tries } tries Eve knows a = { $a }, and computes B^a mod p = { $secret }: the shared secret.
kex-no-match = (no x matches: this g does not generate A)
kex-out-of-reach = X25519 draws its secret from about 2^252 numbers: trying them all is out of reach.

## 2. X25519

kex-x25519-heading = 2. X25519: the same idea on an elliptic curve (RFC 7748)
kex-key-pairs = Each side makes a key pair and sends the public half (32 bytes):
kex-alice-public = Alice's public key: { $key }
kex-bob-public = Bob's public key:   { $key }
kex-combines = Each combines its private key with the other's public key:
kex-alice-shared = Alice's shared secret: { $secret }
kex-bob-shared = Bob's shared secret:   { $secret }
kex-same-bytes = The same 32 bytes on both sides.
kex-hkdf = HKDF-SHA256 turns the secret into a Fernet key (URL-safe base64 of 32 bytes):
kex-alice-fernet = Alice's Fernet key: { $key }
kex-bob-fernet = Bob's Fernet key:   { $key }
kex-alice-encrypts = Alice encrypts `{ $secret }` and sends the token:
kex-bob-decrypts = Bob decrypts it with his key: { $text }
kex-eve-saw = Eve saw both public keys and the token. Without a private key she cannot make
kex-nothing-told = the secret — but nothing told Alice that the key she got really was Bob's.

## 3. The man in the middle

kex-mitm-heading = 3. The man in the middle
kex-mallory-swaps = Mallory sits on the path and swaps the public keys as they pass:
kex-mitm-alice-sends = Alice sends her key:    { $key }
kex-mitm-bob-receives = Bob receives instead:   { $key } (Mallory's)
kex-mitm-bob-sends = Bob sends his key:      { $key }
kex-mitm-alice-receives = Alice receives instead: { $key } (Mallory's)
kex-with-mallory = Each honest side now shares a secret — with Mallory:
kex-mitm-alice-shared = Alice's shared secret:        { $secret }
kex-mitm-mallory-alice = Mallory's secret with Alice:  { $secret }
kex-mitm-bob-shared = Bob's shared secret:          { $secret }
kex-mitm-mallory-bob = Mallory's secret with Bob:    { $secret }
kex-different = Alice and Bob hold different secrets, and neither can tell.
kex-alice-for-bob = Alice encrypts `{ $secret }` for "Bob":
kex-mallory-reads = Mallory decrypts it and reads: { $text }
kex-mallory-forwards = She encrypts it again under her key with Bob and forwards it:
kex-bob-reads = Bob decrypts: { $text } — everything worked, as far as he can see.
kex-could-change = She could as easily have changed the message.
kex-moral-1 = Key exchange keeps out eavesdroppers, not impostors. The fix: sign the public
kex-moral-2 = key with a key you already trust — a certificate. Lesson 05: squirrel ca init

## The toy's lines of numbers

kex-alice-a = Alice: a = { $a }
kex-bob-b = Bob:   b = { $b }
kex-alice-computes = Alice: B^a mod p = { $B }^{ $a } mod { $p } = { $secret }
kex-bob-computes = Bob:   A^b mod p = { $A }^{ $b } mod { $p } = { $secret }
