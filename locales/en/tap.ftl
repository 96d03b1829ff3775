# `squirrel tap` (src/cli/tap.rs, src/tap.rs): the relay that shows every byte passing.
# Addresses stay where they are: scripts read the tap's address from its first line.

tap-arrow-to-server = client → server
tap-arrow-to-client = server → client
tap-cannot-write = cannot write { $path }: { $reason }
tap-cannot-write-hint = pass a file in a folder you can write to
tap-cannot-listen = cannot listen on { $addr }: { $reason }
tap-cannot-listen-hint = another program may use this port: pass --listen 127.0.0.1:OTHERPORT
tap-relaying = tap: relaying { $tap } → { $server } — point the client at { $tap }; stop with Ctrl-C.
tap-live-cannot-start = cannot start the live page: { $reason }
tap-live-at = tap: live page at http://{ $addr }/ — open it in a browser.
tap-wrote-pcap = Wrote { $path } ({ $packets } packets): open it in Wireshark, or run `tshark -r { $path }`.
tap-no-key-log = note: no key log given, so { $path } cannot be decrypted; pass --keylog FILE (the file the client's { $env } named)
tap-key-log-empty = note: { $keylog } holds no secrets for these { $n } TLS connection(s): was { $env }={ $keylog } set for the client or the server when they ran?
tap-key-log-unreadable = warning: { $reason }; writing { $path } without secrets
tap-wrote-pcapng = Wrote { $path } ({ $packets } packets, { $lines } TLS secret line(s) embedded).
tap-wrote-pcapng-decrypted = Wrote { $path } ({ $packets } packets, { $lines } TLS secret line(s) embedded): Wireshark opens it decrypted.
tap-web-cannot-serve = cannot serve the live page on { $addr }: { $reason }
tap-web-loopback-hint = give a loopback address, e.g. --web 127.0.0.1:8088
tap-web-not-loopback = it is not loopback, and the page shows every byte the tap relays, passwords too
tap-web-port-hint = another program may use this port: pass --web 127.0.0.1:OTHERPORT
tap-bound-address = cannot read the bound address: { $reason }
tap-cannot-use-to = cannot use --to { $addr }: { $reason }
tap-cannot-use-to-hint = give the server as HOST:PORT, e.g. --to 127.0.0.1:5683
tap-no-address = the name has no address

## What the tap prints as connections pass

tap-event-open = #{ $connection } { $client } connected to { $tap }; relaying to { $server }
tap-event-data = #{ $connection } { $arrow }, { $n } bytes
tap-event-more = … { $n } more bytes
tap-event-unreachable-answered = #{ $connection } { $client } connected, but the server { $server } cannot be reached ({ $reason }): answered 502 Bad Gateway
tap-event-unreachable-closed = #{ $connection } { $client } connected, but the server { $server } cannot be reached ({ $reason }): closed the connection (a TLS client sees it closed during the handshake)
tap-event-end-client = #{ $connection } { $arrow }: end (the client finished sending)
tap-event-end-server = #{ $connection } { $arrow }: end (the server finished sending)
tap-refused = connection refused: is the server running?
tap-no-answer = no answer within { $seconds } s
tap-turned-away = tap: { $n ->
    [one] 1 connection
   *[other] { $n } connections
} turned away: the server could not be reached.
tap-stopped = tap: stopped after { $connections ->
    [one] 1 connection
   *[other] { $connections } connections
}: client → server { $to_server } bytes in { $reads_to_server ->
    [one] 1 read
   *[other] { $reads_to_server } reads
}, server → client { $to_client } bytes in { $reads_to_client ->
    [one] 1 read
   *[other] { $reads_to_client } reads
}.
