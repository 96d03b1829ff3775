# Les magasins de confiance (src/trust_store.rs, `squirrel ca install`, `ca uninstall`,
# et les lignes des magasins de `ca inspect`) : où notre CA est reconnue, ce qui a changé,
# pourquoi un magasin a été laissé de côté. Les plaintes des commandes des magasins
# (celles de certutil…) restent telles quelles.

trust-store-ca = « { $name } » (SHA-256 { $fingerprint }, valable jusqu'au { $until })
trust-store-chromium = Chromium (NSS)
trust-store-chromium-snap = Chromium en snap (NSS)
trust-store-firefox = profil Firefox { $profile } (NSS)
trust-store-nss = Chromium et Firefox (NSS)
trust-store-system = le magasin du système
trust-store-keychain = le trousseau Système

## ca install, ca uninstall

trust-store-installed = CA { $ca } installée dans { $place }
trust-store-already-installed = Déjà installée : CA { $ca } dans { $place }
trust-store-removed = CA { $ca } retirée de { $place }
trust-store-not-installed = Pas installée, rien à retirer : { $place }
trust-store-skipped = Laissé de côté : { $place }, car { $reason }
trust-store-installed-next = Les navigateurs lancés désormais font confiance à ce que signe cette CA (redémarrez un Chromium ou un Firefox déjà ouvert) ; retirez-la avec : { $command }
trust-store-uninstalled-next = Les fichiers restent : { $path } fonctionne toujours là où on le donne à la main (--cacert).
trust-store-in-no-store = la CA { $ca } n'est encore dans aucun magasin de confiance
trust-store-hint-in-no-store = voyez les lignes ci-dessus : installez le certutil de NSS, ou lancez la commande en root (sudo squirrel ca install)
trust-store-install-incomplete = install n'a pas modifié tous les magasins
trust-store-uninstall-incomplete = uninstall n'a pas modifié tous les magasins

## Pourquoi un magasin a été laissé de côté, et que faire

trust-store-skip-no-certutil = certutil est absent (installez-le : { $command })
trust-store-skip-needs-root = il faut être root pour le modifier (lancez : sudo squirrel ca { $action } ; ou TRUST_STORES=nss pour le laisser tel quel)
trust-store-skip-windows = Windows : importez ca.crt à la main : certutil -addstore -f ROOT certs\ca.crt dans une invite de commandes administrateur, ou double-cliquez sur ca.crt → Installer le certificat → Ordinateur local → Autorités de certification racines de confiance
trust-store-skip-no-system-store = aucun magasin du système que squirrel connaisse n'a été trouvé (update-ca-certificates de Debian et Ubuntu, update-ca-trust de Fedora, le trousseau de macOS)

## Pourquoi un magasin n'a pas pu être lu ou modifié

trust-store-failed-no-database = pas de cert9.db à cet endroit
trust-store-failed-make = impossible de créer { $path } : { $reason }
trust-store-failed-write = impossible d'écrire { $path } : { $reason }
trust-store-failed-remove = impossible de supprimer { $path } : { $reason }
trust-store-failed-run = impossible de lancer { $program } : { $reason }
trust-store-failed-command = { $program } a échoué ({ $status }) : { $reason }

## ca inspect, pour une CA : où elle est reconnue

trust-store-state = { $store } { $location } : { $state }
trust-store-state-skipped = { $store } : { $reason }
trust-store-state-installed = installée
trust-store-state-not-installed = pas installée
trust-store-state-unknown = impossible à dire : { $reason }
trust-store-trust-it-here = (pour lui faire confiance ici : squirrel ca install)

## Erreurs

trust-store-error-not-a-ca = { $path } n'est pas un certificat de CA (basicConstraints CA:FALSE) : installez la CA, ca.crt
trust-store-error-unknown-store = TRUST_STORES nomme un magasin inconnu, { $name } (connus : nss, system)
trust-store-hint-unknown-store = TRUST_STORES=nss,system, ou supprimez la variable pour avoir les deux
