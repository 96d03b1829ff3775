# Le coffre de fichiers en ligne de commande (squirrel vault …, leçon 08) : ce que le
# serveur affiche au démarrage, les commandes du client, les envois quotidiens, et leurs
# erreurs et conseils. Le journal du serveur et les messages JSON de ses réponses
# restent en anglais.

vault-and = et
vault-or = ou

## vault serve, adduser, passwd

vault-demo-added = Utilisateurs de démonstration ajoutés : { $users }.
vault-demo-warning = MODE DÉMONSTRATION : n'importe qui peut se connecter en tant que { $logins } — ne gardez jamais de vrais fichiers dans un coffre de démonstration
vault-listening = Le coffre écoute sur https://{ $addr } ({ $workers ->
        [one] { $workers } worker
       *[other] { $workers } workers
    } ; données dans { $data }, certificats dans { $certs }).
vault-no-users = Pas encore d'utilisateur : ajoutez-en un avec `squirrel vault adduser NAME`, ou relancez avec --demo.
vault-users = Utilisateurs : { $users }. Les clients ont besoin d'un certificat signé par { $ca }.
vault-try = Essayez, dans un autre terminal :
vault-stop = Arrêtez-le avec Ctrl-C.
vault-hint-port = un autre programme utilise ce port : choisissez-en un autre avec --port
vault-hint-certificates = mettez le dossier des certificats de côté pour que le coffre crée une nouvelle CA de développement
vault-cannot-read-password = impossible de lire un mot de passe : { $reason }
vault-hint-password-env = positionnez { $var } pour donner le mot de passe sans invite
vault-prompt-new-password = Nouveau mot de passe pour { $user } :
vault-prompt-repeat = Répétez-le :
vault-prompt-current-password = Mot de passe actuel de { $user } :
vault-prompt-password = Mot de passe de { $user }@{ $server } :
vault-passwords-differ = les deux mots de passe diffèrent ; rien n'a été changé
vault-password-too-short = le mot de passe a { $length ->
        [one] { $length } caractère
       *[other] { $length } caractères
    } : il en faut au moins { $min } ; rien n'a été changé
vault-hint-longer-password = choisissez-en un plus long (quelques mots en font un bon) ; pour une démonstration en classe seulement : --allow-short-password
vault-user-exists = l'utilisateur { $name } existe déjà
vault-hint-passwd = changez le mot de passe avec : squirrel vault passwd { $name }
vault-user-added = { $name } ajouté à { $path }.
vault-no-such-user-in = il n'y a pas d'utilisateur { $name } dans { $path }
vault-hint-adduser = ajoutez-le avec : squirrel vault adduser { $name }
vault-password-changed = Mot de passe de { $name } changé, { $count ->
        [one] { $count } archive rechiffrée
       *[other] { $count } archives rechiffrées
    } avec la nouvelle clé.

## vault login, logout, upload, list, download, ui

vault-uploaded = { $file } envoyé sous le nom { $archive }
vault-downloaded = { $archive } téléchargé → { $path }
vault-no-user-name = aucun nom d'utilisateur donné
vault-hint-user = passez --user NAME, ou retenez-le avec : squirrel vault login --user NAME --remember (le coffre de démonstration a user1 et user2)
vault-hint-config = corrigez { $path } ou supprimez-le avec : squirrel vault logout --forget
vault-logged-in = Connecté à { $server } en tant que { $user } : votre mot de passe fonctionne.
vault-remembered-password = Serveur, nom d'utilisateur et mot de passe retenus dans { $path } : les commandes suivantes n'ont besoin ni de --server, ni de --user, ni du mot de passe.
vault-password-in-clear = votre mot de passe est stocké en clair dans { $path } (lisible par vous seul, mode 0600) : quiconque peut lire vos fichiers peut se connecter à votre place. Oubliez-le avec : squirrel vault logout --forget
vault-remembered = Serveur et nom d'utilisateur retenus dans { $path } (pas votre mot de passe : ajoutez --remember pour cela).
vault-password-removed = Le mot de passe retenu auparavant a été supprimé.
vault-nothing-to-log-out = Rien à déconnecter : chaque commande se connecte et se déconnecte d'elle-même, aucune session ne lui survit donc.
vault-config-remembers = { $path } retient { $who } ; supprimez-le avec : squirrel vault logout --forget
vault-config-remembers-password = { $path } retient { $who } et le mot de passe ; supprimez-le avec : squirrel vault logout --forget
vault-forgot = Serveur, nom d'utilisateur et mot de passe oubliés ({ $path } supprimé).
vault-nothing-remembered = Rien n'était retenu (pas de { $path }).
vault-unix-time = { $seconds } (temps Unix)
vault-no-archives = Pas encore d'archive. Envoyez-en une avec : squirrel vault upload FILE
vault-column-file = FICHIER
vault-column-uploaded = ENVOI
vault-column-size = TAILLE
vault-column-archive = ARCHIVE
vault-stale-note = ⚠ l'envoi le plus récent de ce fichier date de plus de 24 h (programmez-le avec : squirrel vault schedule add FILE)
vault-hint-ui-terminal = lancez-la dans un terminal, ou utilisez les commandes : squirrel vault login, list, upload, schedule, download

