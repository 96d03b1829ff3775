# The file vault on the command line (squirrel vault …, lesson 08): what the server
# prints on start, the client's commands, the daily uploads, and their errors and hints.
# The server's log lines and the JSON messages of its replies stay English.

vault-and = and
vault-or = or

## vault serve, adduser, passwd

vault-demo-added = Added the demo users { $users }.
vault-demo-warning = DEMO MODE: anyone can log in as { $logins } — never keep real files in a demo vault
vault-listening = The vault is listening on https://{ $addr } ({ $workers ->
        [one] { $workers } worker
       *[other] { $workers } workers
    }; data in { $data }, certificates in { $certs }).
vault-no-users = No users yet: add one with `squirrel vault adduser NAME`, or restart with --demo.
vault-users = Users: { $users }. Clients need a certificate signed by { $ca }.
vault-try = Try, in another terminal:
vault-stop = Stop it with Ctrl-C.
vault-hint-port = another program uses this port: pick another with --port
vault-hint-certificates = move the certificate folder aside to have the vault make a new development CA
vault-cannot-read-password = cannot read a password: { $reason }
vault-hint-password-env = set { $var } to give the password without a prompt
vault-prompt-new-password = New password for { $user }:
vault-prompt-repeat = Repeat it:
vault-prompt-current-password = Current password for { $user }:
vault-prompt-password = Password for { $user }@{ $server }:
vault-passwords-differ = the two passwords differ; nothing was changed
vault-password-too-short = the password has { $length ->
        [one] { $length } character
       *[other] { $length } characters
    }: at least { $min } are needed; nothing was changed
vault-hint-longer-password = choose a longer one (a few words make a good one); for a class demo only: --allow-short-password
vault-user-exists = the user { $name } already exists
vault-hint-passwd = change the password with: squirrel vault passwd { $name }
vault-user-added = Added { $name } to { $path }.
vault-no-such-user-in = there is no user { $name } in { $path }
vault-hint-adduser = add it with: squirrel vault adduser { $name }
vault-password-changed = Changed the password of { $name } and re-encrypted { $count ->
        [one] { $count } archive
       *[other] { $count } archives
    } with the new key.

## vault login, logout, upload, list, download, ui

vault-uploaded = Uploaded { $file } as { $archive }
vault-downloaded = Downloaded { $archive } → { $path }
vault-no-user-name = no user name given
vault-hint-user = pass --user NAME, or remember it with: squirrel vault login --user NAME --remember (the demo vault has user1 and user2)
vault-hint-config = fix { $path } or remove it with: squirrel vault logout --forget
vault-logged-in = Logged in to { $server } as { $user }: your password works.
vault-remembered-password = Remembered the server, your user name and your password in { $path }: later commands need no --server, --user or password.
vault-password-in-clear = your password is stored in clear in { $path } (readable only by you, mode 0600): anyone who can read your files can log in as you. Forget it with: squirrel vault logout --forget
vault-remembered = Remembered the server and your user name in { $path } (not your password: add --remember for that).
vault-password-removed = The password remembered before was removed.
vault-nothing-to-log-out = Nothing to log out: every command logs in and out by itself, so no session outlives it.
vault-config-remembers = { $path } remembers { $who }; remove it with: squirrel vault logout --forget
vault-config-remembers-password = { $path } remembers { $who } and the password; remove it with: squirrel vault logout --forget
vault-forgot = Forgot the remembered server, user name and password (removed { $path }).
vault-nothing-remembered = Nothing was remembered (no { $path }).
vault-unix-time = { $seconds } (unix time)
vault-no-archives = No archives yet. Upload one with: squirrel vault upload FILE
vault-column-file = FILE
vault-column-uploaded = UPLOADED
vault-column-size = SIZE
vault-column-archive = ARCHIVE
vault-stale-note = ⚠ the newest upload of this file is over 24 h old (schedule it with: squirrel vault schedule add FILE)
vault-hint-ui-terminal = run it in a terminal, or use the commands: squirrel vault login, list, upload, schedule, download

## vault schedule

