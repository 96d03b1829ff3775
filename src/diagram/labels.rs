//! Every word the pictures put on a page — the tour page, the ladders, the byte views
//! and the tap's live page — in one table, filled from the message catalogs
//! (`locales/en/diagram.ftl`, `locales/fr/diagram.ftl`) in the language of `--lang`. Protocol names (`ClientHello`,
//! `application_data`, cipher suites) are not words to translate: Wireshark and the
//! RFCs spell them this way in every language.
//!
//! Templates hold `{name}` placeholders, filled by [`fill`].

use std::sync::OnceLock;

use serde::Serialize;

// Each word is a template: its placeables stay `{name}` placeholders for [`fill`].
use crate::i18n::{self, template_in as template, Lang};

/// The words of the pictures. Fields ending in a template take the placeholders their
/// doc comment names.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    /// The left lifeline.
    pub client: String,
    /// The middle lifeline: the tap, where the eavesdropper sits.
    pub eavesdropper: String,
    /// The right lifeline.
    pub server: String,
    /// A connection's band in a ladder: `{id}`, `{client}`.
    pub connection: String,
    /// The start of an HTTP body under its arrow: `{text}`.
    pub http_body: String,
    /// A message that is not HTTP or TLS: `{n}` bytes.
    pub raw_bytes: String,
    /// ClientHello with a server name: `{name}`.
    pub client_hello_sni: String,
    /// ClientHello without a server name.
    pub client_hello_no_sni: String,
    /// What a ClientHello offers: `{versions}`, `{n}` cipher suites.
    pub client_hello_offers: String,
    /// ServerHello: `{version}`, `{suite}`.
    pub server_hello: String,
    /// A Certificate read in clear: `{subject}`.
    pub certificate: String,
    /// Under a clear Certificate: `{issuer}`.
    pub certificate_note: String,
    /// ServerKeyExchange with its group: `{group}`.
    pub server_key_exchange: String,
    /// A handshake record holding only the rest of a message begun before.
    pub handshake_continued: String,
    /// TLS 1.2's first handshake record after change_cipher_spec.
    pub encrypted_finished: String,
    /// Any later encrypted handshake record.
    pub encrypted_handshake: String,
    /// Under change_cipher_spec in TLS 1.2.
    pub ccs_tls12: String,
    /// Under change_cipher_spec in TLS 1.3.
    pub ccs_tls13: String,
    /// A clear alert: `{name}`.
    pub alert: String,
    /// A clear fatal alert: `{name}`.
    pub alert_fatal: String,
    /// An encrypted alert (TLS 1.2).
    pub alert_encrypted: String,
    /// An application_data record: `{n}` bytes.
    pub application_data: String,
    /// Under the server's first encrypted record in TLS 1.3.
    pub tls13_server_encrypted: String,
    /// Under the client's first encrypted record in TLS 1.3.
    pub tls13_client_encrypted: String,
    /// The legend of the arrows' colours: readable.
    pub legend_clear: String,
    /// The legend of the arrows' colours: encrypted.
    pub legend_sealed: String,
    /// The legend of the highlighted arrow.
    pub legend_decisive: String,
    /// Bytes left out of a byte view: `{n}`.
    pub more_bytes: String,
    /// The tour page's title.
    pub tour_title: String,
    /// The tour page's first paragraph.
    pub tour_intro: String,
    /// The tour page's footer: `{version}`, `{date}`.
    pub tour_generated: String,
    /// The heading of the eavesdropper's side of a stage.
    pub saw: String,
    /// The heading of the stage's story.
    pub happened: String,
    /// The heading of the stage's lesson.
    pub teaches: String,
    /// A stage without network.
    pub no_network: String,
    /// The byte view's caption: `{what}`.
    pub bytes_of: String,
    /// The capture files of a stage kept with `--keep`: `{files}`.
    pub captures: String,
    /// The live page's title.
    pub live_title: String,
    /// The live page's subtitle: `{tap}`, `{server}`.
    pub live_relaying: String,
    /// The live page before any connection: `{tap}`.
    pub live_waiting: String,
    /// The live page's hint under a ladder.
    pub live_click: String,
    /// A connection still relaying.
    pub live_open: String,
    /// A connection both sides have closed.
    pub live_closed: String,
    /// A connection's byte counts: `{to_server}`, `{to_client}`.
    pub live_counts: String,
    /// The live page when the tap no longer answers.
    pub live_gone: String,
    /// Under a connection with more messages than are drawn: `{shown}`, `{n}`.
    pub live_elided: String,
    /// What the tour's vault client did on each of its connections, in order.
    pub vault_exchanges: [String; 5],
    /// The language of these words (`en`, `fr`): the page's `<html lang>`, so a screen
    /// reader and the browser's spell checker and hyphenation use the right one.
    pub lang: &'static str,
}

