# Leçon 02 : `squirrel substitution …` (src/cli/substitution.rs,
# src/lessons/l02_substitution/) : le chiffrement par décalage, le chat et son relais, et
# l'analyse fréquentielle qui les casse. Les erreurs JSON du relais restent en anglais
# (celles du protocole).

substitution-language-english = anglais
substitution-language-french = français

## Erreurs

substitution-error-log = impossible d'ajouter au journal du chat { $path } : { $reason }
substitution-error-too-long = le message fait { $length } octets une fois chiffré ; le chat en accepte au plus { $limit }
substitution-error-bad-reply = la réponse du serveur de chat n'a pas de sens : { $reason }
substitution-error-no-letters = le texte n'a aucune lettre A–Z à analyser
substitution-bad-name = le nom doit tenir sur une ligne de texte, non vide
substitution-bad-message = un message tient sur une ligne, sans caractères de contrôle
substitution-reply-not-utf8 = le corps n'est pas de l'UTF-8
substitution-reply-lines = { $lines } lignes pour les messages { $first } à { $next }
substitution-reply-no-header = pas d'en-tête { $name }
substitution-reply-not-a-number = { $name } n'est pas un nombre : { $value }
substitution-cannot-write-stdout = impossible d'écrire sur la sortie standard : { $reason }
substitution-cannot-read-stdin = impossible de lire l'entrée standard : { $reason }
substitution-cannot-read = impossible de lire { $path } : { $reason }
substitution-cannot-read-hint = donnez un fichier texte, ou envoyez le texte par un tube : … | squirrel substitution crack
substitution-no-letters-hint = l'analyse fréquentielle a besoin d'un texte avec des lettres, chiffré par décalage
substitution-log-hint = choisissez un autre fichier avec --log CHEMIN
substitution-server-stopped = le serveur de chat s'est arrêté : { $reason }
substitution-chat-server-hint = le serveur de chat tourne-t-il ? lancez-le dans un autre terminal : squirrel substitution chat-server
substitution-name-hint = passez --name avec votre nom, par exemple --name alice

## crack

substitution-chat-log = C'est un journal de chat : { $n ->
    [one] 1 message
   *[other] { $n } messages
}, { $letters } lettres en tout.
substitution-conversation = La conversation :
substitution-conversation-if = La conversation, si le décalage { $shift } est le bon :
substitution-check-any = La ligne qui se lit comme des mots donne le décalage ; vérifiez-le avec : squirrel substitution decrypt --shift N
substitution-check = Vérifiez-le avec : squirrel substitution decrypt --shift { $shift }
substitution-next-best = ; suivant : décalage { $shift } à { $chi }
substitution-shift-is = Le décalage est { $shift } ({ $language } : khi-deux { $chi } sur { $letters } lettres{ $versus }).
substitution-not-sure = Pas sûr : { $letters } lettres, c'est trop peu pour l'analyse fréquentielle (il en faut { $min } ou plus). Le meilleur ajustement, décalage { $shift } ({ $language } : khi-deux { $chi }{ $versus }), peut très bien être faux.
substitution-all-shifts = Les 26 décalages, le meilleur ajustement d'abord : le bon se repère à l'œil.
substitution-shift-line = décalage { $shift } ({ $chi }) : { $text }

## Le chat

substitution-relaying = chat : relais sur http://{ $addr }/ — il n'a pas de clé et ne stocke que du texte chiffré.
substitution-appended = chat : chaque message est ajouté à { $path }.
substitution-join = Rejoignez-le depuis d'autres terminaux, avec le même --shift pour tout le monde :
substitution-break = Puis cassez-le : squirrel substitution crack { $path }
substitution-stop = Arrêtez avec Ctrl-C.
substitution-joined = Vous avez rejoint le chat sur { $addr } sous le nom { $name }, décalage { $shift }. Tapez une ligne et appuyez sur Entrée ; Ctrl-D pour partir.
substitution-not-sent = attention : non envoyé : { $reason }
substitution-back = (de nouveau en contact avec le serveur de chat)
substitution-retrying = attention : { $reason } (nouvel essai chaque seconde)
substitution-left = Vous avez quitté le chat.
