# Pourquoi une extrémité TLS n'a pas pu être préparée, ou une poignée de main a échoué
# (src/tls.rs, src/tls/failure.rs) : le seul endroit où ces échecs sont formulés, pour
# chaque client, serveur et leçon. $peer est le rôle de l'autre côté : server ou client.
# La raison d'OpenSSL suit entre parenthèses, telle quelle.

tls-file = impossible d'utiliser { $path } : { $reason }
tls-file-missing = impossible d'utiliser { $path } : ce fichier n'existe pas
tls-key-mismatch = { $key } n'est pas la clé privée du certificat { $cert } (ils n'ont pas été créés ensemble)
tls-setup = la préparation de TLS a échoué : { $reason }
tls-handshake = la poignée de main TLS avec { $addr } a échoué : { $failure }

## Un certificat refusé

tls-unknown-ca = { $peer ->
    [server] le certificat du serveur
   *[client] le certificat du client
} n'est pas signé par une CA à laquelle vous faites confiance
tls-self-signed = { $peer ->
    [server] le certificat du serveur
   *[client] le certificat du client
} est auto-signé, et vous ne lui faites pas confiance
tls-not-yet-valid = { $peer ->
    [server] le certificat du serveur
   *[client] le certificat du client
} n'est pas encore valable (vérifiez l'horloge)
tls-expired = { $peer ->
    [server] le certificat du serveur
   *[client] le certificat du client
} a expiré
tls-wrong-usage = { $peer ->
    [server] le certificat du serveur
   *[client] le certificat du client
} n'est pas fait pour cet usage (mauvais extended key usage)
tls-wrong-host = le certificat du serveur ne nomme pas cet hôte (vérifiez ses SAN)
tls-wrong-ip = le certificat du serveur ne nomme pas cette adresse IP (vérifiez ses SAN)
tls-check-failed = { $peer ->
    [server] le certificat du serveur
   *[client] le certificat du client
} n'a pas passé la vérification
tls-no-client-certificate = un certificat client est exigé, et aucun n'a été envoyé
tls-our-ca-unknown = l'autre côté ne fait pas confiance à la CA qui a signé notre certificat
tls-our-usage-refused = l'autre côté a refusé notre certificat, qui n'est pas fait pour cet usage : son extended key usage doit dire clientAuth pour un client, serverAuth pour un serveur
tls-our-certificate-refused = l'autre côté a refusé notre certificat
tls-protocol-too-old = aucune version de TLS en commun (squirrel exige TLS 1.2 ou plus récent)

## La poignée de main s'est rompue

tls-not-tls = { $peer ->
    [server] le serveur ne parle pas TLS ici (du HTTP en clair sur ce port ?) ({ $detail })
   *[client] le client ne parle pas TLS (du HTTP en clair vers un port TLS ?) ({ $detail })
}
tls-timed-out = l'autre côté a mis trop de temps à répondre
tls-closed = l'autre côté a fermé la connexion pendant la poignée de main
tls-reset = l'autre côté a réinitialisé la connexion
tls-broken = connexion rompue : { $reason }
