# `squirrel tour` (src/cli/tour.rs, src/tour.rs) : toute l'histoire de `fluffy tail`,
# étape par étape, avec ce qu'a vu l'espion. Les noms des étapes viennent de lessons.ftl ;
# les erreurs des certificats, de TLS et du coffre dans une étape sont les mots de leurs
# domaines.

tour-cannot-write = impossible d'écrire { $path } : { $reason }
tour-html-hint = donnez à --html un fichier dans un dossier où vous pouvez écrire
tour-keep-hint = donnez à --keep un dossier où vous pouvez écrire, ou vérifiez TMPDIR
tour-failed-hint = relancez-la avec RUST_LOG=info pour voir les journaux des serveurs
tour-error-folder = impossible d'utiliser le dossier { $path } : { $reason }
tour-error-stage = l'étape { $number } a échoué : { $reason }

tour-intro-1 = squirrel tour : les Écureuils secrets protègent `fluffy tail`, étape par étape.
tour-intro-2 = Chaque étape tourne ici, sur l'interface de bouclage, avec un tap entre client et serveur qui garde
tour-intro-3 = une copie de chaque octet : ce que verrait un espion sur le chemin.
tour-wrote-html = { $path } écrit : ouvrez-le dans un navigateur (il n'a pas besoin du réseau), projetez-le ou imprimez-le : une étape par page A4.

## Chaque étape

tour-stage-title = { $number } { $title }
tour-eavesdropper = L'espion (tap { $tap } → serveur { $server }, { $connections ->
    [one] 1 connexion
   *[other] { $connections } connexions
}, { $to_server } octets vers le serveur, { $to_client } en retour) a vu :
tour-capture = Capture : { $files }
tour-excerpt-title = { $arrow }, connexion #{ $connection }, à partir de l'octet { $at } : { $what }

## Les lignes de fin

tour-done = Terminé en { $seconds } s. Tous les serveurs et taps sont arrêtés (ports { $ports }) ; { $folder } est supprimé.
tour-kept-in = Gardé dans { $folder } :
tour-open-them = Ouvrez-les : `tshark -r { $pcap } -Y http` montre le secret en clair ;
tour-wireshark-decrypted = Wireshark ouvre { $pcapng } déjà déchiffré (le journal de clés est dedans) ;
tour-wireshark-keys-log = pour un .pcap, indiquez son .keys.log dans Editer → Préférences → Protocols → TLS → (Pre)-Master-Secret log filename (Edit → Preferences → …).
tour-keep-tip = Pour regarder les captures dans Wireshark : squirrel tour --keep tour-captures
tour-next = Ensuite : les leçons une par une — squirrel lessons

## Étape 01 : HTTP en clair

tour-01-seen = la requête et la réponse en texte en clair : `fluffy tail` est là, sous ses yeux
tour-01-excerpt = le corps de la réponse
tour-01-story = Le client a demandé GET / au serveur en HTTP en clair et a affiché : { $body }
tour-01-teaches = HTTP en clair ne cache rien : quiconque est sur le chemin lit le secret, et pourrait le modifier.

## Étape 02 : un chiffrement par substitution

tour-02-seen = des lettres décalées : `{ $shifted }` à la place du secret
tour-02-excerpt = le message d'Alice
tour-02-alice = Alice a envoyé, chaque lettre reculée de { $shift } : { $posted }
tour-02-bob = Bob, avec la même clé, a lu : { $text }
tour-02-eve = Eve a compté les { $letters } lettres qu'elle a capturées : le décalage { $shift } ({ $language }) colle le mieux, et elle lit : { $text }
tour-02-teaches = un chiffrement par décalage cache les lettres, pas leurs fréquences : 26 clés, et les statistiques désignent la bonne.

## Étape 03 : Fernet

tour-03-wrong-key-decrypted = une mauvaise clé a déchiffré le jeton
tour-03-seen = un jeton Fernet de { $length } caractères (gAAAAA… : version, heure, IV, texte chiffré, HMAC) ; le HTTP autour reste en clair
tour-03-excerpt = le jeton
tour-03-key = Les deux côtés partagent SECRET_KEY={ $start }… (32 octets aléatoires).
tour-03-decrypted = Le client a déchiffré le jeton : { $text }
tour-03-refused = Avec une autre clé, le client refuse : { $reason }
tour-03-teaches = un vrai chiffrement cache le message — mais les deux côtés devaient d'abord avoir la clé : comment est-elle arrivée là ?

