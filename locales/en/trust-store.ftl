# Trust stores (src/trust_store.rs, `squirrel ca install`, `ca uninstall`, and the trust
# stores lines of `ca inspect`): where our CA is trusted, what changed, why a store was
# left alone. Store commands' own complaints (certutil's…) stay as they are.

trust-store-ca = "{ $name }" (SHA-256 { $fingerprint }, valid until { $until })
trust-store-chromium = Chromium (NSS)
trust-store-chromium-snap = Chromium snap (NSS)
trust-store-firefox = Firefox profile { $profile } (NSS)
trust-store-nss = Chromium and Firefox (NSS)
trust-store-system = the system store
trust-store-keychain = the System keychain

## ca install, ca uninstall

trust-store-installed = Installed { $ca } in { $place }
trust-store-already-installed = Already installed: { $ca } in { $place }
trust-store-removed = Removed { $ca } from { $place }
trust-store-not-installed = Not installed, nothing to remove: { $place }
trust-store-skipped = Skipped { $place }: { $reason }
trust-store-installed-next = Browsers started from now on trust what this CA signs (restart a running Chromium or Firefox); remove it with: { $command }
trust-store-uninstalled-next = The files stay: { $path } still works where it is given by hand (--cacert).
trust-store-in-no-store = { $ca } is in no trust store yet
trust-store-hint-in-no-store = see the lines above: install NSS's certutil, or run as root (sudo squirrel ca install)
trust-store-install-incomplete = install did not change every store
trust-store-uninstall-incomplete = uninstall did not change every store

## Why a store was left alone, and what to do

trust-store-skip-no-certutil = certutil is missing (install it: { $command })
trust-store-skip-needs-root = changing it needs root (run: sudo squirrel ca { $action }; or TRUST_STORES=nss to leave it alone)
trust-store-skip-windows = Windows: import ca.crt by hand: certutil -addstore -f ROOT certs\ca.crt in an administrator prompt, or double-click ca.crt → Install Certificate → Local Machine → Trusted Root Certification Authorities
trust-store-skip-no-system-store = no system store found that squirrel knows (Debian/Ubuntu's update-ca-certificates, Fedora's update-ca-trust, macOS's keychain)

## Why a store could not be read or changed

trust-store-failed-no-database = no cert9.db there
trust-store-failed-make = cannot make { $path }: { $reason }
trust-store-failed-write = cannot write { $path }: { $reason }
trust-store-failed-remove = cannot remove { $path }: { $reason }
trust-store-failed-run = cannot run { $program }: { $reason }
trust-store-failed-command = { $program } failed ({ $status }): { $reason }

## ca inspect, for a CA: where it is trusted

trust-store-state = { $store } { $location }: { $state }
trust-store-state-skipped = { $store }: { $reason }
trust-store-state-installed = installed
trust-store-state-not-installed = not installed
trust-store-state-unknown = cannot tell: { $reason }
trust-store-trust-it-here = (trust it here with: squirrel ca install)

## Errors

trust-store-error-not-a-ca = { $path } is not a CA certificate (basicConstraints CA:FALSE): install the CA, ca.crt
trust-store-error-unknown-store = TRUST_STORES names an unknown store { $name } (known: nss, system)
trust-store-hint-unknown-store = TRUST_STORES=nss,system, or unset it for both