vault-scheduled = Scheduled { $path } for daily upload (first upload at the next `squirrel vault schedule run`).
vault-already-scheduled = { $path } was already scheduled.
vault-unscheduled = Removed { $path } from the schedule (the file itself is untouched).
vault-nothing-scheduled = Nothing is scheduled. Add a file with: squirrel vault schedule add FILE
vault-column-last-upload = LAST UPLOAD
vault-column-next-due = NEXT DUE
vault-missing-mark = (missing)
vault-never = never
vault-now = now
vault-pass-uploaded = Uploaded { $path } as { $archive }
vault-pass-unrecorded = Uploaded { $path } as { $archive }, but could not record it ({ $error }): it will be uploaded again
vault-pass-not-due = Not due: { $path } (next upload after { $next })
vault-pass-missing = Missing: { $path } — kept in the schedule, tried again at the next pass
vault-pass-failed = Failed: { $path }: { $error }
vault-pass-skipped = Skipped: { $path } (an earlier upload of this pass failed the same way)
vault-took-over-lock = Took over the lock of process { $pid }, which is no longer running (it was stopped before it could clean up): { $path }
vault-pass-failures = { $failed } of { $total } scheduled files could not be uploaded (see above)
vault-schedule-running = Uploading { $count ->
        [one] { $count } scheduled file
       *[other] { $count } scheduled files
    } to { $server } as { $user } when due, checking every { $every } s. Stop with Ctrl-C.
vault-stopped = Stopped.
vault-cannot-find-program = cannot find the squirrel program: { $reason }
vault-cron-intro = Scheduled uploads without a terminal: run one pass every 15 minutes; each file
vault-cron-intro-2 = goes up once its last upload is 24 h old. The job cannot type a password:
vault-cron-intro-3 = remember it first with `squirrel vault login --remember` (in { $dir }).
vault-cron-crontab = cron — `crontab -e`, then add this line:
vault-cron-service = systemd — save as ~/.config/systemd/user/squirrel-upload.service:
vault-cron-timer = … and as ~/.config/systemd/user/squirrel-upload.timer:
vault-cron-enable = then: systemctl --user daemon-reload && systemctl --user enable --now squirrel-upload.timer
vault-cron-journal = (see its runs with: journalctl --user -u squirrel-upload)

## The client's errors and hints (ClientError): in English, also the log's words

vault-error-reply-unreadable = the server's reply could not be read: { $reason }
vault-error-server = the server answered { $status }: { $message }
vault-error-bad-reply = unexpected reply from the server: { $reason }
vault-error-bad-address = bad server address { $address } (expected HOST:PORT, e.g. localhost:5000)
vault-error-file = { $path }: { $reason }
vault-hint-start-vault = is the vault running? start it with: squirrel vault serve --demo
vault-hint-client-certificates = the client needs certs/ca.crt, certs/client.crt and certs/client.key in its --dir (the vault server makes them on first start)
vault-hint-copy-ca = copy the vault's certs/ca.crt into the client's certs/ folder
vault-hint-401 = check the user name and password (SQUIRREL_PASSWORD), or log in again
vault-hint-404 = list your archives with: squirrel vault list
vault-hint-413 = the server refuses files this large (its --max-upload)
vault-hint-integrity = nothing was written; download it again, and if it fails again the archive on the server was changed
vault-reason-not-utf8-name = not a file name in UTF-8
vault-reason-not-a-regular-file = not a regular file
vault-reason-not-an-archive-name = not an archive name (expected <file name>_<time>.enc, as `vault list` shows)
vault-reason-entry-differs = the archive holds a file named { $name }, not the one its name says; nothing was written

# The server's known messages (the JSON `message` of its replies), as the client shows them.
vault-server-wrong-credentials = wrong user name or password
vault-server-no-such-archive = no such archive
vault-server-no-session = no such session (expired or logged out): log in again
vault-server-log-in-first = log in first: no Authorization header
vault-server-failed = the server could not complete the request (see its log)
vault-server-disk-full = the server's disk is full: nothing was stored
vault-server-throttled = too many failed logins for this user from your address: try again in { $seconds } s

