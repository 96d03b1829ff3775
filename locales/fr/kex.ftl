# Leçon 04 : `squirrel key-exchange demo` (src/cli/key_exchange.rs,
# src/lessons/l04_key_exchange.rs), l'histoire racontée avec ses nombres ; le domaine
# s'appelle `kex`, l'échange de clés (key exchange) comme le nomme SSH. Les formules,
# les nombres, les clés et les jetons restent tels quels.

kex-error-toy = nombres du jouet incorrects : { $reason }
kex-toy-p = p = { $p } doit être un nombre premier de 5 à { $limit }
kex-toy-g = g = { $g } doit aller de 2 à p − 1
kex-toy-private = { $who } = { $x } doit aller de 1 à p − 2 = { $max }
kex-error-openssl = échec de X25519 : { $reason }
kex-error-key-length = une clé publique X25519 fait 32 octets, pas { $length }
kex-error-wrong-key = le jeton ne se déchiffre pas avec cette clé : les deux côtés ont des clés différentes
kex-openssl-hint = il faut OpenSSL 1.1.1 ou plus récent (X25519 et HKDF)
kex-cannot-write-stdout = impossible d'écrire sur la sortie standard : { $reason }

kex-title = Leçon 04 — se mettre d'accord sur une clé pendant que tout le monde écoute
kex-seeded = (nombres tirés de --seed { $seed } : relancez-la, vous obtiendrez les mêmes)
kex-random = (nouveaux nombres aléatoires : passez --seed N pour rejouer une exécution)

## 1. Diffie-Hellman avec des nombres jouets

kex-toy-heading = 1. Diffie-Hellman avec des nombres jouets (un JOUET : les vrais groupes font 255 bits ou plus)
kex-paint = L'analogie de la peinture. Alice et Bob se mettent d'accord, au grand jour, sur une peinture commune :
kex-public = p = { $p } (un nombre premier) et g = { $g }. Tout le monde les connaît, Eve l'espionne aussi.
kex-secret-colour = Chacun choisit une couleur secrète et ne la dit à personne :
kex-mixes = Chacun mélange la peinture commune à sa couleur secrète et envoie le mélange :
kex-alice-sends = Alice envoie A = g^a mod p = { $g }^{ $a } mod { $p } = { $A }
kex-bob-sends = Bob envoie   B = g^b mod p = { $g }^{ $b } mod { $p } = { $B }
kex-adds = Chacun ajoute sa couleur secrète au mélange de l'autre :
kex-same-colour = La même couleur des deux côtés : le secret partagé est { $secret }. Il n'est jamais passé sur le fil.
kex-eve-holds = Eve détient p = { $p }, g = { $g }, A = { $A }, B = { $B }.
kex-eve-tries = Démélanger la peinture est difficile, mais il n'y a que { $n } couleurs secrètes : elle les essaie toutes.
kex-that-is-a = <- c'est A
kex-eve-knows = Après { $tries } essais, Eve connaît a = { $a } et calcule B^a mod p = { $secret } : le secret partagé.
kex-no-match = (aucun x ne convient : ce g n'engendre pas A)
kex-out-of-reach = X25519 tire son secret parmi environ 2^252 nombres : les essayer tous est hors de portée.

## 2. X25519

kex-x25519-heading = 2. X25519 : la même idée sur une courbe elliptique (RFC 7748)
kex-key-pairs = Chaque côté crée une paire de clés et envoie la moitié publique (32 octets) :
kex-alice-public = Clé publique d'Alice : { $key }
kex-bob-public = Clé publique de Bob :  { $key }
kex-combines = Chacun combine sa clé privée avec la clé publique de l'autre :
kex-alice-shared = Secret partagé d'Alice : { $secret }
kex-bob-shared = Secret partagé de Bob :  { $secret }
kex-same-bytes = Les mêmes 32 octets des deux côtés.
kex-hkdf = HKDF-SHA256 transforme le secret en clé Fernet (32 octets en base64 compatible URL) :
kex-alice-fernet = Clé Fernet d'Alice : { $key }
kex-bob-fernet = Clé Fernet de Bob :  { $key }
kex-alice-encrypts = Alice chiffre `{ $secret }` et envoie le jeton :
kex-bob-decrypts = Bob le déchiffre avec sa clé : { $text }
kex-eve-saw = Eve a vu les deux clés publiques et le jeton. Sans clé privée, elle ne peut pas calculer
kex-nothing-told = le secret — mais rien n'a dit à Alice que la clé reçue était vraiment celle de Bob.

## 3. L'homme du milieu

kex-mitm-heading = 3. L'homme du milieu
kex-mallory-swaps = Mallory se tient sur le chemin et échange les clés publiques au passage :
kex-mitm-alice-sends = Alice envoie sa clé :     { $key }
kex-mitm-bob-receives = Bob reçoit à la place :   { $key } (celle de Mallory)
kex-mitm-bob-sends = Bob envoie sa clé :       { $key }
kex-mitm-alice-receives = Alice reçoit à la place : { $key } (celle de Mallory)
kex-with-mallory = Chaque côté honnête partage maintenant un secret — avec Mallory :
kex-mitm-alice-shared = Secret partagé d'Alice :       { $secret }
kex-mitm-mallory-alice = Secret de Mallory avec Alice : { $secret }
kex-mitm-bob-shared = Secret partagé de Bob :        { $secret }
kex-mitm-mallory-bob = Secret de Mallory avec Bob :   { $secret }
kex-different = Alice et Bob détiennent des secrets différents, et aucun des deux ne peut le savoir.
kex-alice-for-bob = Alice chiffre `{ $secret }` pour « Bob » :
kex-mallory-reads = Mallory le déchiffre et lit : { $text }
kex-mallory-forwards = Elle le rechiffre avec la clé qu'elle partage avec Bob et le fait suivre :
kex-bob-reads = Bob déchiffre : { $text } — tout a fonctionné, pour autant qu'il puisse en juger.
kex-could-change = Elle aurait tout aussi bien pu modifier le message.
kex-moral-1 = L'échange de clés arrête les espions, pas les imposteurs. Le remède : signer la clé
kex-moral-2 = publique avec une clé en laquelle on a déjà confiance — un certificat. Leçon 05 : squirrel ca init

## Les lignes de nombres du jouet

kex-alice-a = Alice : a = { $a }
kex-bob-b = Bob :   b = { $b }
kex-alice-computes = Alice : B^a mod p = { $B }^{ $a } mod { $p } = { $secret }
kex-bob-computes = Bob :   A^b mod p = { $A }^{ $b } mod { $p } = { $secret }
