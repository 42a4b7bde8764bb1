//! What a TLS connection to a mail server trusts, shared by IMAP and the SMTP relay: Mozilla's
//! public roots, plus the certificates of an extra CA read from a PEM file (a private CA, or a
//! server's self-signed certificate). Also which hosts may be spoken to without TLS at all.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;

/// The certificate authorities a TLS connection accepts.
#[derive(Clone, Default)]
pub struct Trust {
    /// Beyond the public roots, from `ca_file`.
    extra: Vec<CertificateDer<'static>>,
}

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} holds no PEM certificate")]
    NoCertificate(String),
    #[error("{path} is not a valid PEM certificate: {reason}")]
    Invalid { path: String, reason: String },
}

impl Trust {
    /// The public roots only.
    pub fn public() -> Trust {
        Trust::default()
    }

    /// The public roots and every certificate in the PEM file at `path`.
    pub fn with_ca_file(path: &Path) -> Result<Trust, TrustError> {
        let name = path.display().to_string();
        let pem = std::fs::read(path).map_err(|source| TrustError::Read {
            path: name.clone(),
            source,
        })?;
        let extra = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TrustError::Invalid {
                path: name.clone(),
                reason: e.to_string(),
            })?;
        if extra.is_empty() {
            return Err(TrustError::NoCertificate(name));
        }
        // A certificate the verifier cannot use is refused now, not at the first connection.
        let mut roots = rustls::RootCertStore::empty();
        for cert in &extra {
            roots.add(cert.clone()).map_err(|e| TrustError::Invalid {
                path: name.clone(),
                reason: e.to_string(),
            })?;
        }
        Ok(Trust { extra })
    }

    /// The extra CA certificates (DER), for a TLS client other than ours (lettre's).
    pub(crate) fn extra_der(&self) -> impl Iterator<Item = &[u8]> {
        self.extra.iter().map(|c| c.as_ref())
    }

    /// A rustls client configuration trusting these roots, on the ring provider.
    pub(crate) fn client_config(&self) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for cert in &self.extra {
            roots.add(cert.clone())?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Trust(public roots + {} extra)", self.extra.len())
    }
}

/// Whether `host` is this machine (`localhost`, 127.0.0.0/8, ::1): the only place mail may go
/// without TLS, since nothing on the way can read the password or the mail.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || is_mapped_loopback(ip))
}

/// `::ffff:127.0.0.1` is IPv4's loopback written as IPv6.
fn is_mapped_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        IpAddr::V4(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_loopback() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "[::1]",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "mail.example.com",
            "10.0.0.1",
            "192.168.1.1",
            "::",
            "0.0.0.0",
            "localhost.example.com",
            "128.0.0.1",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let dir = std::env::temp_dir().join(format!("redress-trust-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        assert!(matches!(
            Trust::with_ca_file(&empty),
            Err(TrustError::NoCertificate(_))
        ));
        assert!(matches!(
            Trust::with_ca_file(&dir.join("missing.pem")),
            Err(TrustError::Read { .. })
        ));
        let public = Trust::public().client_config();
        assert!(public.is_ok(), "{public:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
