# Leçon 07, `squirrel mtls …` (src/cli/mtls.rs) : le secret obtenu, les conseils après
# un certificat client refusé.

mtls-secret = Le message secret est : { $secret }
mtls-hint-present-certificate = présentez un certificat client : --cert certs/client.crt --key certs/client.key
mtls-hint-client-certificate = présentez un certificat client (fait avec --client, par exemple squirrel ca issue --name client --client) : --cert certs/client.crt --key certs/client.key
