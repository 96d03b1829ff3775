# `squirrel tap` (src/cli/tap.rs, src/tap.rs) : le relais qui montre chaque octet qui
# passe. Les adresses restent à leur place : des scripts lisent l'adresse du tap sur sa
# première ligne.

tap-arrow-to-server = client → serveur
tap-arrow-to-client = serveur → client
tap-cannot-write = impossible d'écrire { $path } : { $reason }
tap-cannot-write-hint = donnez un fichier dans un dossier où vous pouvez écrire
tap-cannot-listen = impossible d'écouter sur { $addr } : { $reason }
tap-cannot-listen-hint = un autre programme utilise peut-être ce port : passez --listen 127.0.0.1:AUTREPORT
tap-relaying = tap : relais de { $tap } → { $server } — dirigez le client vers { $tap } ; arrêtez avec Ctrl-C.
tap-live-cannot-start = impossible de démarrer la page en direct : { $reason }
tap-live-at = tap : page en direct sur http://{ $addr }/ — ouvrez-la dans un navigateur.
tap-wrote-pcap = { $path } écrit ({ $packets } paquets) : ouvrez-le dans Wireshark, ou lancez `tshark -r { $path }`.
tap-no-key-log = remarque : aucun journal de clés donné, { $path } ne pourra donc pas être déchiffré ; passez --keylog FICHIER (le fichier que nommait la variable { $env } du client)
tap-key-log-empty = remarque : { $keylog } ne contient aucun secret pour ces { $n } connexion(s) TLS : { $env }={ $keylog } était-elle définie pour le client ou le serveur quand ils ont tourné ?
tap-key-log-unreadable = attention : { $reason } ; { $path } est écrit sans secrets
tap-wrote-pcapng = { $path } écrit ({ $packets } paquets, { $lines } ligne(s) de secrets TLS incluse(s)).
tap-wrote-pcapng-decrypted = { $path } écrit ({ $packets } paquets, { $lines } ligne(s) de secrets TLS incluse(s)) : Wireshark l'ouvre déjà déchiffré.
tap-web-cannot-serve = impossible de servir la page en direct sur { $addr } : { $reason }
tap-web-loopback-hint = donnez une adresse de bouclage, par exemple --web 127.0.0.1:8088
tap-web-not-loopback = ce n'est pas une adresse de bouclage, et la page montre chaque octet que relaie le tap, mots de passe compris
tap-web-port-hint = un autre programme utilise peut-être ce port : passez --web 127.0.0.1:AUTREPORT
tap-bound-address = impossible de lire l'adresse d'écoute : { $reason }
tap-cannot-use-to = impossible d'utiliser --to { $addr } : { $reason }
tap-cannot-use-to-hint = donnez le serveur sous la forme HÔTE:PORT, par exemple --to 127.0.0.1:5683
tap-no-address = ce nom n'a pas d'adresse

## Ce qu'affiche le tap au passage des connexions

tap-event-open = #{ $connection } { $client } connecté à { $tap } ; relayé vers { $server }
tap-event-data = #{ $connection } { $arrow }, { $n } octets
tap-event-more = … encore { $n } octets
tap-event-unreachable-answered = #{ $connection } { $client } connecté, mais le serveur { $server } est injoignable ({ $reason }) : réponse 502 Bad Gateway
tap-event-unreachable-closed = #{ $connection } { $client } connecté, mais le serveur { $server } est injoignable ({ $reason }) : connexion fermée (un client TLS la voit se fermer pendant la poignée de main)
tap-event-end-client = #{ $connection } { $arrow } : fin (le client a fini d'envoyer)
tap-event-end-server = #{ $connection } { $arrow } : fin (le serveur a fini d'envoyer)
tap-refused = connexion refusée : le serveur tourne-t-il ?
tap-no-answer = pas de réponse en { $seconds } s
tap-turned-away = tap : { $n ->
    [one] 1 connexion refoulée
   *[other] { $n } connexions refoulées
} : le serveur était injoignable.
tap-stopped = tap : arrêté après { $connections ->
    [one] 1 connexion
   *[other] { $connections } connexions
} : client → serveur { $to_server } octets en { $reads_to_server ->
    [one] 1 lecture
   *[other] { $reads_to_server } lectures
}, serveur → client { $to_client } octets en { $reads_to_client ->
    [one] 1 lecture
   *[other] { $reads_to_client } lectures
}.
