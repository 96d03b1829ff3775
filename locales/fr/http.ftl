# Les messages HTTP lus et les URL analysées (src/http/) : ce qu'un client dit à une
# personne quand une réponse ne peut pas être lue ou qu'une --url est fausse. Les réponses
# d'erreur JSON d'un serveur restent en anglais (celles du protocole) ; le détail d'un
# message mal formé est dans les mots du protocole.

http-closed = la connexion s'est fermée avant la fin du message
http-head-too-large = l'en-tête du message dépasse { $limit } octets ou compte trop de champs
http-malformed = message HTTP mal formé : { $detail }
http-body-too-large = le corps de { $length } octets dépasse la limite de { $limit } octets
http-timed-out = délai dépassé : l'autre côté ne répond pas

http-authority-no-host = pas d'hôte
http-authority-unclosed-bracket = un [ sans son ]
http-authority-after-bracket = seul :PORT peut suivre ]
http-authority-port = le port n'est pas un nombre de 0 à 65535
http-url-no-scheme = pas de schéma
http-url-scheme = le schéma doit être http ou https
http-url-bad = URL incorrecte { $url } : { $why } (attendu par exemple http://127.0.0.1:5683/)
