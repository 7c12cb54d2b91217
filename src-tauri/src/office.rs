//! This PC's place in the office: on its own, the hub, or one of the PCs.
//! The hub serves from the app while it runs (and the app starts with the
//! user's login once this PC is the hub), from `hub.sqlite3` beside the
//! ledger.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use daicho_ledger::sync::hub::{HubStore, Identity as HubIdentity};
use daicho_ledger::sync::spoke::devices;
use daicho_ledger::{backup, LedgerError};
use daicho_sync::net::{pc_name, serve, Identity, PairingCode, Served, HUB_PORT};
use daicho_sync::office::{wall_clock, Office};
use serde::Serialize;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The hub's file, beside the ledger.
pub fn hub_file(ledger: &Path) -> PathBuf {
    ledger.with_file_name("hub.sqlite3")
}

/// The hub serving in this app: the office behind it and the server.
pub struct Serving {
    pub office: Arc<Office>,
    pub served: Served,
}

/// Where the hub listens: every interface on the office's port, or
/// `DAICHO_HUB_LISTEN` (the tests' loopback).
fn listen_on() -> SocketAddr {
    std::env::var("DAICHO_HUB_LISTEN")
        .ok()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], HUB_PORT)))
}

/// Serves the hub at `hub` (when this PC is the office's hub).
pub fn start_serving(hub: &Path) -> CmdResult<Serving> {
    let office = Arc::new(Office::new(HubStore::open(hub)?));
    let mut served = serve(office.clone(), listen_on(), &office.certificate()?)?;
    if let Err(e) = served.announce(&office.identity()?.name, &pc_name()) {
        // The PCs can still join by this PC's name or address.
        eprintln!("{e}");
    }
    Ok(Serving { office, served })
}