impl Labels {
    /// The words in `lang`, from the message catalogs (`locales/*/diagram.ftl`), each
    /// placeable left as a `{name}` placeholder for [`fill`].
    pub fn load(lang: Lang) -> Labels {
        Labels {
            lang: lang.code(),
            client: template(lang, "diagram-client", &[]),
            eavesdropper: template(lang, "diagram-eavesdropper", &[]),
            server: template(lang, "diagram-server", &[]),
            connection: template(lang, "diagram-connection", &["id", "client"]),
            http_body: template(lang, "diagram-http-body", &["text"]),
            raw_bytes: template(lang, "diagram-raw-bytes", &["n"]),
            client_hello_sni: template(lang, "diagram-client-hello-sni", &["name"]),
            client_hello_no_sni: template(lang, "diagram-client-hello-no-sni", &[]),
            client_hello_offers: template(lang, "diagram-client-hello-offers", &["versions", "n"]),
            server_hello: template(lang, "diagram-server-hello", &["version", "suite"]),
            certificate: template(lang, "diagram-certificate", &["subject"]),
            certificate_note: template(lang, "diagram-certificate-note", &["issuer"]),
            server_key_exchange: template(lang, "diagram-server-key-exchange", &["group"]),
            handshake_continued: template(lang, "diagram-handshake-continued", &[]),
            encrypted_finished: template(lang, "diagram-encrypted-finished", &[]),
            encrypted_handshake: template(lang, "diagram-encrypted-handshake", &[]),
            ccs_tls12: template(lang, "diagram-ccs-tls12", &[]),
            ccs_tls13: template(lang, "diagram-ccs-tls13", &[]),
            alert: template(lang, "diagram-alert", &["name"]),
            alert_fatal: template(lang, "diagram-alert-fatal", &["name"]),
            alert_encrypted: template(lang, "diagram-alert-encrypted", &[]),
            application_data: template(lang, "diagram-application-data", &["n"]),
            tls13_server_encrypted: template(lang, "diagram-tls13-server-encrypted", &[]),
            tls13_client_encrypted: template(lang, "diagram-tls13-client-encrypted", &[]),
            legend_clear: template(lang, "diagram-legend-clear", &[]),
            legend_sealed: template(lang, "diagram-legend-sealed", &[]),
            legend_decisive: template(lang, "diagram-legend-decisive", &[]),
            more_bytes: template(lang, "diagram-more-bytes", &["n"]),
            tour_title: template(lang, "diagram-tour-title", &[]),
            tour_intro: template(lang, "diagram-tour-intro", &[]),
            tour_generated: template(lang, "diagram-tour-generated", &["version", "date"]),
            saw: template(lang, "diagram-saw", &[]),
            happened: template(lang, "diagram-happened", &[]),
            teaches: template(lang, "diagram-teaches", &[]),
            no_network: template(lang, "diagram-no-network", &[]),
            bytes_of: template(lang, "diagram-bytes-of", &["what"]),
            captures: template(lang, "diagram-captures", &["files"]),
            live_title: template(lang, "diagram-live-title", &[]),
            live_relaying: template(lang, "diagram-live-relaying", &["tap", "server"]),
            live_waiting: template(lang, "diagram-live-waiting", &["tap"]),
            live_click: template(lang, "diagram-live-click", &[]),
            live_open: template(lang, "diagram-live-open", &[]),
            live_closed: template(lang, "diagram-live-closed", &[]),
            live_counts: template(lang, "diagram-live-counts", &["to_server", "to_client"]),
            live_gone: template(lang, "diagram-live-gone", &[]),
            live_elided: template(lang, "diagram-live-elided", &["shown", "n"]),
            vault_exchanges: [
                template(lang, "diagram-vault-exchanges-1", &[]),
                template(lang, "diagram-vault-exchanges-2", &[]),
                template(lang, "diagram-vault-exchanges-3", &[]),
                template(lang, "diagram-vault-exchanges-4", &[]),
                template(lang, "diagram-vault-exchanges-5", &[]),
            ],
        }
    }
}

/// The words in the language in force (`--lang`, `LANG`), loaded once per language.
pub fn labels() -> &'static Labels {
    static EN: OnceLock<Labels> = OnceLock::new();
    static FR: OnceLock<Labels> = OnceLock::new();
    let lang = i18n::lang();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    cell.get_or_init(|| Labels::load(lang))
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
                &Labels::load(Lang::En).connection,
                &[("id", "3"), ("client", "127.0.0.1:5")]
            ),
            "connection #3 from 127.0.0.1:5"
        );
        assert_eq!(
            fill(&Labels::load(Lang::En).http_body, &[("text", "{n} {text}")]),
            "body: {n} {text}"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }

    #[test]
    fn french_words_keep_the_same_placeholders() {
        let fr = Labels::load(Lang::Fr);
        assert_eq!(fr.server, "serveur");
        assert_eq!(
            fill(&fr.connection, &[("id", "3"), ("client", "127.0.0.1:5")]),
            "connexion n°3 depuis 127.0.0.1:5"
        );
    }
}
