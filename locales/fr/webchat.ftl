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
