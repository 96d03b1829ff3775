# Why a TLS endpoint could not be set up, or a handshake failed (src/tls.rs,
# src/tls/failure.rs): the one place these failures are worded, for every client, server
# and lesson. $peer is the other side's role: server or client. OpenSSL's own reason
# follows in parentheses, untranslated.

tls-file = cannot use { $path }: { $reason }
tls-file-missing = cannot use { $path }: no such file
tls-key-mismatch = { $key } is not the private key of the certificate { $cert } (they were not made together)
tls-setup = TLS setup failed: { $reason }
tls-handshake = TLS handshake with { $addr } failed: { $failure }

## A certificate refused

tls-unknown-ca = { $peer ->
    [server] the server's certificate
   *[client] the client's certificate
} is not signed by a CA you trust
tls-self-signed = { $peer ->
    [server] the server's certificate
   *[client] the client's certificate
} is self-signed and not one you trust
tls-not-yet-valid = { $peer ->
    [server] the server's certificate
   *[client] the client's certificate
} is not valid yet (check the clock)
tls-expired = { $peer ->
    [server] the server's certificate
   *[client] the client's certificate
} has expired
tls-wrong-usage = { $peer ->
    [server] the server's certificate
   *[client] the client's certificate
} is not meant for this use (wrong extended key usage)
tls-wrong-host = the server's certificate does not name this host (check its SANs)
tls-wrong-ip = the server's certificate does not name this IP address (check its SANs)
tls-check-failed = { $peer ->
    [server] the server's certificate
   *[client] the client's certificate
} failed the certificate check
tls-no-client-certificate = a client certificate is required and none was sent
tls-our-ca-unknown = the other side does not trust the CA that signed our certificate
tls-our-usage-refused = the other side refused our certificate as not meant for this use: its extended key usage must say clientAuth for a client, serverAuth for a server
tls-our-certificate-refused = the other side refused our certificate
tls-protocol-too-old = no TLS version in common (squirrel requires TLS 1.2 or newer)

## The handshake broke

tls-not-tls = { $peer ->
    [server] the server does not speak TLS here (plain HTTP on this port?) ({ $detail })
   *[client] the client does not speak TLS (plain HTTP to a TLS port?) ({ $detail })
}
tls-timed-out = the other side took too long
tls-closed = the other side closed the connection during the handshake
tls-reset = the other side reset the connection
tls-broken = connection broken: { $reason }