/// The hub's address as a person types it: `https://NAME:PORT`, the port
/// added when none is given.
pub fn hub_url(address: &str) -> String {
    let address = address.trim().trim_end_matches('/');
    let bare = address.strip_prefix("https://").unwrap_or(address);
    let has_port = bare
        .rsplit_once(':')
        .is_some_and(|(_, port)| port.parse::<u16>().is_ok());
    if has_port {
        format!("https://{bare}")
    } else {
        format!("https://{bare}:{HUB_PORT}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OfficeRole {
    Alone,
    Hub,
    Pc,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct OfficePc {
    pub id: i64,
    pub name: String,
    /// The hub itself (it runs on one of the PCs) rather than a PC.
    pub hub: bool,
}

/// What Settings → 複数台で使う shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct OfficeSetup {
    pub role: OfficeRole,
    pub pc_name: String,
    pub hub_name: Option<String>,
    /// Where the other PCs reach the hub (this PC's own address when it is
    /// the hub).
    pub hub_url: Option<String>,
    pub device: Option<i64>,
    pub pcs: Vec<OfficePc>,
    /// Why the hub PC must not sleep, and where to change it (Windows).
    pub sleep_note: Option<String>,
}

const SLEEP_NOTE: &str = "このPCがスリープや休止状態になると、親機も止まり、ほかのPCは同期できません（各PCはそのまま作業でき、親機が戻ると同期します）。Windows の「設定」→「システム」→「電源とバッテリー」（または「電源とスリープ」）→「画面とスリープ」で、電源に接続時にスリープしない（なし）にしてください。";

pub fn setup(state: &AppState) -> CmdResult<OfficeSetup> {
    let serving = state.serving_url();
    let (joined, pcs) = state.on_ledger(|l| {
        let pcs = devices(l.conn())?
            .into_iter()
            .map(|(id, name, role)| OfficePc {
                id,
                name,
                hub: role == "hub",
            })
            .collect();
        Ok::<_, LedgerError>((l.sync_state()?, pcs))
    })?;
    let role = match (&serving, &joined) {
        (Some(_), _) => OfficeRole::Hub,
        (None, Some(_)) => OfficeRole::Pc,
        (None, None) => OfficeRole::Alone,
    };
    Ok(OfficeSetup {
        role,
        pc_name: pc_name(),
        hub_name: joined.as_ref().map(|j| j.hub.hub_name.clone()),
        hub_url: serving.or_else(|| joined.as_ref().map(|j| j.hub.url.clone())),
        device: joined.map(|j| j.hub.device),
        pcs,
        sleep_note: cfg!(windows).then(|| SLEEP_NOTE.to_string()),
    })
}

/// Room the hub needs: a copy of the ledger, and as much again for its log
/// and a snapshot being sent.
fn check_room(ledger: &Path) -> CmdResult<()> {
    let size = std::fs::metadata(ledger).map(|m| m.len()).unwrap_or(0);
    let dir = ledger.parent().unwrap_or(Path::new("."));
    let free = fs4::available_space(dir).map_err(LedgerError::io(dir))?;
    let need = size * 3 + 64 * 1024 * 1024;
    if free < need {
        return Err(LedgerError::DiskFull {
            path: hub_file(ledger),
        }
        .into());
    }
    Ok(())
}

/// Seeds the hub from this PC's ledger (which becomes the first PC and
/// keeps its numbers), starts serving, and points this PC's sync at it.
pub fn become_hub(state: &AppState) -> CmdResult<()> {
    let ledger = state.path();
    let hub = hub_file(&ledger);
    check_room(&ledger)?;
    let identity = Identity::generate()?;
    let stored = HubIdentity {
        name: pc_name(),
        cert: identity.cert_der.clone(),
        key: identity.key_der.clone(),
        fingerprint: identity.fingerprint(),
    };
    HubStore::create(&hub, &ledger, &stored, &pc_name(), &wall_clock())?;
    let serving = start_serving(&hub)?;
    let local = format!("https://127.0.0.1:{}", serving.served.local_addr.port());
    state.set_serving(serving);
    state.reopen();
    state.on_ledger(|l| l.set_sync_url(&local))?;
    state.reopen();
    Ok(())
}

/// Starts the app with the user's login, so the hub serves after a
/// restart without anyone opening it (no administrator rights: a login
/// item of the user). A failure is told in the log only: the hub serves
/// now either way.
pub fn start_with_login(app: &tauri::AppHandle) {
    use tauri_plugin_autostart::ManagerExt;
    if let Err(e) = app.autolaunch().enable() {
        eprintln!("ログイン時に起動する設定ができませんでした: {e}");
    }
}

/// A new one-time pairing code, its QR code and the hub's address.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PairingOffer {
    pub code: String,
    pub minutes: u32,
    pub hub_url: String,
    /// The code and address as a QR code (SVG), for a phone-sized client.
    pub qr_svg: String,
}

const PAIRING_MINUTES: u32 = 30;

pub fn pairing_offer(state: &AppState) -> CmdResult<PairingOffer> {
    let (office, url) = state.serving().ok_or_else(|| {
        CommandError::from(LedgerError::Conflict(
            "このPCは親機ではありません。「このPCを親機にする」を先に行ってください。".into(),
        ))
    })?;
    let secret = office.offer_pairing(i64::from(PAIRING_MINUTES))?;
    let code = PairingCode::new(&secret, &office.identity()?.fingerprint)?.to_string();
    let link = format!("daicho://join?hub={url}&code={code}");
    let qr_svg = qrcode::QrCode::new(link.as_bytes())
        .map(|qr| {
            qr.render::<qrcode::render::svg::Color>()
                .min_dimensions(180, 180)
                .build()
        })
        .unwrap_or_default();
    Ok(PairingOffer {
        code,
        minutes: PAIRING_MINUTES,
        hub_url: url,
        qr_svg,
    })
}

/// Puts the office ledger received at `incoming` in place of this PC's.
/// This PC's own ledger is kept beside it when it had customers (the
/// caller offers them for import), else removed. Returns the kept file.
pub fn swap_in(state: &AppState, incoming: &Path, keep: bool) -> CmdResult<Option<PathBuf>> {
    let ledger = state.path();
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let kept = ledger.with_file_name(format!("daicho-before-joining-{stamp}.sqlite3"));
    state.replaced(|| backup::replace_with(&ledger, incoming, keep.then_some(kept.as_path())))?;
    Ok(keep.then_some(kept))
}
