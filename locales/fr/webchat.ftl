# La page du chat dans le navigateur (squirrel web-chat serve, leçon 09), servie par
# GET /api/words dans la langue du navigateur. La page remplit les paramètres : des noms,
# des nombres, et les éléments <code> de webchat-insecure. Les erreurs JSON de l’API
# restent en anglais (celles du protocole) ; la page affiche ces mots-ci pour les erreurs
# qu’elle connaît.

## index.html

webchat-title = Chat squirrel
webchat-log-out = Se déconnecter
webchat-insecure = Cette page n’est pas dans un contexte sécurisé ({ $is_secure_context } vaut false) : le navigateur cache donc { $subtle } et rien ne peut être chiffré. Ouvrez-la en { $https }, avec la CA des écureuils reconnue ({ $ca_install }).
webchat-log-in-title = Connexion
webchat-user-name = Nom d’utilisateur
webchat-password = Mot de passe
webchat-log-in = Se connecter
webchat-register = S’inscrire
webchat-login-note = Le mot de passe est vérifié par le serveur. Votre clé de chiffrement est créée par ce navigateur et ne le quitte jamais.
webchat-contacts = Contacts
webchat-your-key = Votre clé : { $key }
webchat-pick-contact = Choisissez un contact
webchat-safety-number = Numéro de sécurité avec { $peer }. Lisez-le-vous l’un à l’autre : s’il diffère, quelqu’un vous a remis une clé qui n’est pas la sienne.
webchat-message = Message
webchat-send = Envoyer
webchat-send-image = Envoyer une image

## Ce que la page dit en chemin

webchat-logged-in-as = Session de { $user }
webchat-no-key-title = pas encore de connexion : pas de clé
webchat-nobody-else = Personne d’autre pour l’instant.
webchat-cannot-decrypt-text = Impossible de déchiffrer ce texte : { $reason }
webchat-cannot-decrypt-image = Impossible de déchiffrer cette image : { $reason }
webchat-making-key = Création de votre paire de clés dans ce navigateur…
webchat-peer-has-no-key = { $peer } n’a jamais ouvert de session, donc n’a pas de clé : vous ne pouvez pas encore lui écrire.
webchat-key-mismatch = le serveur a envoyé une clé qui ne correspond pas à son empreinte
webchat-out-of-order = Le message { $position } est arrivé là où le { $expected } était attendu : le serveur a supprimé, répété ou réordonné des messages.
webchat-other-key = il a été chiffré pour une autre de vos clés (un autre navigateur)
webchat-wrong-key = mauvaise clé, ou modifié en chemin
webchat-not-utf8 = ce n’est pas du texte UTF-8
webchat-not-an-image-message = ce n’est pas un message d’image
webchat-not-an-image = ce n’est pas une image JPEG, PNG, GIF ou WebP
webchat-kept-moving = envoi impossible : la conversation n’a pas cessé d’avancer ; réessayez
webchat-text-too-long = un message fait au plus { $kib } Kio
webchat-image-too-large = { $name } dépasse la limite de { $mib } Mio des images
webchat-file-not-an-image = { $name } n’est pas une image JPEG, PNG, GIF ou WebP

## Les erreurs que la page connaît (les autres affichent le message du serveur)

webchat-error-status = le serveur a répondu { $status }
webchat-error-unreachable = le serveur ne répond pas : tourne-t-il encore ?
webchat-error-login = nom d’utilisateur ou mot de passe incorrect
webchat-error-session-ended = votre session est terminée (déconnexion, expiration, ou le serveur a redémarré) : reconnectez-vous
webchat-error-name-taken = le nom d’utilisateur { $name } est déjà pris : choisissez-en un autre
webchat-error-registration-closed = les inscriptions sont fermées sur ce serveur : demandez un compte à l’enseignant (squirrel web-chat adduser NOM)
webchat-error-bad-name = le nom d’utilisateur { $name } est refusé : utilisez de 1 à 32 caractères ASCII visibles (lettres, chiffres, ponctuation), sans espace
webchat-error-short-password = le mot de passe doit faire au moins { $min } caractères
webchat-error-throttled = trop de connexions manquées pour cet utilisateur depuis votre adresse : réessayez dans { $seconds } s
webchat-error-too-large = cela dépasse la limite du serveur
webchat-error-server = le serveur n’a pas pu traiter la requête (voir son journal)

## web-chat en ligne de commande (squirrel web-chat serve, adduser, dump)

webchat-cli-serving = web-chat : en service sur https://{ $host }:{ $port }/ ({ $workers ->
        [one] { $workers } worker
       *[other] { $workers } workers
    } ; données dans { $database }, certificat { $cert }) — arrêtez avec Ctrl-C.
