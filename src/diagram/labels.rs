//! Every word the pictures put on a page — the tour page, the ladders, the byte views
//! and the tap's live page — in one table, so that a translation (the message catalogs
//! of `--lang`) replaces them in one place. Protocol names (`ClientHello`,
//! `application_data`, cipher suites) are not words to translate: Wireshark and the
//! RFCs spell them this way in every language.
//!
//! Templates hold `{name}` placeholders, filled by [`fill`].

use serde::Serialize;

/// The words of the pictures. Fields ending in a template take the placeholders their
/// doc comment names.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    /// The left lifeline.
    pub client: &'static str,
    /// The middle lifeline: the tap, where the eavesdropper sits.
    pub eavesdropper: &'static str,
    /// The right lifeline.
    pub server: &'static str,
    /// A connection's band in a ladder: `{id}`, `{client}`.
    pub connection: &'static str,
    /// The start of an HTTP body under its arrow: `{text}`.
    pub http_body: &'static str,
    /// A message that is not HTTP or TLS: `{n}` bytes.
    pub raw_bytes: &'static str,
    /// ClientHello with a server name: `{name}`.
    pub client_hello_sni: &'static str,
    /// ClientHello without a server name.
    pub client_hello_no_sni: &'static str,
    /// What a ClientHello offers: `{versions}`, `{n}` cipher suites.
    pub client_hello_offers: &'static str,
    /// ServerHello: `{version}`, `{suite}`.
    pub server_hello: &'static str,
    /// A Certificate read in clear: `{subject}`.
    pub certificate: &'static str,
    /// Under a clear Certificate: `{issuer}`.
    pub certificate_note: &'static str,
    /// ServerKeyExchange with its group: `{group}`.
    pub server_key_exchange: &'static str,
    /// A handshake record holding only the rest of a message begun before.
    pub handshake_continued: &'static str,
    /// TLS 1.2's first handshake record after change_cipher_spec.
    pub encrypted_finished: &'static str,
    /// Any later encrypted handshake record.
    pub encrypted_handshake: &'static str,
    /// Under change_cipher_spec in TLS 1.2.
    pub ccs_tls12: &'static str,
    /// Under change_cipher_spec in TLS 1.3.
    pub ccs_tls13: &'static str,
    /// A clear alert: `{name}`.
    pub alert: &'static str,
    /// A clear fatal alert: `{name}`.
    pub alert_fatal: &'static str,
    /// An encrypted alert (TLS 1.2).
    pub alert_encrypted: &'static str,
    /// An application_data record: `{n}` bytes.
    pub application_data: &'static str,
    /// Under the server's first encrypted record in TLS 1.3.
    pub tls13_server_encrypted: &'static str,
    /// Under the client's first encrypted record in TLS 1.3.
    pub tls13_client_encrypted: &'static str,
    /// The legend of the arrows' colours: readable.
    pub legend_clear: &'static str,
    /// The legend of the arrows' colours: encrypted.
    pub legend_sealed: &'static str,
    /// The legend of the highlighted arrow.
    pub legend_decisive: &'static str,
    /// Bytes left out of a byte view: `{n}`.
    pub more_bytes: &'static str,
    /// The tour page's title.
    pub tour_title: &'static str,
    /// The tour page's first paragraph.
    pub tour_intro: &'static str,
    /// The tour page's footer: `{version}`, `{date}`.
    pub tour_generated: &'static str,
    /// The heading of the eavesdropper's side of a stage.
    pub saw: &'static str,
    /// The heading of the stage's story.
    pub happened: &'static str,
    /// The heading of the stage's lesson.
    pub teaches: &'static str,
    /// A stage without network.
    pub no_network: &'static str,
    /// The byte view's caption: `{what}`.
    pub bytes_of: &'static str,
    /// The capture files of a stage kept with `--keep`: `{files}`.
    pub captures: &'static str,
    /// The live page's title.
    pub live_title: &'static str,
    /// The live page's subtitle: `{tap}`, `{server}`.
    pub live_relaying: &'static str,
    /// The live page before any connection: `{tap}`.
    pub live_waiting: &'static str,
    /// The live page's hint under a ladder.
    pub live_click: &'static str,
    /// A connection still relaying.
    pub live_open: &'static str,
    /// A connection both sides have closed.
    pub live_closed: &'static str,
    /// A connection's byte counts: `{to_server}`, `{to_client}`.
    pub live_counts: &'static str,
    /// The live page when the tap no longer answers.
    pub live_gone: &'static str,
    /// Under a connection with more messages than are drawn: `{shown}`, `{n}`.
    pub live_elided: &'static str,
    /// What the tour's vault client did on each of its connections, in order.
    pub vault_exchanges: [&'static str; 5],
}