## The vault's errors: archives, keys, users, the server, the config, the schedule

vault-error-bad-file-name = bad file name: { $reason }
vault-error-no-such-archive = no such archive
vault-error-integrity = the archive failed its integrity check: it was changed, or the key (password) is wrong
vault-error-not-a-zip = the archive does not hold the expected ZIP: { $reason }
vault-error-too-large = the file in the archive is larger than { $bytes } bytes
vault-error-storage = storage failed: { $reason }
vault-error-kdf-params = unusable key derivation parameters: { $reason }
vault-error-bad-user-name = bad user name { $name }: use 1 to 64 letters, digits, '.', '-' or '_', not starting with '.'
vault-error-user-exists = the user { $name } already exists (change the password with: squirrel vault passwd { $name })
vault-error-no-such-user = there is no user { $name }
vault-error-wrong-credentials = wrong user name or password
vault-error-empty-password = the password is empty
vault-error-damaged = { $path } is damaged: { $reason }
vault-error-cannot-use = cannot use { $path }: { $reason }
vault-error-not-a-config = { $path } is not a squirrel client config: { $reason }
vault-error-not-a-schedule = { $path } is not an upload schedule: { $reason }
vault-error-scheduler-busy = another scheduler (PID { $pid }) is running in this folder
vault-error-not-scheduled = { $path } is not in the upload schedule
vault-hint-scheduler-busy = wait for it to finish, or stop it; if no scheduler is running, remove { $path }
vault-hint-schedule-format = fix { $path } or remove it (you would schedule your files again)
vault-hint-schedule-list = see the scheduled files with: squirrel vault schedule list
vault-reason-not-utf8-path = the path is not UTF-8
vault-reason-refused-name = the vault refuses this name: { $reason }
vault-error-ui-not-a-terminal = the terminal UI needs a terminal (standard input and output are not one)
vault-error-ui-terminal = terminal: { $reason }
vault-reason-name-not-utf8 = the file name is not UTF-8
vault-server-too-slow = the request took too long to arrive
vault-server-too-large = the file is larger than this vault's limit of { $limit } (--max-upload)
vault-server-over-quota = this upload would take your archives past your quota of { $quota } ({ $used } used; the archive of this file may take { $need }): ask the vault's keeper for room
vault-server-disk-nearly-full = the server's disk is nearly full: this upload would leave less than { $free } free; nothing was stored

## vault ui: the terminal window

