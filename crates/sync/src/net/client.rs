//! A PC's side: the `Hub` conversation over HTTPS to the hub's URL, with
//! the hub's certificate pinned. Each call is one blocking request on a
//! fresh connection (the sync loop runs on its own thread), so a hub that
//! restarted between two calls costs nothing.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::pairing::PairingCode;
use super::pin::{refused_by_pin, Pin, PinnedVerifier};
use super::{io_error, route, MAX_BODY, SEQ_HEADER};
use crate::error::SyncError;
use crate::wire::{
    Auth, DigestReply, Hub, PairReply, PairRequest, PullReply, PullRequest, PushReply, PushRequest,
    SnapshotInfo, WireError,
};

/// On a LAN a hub answers a connection at once or is not there: the PC
/// works on offline rather than wait.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The longest silence while a request is sent or its answer read (a hub
/// applying a large import answers after a while).
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
const COPY_CHUNK: usize = 256 * 1024;

#[derive(Debug)]
pub struct Client {
    url: String,
    agent: ureq::Agent,
}

impl Client {
    /// A client for the hub at `url` (`https://host:port`) whose
    /// certificate has this SHA-256 fingerprint (hex, as remembered from
    /// pairing).
    pub fn new(url: &str, fingerprint: &str) -> Self {
        let verifier = PinnedVerifier::new(Pin::Whole(fingerprint.to_string()));
        Self::with(url, &verifier)
    }

