# Leçon 03 : `squirrel fernet …` et son client (src/cli/fernet.rs,
# src/lessons/l03_fernet.rs). $name est la variable d'environnement, SECRET_KEY.

fernet-key-empty = { $name } est vide
fernet-key-not-fernet = { $name } n'est pas une clé Fernet : il faut 32 octets en base64 compatible URL (44 caractères terminés par '='), celle-ci a { $length } caractères
fernet-reply-not-a-token = la réponse du serveur n'est pas un jeton Fernet : elle contient { $start }, alors qu'un jeton est du base64 compatible URL qui commence par gAAAAA (est-ce bien le serveur de la leçon 03, `squirrel fernet serve` ?)
fernet-wrong-key = le jeton ne se déchiffre pas avec cette { $name } : le serveur utilise une autre clé, ou le jeton a été modifié en chemin
fernet-message-not-utf8 = le message n'est pas du texte UTF-8

fernet-key-not-set = { $name } n'est pas définie
fernet-key-not-set-hint = créez une clé avec `squirrel fernet keygen` puis lancez : export { $name }=<la clé>
fernet-bad-key-hint = créez une clé avec : squirrel fernet keygen
fernet-share-key = Donnez-la à l'autre côté, puis des deux côtés : export { $name }={ $key }
fernet-same-key-hint = les deux côtés ont besoin de la même { $name }
fernet-start-server-hint = lancez le serveur de la leçon 03, avec la même SECRET_KEY : squirrel fernet serve
fernet-token-on-the-wire = Le jeton sur le fil : { $token }
