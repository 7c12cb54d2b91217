//! The hub's own certificate: made once when the hub is created and kept
//! in its database, so every PC that pinned it keeps trusting the same hub.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::SyncError;

/// A self-signed certificate and its private key (PKCS#8), both DER. The
/// names in the certificate mean nothing: a PC trusts the hub by the
/// certificate's fingerprint, never by a name or a date.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
}

impl Identity {
    /// A new key pair (ECDSA P-256) and a certificate for it.
    pub fn generate() -> Result<Self, SyncError> {
        let made = rcgen::generate_simple_self_signed(vec!["daicho-hub".to_string()])
            .map_err(|e| SyncError::Serve(format!("親機の証明書を作れません: {e}")))?;
        Ok(Self {
            cert_der: made.cert.der().to_vec(),
            key_der: made.signing_key.serialize_der(),
        })
    }

    /// Lowercase hex SHA-256 of the certificate: what a PC pins.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.cert_der)
    }
}

/// The private key stays out of logs and panic messages.
impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

/// Lowercase hex SHA-256 of a certificate's DER.
pub(crate) fn fingerprint(cert_der: &[u8]) -> String {
    Sha256::digest(cert_der)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
