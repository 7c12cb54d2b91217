//! The hub's side: an HTTPS server on the office LAN that hands each
//! request to the in-process `Hub`. It runs on its own thread with its own
//! small tokio runtime, so it starts and stops the same way from the CLI,
//! from the app and from tests; the hub's methods block (SQLite), so they
//! run on the runtime's blocking threads, never on the executor.

use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use daicho_ledger::{Coded, ErrorCode};
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Body as _, Frame, Incoming};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::{io_error, route, Identity, MAX_BODY, SEQ_HEADER};
use crate::error::SyncError;
use crate::wire::{Auth, Hub, PairRequest, PullRequest, PushRequest, WireError};

type Body = BoxBody<Bytes, io::Error>;

/// A client that connects and says nothing is dropped after these.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest pause between two pieces of a request body.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest any one connection lives: a large snapshot over poor Wi-Fi
/// fits, a client that stops reading does not hold its slot for ever.
const CONNECTION_LIMIT: Duration = Duration::from_secs(30 * 60);
/// An office has a handful of PCs; more connections than this wait.
const MAX_CONNECTIONS: usize = 64;
/// How long a stop waits for a hub call under way before leaving it to
/// finish on its own.
const STOP_GRACE: Duration = Duration::from_secs(1);
const SNAPSHOT_CHUNK: u64 = 256 * 1024;

/// A hub serving on the LAN. Dropping it stops it.
#[derive(Debug)]
pub struct Served {
    /// Where PCs reach it: `https://127.0.0.1:PORT` on a loopback address;
    /// for a listen on every interface (0.0.0.0 or ::) the machine's host
    /// name, or the listen address when the host name is not a usable DNS
    /// name (a PC then types the hub's address or finds it by discovery).
    pub url: String,
    /// The certificate's fingerprint a PC pins.
    pub fingerprint: String,
    pub local_addr: SocketAddr,
    announced: Option<super::Announced>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Served {
    /// Announces this hub on the LAN (mDNS) as the hub of `office` on the
    /// PC `pc`, while it serves; only when it listens on every interface
    /// (a hub on one address, loopback above all, is not for the LAN).
    pub fn announce(&mut self, office: &str, pc: &str) -> Result<(), SyncError> {
        if self.local_addr.ip().is_unspecified() {
            let port = self.local_addr.port();
            self.announced = Some(super::announce(office, pc, port, &self.fingerprint)?);
        }
        Ok(())
    }

    /// Stops serving: new connections are refused and open ones cut. A hub
    /// call already under way finishes (it is one transaction), but its
    /// answer is not sent; the PC sends again and the hub takes each change
    /// once.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        // Withdrawn first, so no PC is sent to a hub that has stopped.
        self.announced = None;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Serves `hub` over HTTPS on `listen` (`127.0.0.1:0` picks a free port)
/// with the hub's certificate.
pub fn serve(
    hub: Arc<dyn Hub>,
    listen: SocketAddr,
    identity: &Identity,
) -> Result<Served, SyncError> {
    let acceptor = TlsAcceptor::from(server_config(identity)?);
    let cannot = |e: io::Error| SyncError::Serve(describe_listen(listen, &e));
    let listener = StdListener::bind(listen).map_err(cannot)?;
    listener.set_nonblocking(true).map_err(cannot)?;
    let local_addr = listener.local_addr().map_err(cannot)?;
    let (stop, stopped) = oneshot::channel();
    let (started, start) = mpsc::channel();
    // The runtime is made, run and dropped on this thread alone, so the
    // caller may be anywhere (an async command of the app included).
    let thread = std::thread::Builder::new()
        .name("daicho-hub".into())
        .spawn(move || match runtime_for(listener) {
            Ok((runtime, listener)) => {
                let _ = started.send(Ok(()));
                runtime.block_on(accept(listener, acceptor, hub, stopped));
                runtime.shutdown_timeout(STOP_GRACE);
            }
            Err(e) => {
                let _ = started.send(Err(e));
            }
        })
        .map_err(cannot)?;
    let running = start.recv().unwrap_or_else(|_| {
        Err(io::Error::other(
            "the hub's network thread ended before it started",
        ))
    });
    if let Err(e) = running {
        let _ = thread.join();
        return Err(cannot(e));
    }
    Ok(Served {
        url: url_for(local_addr),
        fingerprint: identity.fingerprint(),
        local_addr,
        announced: None,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// The hub's own small runtime, with the listener moved into it.
fn runtime_for(listener: StdListener) -> io::Result<(Runtime, TcpListener)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("daicho-hub-net")
        .enable_all()
        .build()?;
    let listener = {
        let _inside = runtime.enter();
        TcpListener::from_std(listener)?
    };
    Ok((runtime, listener))
}

fn server_config(identity: &Identity) -> Result<Arc<ServerConfig>, SyncError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cert = CertificateDer::from(identity.cert_der.clone());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.clone()));
    ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| {
            config
                .with_no_client_auth()
                .with_single_cert(vec![cert], key)
        })
        .map(Arc::new)
        .map_err(|e| SyncError::Serve(format!("親機の証明書が読めません: {e}")))
}

