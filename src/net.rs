//! Plain TCP: the connection every client opens first. The plain-HTTP lessons (01 to
//! 03) speak HTTP on it as it is; the TLS clients ([`crate::tls::connect`]) wrap it.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::i18n::{Lang, Localized};

/// The TCP connection to `host:port` could not be made. Its words for a person come from
/// `locales/*/net.ftl` ([`Localized`]); `Display` is English.
#[derive(Debug, thiserror::Error)]
pub struct ConnectError {
    /// `host:port` as given (IPv6 literals in brackets).
    pub addr: String,
    /// The socket error: refused, timed out, no such host…
    #[source]
    pub source: std::io::Error,
}

impl Localized for ConnectError {
    fn message_in(&self, lang: Lang) -> String {
        // The socket error is the OS's words (`Connection refused (os error 111)`).
        crate::tr_in!(
            lang,
            "net-cannot-connect",
            addr = &self.addr,
            reason = self.source.to_string()
        )
    }
}

crate::english_display!(ConnectError);

/// `host` without the brackets of an IPv6 literal (`[::1]` → `::1`): the form socket
/// addresses and certificates use.
pub fn unbracketed(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

/// Opens a TCP connection to `host:port` (a name, an IPv4 address or a bracketed IPv6
/// one), trying each address the name resolves to, each within `timeout`; reads and
/// writes on the stream then time out after `timeout` too. Nagle's delay is off: a
/// request goes out as soon as it is written.
pub fn connect(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, ConnectError> {
    let connect_error = |source| ConnectError {
        addr: crate::http::authority(unbracketed(host), port),
        source,
    };
    let addrs = (unbracketed(host), port)
        .to_socket_addrs()
        .map_err(connect_error)?;
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "the name has no address");
    for a in addrs {
        match TcpStream::connect_timeout(&a, timeout) {
            Ok(tcp) => {
                tcp.set_read_timeout(Some(timeout)).map_err(connect_error)?;
                tcp.set_write_timeout(Some(timeout))
                    .map_err(connect_error)?;
                let _ = tcp.set_nodelay(true);
                return Ok(tcp);
            }
            Err(e) => last = e,
        }
    }
    Err(connect_error(last))
}
