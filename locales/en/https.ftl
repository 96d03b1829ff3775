# Lesson 06, `squirrel https …` (src/cli/https.rs, src/lessons/l06_https.rs): the secret
# fetched, the hints after a failed handshake, the files the server could not use.

https-secret = The secret message is: { $secret }
https-hint-pass-cacert = pass --cacert certs/ca.crt (the squirrels' own CA signed the server's certificate, and your system does not know it)
https-hint-ca-made-again = was the CA made again (ca init --force) after the server's certificate? issue it again: squirrel ca issue --name server --server --force, and restart the server
https-hint-other-ca = pass the CA that signed the server's certificate, e.g. --cacert { $ca }
https-hint-not-tls = is it a plain-HTTP server (lessons 01 to 03)? try: squirrel plain-http fetch --url { $url }
https-cannot-read-certificate = cannot read the certificate { $path }: { $reason }
https-cannot-read-key = cannot read the private key { $path }: { $reason }
https-cannot-read-ca-certificate = cannot read the CA certificate { $path }: { $reason }
https-cannot-use-pair = cannot use { $cert } with { $key }: { $reason }
https-setup-failed = TLS set-up failed: { $reason }
https-not-a-pem-certificate = { $path } is not a PEM certificate: { $reason }