fn describe_listen(listen: SocketAddr, error: &io::Error) -> String {
    let why = match error.kind() {
        io::ErrorKind::AddrInUse => "他のプログラムがこのポートを使っています".to_string(),
        io::ErrorKind::AddrNotAvailable => "このPCのアドレスではありません".to_string(),
        io::ErrorKind::PermissionDenied => "このポートで待ち受ける権限がありません".to_string(),
        _ => format!("システムのエラー: {error}"),
    };
    format!("{listen} で待ち受けできません: {why}")
}

fn url_for(addr: SocketAddr) -> String {
    if !addr.ip().is_unspecified() {
        return format!("https://{addr}");
    }
    let host = gethostname::gethostname();
    match host.to_str() {
        Some(name) if is_dns_name(name) => format!("https://{name}:{}", addr.port()),
        _ => format!("https://{addr}"),
    }
}

fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

async fn accept(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    hub: Arc<dyn Hub>,
    mut stopped: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = tokio::select! {
            _ = &mut stopped => return,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        let Ok(slot) = slot else { return };
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    tokio::spawn(connection(tcp, acceptor.clone(), Arc::clone(&hub), slot));
                }
                // Out of file handles and the like: the next accept may work.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            },
        }
    }
}

async fn connection(
    tcp: TcpStream,
    acceptor: TlsAcceptor,
    hub: Arc<dyn Hub>,
    _slot: OwnedSemaphorePermit,
) {
    let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await else {
        return;
    };
    let service = hyper::service::service_fn(move |request| answer(Arc::clone(&hub), request));
    let mut http = hyper::server::conn::http1::Builder::new();
    // A PC opens a connection per call (its requests are not retried on a
    // reused connection the hub may have closed).
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .keep_alive(false);
    let served = http.serve_connection(TokioIo::new(tls), service);
    let _ = tokio::time::timeout(CONNECTION_LIMIT, served).await;
}

#[derive(Clone, Copy)]
enum Call {
    Pair,
    Push,
    Pull,
    Snapshot,
    Digest,
    Leave,
}

impl Call {
    fn at(path: &str) -> Option<Self> {
        Some(match path {
            route::PAIR => Self::Pair,
            route::PUSH => Self::Push,
            route::PULL => Self::Pull,
            route::SNAPSHOT => Self::Snapshot,
            route::DIGEST => Self::Digest,
            route::LEAVE => Self::Leave,
            _ => return None,
        })
    }
}

async fn answer(
    hub: Arc<dyn Hub>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let call = Call::at(request.uri().path()).filter(|_| request.method() == Method::POST);
    let Some(call) = call else {
        let wire = WireError {
            code: ErrorCode::NotFound,
            message: format!(
                "親機には {} {} という窓口はありません。アプリの版を確かめてください。",
                request.method(),
                request.uri().path()
            ),
        };
        return Ok(failure(StatusCode::NOT_FOUND, &wire));
    };
    let body = match read_body(request.into_body()).await {
        Ok(body) => body,
        Err((status, error)) => return Ok(failure(status, &error.to_wire())),
    };
    Ok(match call {
        Call::Pair => reply(hub, body, |hub, request: &PairRequest| hub.pair(request)).await,
        Call::Push => reply(hub, body, |hub, request: &PushRequest| hub.push(request)).await,
        Call::Pull => reply(hub, body, |hub, request: &PullRequest| hub.pull(request)).await,
        Call::Digest => reply(hub, body, |hub, auth: &Auth| hub.digest(auth)).await,
        Call::Leave => reply(hub, body, |hub, auth: &Auth| hub.leave(auth)).await,
        Call::Snapshot => snapshot(hub, body).await,
    })
}

/// The request's body, whole, within the size limit and without long
/// pauses.
async fn read_body(mut body: Incoming) -> Result<Bytes, (StatusCode, SyncError)> {
    let too_large = || {
        let error = SyncError::Corrupt(format!(
            "要求が大きすぎます（上限 {} MB）",
            MAX_BODY / 1024 / 1024
        ));
        (StatusCode::PAYLOAD_TOO_LARGE, error)
    };
    let announced = body.size_hint().lower();
    if announced > MAX_BODY {
        return Err(too_large());
    }
    let mut collected = BytesMut::with_capacity(usize::try_from(announced).unwrap_or(0));
    loop {
        let next = tokio::time::timeout(IDLE_TIMEOUT, body.frame()).await;
        let frame = match next {
            Err(_) => return Err(cut_short("要求の途中で送信が止まりました".into())),
            Ok(None) => return Ok(collected.freeze()),
            Ok(Some(Err(e))) => return Err(cut_short(format!("要求が途中で切れました: {e}"))),
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if (collected.len() + data.len()) as u64 > MAX_BODY {
                return Err(too_large());
            }
            collected.extend_from_slice(&data);
        }
    }
}

fn cut_short(detail: String) -> (StatusCode, SyncError) {
    (StatusCode::BAD_REQUEST, SyncError::Corrupt(detail))
}

