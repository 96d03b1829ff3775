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
