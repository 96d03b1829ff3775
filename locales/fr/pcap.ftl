# Les fichiers de capture (src/pcap.rs) : ce qui est dit quand l'un d'eux ne peut pas être
# écrit, ou que le journal de clés TLS ne peut pas être lu. La raison est celle du système
# d'exploitation, dans ses propres mots.

pcap-cannot-write = impossible d'écrire { $path } : { $reason }
pcap-cannot-read-key-log = impossible de lire le journal de clés { $path } : { $reason }
