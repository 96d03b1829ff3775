//! URLs and authorities as the lessons' clients take them: `scheme://host[:port][/path]`,
//! an IPv6 host in brackets.

/// Splits an authority `host[:port]` — an IPv6 address in brackets, `[::1]:5683` —
/// into the host (without brackets) and the port, `default_port` when there is none.
/// Errors say what is wrong, in a few words: `no host`, `unclosed [`, `the port is not a
/// number from 0 to 65535`.
pub fn split_authority(authority: &str, default_port: u16) -> Result<(String, u16), &'static str> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (host, after) = inner.split_once(']').ok_or("unclosed [")?;
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(after.strip_prefix(':').ok_or("only :PORT may follow ]")?),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("no host");
    }
    let port = match port {
        Some(p) => p
            .parse()
            .map_err(|_| "the port is not a number from 0 to 65535")?,
        None => default_port,
    };
    Ok((host.to_string(), port))
}

/// `host:port` as a `Host` header and URLs write it: an IPv6 address in brackets.
pub fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A parsed `http://` or `https://` URL: the parts a client needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// Port (default 80 for http, 443 for https).
    pub port: u16,
    /// Path and query, at least `/`.
    pub target: String,
}

impl Url {
    /// Parses `scheme://host[:port][/path]`; IPv6 hosts in brackets (`http://[::1]:5683/`).
    pub fn parse(text: &str) -> Result<Url, String> {
        let bad =
            |why: &str| format!("bad URL {text:?}: {why} (expected e.g. http://127.0.0.1:5683/)");
        let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("no scheme"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(bad("the scheme must be http or https")),
        };
        let (authority, target) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let (host, port) = split_authority(authority, default_port).map_err(bad)?;
        Ok(Url {
            scheme,
            host,
            port,
            target,
        })
    }

    /// The `Host` header value: `host:port`, with brackets around IPv6 addresses.
    pub fn host_header(&self) -> String {
        authority(&self.host, self.port)
    }
}