vault-uploading = Uploading
vault-downloading = Downloading
vault-ui-title = Secret Squirrels' vault
vault-ui-keys-input = Tab complete · Enter confirm · Esc cancel
vault-ui-keys-login = Tab/↓ next field · Shift-Tab/↑ previous · Space toggle remember me · Enter log in · Esc quit
vault-ui-keys-archives = ↑↓ select · u upload · s schedule daily · d/Enter download · r refresh · q quit
vault-ui-server-address = Server address
vault-ui-port = Port
vault-ui-user-name = User name
vault-ui-password = Password
vault-ui-remember-me = Remember me
vault-ui-store-password = store the password in { $path } (in clear, mode 0600)
vault-ui-log-in = Log in
vault-ui-column-file = File
vault-ui-column-last-upload = Last upload
vault-ui-column-size = Size
vault-ui-column-archive = Archive
vault-ui-column-next-due = Next due
vault-ui-column-path = Path
vault-ui-archives-none = Your archives — none yet: press u to upload a file
vault-ui-archives-stale = Your archives ({ $n }) — ⚠ newest upload over 24 h old
vault-ui-archives = Your archives ({ $n })
vault-ui-due-now = due now
vault-ui-daily-none = Daily uploads — none: press s to schedule a file
vault-ui-daily = Daily uploads
vault-ui-upload-title = Upload a file
vault-ui-schedule-title = Schedule a file for daily upload
vault-ui-path = Path:
vault-ui-login-status = Log in: Tab moves between fields, Space ticks remember me, Enter logs in.
vault-ui-wait = wait: { $task } is under way
vault-ui-enter-server = enter the server address
vault-ui-enter-user = enter your user name
vault-ui-enter-password = enter your password
vault-ui-bad-port = the port is a number from 1 to 65535 (the vault's default is 5000)
vault-ui-logging-in = logging in to { $server }
vault-ui-refreshing = refreshing
vault-ui-downloading = downloading { $archive }
vault-ui-uploading = uploading { $path }
vault-ui-scheduling = scheduling { $path }
vault-ui-nothing-to-download = no archive to download yet: upload a file with u
vault-ui-type-path = Type a path; Tab completes it, Enter confirms, Esc cancels.
vault-ui-cancelled = Cancelled.
vault-ui-path-needed = type the path of a file (Esc cancels)
vault-ui-logged-in = Logged in as { $user }: { $count ->
        [one] { $count } archive
       *[other] { $count } archives
    }.
vault-ui-listed = { $count ->
        [one] { $count } archive
       *[other] { $count } archives
    } on the server.
vault-ui-scheduled = Scheduled { $path } for daily upload: the background scheduler uploads it when due.
vault-ui-pass-uploaded = uploaded { $name } as { $archive }
vault-ui-pass-unrecorded = uploaded { $name } as { $archive } but could not record it: { $error }
vault-ui-pass-missing = { $name } is missing
vault-ui-pass-failed = { $name } failed: { $error }
vault-ui-pass = Scheduled uploads: { $parts }
vault-ui-failed = could not { $task }: { $error }
vault-ui-hint = (hint: { $hint })
vault-ui-task-log-in = log in
vault-ui-task-list = list the archives
vault-ui-task-upload = upload { $path }
vault-ui-task-schedule = schedule { $path }
vault-ui-task-download = download { $archive }
vault-ui-not-logged-in = not logged in
vault-ui-remembered-password = Remembered with your password in { $path } (in clear, mode 0600).
vault-ui-remembered = Remembered the server and user name in { $path } (not the password).
vault-ui-cannot-save = Could not save the settings: { $reason }
vault-ui-scheduler-failed = The scheduler could not start: { $reason }
vault-ui-scheduler-elsewhere = Scheduled uploads are left to the other scheduler: { $reason }
vault-ui-scheduler-took-over = The scheduler took over the lock of process { $pid }, which is no longer running.
vault-ui-scheduler-error = Scheduler: { $reason }
vault-ui-waiting = Waiting for { $task } to finish…
vault-ui-worker-stopped = the worker stopped; quit and start the UI again

## vault serve: start-up warnings (as OpenSSH's StrictModes)

vault-warning-writable-by-everyone = { $path } is writable by everyone (mode { $mode }): they could add members or replace archives; fix it with: chmod go-w { $path }
vault-warning-writable-by-group = { $path } is writable by its group (mode { $mode }): they could add members or replace archives; fix it with: chmod go-w { $path }
vault-warning-key-mode = the private key { $path } can be read or changed by others (mode { $mode }); fix it with: chmod 600 { $path }
vault-warning-record-ignored = { $path }: the record { $name } is ignored ({ $reason }); the other members work
vault-ui-transfer = { $verb } { $name }: { $done } / { $total }

# The rule a file, archive or user name breaks (vault::archive::NameRule); the English
# words also go into the 400 reply's JSON message.
vault-name-empty = the name is empty
vault-name-dots = the name is . or ..
vault-name-slash = the name contains / or \
vault-name-control = the name contains control characters
vault-name-too-long = the name is over { $max } bytes
vault-name-deceptive = the name contains invisible or look-alike characters (bidi controls, zero-width characters, line separators, a look-alike slash)
vault-name-temp-prefix = names starting with .tmp- are reserved for the vault's temporary files
vault-name-not-nfc = the name is not in Unicode NFC (normalize it first)
vault-name-not-archive = not an archive name (expected <file name>_<time>.enc)
vault-name-not-user = not a valid user name
vault-name-nul-in-data-path = the data folder's path holds a NUL byte
vault-name-too-many-in-one-second = too many uploads of this name in one second
