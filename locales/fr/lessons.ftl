# Les leçons : `squirrel lessons`, les mots du tableau des leçons (les noms et titres des
# étapes de la visite viennent aussi d'ici), ce qu'affiche le client de chaque leçon quand
# tout va bien, et pourquoi il a échoué (LessonError, src/lessons/mod.rs).

## squirrel lessons

lessons-intro = Les Écureuils secrets protègent `fluffy tail`, étape par étape :
lessons-try = essayez : { $command }
lessons-read = lisez :   { $path }
lessons-test = testez :  { $command }
lessons-hint = conseil : { $hint }
lessons-try-then = { $first }   (puis : { $then })
lessons-aliases = La commande de chaque leçon répond aussi à son numéro : `squirrel 3 keygen` équivaut à `squirrel fernet keygen`.

## Le tableau des leçons : le nom court de chaque leçon (le titre de son étape dans la
## visite), son titre (celui du texte de la leçon) et son conseil

lessons-01-name = HTTP en clair
lessons-01-title = HTTP en clair : quiconque est sur le chemin lit `fluffy tail`
lessons-01-hint = capturez sur l'interface de bouclage avec le filtre `port 5683`, puis Décoder Comme (Decode As) TCP 5683 → HTTP (Wireshark devine CoAP)
lessons-02-name = Un chiffrement par substitution
lessons-02-title = Un chiffrement par substitution, un chat qui n'enregistre que du texte chiffré, et comment l'analyse fréquentielle le casse
lessons-02-hint = --shift N recule chaque lettre de N rangs : avec 1, f devient e
lessons-03-name = Fernet
lessons-03-title = Fernet : un vrai chiffrement, et le problème de la clé partagée
lessons-03-hint = le serveur et le client ont besoin de la même SECRET_KEY
lessons-04-name = L'échange de clés
lessons-04-title = Échange de clés : se mettre d'accord sur une clé en public, et l'homme du milieu
lessons-04-hint = les nombres du jouet sont minuscules exprès : les vrais groupes font 255 bits ou plus
lessons-05-name = Une autorité de certification
lessons-05-title = Devenir une autorité de certification : CSR, signature, chaîne de confiance
lessons-05-hint = les fichiers vont dans certs/ ; rien n'est écrasé sans --force
lessons-06-name = HTTPS
lessons-06-title = HTTPS : le serveur HTTP en clair derrière TLS
lessons-06-hint = le client doit faire confiance à la CA : passez --cacert certs/ca.crt
lessons-07-name = TLS mutuel
lessons-07-title = TLS mutuel : le serveur demande lui aussi un certificat
lessons-07-hint = créez le certificat client avec : squirrel ca issue --name client --client
lessons-08-name = Le coffre de fichiers
lessons-08-title = Le coffre de fichiers : tout ensemble
lessons-08-hint = le client trouve ses certificats dans ./certs (--dir pour en changer)
lessons-09-name = Le chat dans le navigateur
lessons-09-title = Le chat dans le navigateur : le chiffrement de bout en bout, et un serveur menteur démasqué
lessons-09-hint = crypto.subtle demande un contexte sécurisé : ouvrez la page en https://, la CA reconnue comme fiable
lessons-09-then = squirrel ca install, puis ouvrez https://localhost:5683/ et https://127.0.0.1:5683/

## Ce qu'affiche le client d'une leçon

lessons-secret-message = Le message secret est : { $secret }

## Pourquoi le client d'une leçon a échoué

lessons-error-scheme = cette leçon parle { $expected }, pas { $got } : utilisez { $expected }://{ $authority }/
lessons-error-status = le serveur a répondu { $status }
lessons-error-status-message = le serveur a répondu { $status } : { $message }
lessons-reply-not-utf8 = la réponse n'est pas du texte UTF-8
