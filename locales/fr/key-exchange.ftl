# Leçon 04 : `squirrel key-exchange demo` (src/cli/key_exchange.rs,
# src/lessons/l04_key_exchange.rs), l'histoire racontée avec ses nombres. Les formules,
# les nombres, les clés et les jetons restent tels quels.

key-exchange-error-toy = nombres du jouet incorrects : { $reason }
key-exchange-toy-p = p = { $p } doit être un nombre premier de 5 à { $limit }
key-exchange-toy-g = g = { $g } doit aller de 2 à p − 1
key-exchange-toy-private = { $who } = { $x } doit aller de 1 à p − 2 = { $max }
key-exchange-error-openssl = échec de X25519 : { $reason }
key-exchange-error-key-length = une clé publique X25519 fait 32 octets, pas { $length }
key-exchange-error-wrong-key = le jeton ne se déchiffre pas avec cette clé : les deux côtés ont des clés différentes
key-exchange-openssl-hint = il faut OpenSSL 1.1.1 ou plus récent (X25519 et HKDF)
key-exchange-cannot-write-stdout = impossible d'écrire sur la sortie standard : { $reason }

key-exchange-title = Leçon 04 — se mettre d'accord sur une clé pendant que tout le monde écoute
key-exchange-seeded = (nombres tirés de --seed { $seed } : relancez-la, vous obtiendrez les mêmes)
key-exchange-random = (nouveaux nombres aléatoires : passez --seed N pour rejouer une exécution)

## 1. Diffie-Hellman avec des nombres jouets

key-exchange-toy-heading = 1. Diffie-Hellman avec des nombres jouets (un JOUET : les vrais groupes font 255 bits ou plus)
key-exchange-paint = L'analogie de la peinture. Alice et Bob se mettent d'accord, au grand jour, sur une peinture commune :
key-exchange-public = p = { $p } (un nombre premier) et g = { $g }. Tout le monde les connaît, Eve l'espionne aussi.
key-exchange-secret-colour = Chacun choisit une couleur secrète et ne la dit à personne :
key-exchange-mixes = Chacun mélange la peinture commune à sa couleur secrète et envoie le mélange :
key-exchange-alice-sends = Alice envoie A = g^a mod p = { $g }^{ $a } mod { $p } = { $A }
key-exchange-bob-sends = Bob envoie   B = g^b mod p = { $g }^{ $b } mod { $p } = { $B }
key-exchange-adds = Chacun ajoute sa couleur secrète au mélange de l'autre :
key-exchange-same-colour = La même couleur des deux côtés : le secret partagé est { $secret }. Il n'est jamais passé sur le fil.
key-exchange-eve-holds = Eve détient p = { $p }, g = { $g }, A = { $A }, B = { $B }.
key-exchange-eve-tries = Démélanger la peinture est difficile, mais il n'y a que { $n } couleurs secrètes : elle les essaie toutes.
key-exchange-that-is-a = <- c'est A
key-exchange-eve-knows = Après { $tries } essais, Eve connaît a = { $a } et calcule B^a mod p = { $secret } : le secret partagé.
key-exchange-no-match = (aucun x ne convient : ce g n'engendre pas A)
key-exchange-out-of-reach = X25519 tire son secret parmi environ 2^252 nombres : les essayer tous est hors de portée.

## 2. X25519

key-exchange-x25519-heading = 2. X25519 : la même idée sur une courbe elliptique (RFC 7748)
key-exchange-key-pairs = Chaque côté crée une paire de clés et envoie la moitié publique (32 octets) :
key-exchange-alice-public = Clé publique d'Alice : { $key }
key-exchange-bob-public = Clé publique de Bob :  { $key }
key-exchange-combines = Chacun combine sa clé privée avec la clé publique de l'autre :
key-exchange-alice-shared = Secret partagé d'Alice : { $secret }
key-exchange-bob-shared = Secret partagé de Bob :  { $secret }
key-exchange-same-bytes = Les mêmes 32 octets des deux côtés.
key-exchange-hkdf = HKDF-SHA256 transforme le secret en clé Fernet (32 octets en base64 compatible URL) :
key-exchange-alice-fernet = Clé Fernet d'Alice : { $key }
key-exchange-bob-fernet = Clé Fernet de Bob :  { $key }
key-exchange-alice-encrypts = Alice chiffre `{ $secret }` et envoie le jeton :
key-exchange-bob-decrypts = Bob le déchiffre avec sa clé : { $text }
key-exchange-eve-saw = Eve a vu les deux clés publiques et le jeton. Sans clé privée, elle ne peut pas calculer
key-exchange-nothing-told = le secret — mais rien n'a dit à Alice que la clé reçue était vraiment celle de Bob.

## 3. L'homme du milieu

key-exchange-mitm-heading = 3. L'homme du milieu
key-exchange-mallory-swaps = Mallory se tient sur le chemin et échange les clés publiques au passage :
key-exchange-mitm-alice-sends = Alice envoie sa clé :     { $key }
key-exchange-mitm-bob-receives = Bob reçoit à la place :   { $key } (celle de Mallory)
key-exchange-mitm-bob-sends = Bob envoie sa clé :       { $key }
key-exchange-mitm-alice-receives = Alice reçoit à la place : { $key } (celle de Mallory)
key-exchange-with-mallory = Chaque côté honnête partage maintenant un secret — avec Mallory :
key-exchange-mitm-alice-shared = Secret partagé d'Alice :       { $secret }
key-exchange-mitm-mallory-alice = Secret de Mallory avec Alice : { $secret }
key-exchange-mitm-bob-shared = Secret partagé de Bob :        { $secret }
key-exchange-mitm-mallory-bob = Secret de Mallory avec Bob :   { $secret }
key-exchange-different = Alice et Bob détiennent des secrets différents, et aucun des deux ne peut le savoir.
key-exchange-alice-for-bob = Alice chiffre `{ $secret }` pour « Bob » :
key-exchange-mallory-reads = Mallory le déchiffre et lit : { $text }
key-exchange-mallory-forwards = Elle le rechiffre avec la clé qu'elle partage avec Bob et le fait suivre :
key-exchange-bob-reads = Bob déchiffre : { $text } — tout a fonctionné, pour autant qu'il puisse en juger.
key-exchange-could-change = Elle aurait tout aussi bien pu modifier le message.
key-exchange-moral-1 = L'échange de clés arrête les espions, pas les imposteurs. Le remède : signer la clé
key-exchange-moral-2 = publique avec une clé en laquelle on a déjà confiance — un certificat. Leçon 05 : squirrel ca init

## Les lignes de nombres du jouet

key-exchange-alice-a = Alice : a = { $a }
key-exchange-bob-b = Bob :   b = { $b }
key-exchange-alice-computes = Alice : B^a mod p = { $B }^{ $a } mod { $p } = { $secret }
key-exchange-bob-computes = Bob :   A^b mod p = { $A }^{ $b } mod { $p } = { $secret }