/// The English words.
pub const ENGLISH: Labels = Labels {
    client: "client",
    eavesdropper: "eavesdropper (the tap)",
    server: "server",
    connection: "connection #{id} from {client}",
    http_body: "body: {text}",
    raw_bytes: "{n} bytes",
    client_hello_sni: "ClientHello, SNI {name}",
    client_hello_no_sni: "ClientHello, no SNI",
    client_hello_offers: "offers {versions}; {n} cipher suites",
    server_hello: "ServerHello, {version}, {suite}",
    certificate: "Certificate: {subject}",
    certificate_note: "issued by {issuer}: anyone on the path reads it",
    server_key_exchange: "ServerKeyExchange, ECDHE {group}",
    handshake_continued: "handshake, continued",
    encrypted_finished: "handshake, encrypted: Finished",
    encrypted_handshake: "handshake, encrypted",
    ccs_tls12: "from here on this side encrypts",
    ccs_tls13: "a no-op kept for old middleboxes (RFC 8446 D.4)",
    alert: "alert: {name}",
    alert_fatal: "alert, fatal: {name}",
    alert_encrypted: "alert, encrypted",
    application_data: "application_data, {n} bytes",
    tls13_server_encrypted: "encrypted from here on: the rest of the handshake (its Certificate too), then the reply",
    tls13_client_encrypted: "encrypted from here on: the end of the handshake, then the request",
    legend_clear: "the eavesdropper reads it",
    legend_sealed: "encrypted: a type and a length, nothing more",
    legend_decisive: "its bytes are shown beside",
    more_bytes: "… {n} more bytes",
    tour_title: "squirrel tour: what the eavesdropper saw",
    tour_intro: "Every stage ran on this machine with a tap between the client and the server, keeping a copy of every byte, as an eavesdropper on the path would. Each ladder is drawn from the tap's capture: one arrow per HTTP message or TLS record that crossed.",
    tour_generated: "Made by squirrel {version} on {date} with `squirrel tour --html`.",
    saw: "What the eavesdropper saw",
    happened: "What happened",
    teaches: "What it teaches",
    no_network: "No network at this stage: nothing crosses a wire, so there is nothing for the eavesdropper to see.",
    bytes_of: "The bytes: {what}",
    captures: "Captures: {files}",
    live_title: "squirrel tap: live",
    live_relaying: "Relaying {tap} → {server}: every connection, as the eavesdropper sees it.",
    live_waiting: "Waiting for a connection: point a client at {tap}.",
    live_click: "Click an arrow to see its bytes.",
    live_open: "open",
    live_closed: "closed",
    live_counts: "{to_server} bytes to the server, {to_client} back",
    live_gone: "The tap does not answer any more: it has stopped.",
    live_elided: "Only the first {shown} of its {n} messages are drawn.",
    vault_exchanges: [
        "login (POST /login, encrypted)",
        "upload (POST /upload-file, encrypted)",
        "list (GET /get-files, encrypted)",
        "download (GET /archives/…, encrypted)",
        "logout (POST /logout, encrypted)",
    ],
};

/// The words to use. One language for now; `--lang` will choose here.
pub fn labels() -> &'static Labels {
    &ENGLISH
}

/// `template` with each `{name}` replaced by its value, in one pass: a value that
/// itself holds braces (bytes off the wire) stays as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill(
                ENGLISH.connection,
                &[("id", "3"), ("client", "127.0.0.1:5")]
            ),
            "connection #3 from 127.0.0.1:5"
        );
        assert_eq!(
            fill(ENGLISH.http_body, &[("text", "{n} {text}")]),
            "body: {n} {text}"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }
}
