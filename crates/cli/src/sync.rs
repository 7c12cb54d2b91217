//! Several PCs from the command line (issue #19): the office hub (`hub
//! init`, `hub serve`, `hub pair`), a PC joining (`join`), syncing
//! (`sync`) and the conflicts the hub recorded (`conflicts`). The same flows
//! as the app, for admins, scripts and tests.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use clap::Subcommand;
use daicho_ledger::sync::hub::{HubStore, Identity as HubIdentity};
use daicho_ledger::sync::spoke::Joined;
use daicho_ledger::LATEST_VERSION;
use daicho_sync::net::{find_hubs, pc_name, serve, Client, Identity, PairingCode};
use daicho_sync::office::{wall_clock, Office};
use daicho_sync::spoke::{receive, sync_once, Report};
use daicho_sync::SyncError;
use serde_json::json;

use crate::output::{print_json, Failure};
use crate::signin;

/// How long a pairing code stays valid.
const PAIRING_MINUTES: i64 = 30;
/// Between syncs while the hub answers (`daicho sync` without --once).
const SYNC_EVERY: Duration = daicho_sync::worker::EVERY;

#[derive(Subcommand)]
pub enum HubAction {
    /// 事務所の台帳から親機を作る（その台帳のPCが1台目になります）
    Init {
        /// 今の台帳（1台目のPCの台帳。番号はそのまま使います）
        #[arg(long)]
        from: std::path::PathBuf,
        /// 親機の名前（既定: このPCの名前）
        #[arg(long)]
        name: Option<String>,
        /// 1台目のPCの名前
        #[arg(long, default_value = "事務所のPC")]
        pc_name: String,
    },
    /// 親機として待ち受ける（127.0.0.1:0 で空いているポート。--json なら最初の行が {"url", "fingerprint"}）
    Serve {
        /// 既定: 0.0.0.0 の親機のポート（47210）
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// 新しいPCをつなぐための接続コードを出す（30分有効・1回限り）
    Pair,
}

/// `daicho hubs`: the hubs that answer on this PC's network.
pub fn hubs(wait_seconds: f64, json: bool) -> Result<(), Failure> {
    let hubs = find_hubs(Duration::from_secs_f64(wait_seconds))?;
    if json {
        print_json(&hubs);
    } else if hubs.is_empty() {
        println!(
            "同じネットワークに親機が見つかりません。親機のPCでアプリ（または daicho hub serve）\
             が動いているか、同じネットワークにいるかを確かめてください。"
        );
    } else {
        for hub in &hubs {
            println!("{}（{}）: {}", hub.office, hub.pc, hub.address);
        }
    }
    Ok(())
}

pub fn hub(path: &Path, action: &HubAction, json: bool) -> Result<(), Failure> {
    match action {
        HubAction::Init {
            from,
            name,
            pc_name: first,
        } => {
            let identity = Identity::generate()?;
            let fingerprint = identity.fingerprint();
            let name = name.clone().unwrap_or_else(pc_name);
            let hub = HubIdentity {
                name,
                cert: identity.cert_der,
                key: identity.key_der,
                fingerprint: fingerprint.clone(),
            };
            HubStore::create(path, from, &hub, first, &wall_clock())?;
            if json {
                print_json(&json!({"hub": path, "fingerprint": fingerprint, "first_device": 0}));
            } else {
                println!(
                    "親機の台帳を {} に作りました。{} はこの親機の1台目のPCです。\n次に \
                     daicho hub serve で親機を始め、1台目で daicho sync --hub URL を実行してく\
                     ださい。",
                    path.display(),
                    from.display()
                );
            }
            Ok(())
        }
        HubAction::Serve { listen } => hub_serve(
            path,
            listen.unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], daicho_sync::net::HUB_PORT))),
            json,
        ),
        HubAction::Pair => {
            let office = Office::new(HubStore::open(path)?);
            let secret = office.offer_pairing(PAIRING_MINUTES)?;
            let identity = office.certificate()?;
            let code = PairingCode::new(&secret, &identity.fingerprint())?;
            if json {
                print_json(&json!({"code": code.to_string(), "minutes": PAIRING_MINUTES}));
            } else {
                println!("接続コード: {code}（{PAIRING_MINUTES}分有効・1回限り）");
            }
            Ok(())
        }
    }
}

fn hub_serve(path: &Path, listen: SocketAddr, json: bool) -> Result<(), Failure> {
    let office = Arc::new(Office::new(HubStore::open(path)?));
    let identity = office.certificate()?;
    let name = office.identity()?.name;
    let mut served = serve(office, listen, &identity)?;
    if let Err(e) = served.announce(&name, &pc_name()) {
        // The PCs can still join by the address printed below.
        eprintln!("{e}");
    }
    if json {
        // One line, so that a script reads it before the hub serves on.
        println!(
            "{}",
            json!({"url": served.url, "fingerprint": served.fingerprint})
        );
    } else {
        println!(
            "親機を始めました: {}（証明書 {}）。止めるには Ctrl+C。",
            served.url, served.fingerprint
        );
    }
    // Serves until the process is stopped; every change the hub takes is
    // one transaction, so a stop at any moment loses nothing.
    loop {
        std::thread::park();
    }
}

