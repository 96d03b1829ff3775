# Lesson 05, `squirrel ca …` and the PKI behind it (src/cli/ca.rs, src/pki/): what each
# step made, a certificate in plain words (`ca inspect`), the checks of `ca verify`, the
# errors and their hints. Paths, commands, flags, X.509 field names (subjectAltName,
# keyUsage…) and OpenSSL's own words stay as they are.

## What a step made (ca init, csr, sign, issue)

ca-created-ca = Created the CA { $name } ({ $files }) — valid until { $until }
ca-created = Created { $file } for { $names } — valid until { $until } — signed by { $issuer }
ca-created-certificate = certificate: { $path }
ca-created-key = key:         { $path } (secret)
ca-created-request = request:     { $path }
ca-created-p12 = for browsers: { $path } (secret: key and certificate)
ca-created-p12-password = The p12 password is: { $password } (shown only once)
ca-next-init = Next: { $command } (and --client for mutual TLS)
ca-csr-created = Created the request { $csr } for { $names }, and its key { $key } (secret: it never leaves this folder)
ca-next-sign = Next: the CA signs it: { $command }
ca-warning-tutorial-way = { $path } made the tutorial's way: strict verifiers refuse it; for the lesson only
ca-warning-unencrypted-key = { $path } is not encrypted: anyone who can read it can make certificates your machines trust (encrypt it with --passphrase-env VAR)
ca-warning-no-host = { $path } names no host (no subjectAltName): its name is only in the CN, which browsers and other modern clients ignore
ca-warning-outlives-ca = the certificate would outlive the CA, so it ends with the CA on { $date }

## A certificate in plain words (ca inspect): the values start one column after the
## longest label

ca-inspect-sentence = From { $from } to { $to }, I am { $subject } according to { $issuer }.
ca-inspect-sentence-self-signed = From { $from } to { $to }, I am { $subject } according to { $issuer } (myself: self-signed).
ca-inspect-names = Names (SAN):
ca-inspect-key = Key:
ca-inspect-key-usage = Key usage:
ca-inspect-extended-key-usage = Extended key usage:
ca-inspect-ca = CA:
ca-inspect-serial = Serial:
ca-inspect-fingerprint = SHA-256 fingerprint:
ca-inspect-trust-stores = Trust stores:
ca-inspect-none = (none)
ca-inspect-any = (no extension: any)
ca-inspect-ca-yes = yes, it may sign certificates
ca-inspect-ca-pathlen-zero = yes, it may sign certificates (pathlen 0: no intermediate CAs)
ca-inspect-ca-pathlen = yes, it may sign certificates (pathlen { $pathlen })
ca-inspect-ca-no = no

## The checks of ca verify. $which: leaf (the certificate checked) or ca; $role: server
## or client

