# What the command line itself prints, around every command's own words: the labels of
# the one-line failure (`error: …`, `hint: …`).

cli-error = error: { $message }
cli-hint = hint: { $hint }

# Ctrl-C and the lesson servers' address (src/cli/mod.rs).
cli-signals-failed = cannot handle Ctrl-C: { $reason }
cli-listen-in-use-hint = another server uses this port: stop it (Ctrl-C), or pass --addr 127.0.0.1:OTHERPORT
cli-listen-privileged-hint = ports below 1024 need root: pass --addr 127.0.0.1:5683
cli-listen-other-hint = give HOST:PORT with an address of this machine, e.g. --addr 127.0.0.1:5683
cli-bound-address-failed = cannot read the bound address: { $reason }
cli-port-missing = give HOST:PORT, with a port
cli-port-missing-hint = pass { $option } 127.0.0.1:5683
cli-port-out-of-range = the port { $port } is out of range (a TCP port is a number from 1 to 65535)
cli-port-not-a-number = the port { $port } is not a number
cli-port-hint = pass { $option } { $host }:5683, or another port from 1 to 65535
cli-serving = { $lesson }: serving { $url } — stop with Ctrl-C.
cli-server-stopped = the server stopped: { $reason }

# Hints after a lesson's client failed.
cli-server-not-running-hint = is the lesson's server running? start it in another terminal with `serve`
cli-make-certs-hint = make them with: { $init } && { $server } && { $client }
cli-make-cert-hint = make it with: { $command }
cli-use-sibling-key-hint = use the key made with it: --cert { $cert } --key { $key }
cli-make-new-cert-hint = make a new certificate and key together: { $command }

# A warning: the command goes on (ca, vault serve, web-chat serve).
cli-warning = warning: { $warning }
