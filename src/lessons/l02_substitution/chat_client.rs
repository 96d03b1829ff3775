//! The chat client: encrypts before sending, decrypts what arrives.

use std::time::Duration;

use super::cipher::{decrypt, encrypt};
use super::{BadReply, BadText, SubstitutionError, MAX_MESSAGE_BYTES};
use crate::http::{self, HttpError, Response, Url};
use crate::lessons::{LessonError, MAX_REPLY};
use crate::net;

/// A message as the client received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Its index on the relay (0 for the first message).
    pub index: u64,
    /// What crossed the wire.
    pub ciphertext: String,
    /// What this client's shift makes of it: `NAME: message` when the sender used the
    /// same shift, gibberish otherwise.
    pub plaintext: String,
}

/// A chat member: a name, a shift (the shared key) and the relay's URL.
///
/// Each call is one HTTP request on a fresh connection. The client remembers the index
/// of the next message it has not seen, so every reply brings exactly what is new.
#[derive(Debug, Clone)]
pub struct ChatClient {
    url: Url,
    name: String,
    shift: i64,
    next: u64,
    timeout: Duration,
}

impl ChatClient {
    /// A member called `name` (one line, not empty) using `shift`, talking to the relay
    /// at `url` (`http://host:port`), waiting at most `timeout` for each step.
    ///
    /// Errors: [`SubstitutionError::BadText`] for an empty or multi-line name.
    pub fn new(
        url: Url,
        name: &str,
        shift: i64,
        timeout: Duration,
    ) -> Result<ChatClient, SubstitutionError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(SubstitutionError::BadText(BadText::Name));
        }
        Ok(ChatClient {
            url,
            name: name.to_string(),
            shift,
            next: 0,
            timeout,
        })
    }

    /// The member's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Encrypts `NAME: message`, sends it, and returns every message that arrived since
    /// the last call, except this one.
    ///
    /// Errors: [`SubstitutionError::BadText`] (control characters),
    /// [`SubstitutionError::TooLong`], and the connection and reply errors.
    pub fn send(&mut self, message: &str) -> Result<Vec<Received>, SubstitutionError> {
        if message.chars().any(char::is_control) {
            return Err(SubstitutionError::BadText(BadText::Message));
        }
        let ciphertext = encrypt(&format!("{}: {message}", self.name), self.shift);
        if ciphertext.len() > MAX_MESSAGE_BYTES {
            return Err(SubstitutionError::TooLong {
                length: ciphertext.len(),
                limit: MAX_MESSAGE_BYTES,
            });
        }
        let target = format!("/send?since={}", self.next);
        let response = self.exchange("POST", &target, ciphertext.as_bytes())?;
        let own = header_number(&response, "X-Message-Index")?;
        let received = self.take(&response)?;
        Ok(received.into_iter().filter(|r| r.index != own).collect())
    }

    /// Asks for every message that arrived since the last call.
    ///
    /// Errors: the connection and reply errors.
    pub fn poll(&mut self) -> Result<Vec<Received>, SubstitutionError> {
        let target = format!("/messages?since={}", self.next);
        let response = self.exchange("GET", &target, b"")?;
        self.take(&response)
    }

    /// One request on a fresh connection; a non-200 status is an error.
    fn exchange(
        &self,
        method: &str,
        target: &str,
        body: &[u8],
    ) -> Result<Response, SubstitutionError> {
        let mut tcp = net::connect(&self.url.host, self.url.port, self.timeout)
            .map_err(LessonError::Connect)?;
        let headers = [("Content-Type", "text/plain; charset=utf-8")];
        let headers: &[(&str, &str)] = if body.is_empty() { &[] } else { &headers };
        http::write_request(
            &mut tcp,
            method,
            target,
            Some(&self.url.host_header()),
            headers,
            body,
        )
        .map_err(|e| LessonError::reply(HttpError::from(e)))?;
        let response = http::read_response(&mut tcp, MAX_REPLY).map_err(LessonError::reply)?;
        if response.status != 200 {
            return Err(LessonError::status(&response).into());
        }
        Ok(response)
    }

    /// Decrypts the lines of a 200 reply and moves `next` past them.
    fn take(&mut self, response: &Response) -> Result<Vec<Received>, SubstitutionError> {
        let first = header_number(response, "X-First-Index")?;
        let next = header_number(response, "X-Next-Index")?;
        let body = std::str::from_utf8(&response.body)
            .map_err(|_| SubstitutionError::BadReply(BadReply::NotUtf8))?;
        let lines: Vec<&str> = if body.is_empty() {
            Vec::new()
        } else {
            body.split('\n').collect()
        };
        if first.checked_add(lines.len() as u64) != Some(next) {
            return Err(SubstitutionError::BadReply(BadReply::Lines {
                lines: lines.len(),
                first,
                next,
            }));
        }
        self.next = next;
        Ok((first..)
            .zip(lines)
            .map(|(index, ciphertext)| Received {
                index,
                ciphertext: ciphertext.to_string(),
                plaintext: decrypt(ciphertext, self.shift),
            })
            .collect())
    }
}

fn header_number(response: &Response, name: &str) -> Result<u64, SubstitutionError> {
    let value = response
        .headers
        .get(name)
        .ok_or_else(|| SubstitutionError::BadReply(BadReply::NoHeader(name.to_string())))?;
    value.trim().parse().map_err(|_| {
        SubstitutionError::BadReply(BadReply::NotANumber {
            name: name.to_string(),
            value: value.to_string(),
        })
    })
}
