# Lesson 02: `squirrel substitution …` (src/cli/substitution.rs,
# src/lessons/l02_substitution/): the shift cipher, the chat and its relay, and the
# frequency analysis that breaks them. The relay's JSON errors stay English (the wire's).

substitution-language-english = English
substitution-language-french = French

## Errors

substitution-error-log = cannot append to the chat log { $path }: { $reason }
substitution-error-too-long = the message is { $length } bytes once encrypted; the chat takes at most { $limit }
substitution-error-bad-reply = the chat server's reply makes no sense: { $reason }
substitution-error-no-letters = the text has no letters A–Z to analyse
substitution-bad-name = the name must be one line of text, not empty
substitution-bad-message = a message is one line without control characters
substitution-reply-not-utf8 = the body is not UTF-8
substitution-reply-lines = { $lines } lines for messages { $first } to { $next }
substitution-reply-no-header = no { $name } header
substitution-reply-not-a-number = { $name } is not a number: { $value }
substitution-cannot-write-stdout = cannot write to stdout: { $reason }
substitution-cannot-read-stdin = cannot read stdin: { $reason }
substitution-cannot-read = cannot read { $path }: { $reason }
substitution-cannot-read-hint = give a text file, or pipe the text in: … | squirrel substitution crack
substitution-no-letters-hint = frequency analysis needs text with letters, encrypted with a shift
substitution-log-hint = pick another file with --log PATH
substitution-server-stopped = the chat server stopped: { $reason }
substitution-chat-server-hint = is the chat server running? start it in another terminal: squirrel substitution chat-server
substitution-name-hint = pass --name with your name, e.g. --name alice

## crack

substitution-chat-log = This is a chat log: { $n ->
    [one] 1 message
   *[other] { $n } messages
}, { $letters } letters in all.
substitution-conversation = The conversation:
substitution-conversation-if = The conversation, if shift { $shift } is right:
substitution-check-any = The line that reads as words gives the shift; check it with: squirrel substitution decrypt --shift N
substitution-check = Check it with: squirrel substitution decrypt --shift { $shift }
substitution-next-best = ; next best: shift { $shift } at { $chi }
substitution-shift-is = The shift is { $shift } ({ $language }: chi-squared { $chi } over { $letters } letters{ $versus }).
substitution-not-sure = Not sure: { $letters } letters are too few for frequency analysis (it wants { $min } or more). The best fit, shift { $shift } ({ $language }: chi-squared { $chi }{ $versus }), may well be wrong.
substitution-all-shifts = All 26 shifts, best fit first: the right one is easy to spot by eye.
substitution-shift-line = shift { $shift } ({ $chi }): { $text }

## The chat

substitution-relaying = chat: relaying on http://{ $addr }/ — it has no key and stores only ciphertext.
substitution-appended = chat: every message is appended to { $path }.
substitution-join = Join from other terminals, with the same --shift for everyone:
substitution-break = Then break it: squirrel substitution crack { $path }
substitution-stop = Stop with Ctrl-C.
substitution-joined = Joined the chat at { $addr } as { $name }, shift { $shift }. Type a line and press Enter; Ctrl-D leaves.
substitution-not-sent = warning: not sent: { $reason }
substitution-back = (back in touch with the chat server)
substitution-retrying = warning: { $reason } (retrying every second)
substitution-left = Left the chat.
