# Leçon 05, `squirrel ca …` et la PKI derrière (src/cli/ca.rs, src/pki/) : ce que chaque
# étape a créé, un certificat en toutes lettres (`ca inspect`), les vérifications de
# `ca verify`, les erreurs et leurs conseils. Les chemins, commandes, options, noms des
# champs X.509 (subjectAltName, keyUsage…) et les mots d'OpenSSL restent tels quels.

## Ce qu'une étape a créé (ca init, csr, sign, issue)

ca-created-ca = CA { $name } créée ({ $files }) — valable jusqu'au { $until }
ca-created = { $file } créé pour { $names } — valable jusqu'au { $until } — signé par { $issuer }
ca-created-certificate = certificat : { $path }
ca-created-key = clé :        { $path } (secrète)
ca-created-request = demande :    { $path }
ca-created-p12 = pour les navigateurs : { $path } (secret : clé et certificat)
ca-created-p12-password = Le mot de passe du p12 est : { $password } (affiché une seule fois)
ca-next-init = Ensuite : { $command } (et --client pour le TLS mutuel)
ca-csr-created = Demande { $csr } créée pour { $names }, avec sa clé { $key } (secrète : elle ne quitte jamais ce dossier)
ca-next-sign = Ensuite, la CA la signe : { $command }
ca-warning-tutorial-way = { $path } est fait à la manière du tutoriel : les vérificateurs stricts le refusent ; pour la leçon seulement
ca-warning-unencrypted-key = { $path } n'est pas chiffrée : quiconque peut la lire peut fabriquer des certificats auxquels vos machines font confiance (chiffrez-la avec --passphrase-env VAR)
ca-warning-no-host = { $path } ne nomme aucun hôte (pas de subjectAltName) : son nom n'est que dans le CN, que les navigateurs et les autres clients modernes ignorent
ca-warning-outlives-ca = le certificat survivrait à la CA : il se termine donc avec elle, le { $date }

## Un certificat en toutes lettres (ca inspect) : les valeurs commencent une colonne
## après l'étiquette la plus longue

