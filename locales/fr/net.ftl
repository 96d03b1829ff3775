# La connexion TCP que tout client ouvre d'abord (src/net.rs). La raison après les deux
# points est celle du système d'exploitation, dans ses propres mots.

net-cannot-connect = impossible de se connecter à { $addr } : { $reason }

# La socket que tout serveur ouvre d'abord (leçons, tap, coffre, chat).
net-cannot-listen = impossible d'écouter sur { $addr } : { $reason }
