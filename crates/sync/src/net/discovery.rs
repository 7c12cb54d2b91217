//! Finding the office hub on the LAN (issue #20): while the hub serves on
//! every interface it announces itself by mDNS/DNS-SD, and a PC that joins
//! lists the hubs that answer, so nobody has to know an address. Nothing
//! learnt this way is trusted: the pairing code carries the start of the
//! hub's certificate fingerprint, which the PC checks before it sends
//! anything (`PairingCode`), so an impostor's answer leads nowhere.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use mdns_sd::{ResolvedService, ServiceDaemon, ServiceEvent, ServiceInfo};
use serde::Serialize;

use crate::error::SyncError;

/// The DNS-SD service type of a Daichō hub.
const SERVICE: &str = "_daicho-hub._tcp.local.";

/// The TXT keys a hub announces.
const OFFICE: &str = "office";
const PC: &str = "pc";
const FINGERPRINT: &str = "fp";

/// A hub being announced; dropping it withdraws the announcement.
pub struct Announced {
    daemon: ServiceDaemon,
    fullname: String,
}

impl std::fmt::Debug for Announced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Announced")
            .field("fullname", &self.fullname)
            .finish()
    }
}

impl Drop for Announced {
    fn drop(&mut self) {
        // A goodbye packet, so the PCs' lists drop this hub at once.
        if let Ok(done) = self.daemon.unregister(&self.fullname) {
            let _ = done.recv_timeout(Duration::from_secs(1));
        }
        let _ = self.daemon.shutdown();
    }
}

/// Announces the hub of `office` on this PC (`pc`), serving on `port`.
pub fn announce(
    office: &str,
    pc: &str,
    port: u16,
    fingerprint: &str,
) -> Result<Announced, SyncError> {
    let daemon = ServiceDaemon::new().map_err(cannot)?;
    // The instance and host names must be unique on the LAN: two offices in
    // one building may both call themselves 事務所, and a PC named in
    // Japanese has no DNS name of its own (its name goes in the TXT record).
    let instance = format!("daicho-{}", &fingerprint[..fingerprint.len().min(16)]);
    let host = format!("{instance}.local.");
    let properties = [(OFFICE, office), (PC, pc), (FINGERPRINT, fingerprint)];
    let info = ServiceInfo::new(SERVICE, &instance, &host, "", port, &properties[..])
        .map_err(cannot)?
        .enable_addr_auto();
    let fullname = info.get_fullname().to_string();
    daemon.register(info).map_err(cannot)?;
    Ok(Announced { daemon, fullname })
}

/// A hub that answered on the LAN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FoundHub {
    /// The office's name, as its hub was named.
    pub office: String,
    /// The name of the PC the hub runs on.
    pub pc: String,
    /// The address a PC joins by: `IP:PORT`.
    pub address: String,
    pub fingerprint: String,
}

/// The hubs that answer within `wait`, by office name.
pub fn find_hubs(wait: Duration) -> Result<Vec<FoundHub>, SyncError> {
    let daemon = ServiceDaemon::new().map_err(cannot)?;
    let events = daemon.browse(SERVICE).map_err(cannot)?;
    let deadline = Instant::now() + wait;
    let mut found = BTreeMap::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(ServiceEvent::ServiceResolved(service)) => {
                if let Some(hub) = found_hub(&service) {
                    found.insert(hub.fingerprint.clone(), hub);
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let _ = daemon.shutdown();
    let mut hubs: Vec<FoundHub> = found.into_values().collect();
    hubs.sort_by(|a, b| (&a.office, &a.pc).cmp(&(&b.office, &b.pc)));
    Ok(hubs)
}

fn found_hub(service: &ResolvedService) -> Option<FoundHub> {
    let property = |key| {
        service
            .txt_properties
            .get_property_val_str(key)
            .map(str::to_string)
    };
    // IPv4 first: an office LAN always has it, and a link-local IPv6
    // address would need its interface named.
    let ip = service
        .get_addresses_v4()
        .into_iter()
        .filter(|ip| !ip.is_loopback())
        .min()
        .map(IpAddr::V4)?;
    Some(FoundHub {
        office: property(OFFICE)?,
        pc: property(PC).unwrap_or_default(),
        address: format!("{ip}:{}", service.port),
        fingerprint: property(FINGERPRINT)?,
    })
}

fn cannot(e: mdns_sd::Error) -> SyncError {
    SyncError::Discovery(e.to_string())
}