## vault schedule

vault-scheduled = { $path } programmé pour un envoi quotidien (premier envoi au prochain `squirrel vault schedule run`).
vault-already-scheduled = { $path } était déjà programmé.
vault-unscheduled = { $path } retiré du programme (le fichier lui-même n'est pas touché).
vault-nothing-scheduled = Rien n'est programmé. Ajoutez un fichier avec : squirrel vault schedule add FILE
vault-column-last-upload = DERNIER ENVOI
vault-column-next-due = PROCHAIN ENVOI
vault-missing-mark = (manquant)
vault-never = jamais
vault-now = maintenant
vault-pass-uploaded = { $path } envoyé sous le nom { $archive }
vault-pass-unrecorded = { $path } envoyé sous le nom { $archive }, mais l'envoi n'a pas pu être enregistré ({ $error }) : il sera envoyé de nouveau
vault-pass-not-due = Pas encore : { $path } (prochain envoi après { $next })
vault-pass-missing = Manquant : { $path } — gardé dans le programme, réessayé au prochain passage
vault-pass-failed = Échec : { $path } : { $error }
vault-pass-skipped = Sauté : { $path } (un envoi précédent de ce passage a échoué de la même façon)
vault-took-over-lock = Verrou repris au processus { $pid }, qui ne tourne plus (il a été arrêté avant de pouvoir faire le ménage) : { $path }
vault-pass-failures = { $failed ->
        [one] { $failed } des { $total } fichiers programmés n'a pas pu être envoyé
       *[other] { $failed } des { $total } fichiers programmés n'ont pas pu être envoyés
    } (voir ci-dessus)
vault-schedule-running = Envoi de { $count ->
        [one] { $count } fichier programmé
       *[other] { $count } fichiers programmés
    } à { $server } en tant que { $user } quand leur tour vient, vérification toutes les { $every } s. Arrêtez avec Ctrl-C.
vault-stopped = Arrêté.
vault-cannot-find-program = impossible de trouver le programme squirrel : { $reason }
vault-cron-intro = Envois programmés sans terminal : un passage toutes les 15 minutes ; chaque fichier
vault-cron-intro-2 = part dès que son dernier envoi date de 24 h. La tâche ne peut pas taper de mot de passe :
vault-cron-intro-3 = retenez-le d'abord avec `squirrel vault login --remember` (dans { $dir }).
vault-cron-crontab = cron — `crontab -e`, puis ajoutez cette ligne :
vault-cron-service = systemd — enregistrez sous ~/.config/systemd/user/squirrel-upload.service :
vault-cron-timer = … et sous ~/.config/systemd/user/squirrel-upload.timer :
vault-cron-enable = puis : systemctl --user daemon-reload && systemctl --user enable --now squirrel-upload.timer
vault-cron-journal = (voyez ses exécutions avec : journalctl --user -u squirrel-upload)

## Les erreurs et conseils du client (ClientError) : en anglais, aussi les mots du journal

vault-error-reply-unreadable = la réponse du serveur est illisible : { $reason }
vault-error-server = le serveur a répondu { $status } : { $message }
vault-error-bad-reply = réponse inattendue du serveur : { $reason }
vault-error-bad-address = adresse de serveur invalide { $address } (attendu : HOST:PORT, par exemple localhost:5000)
vault-error-file = { $path } : { $reason }
vault-hint-start-vault = le coffre tourne-t-il ? lancez-le avec : squirrel vault serve --demo
vault-hint-client-certificates = le client a besoin de certs/ca.crt, certs/client.crt et certs/client.key dans son --dir (le serveur du coffre les crée à son premier démarrage)
vault-hint-copy-ca = copiez le certs/ca.crt du coffre dans le dossier certs/ du client
vault-hint-401 = vérifiez le nom d'utilisateur et le mot de passe (SQUIRREL_PASSWORD), ou reconnectez-vous
vault-hint-404 = listez vos archives avec : squirrel vault list
vault-hint-413 = le serveur refuse les fichiers de cette taille (son --max-upload)
vault-hint-integrity = rien n'a été écrit ; téléchargez-la de nouveau, et si cela échoue encore, c'est que l'archive a été modifiée sur le serveur
vault-reason-not-utf8-name = ce n'est pas un nom de fichier en UTF-8
vault-reason-not-a-regular-file = ce n'est pas un fichier ordinaire
vault-reason-not-an-archive-name = ce n'est pas un nom d'archive (attendu : <file name>_<time>.enc, comme l'affiche `vault list`)
vault-reason-entry-differs = l'archive contient un fichier nommé { $name }, pas celui que dit son nom ; rien n'a été écrit

# Les messages connus du serveur (le `message` JSON de ses réponses), tels que le client les affiche.
vault-server-wrong-credentials = nom d'utilisateur ou mot de passe incorrect
vault-server-no-such-archive = cette archive n'existe pas
vault-server-no-session = cette session n'existe pas (expirée ou déconnectée) : reconnectez-vous
vault-server-log-in-first = connectez-vous d'abord : pas d'en-tête Authorization
vault-server-failed = le serveur n'a pas pu terminer la requête (voir son journal)
vault-server-disk-full = le disque du serveur est plein : rien n'a été stocké
vault-server-throttled = trop de connexions manquées pour cet utilisateur depuis votre adresse : réessayez dans { $seconds } s

## Les erreurs du coffre : archives, clés, utilisateurs, serveur, configuration, programme

vault-error-bad-file-name = nom de fichier refusé : { $reason }
vault-error-no-such-archive = cette archive n'existe pas
vault-error-integrity = l'archive n'a pas passé la vérification d'intégrité : elle a été modifiée, ou la clé (le mot de passe) est fausse
vault-error-not-a-zip = l'archive ne contient pas le ZIP attendu : { $reason }
vault-error-too-large = le fichier de l'archive dépasse { $bytes } octets
vault-error-storage = le stockage a échoué : { $reason }
vault-error-kdf-params = paramètres de dérivation de clé inutilisables : { $reason }
vault-error-bad-user-name = nom d'utilisateur { $name } refusé : utilisez de 1 à 64 lettres, chiffres, '.', '-' ou '_', sans commencer par '.'
vault-error-user-exists = l'utilisateur { $name } existe déjà (changez le mot de passe avec : squirrel vault passwd { $name })
vault-error-no-such-user = il n'y a pas d'utilisateur { $name }
vault-error-wrong-credentials = nom d'utilisateur ou mot de passe incorrect
vault-error-empty-password = le mot de passe est vide
vault-error-damaged = { $path } est endommagé : { $reason }
vault-error-cannot-use = impossible d'utiliser { $path } : { $reason }
vault-error-not-a-config = { $path } n'est pas une configuration de client squirrel : { $reason }
vault-error-not-a-schedule = { $path } n'est pas un programme d'envois : { $reason }
vault-error-scheduler-busy = un autre programmateur (PID { $pid }) tourne dans ce dossier
vault-error-not-scheduled = { $path } n'est pas dans le programme d'envois
vault-hint-scheduler-busy = attendez qu'il finisse, ou arrêtez-le ; si aucun programmateur ne tourne, supprimez { $path }
vault-hint-schedule-format = corrigez { $path } ou supprimez-le (il vous faudrait reprogrammer vos fichiers)
vault-hint-schedule-list = voyez les fichiers programmés avec : squirrel vault schedule list
vault-reason-not-utf8-path = le chemin n'est pas en UTF-8
vault-reason-refused-name = le coffre refuse ce nom : { $reason }
vault-error-ui-not-a-terminal = l'interface du terminal a besoin d'un terminal (l'entrée et la sortie standard n'en sont pas un)
vault-error-ui-terminal = terminal : { $reason }
vault-reason-name-not-utf8 = le nom du fichier n'est pas en UTF-8
vault-server-too-slow = la requête a mis trop de temps à arriver
vault-server-too-large = le fichier dépasse la limite de ce coffre, { $limit } (--max-upload)
vault-server-over-quota = cet envoi ferait dépasser à vos archives votre quota de { $quota } ({ $used } utilisés ; l'archive de ce fichier peut occuper { $need }) : demandez de la place au gardien du coffre
vault-server-disk-nearly-full = le disque du serveur est presque plein : cet envoi y laisserait moins de { $free } libres ; rien n'a été stocké

## vault ui : la fenêtre du terminal

vault-uploading = Envoi de
vault-downloading = Téléchargement de
vault-ui-title = Le coffre des Écureuils secrets
vault-ui-keys-input = Tab complète · Entrée confirme · Échap annule
vault-ui-keys-login = Tab/↓ champ suivant · Maj-Tab/↑ précédent · Espace coche « se souvenir de moi » · Entrée se connecter · Échap quitter
vault-ui-keys-archives = ↑↓ sélectionner · u envoyer · s programmer chaque jour · d/Entrée télécharger · r rafraîchir · q quitter
vault-ui-server-address = Adresse du serveur
vault-ui-port = Port
vault-ui-user-name = Nom d'utilisateur
vault-ui-password = Mot de passe
vault-ui-remember-me = Se souvenir de moi
vault-ui-store-password = garder le mot de passe dans { $path } (en clair, mode 0600)
vault-ui-log-in = Connexion
vault-ui-column-file = Fichier
vault-ui-column-last-upload = Dernier envoi
vault-ui-column-size = Taille
vault-ui-column-archive = Archive
vault-ui-column-next-due = Prochain envoi
vault-ui-column-path = Chemin
vault-ui-archives-none = Vos archives — aucune pour l'instant : appuyez sur u pour envoyer un fichier
vault-ui-archives-stale = Vos archives ({ $n }) — ⚠ envoi le plus récent vieux de plus de 24 h
vault-ui-archives = Vos archives ({ $n })
vault-ui-due-now = maintenant
vault-ui-daily-none = Envois quotidiens — aucun : appuyez sur s pour programmer un fichier
vault-ui-daily = Envois quotidiens
vault-ui-upload-title = Envoyer un fichier
vault-ui-schedule-title = Programmer l'envoi quotidien d'un fichier
vault-ui-path = Chemin :
vault-ui-login-status = Connexion : Tab passe d'un champ à l'autre, Espace coche « se souvenir de moi », Entrée vous connecte.
vault-ui-wait = patientez : { $task } en cours
vault-ui-enter-server = saisissez l'adresse du serveur
vault-ui-enter-user = saisissez votre nom d'utilisateur
vault-ui-enter-password = saisissez votre mot de passe
vault-ui-bad-port = le port est un nombre de 1 à 65535 (celui du coffre est 5000 par défaut)
vault-ui-logging-in = connexion à { $server }
vault-ui-refreshing = actualisation
vault-ui-downloading = téléchargement de { $archive }
vault-ui-uploading = envoi de { $path }
vault-ui-scheduling = programmation de { $path }
vault-ui-nothing-to-download = pas encore d'archive à télécharger : envoyez un fichier avec u
vault-ui-type-path = Tapez un chemin ; Tab le complète, Entrée confirme, Échap annule.
vault-ui-cancelled = Annulé.
vault-ui-path-needed = tapez le chemin d'un fichier (Échap annule)
vault-ui-logged-in = Connecté en tant que { $user } : { $count ->
        [one] { $count } archive
       *[other] { $count } archives
    }.
vault-ui-listed = { $count ->
        [one] { $count } archive
       *[other] { $count } archives
    } sur le serveur.
vault-ui-scheduled = { $path } programmé pour un envoi quotidien : le programmateur en arrière-plan l'envoie quand son tour vient.
vault-ui-pass-uploaded = { $name } envoyé sous le nom { $archive }
vault-ui-pass-unrecorded = { $name } envoyé sous le nom { $archive }, mais l'envoi n'a pas pu être enregistré : { $error }
vault-ui-pass-missing = { $name } est manquant
vault-ui-pass-failed = échec de { $name } : { $error }
vault-ui-pass = Envois programmés : { $parts }
vault-ui-failed = impossible de { $task } : { $error }
vault-ui-hint = (conseil : { $hint })
vault-ui-task-log-in = se connecter
vault-ui-task-list = lister les archives
vault-ui-task-upload = envoyer { $path }
vault-ui-task-schedule = programmer { $path }
vault-ui-task-download = télécharger { $archive }
vault-ui-not-logged-in = pas connecté
vault-ui-remembered-password = Retenu avec votre mot de passe dans { $path } (en clair, mode 0600).
vault-ui-remembered = Serveur et nom d'utilisateur retenus dans { $path } (pas le mot de passe).
vault-ui-cannot-save = Impossible d'enregistrer les réglages : { $reason }
vault-ui-scheduler-failed = Le programmateur n'a pas pu démarrer : { $reason }
vault-ui-scheduler-elsewhere = Les envois programmés sont laissés à l'autre programmateur : { $reason }
vault-ui-scheduler-took-over = Le programmateur a repris le verrou du processus { $pid }, qui ne tourne plus.
vault-ui-scheduler-error = Programmateur : { $reason }
vault-ui-waiting = Attente de la fin de la tâche ({ $task })…
vault-ui-worker-stopped = le worker s'est arrêté : quittez et relancez l'interface

## vault serve : les avertissements du démarrage (comme les StrictModes d'OpenSSH)

vault-warning-writable-by-everyone = { $path } est modifiable par tout le monde (mode { $mode }) : n'importe qui pourrait ajouter des membres ou remplacer des archives ; corrigez-le avec : chmod go-w { $path }
vault-warning-writable-by-group = { $path } est modifiable par son groupe (mode { $mode }) : ce groupe pourrait ajouter des membres ou remplacer des archives ; corrigez-le avec : chmod go-w { $path }
vault-warning-key-mode = la clé privée { $path } peut être lue ou modifiée par d'autres (mode { $mode }) ; corrigez-le avec : chmod 600 { $path }
vault-warning-record-ignored = { $path } : l'enregistrement { $name } est ignoré ({ $reason }) ; les autres membres fonctionnent
vault-ui-transfer = { $verb } { $name } : { $done } / { $total }

# La règle que viole un nom de fichier, d'archive ou d'utilisateur
# (vault::archive::NameRule) ; les mots anglais vont aussi dans le message JSON du 400.
vault-name-empty = le nom est vide
vault-name-dots = le nom est . ou ..
vault-name-slash = le nom contient / ou \
vault-name-control = le nom contient des caractères de contrôle
vault-name-too-long = le nom dépasse { $max } octets
vault-name-deceptive = le nom contient des caractères invisibles ou trompeurs (contrôles bidirectionnels, caractères de largeur nulle, séparateurs de ligne, une fausse barre oblique)
vault-name-temp-prefix = les noms qui commencent par .tmp- sont réservés aux fichiers temporaires du coffre
vault-name-not-nfc = le nom n'est pas en forme Unicode NFC (normalisez-le d'abord)
vault-name-not-archive = ce n'est pas un nom d'archive (attendu : <file name>_<time>.enc)
vault-name-not-user = ce n'est pas un nom d'utilisateur valable
vault-name-nul-in-data-path = le chemin du dossier de données contient un octet NUL
vault-name-too-many-in-one-second = trop d'envois de ce nom dans la même seconde
