# The words of the pictures: the tour page (squirrel tour --html), its ladders and byte
# views, and the tap's live page (squirrel tap --web). Protocol names (ClientHello,
# application_data, cipher suites) are not translated: Wireshark and the RFCs spell them
# this way in every language.

diagram-client = client
diagram-eavesdropper = eavesdropper (the tap)
diagram-server = server
diagram-connection = connection #{ $id } from { $client }
diagram-http-body = body: { $text }
diagram-raw-bytes = { $n } bytes
diagram-client-hello-sni = ClientHello, SNI { $name }
diagram-client-hello-no-sni = ClientHello, no SNI
diagram-client-hello-offers = offers { $versions }; { $n } cipher suites
diagram-server-hello = ServerHello, { $version }, { $suite }
diagram-certificate = Certificate: { $subject }
diagram-certificate-note = issued by { $issuer }: anyone on the path reads it
diagram-server-key-exchange = ServerKeyExchange, ECDHE { $group }
diagram-handshake-continued = handshake, continued
diagram-encrypted-finished = handshake, encrypted: Finished
diagram-encrypted-handshake = handshake, encrypted
diagram-ccs-tls12 = from here on this side encrypts
diagram-ccs-tls13 = a no-op kept for old middleboxes (RFC 8446 D.4)
diagram-alert = alert: { $name }
diagram-alert-fatal = alert, fatal: { $name }
diagram-alert-encrypted = alert, encrypted
diagram-application-data = application_data, { $n } bytes
diagram-tls13-server-encrypted = encrypted from here on: the rest of the handshake (its Certificate too), then the reply
diagram-tls13-client-encrypted = encrypted from here on: the end of the handshake, then the request
diagram-legend-clear = the eavesdropper reads it
diagram-legend-sealed = encrypted: a type and a length, nothing more
diagram-legend-decisive = its bytes are shown beside
diagram-more-bytes = … { $n } more bytes
diagram-tour-title = squirrel tour: what the eavesdropper saw
diagram-tour-intro = Every stage ran on this machine with a tap between the client and the server, keeping a copy of every byte, as an eavesdropper on the path would. Each ladder is drawn from the tap's capture: one arrow per HTTP message or TLS record that crossed.
diagram-tour-generated = Made by squirrel { $version } on { $date } with `squirrel tour --html`.
diagram-saw = What the eavesdropper saw
diagram-happened = What happened
diagram-teaches = What it teaches:
diagram-no-network = No network at this stage: nothing crosses a wire, so there is nothing for the eavesdropper to see.
diagram-bytes-of = The bytes: { $what }
diagram-captures = Captures: { $files }
diagram-live-title = squirrel tap: live
diagram-live-relaying = Relaying { $tap } → { $server }: every connection, as the eavesdropper sees it.
diagram-live-waiting = Waiting for a connection: point a client at { $tap }.
diagram-live-click = Click an arrow to see its bytes.
diagram-live-open = open
diagram-live-closed = closed
diagram-live-counts = { $to_server } bytes to the server, { $to_client } back
diagram-live-gone = The tap does not answer any more: it has stopped.
diagram-live-elided = Only the first { $shown } of its { $n } messages are drawn.
diagram-vault-exchanges-1 = login (POST /login, encrypted)
diagram-vault-exchanges-2 = upload (POST /upload-file, encrypted)
diagram-vault-exchanges-3 = list (GET /get-files, encrypted)
diagram-vault-exchanges-4 = download (GET /archives/…, encrypted)
diagram-vault-exchanges-5 = logout (POST /logout, encrypted)