webchat-cli-two-origins = Ouvrez https://localhost:{ $port }/ pour un utilisateur et https://127.0.0.1:{ $port }/ pour un autre : deux origines, deux connexions et deux magasins de clés séparés.
webchat-cli-classmates = Vos camarades ouvrent https://NAME:{ $port }/ avec le nom NAME de cette machine, que le certificat du serveur doit contenir (squirrel ca issue --name server --server --dns NAME --force) et auquel leurs navigateurs doivent faire confiance.
webchat-cli-trust-ca = Le navigateur doit faire confiance à la CA des écureuils : squirrel ca install (ne passez jamais outre l'avertissement).
webchat-cli-registration-off = L'inscription est fermée : ajoutez les utilisateurs avec `squirrel web-chat adduser NAME`.
webchat-cli-evil = MODE MALVEILLANT : ce serveur distribue ses propres clés, lit chaque message et le journalise — comparez les numéros de sécurité pour le démasquer
webchat-cli-hint-port = un autre serveur utilise peut-être ce port : arrêtez-le, ou passez --addr 127.0.0.1:AUTREPORT
webchat-cli-hint-certificates = créez les certificats avec : squirrel ca init && squirrel ca issue --name server --server
webchat-cli-hint-make-certificates = créez-les avec : squirrel ca init && squirrel ca issue --name server --server
webchat-cli-hint-no-database = lancez le serveur une fois (squirrel web-chat serve), ou indiquez le dossier avec --data-dir
webchat-cli-hint-database = { $path } est-il bien une base de données du chat, et le disque est-il accessible en écriture ?
webchat-cli-added = { $name } ajouté à { $database }. Il se connecte sur la page du chat ; son navigateur crée sa clé.
webchat-cli-short-password = le mot de passe doit faire au moins { $min } caractères ; rien n'a été ajouté

# Les erreurs (StorageError, WebChatError, AddUserError) ; en anglais, ce sont aussi les
# mots du journal et de l'API.
webchat-cli-database-failed = la base de données du chat { $path } a échoué : { $reason }
webchat-cli-cannot-make-folder = impossible de créer le dossier des données { $path } : { $reason }
webchat-cli-no-database = il n'y a pas de base de données du chat dans { $dir }
webchat-cli-schema = { $path } a le schéma en version { $found } ; ce squirrel connaît la version { $known }
webchat-cli-bad-name = nom d'utilisateur { $name } refusé : utilisez de 1 à 32 caractères ASCII visibles (lettres, chiffres, ponctuation), sans espace
webchat-cli-user-exists = l'utilisateur { $name } existe déjà
webchat-cli-no-user = il n'y a pas d'utilisateur { $name }
webchat-cli-key-taken = cette clé publique appartient à un autre utilisateur
webchat-cli-position-taken = la position { $given } est prise : la suivante est { $next }
webchat-cli-cannot-start = impossible de démarrer le serveur : { $reason }
webchat-cli-password-too-short = le mot de passe doit faire au moins { $min } caractères

## web-chat dump : ce que détient le serveur

webchat-cli-dump-title = Ce que détient le serveur dans { $path } ({ $size }) :
webchat-cli-dump-title-journal = Ce que détient le serveur dans { $path } ({ $size }, { $total } avec son journal) :
webchat-cli-dump-users = Utilisateurs ({ $n }) : un vérificateur de mot de passe chacun, jamais de mot de passe
webchat-cli-dump-user = PBKDF2-SHA256 × { $iterations }, sel { $salt }, vérificateur { $verifier }…, clé { $key }
webchat-cli-dump-no-key = pas encore
webchat-cli-dump-keys = Clés publiques ({ $n }) : ECDH P-256, SPKI ; empreinte = SHA-256 du SPKI
webchat-cli-dump-key = { $bytes } octets, publiée le { $published }
webchat-cli-dump-key-replaced = { $bytes } octets, publiée le { $published } (remplacée)
webchat-cli-dump-messages = Messages ({ $n }) : AES-256-GCM, IV de 12 octets ; seuls les deux navigateurs détiennent la clé
webchat-cli-dump-text = texte
webchat-cli-dump-image = image
webchat-cli-dump-position = position
webchat-cli-dump-images = ({ $n ->
        [one] dont { $n } image, stockée
       *[other] dont { $n } images, stockées
    } comme BLOB de texte chiffré)
webchat-cli-dump-relayed = { $n ->
        [one] { $n } message a été lu et rechiffré
       *[other] { $n } messages ont été lus et rechiffrés
    } par un serveur lancé avec --evil.
