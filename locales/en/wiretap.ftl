# `squirrel tap` (src/cli/tap.rs, src/tap.rs): the relay that shows every byte passing.
# The area is `wiretap`, as the tap's thread names take `tap-`. Addresses stay where they
# are: scripts read the tap's address from its first line.

wiretap-arrow-to-server = client → server
wiretap-arrow-to-client = server → client
wiretap-cannot-write = cannot write { $path }: { $reason }
wiretap-cannot-write-hint = pass a file in a folder you can write to
wiretap-cannot-listen-hint = another program may use this port: pass --listen 127.0.0.1:OTHERPORT
wiretap-relaying = tap: relaying { $tap } → { $server } — point the client at { $tap }; stop with Ctrl-C.
wiretap-live-cannot-start = cannot start the live page: { $reason }
wiretap-live-at = tap: live page at http://{ $addr }/ — open it in a browser.
wiretap-wrote-pcap = Wrote { $path } ({ $packets } packets): open it in Wireshark, or run `tshark -r { $path }`.
wiretap-no-key-log = note: no key log given, so { $path } cannot be decrypted; pass --keylog FILE (the file the client's { $env } named)
wiretap-key-log-empty = note: { $keylog } holds no secrets for these { $n } TLS connection(s): was { $env }={ $keylog } set for the client or the server when they ran?
wiretap-key-log-unreadable = warning: { $reason }; writing { $path } without secrets
wiretap-wrote-pcapng = Wrote { $path } ({ $packets } packets, { $lines } TLS secret line(s) embedded).
wiretap-wrote-pcapng-decrypted = Wrote { $path } ({ $packets } packets, { $lines } TLS secret line(s) embedded): Wireshark opens it decrypted.
wiretap-web-cannot-serve = cannot serve the live page on { $addr }: { $reason }
wiretap-web-loopback-hint = give a loopback address, e.g. --web 127.0.0.1:8088
wiretap-web-not-loopback = it is not loopback, and the page shows every byte the tap relays, passwords too
wiretap-web-port-hint = another program may use this port: pass --web 127.0.0.1:OTHERPORT
wiretap-bound-address = cannot read the bound address: { $reason }
wiretap-cannot-use-to = cannot use --to { $addr }: { $reason }
wiretap-cannot-use-to-hint = give the server as HOST:PORT, e.g. --to 127.0.0.1:5683
wiretap-no-address = the name has no address

## What the tap prints as connections pass

wiretap-event-open = #{ $connection } { $client } connected to { $tap }; relaying to { $server }
wiretap-event-data = #{ $connection } { $arrow }, { $n } bytes
wiretap-event-more = … { $n } more bytes
wiretap-event-unreachable-answered = #{ $connection } { $client } connected, but the server { $server } cannot be reached ({ $reason }): answered 502 Bad Gateway
wiretap-event-unreachable-closed = #{ $connection } { $client } connected, but the server { $server } cannot be reached ({ $reason }): closed the connection (a TLS client sees it closed during the handshake)
wiretap-event-end-client = #{ $connection } { $arrow }: end (the client finished sending)
wiretap-event-end-server = #{ $connection } { $arrow }: end (the server finished sending)
wiretap-refused = connection refused: is the server running?
wiretap-no-answer = no answer within { $seconds } s
wiretap-turned-away = tap: { $n ->
    [one] 1 connection
   *[other] { $n } connections
} turned away: the server could not be reached.
wiretap-stopped = tap: stopped after { $connections ->
    [one] 1 connection
   *[other] { $connections } connections
}: client → server { $to_server } bytes in { $reads_to_server ->
    [one] 1 read
   *[other] { $reads_to_server } reads
}, server → client { $to_client } bytes in { $reads_to_client ->
    [one] 1 read
   *[other] { $reads_to_client } reads
}.
