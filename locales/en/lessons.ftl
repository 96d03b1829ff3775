# The lessons: `squirrel lessons`, the lesson table's words (the tour's stage names and
# titles come from here too), what every lesson's client prints on success, and why it
# failed (LessonError, src/lessons/mod.rs).

## squirrel lessons

lessons-intro = The Secret Squirrels guard `fluffy tail`, stage by stage:
lessons-try = try:   { $command }
lessons-read = read:  { $path }
lessons-test = test:  { $command }
lessons-hint = hint:  { $hint }
lessons-try-then = { $first }   (then: { $then })
lessons-aliases = Each lesson's command also answers to its number: `squirrel 3 keygen` is `squirrel fernet keygen`.

## The lesson table: each lesson's short name (the tour's heading), title (the lesson
## text's) and hint

lessons-01-name = Plain HTTP
lessons-01-title = Plain HTTP: anyone on the path reads `fluffy tail`
lessons-01-hint = capture on loopback with the filter `port 5683`, then Decode As TCP 5683 → HTTP (Wireshark guesses CoAP)
lessons-02-name = A substitution cipher
lessons-02-title = A substitution cipher, a chat that logs only ciphertext, and how frequency analysis breaks it
lessons-02-hint = --shift N moves each letter N places back: with 1, f becomes e
lessons-03-name = Fernet
lessons-03-title = Fernet: real symmetric encryption, and the problem of sharing the key
lessons-03-hint = server and client need the same SECRET_KEY
lessons-04-name = Key exchange
lessons-04-title = Key exchange: agreeing on a key in public, and the man in the middle
lessons-04-hint = the toy numbers are tiny on purpose: real groups are 255 bits or more
lessons-05-name = A certificate authority
lessons-05-title = Become a certificate authority: CSR, signature, chain of trust
lessons-05-hint = files go to certs/; nothing is overwritten without --force
lessons-06-name = HTTPS
lessons-06-title = HTTPS: the plain-HTTP server behind TLS
lessons-06-hint = the client must trust the CA: pass --cacert certs/ca.crt
lessons-07-name = Mutual TLS
lessons-07-title = Mutual TLS: the server asks for a client certificate too
lessons-07-hint = make the client certificate with: squirrel ca issue --name client --client
lessons-08-name = The file vault
lessons-08-title = The file vault: everything together, in a real product
lessons-08-hint = the client finds its certificates in ./certs (--dir to change)
lessons-09-name = The browser chat
lessons-09-title = The browser chat: end-to-end encryption with WebCrypto, and a lying server caught
lessons-09-hint = crypto.subtle needs a secure context: open the page over https:// with the CA trusted
lessons-09-then = squirrel ca install, and open https://localhost:5683/ and https://127.0.0.1:5683/

## What a lesson's client prints

lessons-secret-message = The secret message is: { $secret }

## Why a lesson's client failed

lessons-error-scheme = this lesson speaks { $expected }, not { $got }: use { $expected }://{ $authority }/
lessons-error-status = the server answered { $status }
lessons-error-status-message = the server answered { $status }: { $message }
lessons-reply-not-utf8 = the reply is not UTF-8 text
