# The browser chat's page (squirrel web-chat serve, lesson 09), served as GET /api/words
# in the browser's language. Placeables are filled by the page: names, numbers, and the
# <code> elements of webchat-insecure. The API's JSON errors stay English (the wire
# protocol's); the page shows these words for the errors it knows.

## index.html

webchat-title = Squirrel chat
webchat-log-out = Log out
webchat-insecure = This page is not in a secure context ({ $is_secure_context } is false), so the browser hides { $subtle } and nothing can be encrypted. Open it over { $https }, with the squirrels' CA trusted ({ $ca_install }).
webchat-log-in-title = Log in
webchat-user-name = User name
webchat-password = Password
webchat-log-in = Log in
webchat-register = Register
webchat-login-note = The password is checked by the server. Your encryption key is made by this browser and never leaves it.
webchat-contacts = Contacts
webchat-your-key = Your key: { $key }
webchat-pick-contact = Pick a contact
webchat-safety-number = Safety number with { $peer }. Read it to each other: if it differs, someone handed you a key that is not theirs.
webchat-message = Message
webchat-send = Send
webchat-send-image = Send an image

## What the page says as it goes

webchat-logged-in-as = Logged in as { $user }
webchat-no-key-title = has not logged in yet: no key
webchat-nobody-else = Nobody else yet.
webchat-cannot-decrypt-text = Could not decrypt this text: { $reason }
webchat-cannot-decrypt-image = Could not decrypt this image: { $reason }
webchat-making-key = Making your key pair in this browser…
webchat-peer-has-no-key = { $peer } has not logged in yet, so has no key: you cannot write yet.
webchat-key-mismatch = the server sent a key that does not match its fingerprint
webchat-out-of-order = Message { $position } arrived where { $expected } was expected: the server dropped, repeated or reordered messages.
webchat-other-key = it was encrypted for another of your keys (another browser)
webchat-wrong-key = wrong key, or changed on the way
webchat-not-utf8 = it is not UTF-8 text
webchat-not-an-image-message = it is not an image message
webchat-not-an-image = it is not a JPEG, PNG, GIF or WebP image
webchat-kept-moving = could not send: the conversation kept moving; try again
webchat-text-too-long = a message is at most { $kib } KiB
webchat-image-too-large = { $name } is over the { $mib } MiB limit for images
webchat-file-not-an-image = { $name } is not a JPEG, PNG, GIF or WebP image

## The errors the page knows (others show the server's message)

webchat-error-status = the server answered { $status }
webchat-error-unreachable = the server does not answer: is it still running?
webchat-error-login = wrong user name or password
webchat-error-session-ended = your session has ended (logged out, expired, or the server restarted): log in again
webchat-error-name-taken = the user name { $name } is taken: pick another
webchat-error-registration-closed = registration is closed on this server: ask the teacher for an account (squirrel web-chat adduser NAME)
webchat-error-bad-name = the user name { $name } is refused: use 1 to 32 visible ASCII characters (letters, digits, punctuation), no spaces
webchat-error-short-password = the password must be at least { $min } characters
webchat-error-throttled = too many failed logins for this user from your address: try again in { $seconds } s
webchat-error-too-large = this is over the server's limit
webchat-error-server = the server could not complete the request (see its log)

## web-chat on the command line (squirrel web-chat serve, adduser, dump)

webchat-cli-serving = web-chat: serving https://{ $host }:{ $port }/ ({ $workers ->
        [one] { $workers } worker
       *[other] { $workers } workers
    }; data in { $database }, certificate { $cert }) — stop with Ctrl-C.
webchat-cli-two-origins = Open https://localhost:{ $port }/ as one user and https://127.0.0.1:{ $port }/ as another: two origins, two separate logins and key stores.
webchat-cli-classmates = Classmates open https://NAME:{ $port }/ with this machine's NAME, which the server certificate must hold (squirrel ca issue --name server --server --dns NAME --force) and their browsers must trust.
webchat-cli-trust-ca = The browser must trust the squirrels' CA: squirrel ca install (never click through the warning).
webchat-cli-registration-off = Registration is off: add users with `squirrel web-chat adduser NAME`.
webchat-cli-evil = EVIL MODE: this server hands out keys of its own, reads every message and logs it — compare the safety numbers to catch it
webchat-cli-hint-port = another server may use this port: stop it, or pass --addr 127.0.0.1:OTHERPORT
webchat-cli-hint-certificates = make the certificates with: squirrel ca init && squirrel ca issue --name server --server
webchat-cli-hint-make-certificates = make them with: squirrel ca init && squirrel ca issue --name server --server
webchat-cli-hint-no-database = start the server once (squirrel web-chat serve), or pass the folder with --data-dir
webchat-cli-hint-database = is { $path } a chat database, and is the disk writable?
webchat-cli-added = Added { $name } to { $database }. They log in at the chat's page; their browser makes their key.
webchat-cli-short-password = the password must be at least { $min } characters; nothing was added

# The errors (StorageError, WebChatError, AddUserError); in English they are also the
# log's and the API's words.
webchat-cli-database-failed = the chat database { $path } failed: { $reason }
webchat-cli-cannot-make-folder = cannot make the data folder { $path }: { $reason }
webchat-cli-no-database = there is no chat database in { $dir }
webchat-cli-schema = { $path } has schema version { $found }; this squirrel knows version { $known }
webchat-cli-bad-name = bad user name { $name }: use 1 to 32 visible ASCII characters (letters, digits, punctuation), no spaces
webchat-cli-user-exists = the user { $name } already exists
webchat-cli-no-user = there is no user { $name }
webchat-cli-key-taken = this public key belongs to another user
webchat-cli-position-taken = position { $given } is taken: the next one is { $next }
webchat-cli-cannot-start = cannot start the server: { $reason }
webchat-cli-password-too-short = the password must be at least { $min } characters

## web-chat dump: what the server holds

webchat-cli-dump-title = What the server holds in { $path } ({ $size }):
webchat-cli-dump-title-journal = What the server holds in { $path } ({ $size }, { $total } with its journal):
webchat-cli-dump-users = Users ({ $n }): a password verifier each, never a password
webchat-cli-dump-user = PBKDF2-SHA256 × { $iterations }, salt { $salt }, verifier { $verifier }…, key { $key }
webchat-cli-dump-no-key = none yet
webchat-cli-dump-keys = Public keys ({ $n }): ECDH P-256, SPKI; fingerprint = SHA-256 of the SPKI
webchat-cli-dump-key = { $bytes } bytes, published { $published }
webchat-cli-dump-key-replaced = { $bytes } bytes, published { $published } (replaced)
webchat-cli-dump-messages = Messages ({ $n }): AES-256-GCM, 12-byte IV; only the two browsers hold the key
webchat-cli-dump-text = text
webchat-cli-dump-image = image
webchat-cli-dump-position = position
webchat-cli-dump-images = ({ $n } of them images, stored as BLOBs of ciphertext)
webchat-cli-dump-relayed = { $n } message(s) were read and re-encrypted by a server run with --evil.