pub fn join(
    path: &Path,
    hub_url: &str,
    code: &str,
    name: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let code = PairingCode::parse(code)?;
    let name = name.map_or_else(pc_name, str::to_string);
    let (paired, fingerprint) = Client::pair(hub_url, &code, &name, LATEST_VERSION)?;
    let joined = Joined {
        url: hub_url.to_string(),
        fingerprint: fingerprint.clone(),
        token: paired.token,
        device: paired.device,
        hub_name: paired.hub_name,
    };
    let client = Client::new(hub_url, &fingerprint);
    let info = receive(&client, &joined, path)?;
    if json {
        print_json(
            &json!({"device": joined.device, "hub": joined.hub_name, "seq": info.seq, "bytes": info.bytes}),
        );
    } else {
        println!(
            "親機「{}」につなぎました。このPCの台帳: {}（PC番号 {}）",
            joined.hub_name,
            path.display(),
            joined.device
        );
    }
    Ok(())
}

/// `daicho sync --check`: whether this copy is the hub's; `--repair`
/// replaces a drifted one with the hub's (the app must be closed).
pub fn check(path: &Path, repair: bool, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let state = ledger.sync_state()?.ok_or(SyncError::NotJoined)?;
    let client = Client::new(&state.hub.url, &state.hub.fingerprint);
    sync_once(&mut ledger, &client)?;
    let differing = daicho_sync::spoke::check(&ledger, &client)?;
    drop(ledger);
    let kept = match (&differing, repair) {
        (Some(tables), true) if !tables.is_empty() => {
            Some(daicho_sync::spoke::repair(path, &client)?)
        }
        _ => None,
    };
    if json {
        print_json(
            &json!({"same": differing.as_ref().map(Vec::is_empty), "differing": differing, "kept": kept}),
        );
    } else {
        match (&differing, &kept) {
            (None, _) => {
                println!("親機の記録が進んでいるため、今は比べられません。もう一度お試しください。")
            }
            (Some(t), _) if t.is_empty() => println!("この台帳は親機の台帳と同じです。"),
            (Some(t), Some(kept)) => println!(
                "食い違い（{}）を親機の写しで直しました。前の台帳は {} に残しました。",
                t.join("・"),
                kept.display()
            ),
            (Some(t), None) => println!(
                "親機の台帳と食い違っています（{}）。--repair で親機の写しに置き換えます。",
                t.join("・")
            ),
        }
    }
    Ok(())
}

pub fn sync(path: &Path, hub_url: Option<&str>, once: bool, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    if let Some(url) = hub_url {
        ledger.set_sync_url(url)?;
    }
    let state = ledger.sync_state()?.ok_or(SyncError::NotJoined)?;
    if state.hub.url.is_empty() {
        return Err(SyncError::Pairing(
            "親機の場所がまだわかりません。--hub URL（daicho hub serve が表示したもの）を付け\
             て実行してください。"
                .into(),
        )
        .into());
    }
    let client = Client::new(&state.hub.url, &state.hub.fingerprint);
    loop {
        match sync_once(&mut ledger, &client) {
            Ok(report) => print_report(&report, json),
            Err(error) if !once && error.is_transient() => {
                eprintln!("{error}");
            }
            Err(error) => return Err(error.into()),
        }
        if once {
            return Ok(());
        }
        std::thread::sleep(SYNC_EVERY);
    }
}

fn print_report(report: &Report, json: bool) {
    if json {
        print_json(&json!(report));
    } else {
        println!(
            "送信 {} 件・受信 {} 件・確認が必要な変更 {} 件",
            report.pushed, report.pulled, report.conflicts
        );
    }
}

pub fn conflicts(path: &Path, all: bool, json: bool) -> Result<(), Failure> {
    let ledger = signin::open(path)?;
    let list = ledger.sync_conflicts(!all)?;
    if json {
        print_json(&json!(list));
        return Ok(());
    }
    for c in &list {
        println!(
            "{} {} {} {}: 元 {:?} / A {:?}（PC {:?}） / B {:?}（PC {:?}） → {}",
            c.at,
            c.table,
            c.customer_id
                .map(daicho_ledger::ids::display)
                .unwrap_or_default(),
            c.field,
            c.base,
            c.a,
            c.a_device,
            c.b,
            c.b_device,
            c.kept
        );
    }
    Ok(())
}
