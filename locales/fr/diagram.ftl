# Les mots des images : la page du tour (squirrel tour --html), ses échelles et vues
# d’octets, et la page en direct du tap (squirrel tap --web). Les noms de protocole
# (ClientHello, application_data, suites de chiffrement) ne se traduisent pas : Wireshark
# et les RFC les écrivent ainsi dans toutes les langues.

diagram-client = client
diagram-eavesdropper = espion (le tap)
diagram-server = serveur
diagram-connection = connexion n°{ $id } depuis { $client }
diagram-http-body = corps : { $text }
diagram-raw-bytes = { $n } octets
diagram-client-hello-sni = ClientHello, SNI { $name }
diagram-client-hello-no-sni = ClientHello, sans SNI
diagram-client-hello-offers = propose { $versions } ; { $n } suites de chiffrement
diagram-server-hello = ServerHello, { $version }, { $suite }
diagram-certificate = Certificate : { $subject }
diagram-certificate-note = délivré par { $issuer } : quiconque est sur le chemin le lit
diagram-server-key-exchange = ServerKeyExchange, ECDHE { $group }
diagram-handshake-continued = poignée de main, suite
diagram-encrypted-finished = poignée de main, chiffrée : Finished
diagram-encrypted-handshake = poignée de main, chiffrée
diagram-ccs-tls12 = à partir d’ici, ce côté chiffre
diagram-ccs-tls13 = sans effet, gardé pour les vieux équipements intermédiaires (RFC 8446 D.4)
diagram-alert = alerte : { $name }
diagram-alert-fatal = alerte, fatale : { $name }
diagram-alert-encrypted = alerte, chiffrée
diagram-application-data = application_data, { $n } octets
diagram-tls13-server-encrypted = chiffré à partir d’ici : la suite de la poignée de main (son Certificate aussi), puis la réponse
diagram-tls13-client-encrypted = chiffré à partir d’ici : la fin de la poignée de main, puis la requête
diagram-legend-clear = l’espion le lit
diagram-legend-sealed = chiffré : un type et une longueur, rien de plus
diagram-legend-decisive = ses octets sont montrés à côté
diagram-more-bytes = … { $n } octets de plus
diagram-tour-title = squirrel tour : ce que l’espion a vu
diagram-tour-intro = Chaque étape a tourné sur cette machine avec un tap entre le client et le serveur, qui garde une copie de chaque octet, comme le ferait un espion sur le chemin. Chaque échelle est dessinée d’après la capture du tap : une flèche par message HTTP ou enregistrement TLS qui est passé.
diagram-tour-generated = Fait par squirrel { $version } le { $date } avec `squirrel tour --html`.
diagram-saw = Ce que l’espion a vu
diagram-happened = Ce qui s’est passé
diagram-teaches = Ce que ça enseigne :
diagram-no-network = Pas de réseau à cette étape : rien ne passe sur un fil, l’espion n’a donc rien à voir.
diagram-bytes-of = Les octets : { $what }
diagram-captures = Captures : { $files }
diagram-live-title = squirrel tap : en direct
diagram-live-relaying = Relais { $tap } → { $server } : chaque connexion, telle que l’espion la voit.
diagram-live-waiting = En attente d’une connexion : dirigez un client vers { $tap }.
diagram-live-click = Cliquez sur une flèche pour voir ses octets.
diagram-live-open = ouverte
diagram-live-closed = fermée
diagram-live-counts = { $to_server } octets vers le serveur, { $to_client } en retour
diagram-live-gone = Le tap ne répond plus : il s’est arrêté.
diagram-live-elided = Seuls les { $shown } premiers de ses { $n } messages sont dessinés.
diagram-vault-exchanges-1 = connexion (POST /login, chiffré)
diagram-vault-exchanges-2 = envoi (POST /upload-file, chiffré)
diagram-vault-exchanges-3 = liste (GET /get-files, chiffré)
diagram-vault-exchanges-4 = téléchargement (GET /archives/…, chiffré)
diagram-vault-exchanges-5 = déconnexion (POST /logout, chiffré)
