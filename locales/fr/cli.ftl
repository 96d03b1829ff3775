# Ce que la ligne de commande imprime autour des mots de chaque commande : les étiquettes
# de l'échec en une ligne (`erreur : …`, `conseil : …`).

cli-error = erreur : { $message }
cli-hint = conseil : { $hint }

# Ctrl-C et l'adresse des serveurs des leçons (src/cli/mod.rs).
cli-signals-failed = impossible d'intercepter Ctrl-C : { $reason }
cli-listen-in-use-hint = un autre serveur utilise ce port : arrêtez-le (Ctrl-C), ou passez --addr 127.0.0.1:AUTREPORT
cli-listen-privileged-hint = les ports sous 1024 demandent d'être root : passez --addr 127.0.0.1:5683
cli-listen-other-hint = donnez HÔTE:PORT avec une adresse de cette machine, par exemple --addr 127.0.0.1:5683
cli-bound-address-failed = impossible de lire l'adresse obtenue : { $reason }
cli-port-missing = donnez HÔTE:PORT, avec un port
cli-port-missing-hint = passez { $option } 127.0.0.1:5683
cli-port-out-of-range = le port { $port } est hors limites (un port TCP est un nombre de 1 à 65535)
cli-port-not-a-number = le port { $port } n'est pas un nombre
cli-port-hint = passez { $option } { $host }:5683, ou un autre port de 1 à 65535
cli-serving = { $lesson } : en service sur { $url } — arrêtez avec Ctrl-C.
cli-server-stopped = le serveur s'est arrêté : { $reason }

# Conseils après l'échec du client d'une leçon.
cli-server-not-running-hint = le serveur de la leçon tourne-t-il ? lancez-le dans un autre terminal avec `serve`
cli-make-certs-hint = créez-les avec : { $init } && { $server } && { $client }
cli-make-cert-hint = créez-le avec : { $command }
cli-use-sibling-key-hint = utilisez la clé créée avec lui : --cert { $cert } --key { $key }
cli-make-new-cert-hint = créez ensemble un nouveau certificat et sa clé : { $command }

# Un avertissement : la commande continue (ca, vault serve, web-chat serve).
cli-warning = avertissement : { $warning }
