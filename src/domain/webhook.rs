//! Webhooks (docs/DESIGN.md, "Reminders"): which addresses may receive,
//! the bodies of each format, the signature, and when to try again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::reminder::NotificationKind;
use super::workflow::stored_enum;
use crate::error::{AppError, AppResult};

stored_enum!(
    WebhookFormat {
        Json = "JSON",
        Wecom = "WECOM",
        Dingtalk = "DINGTALK",
        Feishu = "FEISHU",
    }
);

/// Deliveries are tried again for this long after the notification, then given up.
pub const RETRY_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// One POST may take this long.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// The first retry after about this long, doubling up to `MAX_BACKOFF`.
pub const FIRST_BACKOFF_SECONDS: i64 = 30;
pub const MAX_BACKOFF_SECONDS: i64 = 3600;

/// The wait before attempt `attempts + 1`, after `attempts` failed ones:
/// 30 s, 1 min, 2 min … up to an hour, times `jitter` (0.8 to 1.2, drawn
/// by the caller) so that receivers coming back are not hit all at once.
pub fn backoff(attempts: u32, jitter: f64) -> chrono::TimeDelta {
    let exponent = attempts.saturating_sub(1).min(20);
    let base = (FIRST_BACKOFF_SECONDS << exponent).min(MAX_BACKOFF_SECONDS) as f64;
    chrono::TimeDelta::milliseconds((base * jitter.clamp(0.8, 1.2) * 1000.0) as i64)
}

/// A checked webhook URL: its host and port to resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

