# Lesson 07, `squirrel mtls …` (src/cli/mtls.rs): the secret fetched, the hints after a
# refused client certificate.

mtls-secret = The secret message is: { $secret }
mtls-hint-present-certificate = present a client certificate: --cert certs/client.crt --key certs/client.key
mtls-hint-client-certificate = present a client certificate (made with --client, e.g. squirrel ca issue --name client --client): --cert certs/client.crt --key certs/client.key
