# HTTP messages read and URLs parsed (src/http/): what a client tells a person when a
# reply cannot be read or a --url is wrong. A server's JSON error replies stay English
# (the wire protocol's); the detail of a malformed message is the protocol's words.

http-closed = the connection closed before the message was complete
http-head-too-large = the message head is larger than { $limit } bytes or has too many headers
http-malformed = malformed HTTP message: { $detail }
http-body-too-large = the body of { $length } bytes is larger than the limit of { $limit } bytes
http-timed-out = timed out waiting for the other side

http-authority-no-host = no host
http-authority-unclosed-bracket = unclosed [
http-authority-after-bracket = only :PORT may follow ]
http-authority-port = the port is not a number from 0 to 65535
http-url-no-scheme = no scheme
http-url-scheme = the scheme must be http or https
http-url-bad = bad URL { $url }: { $why } (expected e.g. http://127.0.0.1:5683/)
