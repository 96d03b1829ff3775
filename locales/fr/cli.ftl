# Ce que la ligne de commande imprime autour des mots de chaque commande : les étiquettes
# de l'échec en une ligne (`erreur : …`, `conseil : …`).

cli-error = erreur : { $message }
cli-hint = conseil : { $hint }
