//! Who is asking: the client's address, also behind the proxies the operator trusts.
//!
//! Behind nginx or a load balancer every connection comes from the proxy; the reader's address is
//! in `X-Forwarded-For` (or `Forwarded`), which anyone can also send. So forwarded headers count
//! only when the connection comes from a trusted proxy (`ZENDER_TRUSTED_PROXIES`), and then the
//! client is the rightmost address that is not one of them: a proxy appends what it saw, so
//! everything left of that is the client's own say. IPv6 clients count per /64 (one household or
//! phone has a whole prefix to pick addresses from).

use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

/// The proxies whose forwarded headers count.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// From a comma-separated CIDR list (`10.0.0.0/8, 127.0.0.1`); a bare address is a /32 or
    /// /128.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("not an address or CIDR range: {item:?}"))?;
            nets.push(net);
        }
        Ok(TrustedProxies(Arc::new(nets)))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// The client of a request, as rate limits, the login throttle and bans see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client(pub IpAddr);

impl Client {
    /// What limits and bans count by: the address, or for IPv6 its /64.
    pub fn key(&self) -> String {
        match canonical(self.0) {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        }
    }
}

/// IPv4 addresses that arrive mapped into IPv6 (`::ffff:a.b.c.d`) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One address of a forwarding header: `203.0.113.7`, `[2001:db8::1]:4711`, `"…"`; `None` for
/// `unknown` and obfuscated identifiers (`_hidden`).
fn forwarded_address(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim().trim_matches('"');
    if let Some(rest) = raw.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    raw.parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The addresses a request says it was forwarded for, oldest (leftmost) first: from
/// `X-Forwarded-For`, or else from `Forwarded`'s `for=` parameters. `None` in the list is an
/// address that cannot be read.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect()
    };
    let xff = values("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| v.split(','))
            .map(forwarded_address)
            .collect();
    }
    values("forwarded")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then_some(value)
                })
                .and_then(forwarded_address)
        })
        .collect()
}

/// The client of a connection from `peer` with these headers.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> Client {
    let peer = canonical(peer);
    if !trusted.trusts(peer) {
        return Client(peer);
    }
    // From the right: skip our own proxies; the first other address is the client. An address
    // that cannot be read ends the walk (everything left of it is unverifiable).
    let mut client = peer;
    for hop in forwarded_chain(headers).into_iter().rev() {
        match hop {
            Some(ip) if trusted.trusts(ip) => client = canonical(ip),
            Some(ip) => return Client(canonical(ip)),
            None => break,
        }
    }
    Client(client)
}

/// Puts the request's [`Client`] in its extensions, for the handlers that count or ban.
pub async fn resolve(
    State(trusted): State<TrustedProxies>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let found = client(peer.ip(), request.headers(), &trusted);
    request.extensions_mut().insert(found);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_forwarded_headers_are_ignored() {
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.9")]);
        let none = TrustedProxies::default();
        assert_eq!(
            client(ip("203.0.113.7"), &spoofed, &none),
            Client(ip("203.0.113.7"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        // The client claims 1.2.3.4; nginx appended what it saw; an inner balancer too.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.9, 10.0.0.5")]);
        assert_eq!(
            client(ip("127.0.0.1"), &chain, &trusted),
            Client(ip("198.51.100.9"))
        );
        let split = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "198.51.100.9"),
        ]);
        assert_eq!(
            client(ip("127.0.0.1"), &split, &trusted),
            Client(ip("198.51.100.9"))
        );
        // From anyone else the header is just text.
        assert_eq!(
            client(ip("203.0.113.7"), &chain, &trusted),
            Client(ip("203.0.113.7"))
        );
        // Nothing forwarded: the proxy itself.
        assert_eq!(
            client(ip("127.0.0.1"), &HeaderMap::new(), &trusted),
            Client(ip("127.0.0.1"))
        );
    }

    #[test]
    fn the_forwarded_header_counts_too() {
        let trusted = TrustedProxies::parse("::1").unwrap();
        let forwarded = headers(&[(
            "forwarded",
            r#"for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711";by=_proxy"#,
        )]);
        assert_eq!(
            client(ip("::1"), &forwarded, &trusted),
            Client(ip("2001:db8:cafe::17"))
        );
        let hidden = headers(&[("forwarded", "for=192.0.2.60, for=_hidden")]);
        assert_eq!(client(ip("::1"), &hidden, &trusted), Client(ip("::1")));
    }

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            Client(ip("2001:db8:1:2:a:b:c:d")).key(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(Client(ip("2001:db8:1:2::99")).key(), "2001:db8:1:2::/64");
        assert_eq!(Client(ip("::ffff:192.0.2.1")).key(), "192.0.2.1");
        assert_eq!(Client(ip("192.0.2.1")).key(), "192.0.2.1");
    }

    #[test]
    fn proxy_lists_are_cidr_ranges_or_addresses() {
        assert!(TrustedProxies::parse("10.0.0.0/8, 192.168.1.1, ::1, fd00::/8").is_ok());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
        assert!(TrustedProxies::parse("nginx").is_err());
    }
}