## Étape 04 : l'échange de clés

tour-04-toy = Diffie-Hellman jouet, p = { $p }, g = { $g } : Alice envoie { $A }, Bob envoie { $B }, tous deux calculent { $secret }.
tour-04-eve = Eve a essayé { $tries } nombres privés et a trouvé elle aussi le nombre partagé { $secret } : des nombres jouets ne protègent rien.
tour-04-x25519 = X25519 : les deux côtés obtiennent le même secret de 32 octets ({ $start }…) et Bob lit : { $text }
tour-04-mallory = Mallory, au milieu, échange les clés publiques : elle lit `{ $mallory }`, et Bob lit toujours `{ $bob }` — personne ne remarque rien.
tour-04-teaches = un échange de clés déjoue l'espion, pas l'homme du milieu : il faut savoir à qui appartient la clé reçue.

## Étape 05 : une autorité de certification

tour-05-inspect = squirrel ca inspect server.crt : { $sentence }
tour-05-teaches = la signature d'une CA lie un nom à une clé : la preuve d'identité qui manquait à la leçon 04.

## Étape 06 : HTTPS

tour-06-trusted-anyway = un client sans --cacert a fait confiance à notre CA
tour-06-refused = Sans --cacert, le client refuse le serveur : { $reason }
tour-06-fetched = Avec --cacert certs/ca.crt (le client OpenSSL, pour que le journal de clés reçoive ses secrets) : { $body }
tour-06-teaches = TLS = un échange de clés + un certificat que le client vérifie : l'espion ne voit que des enregistrements, un imposteur échoue à la vérification.

## Étape 07 : TLS mutuel

tour-07-let-in = le serveur a laissé entrer un client sans certificat
tour-07-refused = Sans certificat client : { $reason }
tour-07-fetched = Avec certs/client.crt, signé par la CA des écureuils : { $body }
tour-07-teaches = TLS mutuel : le serveur vérifie aussi le certificat du client — pas de certificat, pas de connexion.

## Étape 08 : le coffre de fichiers

tour-08-differs = le fichier téléchargé diffère du fichier envoyé
tour-08-login = { $user } s'est connecté (TLS mutuel, puis le mot de passe ; PBKDF2 dérive la clé des archives de chaque côté).
tour-08-uploaded = { $name } envoyé ({ $size } octets) ; le serveur l'a stocké sous { $archive } : { $stored }
tour-08-listed = { $n ->
    [one] 1 archive listée
   *[other] { $n } archives listées
} ; téléchargée et déchiffrée : identique à l'original, octet pour octet.
tour-08-at-rest-empty = une archive chiffrée
tour-08-at-rest = un jeton Fernet de { $size } octets, qui commence par { $start }…
tour-08-no-readme = Pas de README.md ici ni dans l'arborescence des sources : envoi d'un texte généré à la place.
tour-08-teaches = tout ensemble : TLS mutuel sur le fil, une clé tirée du mot de passe, le chiffrement au repos.

## Ce qu'a vu l'espion d'une étape TLS

tour-tls-seen-nowhere = seulement des enregistrements TLS ({ $records }) ; `fluffy tail` nulle part
tour-tls-seen-in-clear = seulement des enregistrements TLS ({ $records }) ; `fluffy tail` EN CLAIR
tour-tls-excerpt = serveur → client, connexion #0, à partir de l'octet { $at } : la réponse, un enregistrement application_data (type 0x17, puis la version 0x0303 et { $length } octets de texte chiffré)
tour-no-key-log = Pas de journal de clés : { $env } n'était pas définie, cette capture reste donc chiffrée.
tour-key-log-empty = Le journal de clés ne contient aucun secret pour cette connexion.
tour-key-log-lines = Les extrémités TLS ont écrit { $n ->
    [one] 1 ligne de secret
   *[other] { $n } lignes de secrets
} dans { $env } : avec elles, Wireshark déchiffre cette capture.