/// Reads the request as `Q`, asks the hub, answers with its reply as JSON;
/// the parsing and the writing of tens of megabytes run beside the hub's
/// call, off the executor.
async fn reply<Q, A>(
    hub: Arc<dyn Hub>,
    body: Bytes,
    call: fn(&dyn Hub, &Q) -> Result<A, SyncError>,
) -> Response<Body>
where
    Q: DeserializeOwned + 'static,
    A: Serialize + 'static,
{
    let answered = tokio::task::spawn_blocking(move || {
        let request: Q = parse(&body)?;
        let reply = call(&*hub, &request)?;
        serde_json::to_vec(&reply).map_err(|e| SyncError::Corrupt(e.to_string()))
    })
    .await;
    match answered.unwrap_or_else(|_| Err(crashed())) {
        Ok(json) => respond(StatusCode::OK, json),
        Err(error) => failure(status_for(&error), &error.to_wire()),
    }
}

/// The hub writes its copy to a temporary file, which is sent as it is
/// and removed once sent (or once the PC has gone).
async fn snapshot(hub: Arc<dyn Hub>, body: Bytes) -> Response<Body> {
    let made = tokio::task::spawn_blocking(move || {
        let auth: Auth = parse(&body)?;
        let dir = tempfile::Builder::new()
            .prefix("daicho-snapshot-")
            .tempdir()
            .map_err(|e| io_error(&std::env::temp_dir(), e))?;
        let path = dir.path().join("snapshot.sqlite3");
        let info = hub.snapshot(&auth, &path)?;
        let file = std::fs::File::open(&path).map_err(|e| io_error(&path, e))?;
        Ok((dir, file, info))
    })
    .await;
    let (dir, file, info) = match made.unwrap_or_else(|_| Err(crashed())) {
        Ok(made) => made,
        Err(error) => return failure(status_for(&error), &error.to_wire()),
    };
    // The tuple drops in order: the file is closed before its folder goes.
    let state = (tokio::fs::File::from_std(file), dir, info.bytes);
    let chunks = futures_util::stream::unfold(state, |(mut file, dir, left)| async move {
        if left == 0 {
            return None;
        }
        let mut chunk = vec![0; usize::try_from(left.min(SNAPSHOT_CHUNK)).unwrap_or(0)];
        let read = match file.read(&mut chunk).await {
            // Shorter than the hub said: cut the connection, so the PC
            // sees a short body rather than a wrong one.
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the snapshot ended before its announced length",
            )),
            Ok(n) => {
                chunk.truncate(n);
                Ok(n as u64)
            }
            Err(e) => Err(e),
        };
        Some(match read {
            Ok(n) => (Ok(Frame::data(Bytes::from(chunk))), (file, dir, left - n)),
            Err(e) => (Err(e), (file, dir, 0)),
        })
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, "application/vnd.sqlite3")
        .header(CONTENT_LENGTH, info.bytes)
        .header(SEQ_HEADER, info.seq)
        .body(StreamBody::new(chunks).boxed())
        .unwrap_or_else(|_| failure(StatusCode::INTERNAL_SERVER_ERROR, &crashed().to_wire()))
}

fn parse<Q: DeserializeOwned>(body: &[u8]) -> Result<Q, SyncError> {
    serde_json::from_slice(body).map_err(|e| SyncError::Corrupt(format!("要求の形が違います: {e}")))
}

/// A hub call that panicked: its transaction rolled back as it unwound.
fn crashed() -> SyncError {
    SyncError::Corrupt("親機の処理が途中で止まりました".into())
}

fn status_for(error: &SyncError) -> StatusCode {
    match error.code() {
        ErrorCode::SyncCorrupt => StatusCode::BAD_REQUEST,
        ErrorCode::PairingRefused | ErrorCode::NotPermitted => StatusCode::FORBIDDEN,
        ErrorCode::SchemaMismatch | ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn failure(status: StatusCode, wire: &WireError) -> Response<Body> {
    let json = serde_json::to_vec(wire).unwrap_or_default();
    respond(status, json)
}

fn respond(status: StatusCode, json: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(json)).map_err(|e| match e {}).boxed());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::url_for;

    #[test]
    fn a_url_names_the_address_a_pc_can_reach() {
        assert_eq!(
            url_for("127.0.0.1:8443".parse().unwrap()),
            "https://127.0.0.1:8443"
        );
        assert_eq!(url_for("[::1]:8443".parse().unwrap()), "https://[::1]:8443");
        assert_eq!(
            url_for("192.0.2.10:8443".parse().unwrap()),
            "https://192.0.2.10:8443"
        );
        let everywhere = url_for("0.0.0.0:8443".parse().unwrap());
        let host = gethostname::gethostname().into_string().unwrap_or_default();
        if super::is_dns_name(&host) {
            assert_eq!(everywhere, format!("https://{host}:8443"));
        } else {
            assert_eq!(everywhere, "https://0.0.0.0:8443");
        }
    }
}
