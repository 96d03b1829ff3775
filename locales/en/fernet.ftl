# Lesson 03: `squirrel fernet …` and its client (src/cli/fernet.rs,
# src/lessons/l03_fernet.rs). $name is the environment variable, SECRET_KEY.

fernet-key-empty = { $name } is empty
fernet-key-not-fernet = { $name } is not a Fernet key: it must be 32 bytes in URL-safe base64 (44 characters ending in '='), this one has { $length } characters
fernet-reply-not-a-token = the server's reply is not a Fernet token: it reads { $start }, where a token is URL-safe base64 starting with gAAAAA (is this lesson 03's server, `squirrel fernet serve`?)
fernet-wrong-key = the token does not decrypt with this { $name }: the server uses another key, or the token was changed on the way
fernet-message-not-utf8 = the message is not UTF-8 text

fernet-key-not-set = { $name } is not set
fernet-key-not-set-hint = make a key with `squirrel fernet keygen` and run: export { $name }=<the key>
fernet-bad-key-hint = make a key with: squirrel fernet keygen
fernet-share-key = Share it with the other side, then on both: export { $name }={ $key }
fernet-same-key-hint = both sides need the same { $name }
fernet-start-server-hint = start lesson 03's server, with the same SECRET_KEY: squirrel fernet serve
fernet-token-on-the-wire = The token on the wire: { $token }
