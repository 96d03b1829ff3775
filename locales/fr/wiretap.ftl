# `squirrel tap` (src/cli/tap.rs, src/tap.rs) : le relais qui montre chaque octet qui
# passe. Le domaine s'appelle `wiretap`, car les fils d'exécution du tap se nomment `tap-…`.
# Les adresses restent à leur place : des scripts lisent l'adresse du tap sur sa
# première ligne.

wiretap-arrow-to-server = client → serveur
wiretap-arrow-to-client = serveur → client
wiretap-cannot-write = impossible d'écrire { $path } : { $reason }
wiretap-cannot-write-hint = donnez un fichier dans un dossier où vous pouvez écrire
wiretap-cannot-listen-hint = un autre programme utilise peut-être ce port : passez --listen 127.0.0.1:AUTREPORT
wiretap-relaying = tap : relais de { $tap } → { $server } — dirigez le client vers { $tap } ; arrêtez avec Ctrl-C.
wiretap-live-cannot-start = impossible de démarrer la page en direct : { $reason }
wiretap-live-at = tap : page en direct sur http://{ $addr }/ — ouvrez-la dans un navigateur.
wiretap-wrote-pcap = { $path } écrit ({ $packets } paquets) : ouvrez-le dans Wireshark, ou lancez `tshark -r { $path }`.
wiretap-no-key-log = remarque : aucun journal de clés donné, { $path } ne pourra donc pas être déchiffré ; passez --keylog FICHIER (le fichier que nommait la variable { $env } du client)
wiretap-key-log-empty = remarque : { $keylog } ne contient aucun secret pour ces { $n } connexion(s) TLS : { $env }={ $keylog } était-elle définie pour le client ou le serveur quand ils ont tourné ?
wiretap-key-log-unreadable = attention : { $reason } ; { $path } est écrit sans secrets
wiretap-wrote-pcapng = { $path } écrit ({ $packets } paquets, { $lines } ligne(s) de secrets TLS incluse(s)).
wiretap-wrote-pcapng-decrypted = { $path } écrit ({ $packets } paquets, { $lines } ligne(s) de secrets TLS incluse(s)) : Wireshark l'ouvre déjà déchiffré.
wiretap-web-cannot-serve = impossible de servir la page en direct sur { $addr } : { $reason }
wiretap-web-loopback-hint = donnez une adresse de bouclage, par exemple --web 127.0.0.1:8088
wiretap-web-not-loopback = ce n'est pas une adresse de bouclage, et la page montre chaque octet que relaie le tap, mots de passe compris
wiretap-web-port-hint = un autre programme utilise peut-être ce port : passez --web 127.0.0.1:AUTREPORT
wiretap-bound-address = impossible de lire l'adresse d'écoute : { $reason }
wiretap-cannot-use-to = impossible d'utiliser --to { $addr } : { $reason }
wiretap-cannot-use-to-hint = donnez le serveur sous la forme HÔTE:PORT, par exemple --to 127.0.0.1:5683
wiretap-no-address = ce nom n'a pas d'adresse

## Ce qu'affiche le tap au passage des connexions

wiretap-event-open = #{ $connection } { $client } connecté à { $tap } ; relayé vers { $server }
wiretap-event-data = #{ $connection } { $arrow }, { $n } octets
wiretap-event-more = … encore { $n } octets
wiretap-event-unreachable-answered = #{ $connection } { $client } connecté, mais le serveur { $server } est injoignable ({ $reason }) : réponse 502 Bad Gateway
wiretap-event-unreachable-closed = #{ $connection } { $client } connecté, mais le serveur { $server } est injoignable ({ $reason }) : connexion fermée (un client TLS la voit se fermer pendant la poignée de main)
wiretap-event-end-client = #{ $connection } { $arrow } : fin (le client a fini d'envoyer)
wiretap-event-end-server = #{ $connection } { $arrow } : fin (le serveur a fini d'envoyer)
wiretap-refused = connexion refusée : le serveur tourne-t-il ?
wiretap-no-answer = pas de réponse en { $seconds } s
wiretap-turned-away = tap : { $n ->
    [one] 1 connexion refoulée
   *[other] { $n } connexions refoulées
} : le serveur était injoignable.
wiretap-stopped = tap : arrêté après { $connections ->
    [one] 1 connexion
   *[other] { $connections } connexions
} : client → serveur { $to_server } octets en { $reads_to_server ->
    [one] 1 lecture
   *[other] { $reads_to_server } lectures
}, serveur → client { $to_client } octets en { $reads_to_client ->
    [one] 1 lecture
   *[other] { $reads_to_client } lectures
}.