ca-verify-header = { $cert } ({ $subject }) against { $ca }:
ca-verify-ok = ok
ca-verify-fail = FAIL
ca-verify-signed = signed by this CA: { $ca } (strict X.509 rules)
ca-verify-signed-classic-only = signed by this CA: { $ca } (classic rules only: the strict ones, which openssl verify -x509_strict and Python 3.13 apply, fail below)
ca-verify-key-differs = not signed by this CA: it names { $ca } as its issuer, but another key signed it (that CA was made again, e.g. with ca init --force, or elsewhere)
ca-verify-other-issuer = not signed by this CA: its issuer is { $issuer }, this CA is { $ca }
ca-verify-self-signed = not signed by this CA: it is self-signed, and this CA is { $ca }
ca-verify-signature-mismatch = not signed by this CA: the signature does not match { $ca }'s key (another CA with the same name, or an altered certificate)
ca-verify-ca-never-says-ca = the CA certificate never says it is a CA: it has no basicConstraints CA:TRUE (RFC 5280 §4.2.1.9)
ca-verify-ca-not-ca = the CA certificate is not a CA (basicConstraints CA:FALSE)
ca-verify-ca-no-key-cert-sign = the CA certificate's keyUsage does not allow signing certificates (keyCertSign)
ca-verify-path-length = the chain is longer than the CA's pathlen allows
ca-verify-no-authority-key-id = { $which ->
    [leaf] this certificate
   *[ca] the CA certificate
} breaks the strict X.509 rules: no authorityKeyIdentifier (RFC 5280 §4.2.1.1; Python 3.13 refuses it too)
ca-verify-no-subject-key-id = { $which ->
    [leaf] this certificate
   *[ca] the CA certificate
} breaks the strict X.509 rules: no subjectKeyIdentifier (RFC 5280 §4.2.1.2; Python 3.13 refuses it too)
ca-verify-ca-no-key-usage = the CA certificate breaks the strict X.509 rules: no keyUsage (RFC 5280 §4.2.1.3)
ca-verify-ca-constraints-not-critical = the CA certificate breaks the strict X.509 rules: basicConstraints is not critical (RFC 5280 §4.2.1.9)
ca-verify-empty-san = { $which ->
    [leaf] this certificate
   *[ca] the CA certificate
} breaks the strict X.509 rules: an empty subjectAltName
ca-verify-explicit-curve = { $which ->
    [leaf] this certificate
   *[ca] the CA certificate
} breaks the strict X.509 rules: its EC key spells out the curve instead of naming it
ca-verify-other-chain-failure = { $which ->
    [leaf] this certificate
   *[ca] the CA certificate
} fails the chain check: { $reason } (OpenSSL verify error { $code })
ca-verify-strict-rule = strict X.509 rule broken: { $rule }
ca-verify-rule-no-authority-key-id = this certificate has no authorityKeyIdentifier, the pointer to the CA key that signed it (RFC 5280 §4.2.1.1)
ca-verify-rule-ca-no-basic-constraints = the CA certificate has no basicConstraints, so it never says it is a CA (RFC 5280 §4.2.1.9)
ca-verify-rule-ca-constraints-not-critical = the CA certificate's basicConstraints is not marked critical (RFC 5280 §4.2.1.9)
ca-verify-rule-ca-no-key-usage = the CA certificate has no keyUsage saying it may sign certificates (keyCertSign, RFC 5280 §4.2.1.3)
ca-verify-rule-ca-no-subject-key-id = the CA certificate has no subjectKeyIdentifier, the name its certificates' authorityKeyIdentifier points to (RFC 5280 §4.2.1.2)
ca-verify-not-yet-valid = not valid yet: it starts on { $date }
ca-verify-expired = expired on { $date }
ca-verify-ca-not-yet-valid = the CA is not valid yet: it starts on { $date }
ca-verify-ca-expired = the CA expired on { $date }
ca-verify-valid = dates: valid from { $from } until { $until }
ca-verify-any-usage = any
ca-verify-may-be = usage: may be { $role ->
    [server] a TLS server
   *[client] a TLS client
} (extended key usage: { $allowed })
ca-verify-not-for = wrong usage: not for { $role ->
    [server] a TLS server
   *[client] a TLS client
} (extended key usage: { $allowed })
ca-verify-wrong-usage = wrong usage for { $role ->
    [server] a TLS server
   *[client] a TLS client
}: { $reason }
ca-verify-names = names: { $names } (subjectAltName: the host a client connects to must be one of them)
ca-verify-no-host-in-san = its subjectAltName names no host name or IP address, so no TLS client can match it
ca-verify-no-san = no subjectAltName: the name { $cn } is only in the CN, which browsers and other modern clients ignore (RFC 9525), so they find no host name in it

## Hints

ca-hint-chain = check that --dir holds the CA that signed it (now: { $ca })
ca-hint-strict = make it the modern way, without --tutorial-compat: { $issue } (if the CA breaks a rule, first: { $init })
ca-hint-names = issue it with the names clients use: { $command }
ca-hint-dates = make a new one: { $command }
ca-hint-usage = issue a certificate for that role: squirrel ca issue --server|--client
ca-hint-wrong-passphrase = check the variable named by --passphrase-env
ca-hint-too-many-days = use --days { $max } or fewer (the default is { $default })
ca-hint-env-not-set = set it for the command: { $var }=… squirrel ca …
ca-hint-make-ca-first = make the CA first: squirrel ca init (or pass --dir DIR)

## Errors