ca-inspect-sentence = Du { $from } au { $to }, je suis { $subject } selon { $issuer }.
ca-inspect-sentence-self-signed = Du { $from } au { $to }, je suis { $subject } selon { $issuer } (moi-même : auto-signé).
ca-inspect-names = Noms (SAN) :
ca-inspect-key = Clé :
ca-inspect-key-usage = Usage de la clé :
ca-inspect-extended-key-usage = Usage étendu de la clé :
ca-inspect-ca = CA :
ca-inspect-serial = Numéro de série :
ca-inspect-fingerprint = Empreinte SHA-256 :
ca-inspect-trust-stores = Magasins de confiance :
ca-inspect-none = (aucun)
ca-inspect-any = (pas d'extension : tout usage)
ca-inspect-ca-yes = oui, il peut signer des certificats
ca-inspect-ca-pathlen-zero = oui, il peut signer des certificats (pathlen 0 : pas de CA intermédiaire)
ca-inspect-ca-pathlen = oui, il peut signer des certificats (pathlen { $pathlen })
ca-inspect-ca-no = non

## Les vérifications de ca verify. $which : leaf (le certificat vérifié) ou ca ; $role :
## server ou client

ca-verify-header = { $cert } ({ $subject }) face à { $ca } :
ca-verify-ok = ok
ca-verify-fail = ÉCHEC
ca-verify-signed = signé par cette CA : { $ca } (règles X.509 strictes)
ca-verify-signed-classic-only = signé par cette CA : { $ca } (règles classiques seulement : les strictes, qu'appliquent openssl verify -x509_strict et Python 3.13, échouent ci-dessous)
ca-verify-key-differs = pas signé par cette CA : il nomme { $ca } comme émetteur, mais une autre clé l'a signé (cette CA a été refaite, par exemple avec ca init --force, ou ailleurs)
ca-verify-other-issuer = pas signé par cette CA : son émetteur est { $issuer }, cette CA est { $ca }
ca-verify-self-signed = pas signé par cette CA : il est auto-signé, et cette CA est { $ca }
ca-verify-signature-mismatch = pas signé par cette CA : la signature ne correspond pas à la clé de { $ca } (une autre CA de même nom, ou un certificat modifié)
ca-verify-ca-never-says-ca = le certificat de la CA ne dit jamais qu'il est une CA : il n'a pas de basicConstraints CA:TRUE (RFC 5280 §4.2.1.9)
ca-verify-ca-not-ca = le certificat de la CA n'est pas une CA (basicConstraints CA:FALSE)
ca-verify-ca-no-key-cert-sign = le keyUsage du certificat de la CA ne permet pas de signer des certificats (keyCertSign)
ca-verify-path-length = la chaîne est plus longue que ne le permet le pathlen de la CA
ca-verify-no-authority-key-id = { $which ->
    [leaf] ce certificat
   *[ca] le certificat de la CA
} enfreint les règles X.509 strictes : pas d'authorityKeyIdentifier (RFC 5280 §4.2.1.1 ; Python 3.13 le refuse aussi)
ca-verify-no-subject-key-id = { $which ->
    [leaf] ce certificat
   *[ca] le certificat de la CA
} enfreint les règles X.509 strictes : pas de subjectKeyIdentifier (RFC 5280 §4.2.1.2 ; Python 3.13 le refuse aussi)
ca-verify-ca-no-key-usage = le certificat de la CA enfreint les règles X.509 strictes : pas de keyUsage (RFC 5280 §4.2.1.3)
ca-verify-ca-constraints-not-critical = le certificat de la CA enfreint les règles X.509 strictes : basicConstraints n'est pas critique (RFC 5280 §4.2.1.9)
ca-verify-empty-san = { $which ->
    [leaf] ce certificat
   *[ca] le certificat de la CA
} enfreint les règles X.509 strictes : un subjectAltName vide
ca-verify-explicit-curve = { $which ->
    [leaf] ce certificat
   *[ca] le certificat de la CA
} enfreint les règles X.509 strictes : sa clé EC détaille la courbe au lieu de la nommer
ca-verify-other-chain-failure = { $which ->
    [leaf] ce certificat
   *[ca] le certificat de la CA
} échoue à la vérification de la chaîne : { $reason } (erreur de vérification OpenSSL { $code })
ca-verify-strict-rule = règle X.509 stricte enfreinte : { $rule }
ca-verify-rule-no-authority-key-id = ce certificat n'a pas d'authorityKeyIdentifier, le renvoi vers la clé de CA qui l'a signé (RFC 5280 §4.2.1.1)
ca-verify-rule-ca-no-basic-constraints = le certificat de la CA n'a pas de basicConstraints : il ne dit donc jamais qu'il est une CA (RFC 5280 §4.2.1.9)
ca-verify-rule-ca-constraints-not-critical = le basicConstraints du certificat de la CA n'est pas marqué critique (RFC 5280 §4.2.1.9)
ca-verify-rule-ca-no-key-usage = le certificat de la CA n'a pas de keyUsage disant qu'il peut signer des certificats (keyCertSign, RFC 5280 §4.2.1.3)
ca-verify-rule-ca-no-subject-key-id = le certificat de la CA n'a pas de subjectKeyIdentifier, le nom vers lequel pointe l'authorityKeyIdentifier de ses certificats (RFC 5280 §4.2.1.2)
ca-verify-not-yet-valid = pas encore valable : il commence le { $date }
ca-verify-expired = expiré le { $date }
ca-verify-ca-not-yet-valid = la CA n'est pas encore valable : elle commence le { $date }
ca-verify-ca-expired = la CA a expiré le { $date }
ca-verify-valid = dates : valable du { $from } au { $until }
ca-verify-any-usage = tout usage
ca-verify-may-be = usage : peut être { $role ->
    [server] un serveur TLS
   *[client] un client TLS
} (extended key usage : { $allowed })
ca-verify-not-for = mauvais usage : pas pour { $role ->
    [server] un serveur TLS
   *[client] un client TLS
} (extended key usage : { $allowed })
ca-verify-wrong-usage = mauvais usage pour { $role ->
    [server] un serveur TLS
   *[client] un client TLS
} : { $reason }
ca-verify-names = noms : { $names } (subjectAltName : l'hôte auquel un client se connecte doit en faire partie)
ca-verify-no-host-in-san = son subjectAltName ne nomme aucun hôte ni aucune adresse IP : aucun client TLS ne peut donc s'y retrouver
ca-verify-no-san = pas de subjectAltName : le nom { $cn } n'est que dans le CN, que les navigateurs et les autres clients modernes ignorent (RFC 9525) ; ils n'y trouvent donc aucun nom d'hôte

## Conseils

ca-hint-chain = vérifiez que --dir contient la CA qui l'a signé (actuellement : { $ca })
ca-hint-strict = faites-le à la manière moderne, sans --tutorial-compat : { $issue } (si la CA enfreint une règle, d'abord : { $init })
ca-hint-names = délivrez-le avec les noms qu'utilisent les clients : { $command }
ca-hint-dates = faites-en un nouveau : { $command }
ca-hint-usage = délivrez un certificat pour ce rôle : squirrel ca issue --server|--client
ca-hint-wrong-passphrase = vérifiez la variable que nomme --passphrase-env
ca-hint-too-many-days = utilisez --days { $max } ou moins (la valeur par défaut est { $default })
ca-hint-env-not-set = définissez-la pour la commande : { $var }=… squirrel ca …
ca-hint-make-ca-first = créez d'abord la CA : squirrel ca init (ou passez --dir DIR)

## Erreurs

ca-error-verify = { $path } : { $finding }
ca-error-env-not-set = la variable d'environnement { $var } n'est pas définie ({ $option } nomme la variable qui contient le secret)
ca-error-env-not-utf8 = la variable d'environnement { $var } n'est pas de l'UTF-8 valide
ca-error-no-home = HOME n'est pas défini : impossible de trouver les bases de certificats des navigateurs
ca-error-json = impossible d'écrire le résumé en JSON : { $reason }
ca-error-exists = { $path } existe déjà (passez --force pour le remplacer)
ca-error-ca-missing = impossible de lire { $path } : { $reason } (lancez : { $command })
ca-error-read = impossible de lire { $path } : { $reason }
ca-error-write = impossible d'écrire { $path } : { $reason }
ca-error-not-a-certificate = { $origin } n'est pas un certificat : { $found }
ca-error-not-a-csr = { $path } n'est pas une demande de signature de certificat (CSR) : { $found }
ca-found-private-key = il contient une clé privée (gardez-la secrète)
ca-found-csr = il contient une demande de signature de certificat (CSR)
ca-found-certificate = il contient un certificat
ca-found-other-pem = il contient un bloc PEM étiqueté { $label }
ca-found-not-pem-or-der = ce n'est un certificat ni PEM ni DER
ca-found-unparsable = il est illisible
ca-error-not-a-key = { $path } n'est pas une clé privée PEM
ca-error-passphrase-needed = { $path } est chiffrée : donnez sa phrase de passe (--passphrase-env VAR)
ca-error-wrong-passphrase = phrase de passe incorrecte pour { $path }
ca-error-empty-passphrase = la phrase de passe de la CA est vide : choisissez-en une, ou n'en donnez aucune pour laisser ca.key non chiffrée
ca-error-bad-p12-password = le mot de passe du .p12 contient un octet NUL
ca-error-key-mismatch = { $key } ne va pas avec { $cert } : ils ne forment pas une paire de clés
ca-error-not-a-ca = { $path } n'est pas un certificat de CA (basicConstraints CA:FALSE) : il ne peut pas en signer d'autres
ca-error-ca-without-key-id = { $path } n'a pas de subjectKeyIdentifier : les certificats que signe cette CA ne pourraient pas la désigner (créez une nouvelle CA : squirrel ca init --force ; ou signez à la manière du tutoriel avec --tutorial-compat)
ca-error-bad-csr-signature = la CSR { $path } n'est pas signée par sa propre clé : elle a été modifiée, ou elle est corrompue
ca-error-csr-without-cn = la CSR { $path } ne nomme personne : son sujet n'a pas de CN
ca-error-no-server-names = la CSR { $path } ne demande aucun nom (subjectAltName), et un certificat de serveur en exige au moins un (créez-la avec : squirrel ca csr --server)
ca-error-unsupported-name = la CSR { $path } demande le nom { $name } ; cette CA ne signe que des noms DNS et des adresses IP
ca-error-too-many-days = { $days } jours, c'est trop long : un certificat peut durer au plus { $max } jours (Apple refuse les plus longs)
ca-error-zero-days = un certificat doit durer au moins 1 jour
ca-error-bad-name = { $name } ne peut pas nommer un certificat : utilisez de 1 à 64 lettres, chiffres, '-', '_' ou '.', sans commencer par '.', et pas "ca"
ca-error-bad-dns-name = { $name } n'est pas un nom DNS : utilisez des lettres, des chiffres, '-' et '.' (éventuellement '*.' au début)
ca-error-partial-pki = { $dir } ne contient qu'une partie d'une PKI : il manque { $missing }, alors que { $present } existent (mettez le dossier de côté pour repartir de zéro)
ca-error-bad-date = { $origin } contient une date illisible
ca-error-openssl = OpenSSL a échoué { $doing } : { $reason }

## Ce que faisait la PKI quand OpenSSL a échoué (ca-error-openssl)

ca-step-adding-the-requested-names = en ajoutant les noms demandés
ca-step-reading-the-request-key = en lisant la clé de la demande
ca-step-bundling-the-p12 = en assemblant le .p12
ca-step-verifying-the-chain = en vérifiant la chaîne
ca-step-starting-the-request = en commençant la demande
ca-step-reading-the-request-names = en lisant les noms de la demande
ca-step-reading-basicconstraints = en lisant basicConstraints
ca-step-reading-a-date = en lisant une date
ca-step-naming-the-request = en nommant la demande
ca-step-generating-an-rsa-key = en générant une clé RSA
ca-step-generating-a-p256-key = en générant une clé P-256
ca-step-encoding-the-request = en encodant la demande
ca-step-encoding-the-key = en encodant la clé
ca-step-reading-the-ca-certificate = en lisant le certificat de la CA
ca-step-verifying-the-usage = en vérifiant l'usage
ca-step-signing-the-request = en signant la demande
ca-step-signing-the-certificate = en signant le certificat
ca-step-reading-the-serial-number = en lisant le numéro de série
ca-step-reading-the-public-key = en lisant la clé publique
ca-step-reading-the-extensions = en lisant les extensions
ca-step-reading-the-ca-public-key = en lisant la clé publique de la CA
ca-step-reading-the-ca-basicconstraints = en lisant le basicConstraints de la CA
ca-step-naming-the-ca = en nommant la CA
ca-step-making-the-ca-certificate = en créant le certificat de la CA
ca-step-making-a-password = en créant un mot de passe
ca-step-hashing-the-certificate = en calculant l'empreinte du certificat
ca-step-encrypting-the-ca-key = en chiffrant la clé de la CA
ca-step-encoding-the-certificate = en encodant le certificat
ca-step-encoding-the-ca-key = en encodant la clé de la CA
ca-step-encoding-the-ca-certificate = en encodant le certificat de la CA
ca-step-encoding-the-p12 = en encodant le .p12
ca-step-dating-the-certificate = en datant le certificat
ca-step-dating-the-ca = en datant la CA
ca-step-choosing-the-p256-curve = en choisissant la courbe P-256
ca-step-adding-the-public-key = en ajoutant la clé publique