    /// Registers this PC with the hub at `url` using the code the hub
    /// showed. The hub's certificate must begin with the code's 40 bits, or
    /// nothing is sent; the reply comes with the certificate's whole
    /// fingerprint, for `Client::new` from then on.
    pub fn pair(
        url: &str,
        code: &PairingCode,
        name: &str,
        schema_version: i64,
    ) -> Result<(PairReply, String), SyncError> {
        let verifier = PinnedVerifier::new(Pin::Pairing(code.clone()));
        let client = Self::with(url, &verifier);
        let request = PairRequest {
            secret: code.secret().to_string(),
            name: name.to_string(),
            schema_version,
        };
        let reply: PairReply = client
            .call(route::PAIR, &request)
            .map_err(|error| match error {
                SyncError::Certificate { url } => SyncError::Pairing(format!(
                    "親機（{url}）の証明書が、ペアリングコードの後半（英数字8文字）と合いません。\
                 コードを打ち間違えていないか確かめてください。親機になりすましている機器があ\
                 る可能性もあるため、何も送っていません。"
                )),
                other => other,
            })?;
        let fingerprint = verifier
            .accepted()
            .ok_or_else(|| SyncError::Corrupt("親機の証明書を確かめられませんでした".into()))?;
        Ok((reply, fingerprint))
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn with(url: &str, verifier: &Arc<PinnedVerifier>) -> Self {
        let agent = ureq::AgentBuilder::new()
            .tls_config(verifier.client_config())
            .timeout_connect(CONNECT_TIMEOUT)
            .timeout_read(IDLE_TIMEOUT)
            .timeout_write(IDLE_TIMEOUT)
            .max_idle_connections(0)
            .redirects(0)
            .user_agent(concat!("daicho/", env!("CARGO_PKG_VERSION")))
            .build();
        Self {
            url: url.trim().trim_end_matches('/').to_string(),
            agent,
        }
    }

    fn call<Q: Serialize, A: DeserializeOwned>(
        &self,
        route: &str,
        body: &Q,
    ) -> Result<A, SyncError> {
        read_json(self.post(route, body)?)
    }

    fn post<Q: Serialize>(&self, route: &str, body: &Q) -> Result<ureq::Response, SyncError> {
        let json = serde_json::to_vec(body).map_err(|e| SyncError::Corrupt(e.to_string()))?;
        let sent = self
            .agent
            .post(&format!("{}{route}", self.url))
            .set("content-type", "application/json")
            .send_bytes(&json);
        match sent {
            Ok(response) => Ok(response),
            Err(ureq::Error::Status(status, response)) => Err(refusal(status, response)),
            Err(ureq::Error::Transport(transport)) => Err(self.failed(&transport)),
        }
    }

    /// No answer came: the pin refused the hub, or the hub is not there.
    fn failed(&self, transport: &ureq::Transport) -> SyncError {
        if refused_by_pin(transport) {
            return SyncError::Certificate {
                url: self.url.clone(),
            };
        }
        let unreachable = |detail: &str| SyncError::Unreachable {
            url: self.url.clone(),
            detail: detail.to_string(),
        };
        match transport.kind() {
            ureq::ErrorKind::Dns => unreachable("親機の名前が見つかりません"),
            ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => {
                unreachable("親機のアドレスの形が違います")
            }
            ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => {
                SyncError::Corrupt("親機の返事の形が違います".into())
            }
            _ => {
                let io = std::error::Error::source(transport)
                    .and_then(|source| source.downcast_ref::<io::Error>());
                match io.map(io::Error::kind) {
                    Some(io::ErrorKind::ConnectionRefused) => {
                        unreachable("親機のアプリが動いていないか、待ち受けていません")
                    }
                    Some(io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
                        unreachable("時間内に応答がありません")
                    }
                    Some(io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable) => {
                        unreachable("ネットワークにつながっていません")
                    }
                    Some(
                        io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::BrokenPipe
                        | io::ErrorKind::UnexpectedEof,
                    ) => unreachable("接続が途中で切れました"),
                    _ => unreachable(&format!("ネットワークのエラー: {transport}")),
                }
            }
        }
    }

    /// The hub's copy, written to `to` (a new file), which is removed
    /// again if it does not arrive whole.
    fn download(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError> {
        let response = self.post(route::SNAPSHOT, auth)?;
        let seq = header_number(&response, SEQ_HEADER)?;
        let bytes = header_number(&response, "content-length")?;
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(to)
            .map_err(|e| io_error(to, e))?;
        let copied = copy_body(response.into_reader(), &mut file, bytes, to)
            .and_then(|()| file.sync_all().map_err(|e| io_error(to, e)));
        if let Err(error) = copied {
            drop(file);
            let _ = fs::remove_file(to);
            return Err(error);
        }
        Ok(SnapshotInfo { seq, bytes })
    }
}

impl Hub for Client {
    fn pair(&self, request: &PairRequest) -> Result<PairReply, SyncError> {
        self.call(route::PAIR, request)
    }

    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        self.call(route::PUSH, request)
    }

    fn pull(&self, request: &PullRequest) -> Result<PullReply, SyncError> {
        self.call(route::PULL, request)
    }

    fn snapshot(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError> {
        self.download(auth, to)
    }

    fn digest(&self, auth: &Auth) -> Result<DigestReply, SyncError> {
        self.call(route::DIGEST, auth)
    }

    fn leave(&self, auth: &Auth) -> Result<(), SyncError> {
        self.call(route::LEAVE, auth)
    }
}

/// The hub answered with an error: its code and message as it wrote them.
fn refusal(status: u16, response: ureq::Response) -> SyncError {
    match read_json::<WireError>(response) {
        Ok(wire) => SyncError::Remote(wire),
        Err(_) => SyncError::Corrupt(format!("親機の返事が読めません（HTTP {status}）")),
    }
}

fn read_json<A: DeserializeOwned>(response: ureq::Response) -> Result<A, SyncError> {
    let mut body = Vec::new();
    response
        .into_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| SyncError::Corrupt(format!("親機の返事が{}", broke_off(&e))))?;
    if body.len() as u64 > MAX_BODY {
        return Err(SyncError::Corrupt("親機の返事が大きすぎます".into()));
    }
    serde_json::from_slice(&body)
        .map_err(|e| SyncError::Corrupt(format!("親機の返事の形が違います: {e}")))
}

fn header_number<N: std::str::FromStr>(
    response: &ureq::Response,
    name: &str,
) -> Result<N, SyncError> {
    response
        .header(name)
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| SyncError::Corrupt(format!("親機の返事に {name} がありません")))
}

/// Copies exactly `expected` bytes of the body to the file: a read that
/// fails or ends early, or a body that runs long, is a broken message; a
/// write that fails is this PC's disk.
fn copy_body(
    mut from: impl Read,
    to: &mut File,
    expected: u64,
    path: &Path,
) -> Result<(), SyncError> {
    let mut buffer = vec![0; COPY_CHUNK];
    let mut copied: u64 = 0;
    let broken = |copied: u64, why: String| {
        SyncError::Corrupt(format!(
            "親機の台帳の写しが {copied} / {expected} バイトで{why}"
        ))
    };
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(broken(copied, broke_off(&e))),
        };
        copied += read as u64;
        if copied > expected {
            return Err(broken(copied, "予告より長くなりました".into()));
        }
        to.write_all(&buffer[..read])
            .map_err(|e| io_error(path, e))?;
    }
    if copied != expected {
        return Err(broken(copied, "途切れました".into()));
    }
    Ok(())
}

/// Why a body stopped arriving, as the end of a sentence.
fn broke_off(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted => "途中で切れました".into(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "途中で止まりました".into(),
        _ => format!("途中で読めなくなりました（{error}）"),
    }
}