ca-error-verify = { $path }: { $finding }
ca-error-env-not-set = the environment variable { $var } is not set ({ $option } names the variable that holds the secret)
ca-error-env-not-utf8 = the environment variable { $var } is not valid UTF-8
ca-error-no-home = HOME is not set: cannot find the browsers' certificate databases
ca-error-json = cannot write the summary as JSON: { $reason }
ca-error-exists = { $path } already exists (pass --force to replace it)
ca-error-ca-missing = cannot read { $path }: { $reason } (run: { $command })
ca-error-read = cannot read { $path }: { $reason }
ca-error-write = cannot write { $path }: { $reason }
ca-error-not-a-certificate = { $origin } is not a certificate: { $found }
ca-error-not-a-csr = { $path } is not a certificate signing request (CSR): { $found }
ca-found-private-key = it holds a private key (keep it secret)
ca-found-csr = it holds a certificate signing request (CSR)
ca-found-certificate = it holds a certificate
ca-found-other-pem = it holds a PEM block labelled { $label }
ca-found-not-pem-or-der = it is neither a PEM nor a DER certificate
ca-found-unparsable = it cannot be parsed
ca-error-not-a-key = { $path } is not a PEM private key
ca-error-passphrase-needed = { $path } is encrypted: give its passphrase (--passphrase-env VAR)
ca-error-wrong-passphrase = wrong passphrase for { $path }
ca-error-empty-passphrase = the CA passphrase is empty: choose one, or give none to leave ca.key unencrypted
ca-error-bad-p12-password = the .p12 password contains a NUL byte
ca-error-key-mismatch = { $key } does not belong to { $cert }: they are not one key pair
ca-error-not-a-ca = { $path } is not a CA certificate (basicConstraints CA:FALSE): it cannot sign others
ca-error-ca-without-key-id = { $path } has no subjectKeyIdentifier, so the certificates it signs could not name it (make a new CA: squirrel ca init --force; or sign the tutorial's way with --tutorial-compat)
ca-error-bad-csr-signature = the CSR { $path } is not signed by its own key: it was altered or is corrupt
ca-error-csr-without-cn = the CSR { $path } names no one: its subject has no CN
ca-error-no-server-names = the CSR { $path } asks for no names (subjectAltName), and a server certificate needs at least one (make it with: squirrel ca csr --server)
ca-error-unsupported-name = the CSR { $path } asks for the name { $name }; this CA signs only DNS names and IP addresses
ca-error-too-many-days = { $days } days is too long: a certificate may last at most { $max } days (Apple refuses longer ones)
ca-error-zero-days = a certificate must last at least 1 day
ca-error-bad-name = { $name } cannot name a certificate: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.', and not "ca"
ca-error-bad-dns-name = { $name } is not a DNS name: use letters, digits, '-' and '.' (optionally '*.' first)
ca-error-partial-pki = { $dir } holds only part of a PKI: { $missing } missing, while { $present } exist (move the folder aside to start afresh)
ca-error-bad-date = { $origin } has a date that cannot be read
ca-error-openssl = OpenSSL failed while { $doing }: { $reason }

## What the PKI was doing when OpenSSL failed (ca-error-openssl)

ca-step-adding-the-requested-names = adding the requested names
ca-step-reading-the-request-key = reading the request's key
ca-step-bundling-the-p12 = bundling the .p12
ca-step-verifying-the-chain = verifying the chain
ca-step-starting-the-request = starting the request
ca-step-reading-the-request-names = reading the request's names
ca-step-reading-basicconstraints = reading basicConstraints
ca-step-reading-a-date = reading a date
ca-step-naming-the-request = naming the request
ca-step-generating-an-rsa-key = generating an RSA key
ca-step-generating-a-p256-key = generating a P-256 key
ca-step-encoding-the-request = encoding the request
ca-step-encoding-the-key = encoding the key
ca-step-reading-the-ca-certificate = reading the CA certificate
ca-step-verifying-the-usage = verifying the usage
ca-step-signing-the-request = signing the request
ca-step-signing-the-certificate = signing the certificate
ca-step-reading-the-serial-number = reading the serial number
ca-step-reading-the-public-key = reading the public key
ca-step-reading-the-extensions = reading the extensions
ca-step-reading-the-ca-public-key = reading the CA's public key
ca-step-reading-the-ca-basicconstraints = reading the CA's basicConstraints
ca-step-naming-the-ca = naming the CA
ca-step-making-the-ca-certificate = making the CA certificate
ca-step-making-a-password = making a password
ca-step-hashing-the-certificate = hashing the certificate
ca-step-encrypting-the-ca-key = encrypting the CA key
ca-step-encoding-the-certificate = encoding the certificate
ca-step-encoding-the-ca-key = encoding the CA key
ca-step-encoding-the-ca-certificate = encoding the CA certificate
ca-step-encoding-the-p12 = encoding the .p12
ca-step-dating-the-certificate = dating the certificate
ca-step-dating-the-ca = dating the CA
ca-step-choosing-the-p256-curve = choosing the P-256 curve
ca-step-adding-the-public-key = adding the public key

