//! Per-address limits on what anyone may post without an account (the pages' forms, the public
//! JSON API), so one sender (or a bot) cannot flood the queue. A person who trips the pages'
//! limit gets their form back with every word kept and a plain explanation; an API client gets
//! a 429 saying when to try again. Limits are per node; behind a load balancer each node counts
//! its own share.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub(crate) struct PostLimits {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl PostLimits {
    pub(crate) fn per_minute(n: u32) -> Self {
        let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        PostLimits {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)),
            checks: AtomicU64::new(0),
        }
    }

    /// Ok, or how many whole minutes to wait.
    pub(crate) fn check(&self, address: IpAddr) -> Result<(), u64> {
        // Forget idle addresses now and then, so the table stays small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&bucket(address))
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                wait.as_secs().div_ceil(60).max(1)
            })
    }
}

/// One household or phone network gets a whole IPv6 /64, so that is what counts as one sender.
fn bucket(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d: each is its own sender.
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => {
            v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(address)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// The client's address: from the trusted proxy's header when configured, else the connection.
pub(crate) fn client_address(parts: &Parts, header: Option<&HeaderName>) -> IpAddr {
    if let Some(name) = header
        && let Some(ip) = parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            // X-Forwarded-For lists every hop; the last was added by our own proxy.
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return ip;
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        // Served without connection info (only in embedded use): everyone shares one bucket.
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

/// The public API's limit, with how to find the client's address.
pub(crate) struct PublicApiLimit {
    pub limits: PostLimits,
    pub client_ip_header: Option<HeaderName>,
}

/// Whether a path is one of the public API's posts (staff posts need a token and are not
/// limited here).
fn is_public_post(path: &str) -> bool {
    path == "/api/v1/cases" || path.starts_with("/api/v1/track/")
}

/// Middleware: refuses a public API post over the sender's limit, before it is read.
pub(crate) async fn limit_public_api(
    State(limit): State<Arc<PublicApiLimit>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST && is_public_post(request.uri().path()) {
        let (parts, body) = request.into_parts();
        let address = client_address(&parts, limit.client_ip_header.as_ref());
        if let Err(minutes) = limit.limits.check(address) {
            return crate::ApiError::RateLimited { minutes }.into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_limited_and_others_are_not() {
        let limits = PostLimits::per_minute(3);
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        for _ in 0..3 {
            assert!(limits.check(a).is_ok());
        }
        assert_eq!(limits.check(a), Err(1));
        assert!(limits.check(b).is_ok());
        // Two addresses in one IPv6 /64 are one sender.
        let c: IpAddr = "2001:db8::1".parse().expect("ip");
        let d: IpAddr = "2001:db8::2".parse().expect("ip");
        for _ in 0..3 {
            assert!(limits.check(c).is_ok());
        }
        assert!(limits.check(d).is_err());
        // IPv4 clients of a dual-stack listener are not one IPv6 sender.
        let e: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        let f: IpAddr = "::ffff:192.0.2.8".parse().expect("ip");
        for _ in 0..3 {
            assert!(limits.check(e).is_ok());
        }
        assert!(limits.check(f).is_ok());
        assert!(limits.check("192.0.2.7".parse().expect("ip")).is_err());
    }
}
