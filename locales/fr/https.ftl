# Leçon 06, `squirrel https …` (src/cli/https.rs, src/lessons/l06_https.rs) : le secret
# obtenu, les conseils après une poignée de main ratée, les fichiers que le serveur n'a
# pas pu utiliser.

https-secret = Le message secret est : { $secret }
https-hint-pass-cacert = passez --cacert certs/ca.crt (c'est la CA des écureuils qui a signé le certificat du serveur, et votre système ne la connaît pas)
https-hint-ca-made-again = la CA a-t-elle été refaite (ca init --force) après le certificat du serveur ? délivrez-le de nouveau : squirrel ca issue --name server --server --force, puis redémarrez le serveur
https-hint-other-ca = passez la CA qui a signé le certificat du serveur, par exemple --cacert { $ca }
https-hint-not-tls = est-ce un serveur HTTP en clair (leçons 01 à 03) ? essayez : squirrel plain-http fetch --url { $url }
https-cannot-read-certificate = impossible de lire le certificat { $path } : { $reason }
https-cannot-read-key = impossible de lire la clé privée { $path } : { $reason }
https-cannot-read-ca-certificate = impossible de lire le certificat de CA { $path } : { $reason }
https-cannot-use-pair = impossible d'utiliser { $cert } avec { $key } : { $reason }
https-setup-failed = la préparation de TLS a échoué : { $reason }
https-not-a-pem-certificate = { $path } n'est pas un certificat PEM : { $reason }
