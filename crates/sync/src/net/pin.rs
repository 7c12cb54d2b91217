//! How a PC trusts the hub: by the SHA-256 of its certificate, never by a
//! certificate authority or a host name (an office LAN has neither). The
//! handshake's signatures are still checked, so only the holder of the
//! pinned certificate's key can answer.

use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};

use super::identity::fingerprint;
use super::pairing::PairingCode;

/// What the PC knows of the hub's certificate.
#[derive(Debug)]
pub(crate) enum Pin {
    /// Its whole fingerprint, remembered at pairing.
    Whole(String),
    /// The 40 bits a pairing code carries.
    Pairing(PairingCode),
}

#[derive(Debug)]
pub(crate) struct PinnedVerifier {
    pin: Pin,
    /// The fingerprint of the last certificate this verifier accepted:
    /// what a PC remembers after pairing.
    accepted: Mutex<Option<String>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedVerifier {
    pub(crate) fn new(pin: Pin) -> Arc<Self> {
        Arc::new(Self {
            pin,
            accepted: Mutex::new(None),
            algorithms: rustls::crypto::ring::default_provider().signature_verification_algorithms,
        })
    }

    pub(crate) fn accepted(&self) -> Option<String> {
        self.accepted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A TLS client configuration that trusts only this pin.
    pub(crate) fn client_config(self: &Arc<Self>) -> Arc<ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("the ring provider supports rustls's default protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(Arc::clone(self) as Arc<dyn ServerCertVerifier>)
            .with_no_client_auth();
        Arc::new(config)
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = fingerprint(end_entity);
        let trusted = match &self.pin {
            Pin::Whole(pinned) => pinned.eq_ignore_ascii_case(&seen),
            Pin::Pairing(code) => code.matches(&seen),
        };
        if !trusted {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ));
        }
        *self.accepted.lock().unwrap_or_else(PoisonError::into_inner) = Some(seen);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Whether a failed request was refused by the pin (the verifier's error,
/// wherever in the chain of causes the HTTP client put it).
pub(crate) fn refused_by_pin(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(rustls::Error::InvalidCertificate(
            CertificateError::ApplicationVerificationFailure,
        )) = error.downcast_ref::<rustls::Error>()
        {
            return true;
        }
        // An io::Error's `source` skips the error it wraps.
        if let Some(inner) = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            if refused_by_pin(inner) {
                return true;
            }
        }
        next = error.source();
    }
    false
}