/// http or https, with a host, at most 500 characters, no credentials.
pub fn check_url(url: &str) -> AppResult<Target> {
    let refuse = |message: &str| AppError::bad_input("url", message.to_owned());
    if url.len() > 500 {
        return Err(refuse("地址不能超过500个字符"));
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| refuse("地址无效"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse("只接受 http 或 https 地址"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse("地址不能包含用户名或密码"));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| refuse("地址缺少主机"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| refuse("地址无效"))?;
    Ok(Target { host, port })
}

/// Whether an address is on the public internet: not loopback, private,
/// link-local (the cloud metadata address 169.254.169.254 among them),
/// shared (100.64/10), unspecified, broadcast, documentation or multicast.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// What a webhook body says: numbers, dates and the organisation, never a person.
#[derive(Clone, Debug)]
pub struct Payload<'a> {
    pub kind: NotificationKind,
    pub organization_code: &'a str,
    pub organization_name: &'a str,
    pub tracking_no: Option<&'a str>,
    pub due_on: Option<chrono::NaiveDate>,
    pub message: &'a str,
    /// RFC 3339, China time.
    pub created_at: &'a str,
}

/// The request body of a format: the signed JSON, or the text message of
/// a group robot (企业微信/政务微信, 钉钉/浙政钉, 飞书).
pub fn body(format: WebhookFormat, payload: &Payload<'_>) -> String {
    let text = format!("【{}】{}", payload.organization_name, payload.message);
    let value = match format {
        WebhookFormat::Json => serde_json::json!({
            "kind": payload.kind.as_str(),
            "organizationCode": payload.organization_code,
            "trackingNo": payload.tracking_no,
            "dueOn": payload.due_on.map(|d| d.to_string()),
            "message": payload.message,
            "createdAt": payload.created_at,
        }),
        WebhookFormat::Wecom | WebhookFormat::Dingtalk => serde_json::json!({
            "msgtype": "text",
            "text": { "content": text },
        }),
        WebhookFormat::Feishu => serde_json::json!({
            "msg_type": "text",
            "content": { "text": text },
        }),
    };
    value.to_string()
}

/// `X-Gongkai-Signature`: `sha256=` and the hex HMAC-SHA256, under the
/// webhook's secret, of `{timestamp}.{body}` (`X-Gongkai-Timestamp` is the
/// Unix time in seconds).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The kinds a webhook wants, as stored: ",DUE_SOON,OVERDUE," or "" for all.
pub fn kinds_to_stored(kinds: &[NotificationKind]) -> String {
    if kinds.is_empty() {
        return String::new();
    }
    let mut stored = String::from(",");
    for kind in NotificationKind::ALL.iter().filter(|k| kinds.contains(k)) {
        stored.push_str(kind.as_str());
        stored.push(',');
    }
    stored
}

pub fn kinds_from_stored(stored: &str) -> Vec<NotificationKind> {
    let listed: Vec<NotificationKind> = stored
        .split(',')
        .filter_map(<NotificationKind as super::workflow::StoredEnum>::parse)
        .collect();
    if listed.is_empty() {
        NotificationKind::ALL.to_vec()
    } else {
        listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_urls_are_accepted() {
        #[rustfmt::skip]
        let rows = [
            ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", Some(("qyapi.weixin.qq.com", 443))),
            ("http://10.1.2.3:8080/hook", Some(("10.1.2.3", 8080))),
            ("http://[::1]:9000/", Some(("::1", 9000))),
            ("ftp://example.cn/", None),
            ("file:///etc/passwd", None),
            ("http://user:pw@example.cn/", None),
            ("not a url", None),
        ];
        for (url, want) in rows {
            let got = check_url(url).ok().map(|t| (t.host, t.port));
            assert_eq!(got, want.map(|(h, p)| (h.to_owned(), p)), "{url}");
        }
    }

    #[test]
    fn which_addresses_are_public() {
        #[rustfmt::skip]
        let rows = [
            ("127.0.0.1", false), ("10.0.0.8", false), ("172.16.5.4", false), ("192.168.1.1", false),
            ("169.254.169.254", false), ("100.64.0.1", false), ("0.0.0.0", false), ("255.255.255.255", false),
            ("::1", false), ("fd00::1", false), ("fe80::1", false), ("::ffff:127.0.0.1", false),
            ("::ffff:10.0.0.1", false), ("::", false),
            ("101.91.22.57", true), ("8.8.8.8", true), ("2400:da00::6666", true),
        ];
        for (ip, public) in rows {
            assert_eq!(is_public(ip.parse().unwrap()), public, "{ip}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_an_hour() {
        let s = |attempts, jitter| backoff(attempts, jitter).num_seconds();
        assert_eq!(
            [
                s(1, 1.0),
                s(2, 1.0),
                s(3, 1.0),
                s(4, 1.0),
                s(8, 1.0),
                s(30, 1.0)
            ],
            [30, 60, 120, 240, 3600, 3600]
        );
        assert_eq!((s(1, 0.8), s(1, 1.2), s(1, 5.0)), (24, 36, 36));
    }

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // printf '1767225600.{}' | openssl dgst -sha256 -hmac secret
        assert_eq!(
            signature("secret", 1_767_225_600, "{}"),
            "sha256=fa7eaa06bf97d7815f3f456e97cde70c9e50cb005f01660c8d10b10c21964887"
        );
    }

    #[test]
    fn bodies_of_each_format() {
        let payload = Payload {
            kind: NotificationKind::DueSoon,
            organization_code: "PYNC",
            organization_name: "南村镇人民政府",
            tracking_no: Some("PYNC-2026-00012"),
            due_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 29),
            message: "申请 PYNC-2026-00012 将于 2026-12-29 到期，剩 2 个工作日。",
            created_at: "2026-12-25T09:00:00+08:00",
        };
        let parse = |f| serde_json::from_str::<serde_json::Value>(&body(f, &payload)).unwrap();
        let text = "【南村镇人民政府】申请 PYNC-2026-00012 将于 2026-12-29 到期，剩 2 个工作日。";
        assert_eq!(
            parse(WebhookFormat::Json),
            serde_json::json!({ "kind": "DUE_SOON", "organizationCode": "PYNC", "trackingNo": "PYNC-2026-00012",
                "dueOn": "2026-12-29", "message": payload.message, "createdAt": "2026-12-25T09:00:00+08:00" })
        );
        assert_eq!(
            parse(WebhookFormat::Wecom),
            serde_json::json!({ "msgtype": "text", "text": { "content": text } })
        );
        assert_eq!(
            parse(WebhookFormat::Dingtalk),
            serde_json::json!({ "msgtype": "text", "text": { "content": text } })
        );
        assert_eq!(
            parse(WebhookFormat::Feishu),
            serde_json::json!({ "msg_type": "text", "content": { "text": text } })
        );
    }

    #[test]
    fn kinds_as_stored() {
        use NotificationKind::*;
        assert_eq!(kinds_to_stored(&[Overdue, DueSoon]), ",DUE_SOON,OVERDUE,");
        assert_eq!(kinds_to_stored(&[]), "");
        assert_eq!(
            kinds_from_stored(",DUE_SOON,OVERDUE,"),
            vec![DueSoon, Overdue]
        );
        assert_eq!(kinds_from_stored("").len(), NotificationKind::ALL.len());
    }

    #[test]
    fn formats_round_trip() {
        crate::domain::workflow::tests::round_trips::<WebhookFormat>();
    }
}
