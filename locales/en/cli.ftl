# What the command line itself prints, around every command's own words: the labels of
# the one-line failure (`error: …`, `hint: …`).

cli-error = error: { $message }
cli-hint = hint: { $hint }
