//! Files end to end over HTTP (docs/DESIGN.md, "Documents"): upload,
//! attach, download with its headers, the file table of the policy, the
//! quota, the sweep. The file store is a folder of the test's own (and an
//! S3 bucket where GONGKAI_TEST_S3_URL names one).

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::helpers::*;

const CREATE: &str =
    "mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id status version } }";
const PUBLISH: &str = "mutation($id: ID!) { publishDisclosure(id: $id) { id status } }";
const WITHDRAW: &str =
    "mutation($id: ID!, $r: String!) { withdrawDisclosure(id: $id, reason: $r) { status } }";
const ATTACH: &str =
    "mutation($d: ID!, $f: ID!) { attachToDisclosure(disclosureId: $d, fileId: $f) {
    id kind fileName contentType byteSize sha256 downloadUrl uploadedAt hiddenReason } }";
const ATTACH_TO_APPLICATION: &str = "mutation($a: ID!, $f: ID!, $k: AttachmentKind!) {
    attachToApplication(applicationId: $a, fileId: $f, kind: $k) { id kind downloadUrl } }";
const DISCLOSURE_FILES: &str = "query($id: ID!) { disclosure(id: $id) { id status
    attachments { id kind fileName downloadUrl hiddenReason } } }";
const SUBMIT: &str = "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) {
    queryCode application { id } tracking { trackingNo } } }";

/// A small PDF-looking file (the type is decided from its first bytes).
fn pdf_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..size.saturating_sub(bytes.len())).map(|i| b'a' + (i % 26) as u8));
    bytes
}

pub(crate) const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
];

fn encoded(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub(crate) struct Uploaded {
    pub status: StatusCode,
    pub body: Value,
}

impl Uploaded {
    pub fn id(&self) -> String {
        self.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no upload: {} {}", self.status, self.body))
            .to_owned()
    }
}

/// POSTs `bytes` to /files as `name`, with `token` (or anonymously from
/// `client`, behind the trusted proxy).
pub(crate) async fn upload_as(
    app: &TestApp,
    token: Option<&str>,
    client: Option<&str>,
    name: &str,
    bytes: Vec<u8>,
) -> Uploaded {
    let mut request = app
        .client
        .post(app.url("/files"))
        .header("x-file-name", encoded(name))
        .header("content-type", "application/octet-stream")
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(client) = client {
        request = request.header("x-forwarded-for", client);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Uploaded { status, body }
}

pub(crate) async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> Uploaded {
    upload_as(app, Some(token), None, name, bytes).await
}

pub(crate) struct Fetched {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

pub(crate) async fn fetch(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    extra: &[(&str, &str)],
) -> Fetched {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    Fetched {
        status: response.status(),
        headers: response.headers().clone(),
        bytes: response.bytes().await.expect("a body").to_vec(),
    }
}

pub(crate) struct Desk {
    pub clerk: String,
    pub approver: String,
    pub nancun: String,
    category: String,
}

impl Desk {
    pub async fn new(app: &TestApp) -> Self {
        let categories = app
            .gql(None, "{ disclosureCategories { id code } }", json!({}))
            .await;
        let category = categories["data"]["disclosureCategories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "TZGG")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Desk {
            clerk: app.login(CLERK).await,
            approver: app.login(APPROVER).await,
            nancun: app.org_id("PYNC").await,
            category,
        }
    }

    pub async fn draft(&self, app: &TestApp, title: &str, body: &str) -> String {
        let input = json!({ "organizationId": self.nancun, "categoryId": self.category,
            "title": title, "body": body, "formedOn": "2026-11-02" });
        let answer = app
            .gql(Some(&self.clerk), CREATE, json!({ "i": input }))
            .await;
        answer["data"]["createDisclosure"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned()
    }

    pub async fn attach(&self, app: &TestApp, disclosure: &str, file: &str) -> Value {
        let answer = app
            .gql(
                Some(&self.clerk),
                ATTACH,
                json!({ "d": disclosure, "f": file }),
            )
            .await;
        assert!(answer["errors"].is_null(), "{answer}");
        answer["data"]["attachToDisclosure"].clone()
    }

    pub async fn publish(&self, app: &TestApp, disclosure: &str) -> Value {
        app.gql(Some(&self.approver), PUBLISH, json!({ "id": disclosure }))
            .await
    }

    /// A published disclosure carrying `bytes` as `name`; returns (disclosure, file, attachment).
    pub async fn published_with(
        &self,
        app: &TestApp,
        name: &str,
        bytes: Vec<u8>,
    ) -> (String, String, Value) {
        let disclosure = self
            .draft(app, "南村镇2025年政府信息公开工作年度报告", "详见附件")
            .await;
        let file = upload(app, &self.clerk, name, bytes).await.id();
        let attachment = self.attach(app, &disclosure, &file).await;
        let published = self.publish(app, &disclosure).await;
        assert_eq!(
            published["data"]["publishDisclosure"]["status"], "PUBLISHED",
            "{published}"
        );
        (disclosure, file, attachment)
    }
}

fn header<'a>(fetched: &'a Fetched, name: &str) -> &'a str {
    fetched
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header: {:?}", fetched.headers))
}

/// Upload → attach → public download, byte for byte, with every header;
/// a range; a revalidation.
async fn public_download_scenario(app: &TestApp) {
    let desk = Desk::new(app).await;
    let name = "南村镇2025年政府信息公开工作年度报告.pdf";
    let bytes = pdf_bytes(3000);
    let uploaded = upload(app, &desk.clerk, name, bytes.clone()).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    assert_eq!(uploaded.body["fileName"], name);
    assert_eq!(uploaded.body["contentType"], "application/pdf");
    assert_eq!(uploaded.body["byteSize"], 3000);
    let sha = uploaded.body["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);

    let disclosure = desk.draft(app, "年度报告", "详见附件").await;
    let attachment = desk.attach(app, &disclosure, &uploaded.id()).await;
    assert_eq!(attachment["kind"], "DOCUMENT");
    assert_eq!(attachment["sha256"], sha.as_str());
    let url = attachment["downloadUrl"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("/files/{}/", uploaded.id())),
        "{url}"
    );

    // Not yet published: the public cannot read it, exactly like an unknown id.
    let hidden = fetch(app, None, &url, &[]).await;
    let unknown = fetch(app, None, "/files/999999", &[]).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.bytes, unknown.bytes);
    assert_eq!(
        fetch(app, Some(&desk.clerk), &url, &[]).await.status,
        StatusCode::OK
    );

    desk.publish(app, &disclosure).await;
    let listed = app
        .gql(None, DISCLOSURE_FILES, json!({ "id": disclosure }))
        .await;
    assert_eq!(
        listed["data"]["disclosure"]["attachments"][0]["downloadUrl"], url,
        "{listed}"
    );

    let got = fetch(app, None, &url, &[]).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, bytes, "byte for byte");
    assert_eq!(header(&got, "content-type"), "application/pdf");
    assert_eq!(
        header(&got, "content-disposition"),
        format!(
            "inline; filename=\"___2025{}.pdf\"; filename*=UTF-8''{}",
            "_".repeat(13),
            encoded_rfc5987(name)
        )
    );
    assert_eq!(header(&got, "x-content-type-options"), "nosniff");
    assert_eq!(header(&got, "content-security-policy"), "sandbox");
    assert_eq!(header(&got, "cache-control"), "no-cache");
    assert_eq!(header(&got, "etag"), format!("\"{sha}\""));
    // The plain path answers the same.
    assert_eq!(
        fetch(app, None, &format!("/files/{}", uploaded.id()), &[])
            .await
            .bytes,
        bytes
    );

    let part = fetch(app, None, &url, &[("range", "bytes=0-99")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, &bytes[..100]);
    assert_eq!(header(&part, "content-range"), "bytes 0-99/3000");
    let tail = fetch(app, None, &url, &[("range", "bytes=2990-")]).await;
    assert_eq!(tail.bytes, &bytes[2990..]);
    let past = fetch(app, None, &url, &[("range", "bytes=3000-")]).await;
    assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(header(&past, "content-range"), "bytes */3000");

    let etag = format!("\"{sha}\"");
    let again = fetch(app, None, &url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
    let changed = fetch(app, None, &url, &[("if-none-match", "\"other\"")]).await;
    assert_eq!(changed.status, StatusCode::OK);
}

/// What a browser decodes from `filename*` (RFC 5987 attr-chars stay).
fn encoded_rfc5987(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn upload_attach_and_download_a_published_pdf() {
    let app = spawn_app().await;
    public_download_scenario(&app).await;
}

#[tokio::test]
async fn upload_attach_and_download_on_s3() {
    let Some(app) = spawn_app_on_s3(gongkai::clock::SystemClock.now()).await else {
        return;
    };
    public_download_scenario(&app).await;
    let (_, report) = files_cli(&app, "check").await;
    assert!(report.contains("0 problem(s)"), "{report}");
}

/// Runs `gongkai files check|gc` on the test server's database and store,
/// at its clock.
pub(crate) async fn files_cli(app: &TestApp, which: &str) -> (bool, String) {
    use gongkai::config::{DatabaseArgs, FilesArgs, FilesCommand};
    let args = FilesArgs {
        database: DatabaseArgs {
            database_url: app.database_url.clone(),
        },
        files: app.files.clone(),
    };
    let command = match which {
        "check" => FilesCommand::Check(args),
        _ => FilesCommand::Gc(args),
    };
    let mut out = Vec::new();
    let result = gongkai::commands::files_command(command, app.clock.as_ref(), &mut out).await;
    let mut text = String::from_utf8(out).unwrap();
    if let Err(err) = &result {
        text.push_str(&err.to_string());
    }
    (result.is_ok(), text)
}

#[tokio::test]
async fn withdrawing_a_disclosure_hides_its_files_at_once() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let (disclosure, _, attachment) = desk.published_with(&app, "通知.pdf", pdf_bytes(500)).await;
    let url = attachment["downloadUrl"].as_str().unwrap();
    assert_eq!(fetch(&app, None, url, &[]).await.status, StatusCode::OK);
    let answer = app
        .gql(
            Some(&desk.approver),
            WITHDRAW,
            json!({ "id": disclosure, "r": "内容有误" }),
        )
        .await;
    assert_eq!(answer["data"]["withdrawDisclosure"]["status"], "WITHDRAWN");
    assert_eq!(
        fetch(&app, None, url, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        fetch(&app, Some(&desk.clerk), url, &[]).await.status,
        StatusCode::OK,
        "staff still read it"
    );
}

#[tokio::test]
async fn refused_types_sizes_and_names() {
    let app = spawn_app().await;
    let clerk = app.login(CLERK).await;
    let zip = {
        let mut bytes =
            b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\x02\0\0\0\x02\0\0\0\x07\0\0\0".to_vec();
        bytes.extend_from_slice(b"evil.shhi");
        bytes
    };
    for (name, bytes) in [
        (
            "通知.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec(),
        ),
        (
            "图.svg",
            b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_vec(),
        ),
        (
            "setup.exe",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0".to_vec(),
        ),
        (
            "run",
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0".to_vec(),
        ),
        ("材料.zip", zip),
    ] {
        let refused = upload(&app, &clerk, name, bytes).await;
        assert_eq!(
            refused.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}: {}",
            refused.body
        );
        assert_error(&refused.body, "BAD_USER_INPUT");
    }
    for name in ["a/b.pdf", "a\\b.pdf", "bad\nname.pdf", "nul\u{0}.pdf", ""] {
        let refused = upload(&app, &clerk, name, pdf_bytes(100)).await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{name:?}: {}",
            refused.body
        );
    }
    let limit = 50 * 1024 * 1024;
    let too_large = upload(&app, &clerk, "大.pdf", pdf_bytes(limit + 1)).await;
    assert_eq!(
        too_large.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_large.body
    );
    // Streamed without a declared length, it is refused at the byte past the limit.
    let chunks = futures_util::stream::iter((0..51).map(|i| {
        Ok::<_, std::io::Error>(if i == 0 {
            pdf_bytes(1024 * 1024)
        } else {
            vec![b'x'; 1024 * 1024]
        })
    }));
    let streamed = app
        .client
        .post(app.url("/files"))
        .bearer_auth(&clerk)
        .header("x-file-name", "stream.pdf")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await;
    if let Ok(response) = streamed {
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    let exactly = upload(&app, &clerk, "刚好.pdf", pdf_bytes(limit)).await;
    assert_eq!(exactly.status, StatusCode::CREATED, "{}", exactly.body);
    let (clean, report) = files_cli(&app, "check").await;
    assert!(clean, "{report}");
    assert!(
        report.starts_with(
            "1 file rows, 1 blobs; 0 problem(s); 0 blob(s) without rows and 0 unfinished upload(s)"
        ),
        "nothing of the refused uploads is kept: {report}"
    );
}

#[tokio::test]
async fn the_same_bytes_are_kept_once_and_unreferenced_uploads_are_swept() {
    let app = spawn_app_behind_proxy().await;
    let clerk = app.login(CLERK).await;
    let first = upload(&app, &clerk, "一.pdf", pdf_bytes(800)).await;
    let second = upload(&app, &clerk, "二.pdf", pdf_bytes(800)).await;
    assert_ne!(first.id(), second.id());
    assert_eq!(first.body["sha256"], second.body["sha256"]);
    let public = upload_as(&app, None, Some("203.0.113.7"), "身份证.jpg", JPEG.to_vec()).await;
    assert_eq!(public.status, StatusCode::CREATED, "{}", public.body);
    assert_eq!(public.body["contentType"], "image/jpeg");
    let (_, report) = files_cli(&app, "check").await;
    assert!(
        report.starts_with("3 file rows, 2 blobs; 0 problem(s)"),
        "{report}"
    );

    // A day later the sweep keeps nothing it must keep.
    app.clock.advance(chrono::TimeDelta::hours(23));
    let (_, swept) = files_cli(&app, "gc").await;
    assert!(swept.starts_with("removed 0 "), "{swept}");
    app.clock.advance(chrono::TimeDelta::hours(2));
    let (_, swept) = files_cli(&app, "gc").await;
    assert!(
        swept.starts_with("removed 1 unreferenced public upload(s), 1 blob(s)"),
        "{swept}"
    );
    let (clean, report) = files_cli(&app, "check").await;
    assert!(clean, "{report}");
    assert!(
        report.starts_with("2 file rows, 1 blobs; 0 problem(s)"),
        "{report}"
    );
    // The staff uploads stay readable to their uploader.
    let clerk = app.login(CLERK).await;
    assert_eq!(
        fetch(&app, Some(&clerk), &format!("/files/{}", first.id()), &[])
            .await
            .status,
        StatusCode::OK
    );
}

/// What `gongkai files check` reports of `app`'s store, waiting up to twenty
/// seconds for it to start with `expected` (a background sweep's work).
async fn until_checked(app: &TestApp, expected: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let (clean, report) = files_cli(app, "check").await;
        assert!(clean, "{report}");
        if report.starts_with(expected) || started.elapsed() > std::time::Duration::from_secs(20) {
            return report;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Every instance sweeps files in the background (not only the CLI): an
/// unattached public upload goes a day later, a staff upload stays; two
/// instances sweeping one database and one store at the same moment both
/// succeed and leave it consistent.
#[tokio::test]
async fn every_instance_sweeps_files_in_the_background() {
    let at = gongkai::clock::SystemClock.now();
    let a = spawn_app_sweeping_files(at, 1).await;
    let b = spawn_instance_with(&a, at, 1).await;
    let clerk = a.login(CLERK).await;
    let staff = upload(&a, &clerk, "通知.pdf", pdf_bytes(600)).await;
    assert_eq!(staff.status, StatusCode::CREATED, "{}", staff.body);
    let public = upload_as(&b, None, Some("203.0.113.9"), "申请表.jpg", JPEG.to_vec()).await;
    assert_eq!(public.status, StatusCode::CREATED, "{}", public.body);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let report = until_checked(&a, "2 file rows, 2 blobs").await;
    assert!(
        report.starts_with("2 file rows, 2 blobs"),
        "kept before 24 h: {report}"
    );

    for app in [&a, &b] {
        app.clock.advance(chrono::TimeDelta::hours(25));
    }
    let report = until_checked(&a, "1 file rows, 1 blobs").await;
    assert!(
        report.starts_with("1 file rows, 1 blobs; 0 problem(s); 0 blob(s) without rows"),
        "the background sweep removed the public upload and its blob: {report}"
    );
    let clerk = a.login(CLERK).await;
    assert_eq!(
        fetch(&a, Some(&clerk), &format!("/files/{}", staff.id()), &[])
            .await
            .status,
        StatusCode::OK
    );

    // Many forgotten uploads, then both instances sweep at once (their
    // background sweeps running too): no sweep fails, everything goes once.
    for n in 0..8u8 {
        let mut bytes = JPEG.to_vec();
        bytes.push(n);
        let address = format!("198.51.100.{}", 10 + n);
        let uploaded = upload_as(&a, None, Some(&address), "扫描件.jpg", bytes).await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    }
    for app in [&a, &b] {
        app.clock.advance(chrono::TimeDelta::hours(25));
    }
    let (on_a, on_b) = tokio::join!(
        gongkai::service::files::sweep(&a.services.db, &a.services.blobs, a.clock.now()),
        gongkai::service::files::sweep(&b.services.db, &b.services.blobs, b.clock.now()),
    );
    let (on_a, on_b) = (on_a.expect("a sweeps"), on_b.expect("b sweeps"));
    assert!(
        on_a.pending_files + on_b.pending_files <= 8,
        "{on_a:?} {on_b:?}"
    );
    let report = until_checked(&a, "1 file rows, 1 blobs").await;
    assert!(
        report.starts_with("1 file rows, 1 blobs; 0 problem(s); 0 blob(s) without rows"),
        "{report}"
    );
}

#[tokio::test]
async fn the_public_uploads_ten_files_an_hour_per_address() {
    let app = spawn_app_behind_proxy().await;
    for n in 0..10 {
        let ok = upload_as(
            &app,
            None,
            Some("198.51.100.1"),
            &format!("{n}.jpg"),
            JPEG.to_vec(),
        )
        .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{n}: {}", ok.body);
    }
    let refused = upload_as(&app, None, Some("198.51.100.1"), "11.jpg", JPEG.to_vec()).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_error(&refused.body, "RATE_LIMITED");
    let other = upload_as(&app, None, Some("198.51.100.2"), "1.jpg", JPEG.to_vec()).await;
    assert_eq!(
        other.status,
        StatusCode::CREATED,
        "other addresses are unaffected"
    );
    // An hour later the address may upload again.
    app.clock.advance(chrono::TimeDelta::minutes(61));
    let later = upload_as(&app, None, Some("198.51.100.1"), "12.jpg", JPEG.to_vec()).await;
    assert_eq!(later.status, StatusCode::CREATED);
    // OVERSIGHT does not upload.
    let oversight = app.login(OVERSIGHT).await;
    let refused = upload(&app, &oversight, "x.pdf", pdf_bytes(10)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

fn paper(key: &str, org: &str) -> Value {
    json!({ "clientRequestId": key, "organizationId": org, "applicantType": "NATURAL_PERSON",
            "applicantName": "张三丰", "idNumber": "11010519491231002X", "phone": "13812345678",
            "description": "请公开南村镇2025年部门预算。", "channel": "LETTER", "receivedOn": "2026-11-16" })
}

/// The file table of DESIGN.md row by row for an application's files: staff
/// read all, OVERSIGHT all but the identity proof, other towns and the
/// public nothing; the applicant only the reply notice, through the
/// tracking view's signed link.
#[tokio::test]
async fn an_applications_files_by_role() {
    let app = spawn_app_at(instant("2026-11-20T10:00:00+08:00")).await;
    let desk = Desk::new(&app).await;
    let answer = app
        .gql(
            Some(&desk.clerk),
            SUBMIT,
            json!({ "i": paper("files-1", &desk.nancun) }),
        )
        .await;
    let application = answer["data"]["submitApplication"]["application"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_owned();
    let tracking_no = answer["data"]["submitApplication"]["tracking"]["trackingNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = answer["data"]["submitApplication"]["queryCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut urls = std::collections::HashMap::new();
    for (kind, name, bytes) in [
        ("APPLICATION_FORM", "申请表.jpg", JPEG.to_vec()),
        ("IDENTITY_PROOF", "身份证.jpg", [JPEG, b"id"].concat()),
        ("CORRESPONDENCE", "补正通知.pdf", pdf_bytes(300)),
        ("REPLY_NOTICE", "答复告知书.pdf", pdf_bytes(400)),
    ] {
        let file = upload(&app, &desk.clerk, name, bytes).await.id();
        let attached = app
            .gql(
                Some(&desk.clerk),
                ATTACH_TO_APPLICATION,
                json!({ "a": application, "f": file, "k": kind }),
            )
            .await;
        let url = attached["data"]["attachToApplication"]["downloadUrl"]
            .as_str()
            .unwrap_or_else(|| panic!("{attached}"))
            .to_owned();
        urls.insert(kind, url);
    }
    let refused = app
        .gql(
            Some(&desk.clerk),
            ATTACH_TO_APPLICATION,
            json!({ "a": application, "f": "1", "k": "DOCUMENT" }),
        )
        .await;
    assert_error(&refused, "BAD_USER_INPUT");

    app.create_user("dashi.clerk", "CLERK", "PYDS", "dashi-clerk-2026")
        .await;
    let other_town = app.login(("dashi.clerk", "dashi-clerk-2026")).await;
    let oversight = app.login(OVERSIGHT).await;
    let admin = app.login(ADMIN).await;
    let ok = StatusCode::OK;
    let no = StatusCode::NOT_FOUND;
    #[rustfmt::skip]
    let table: [(&str, [StatusCode; 5]); 4] = [
        //                       public clerk oversight other-town admin
        ("APPLICATION_FORM",    [no,    ok,   ok,       no,        ok]),
        ("IDENTITY_PROOF",      [no,    ok,   no,       no,        ok]),
        ("CORRESPONDENCE",      [no,    ok,   ok,       no,        ok]),
        ("REPLY_NOTICE",        [no,    ok,   ok,       no,        ok]),
    ];
    for (kind, expected) in table {
        let callers = [
            None,
            Some(&desk.clerk),
            Some(&oversight),
            Some(&other_town),
            Some(&admin),
        ];
        for (caller, want) in callers.iter().zip(expected) {
            let got = fetch(&app, caller.map(String::as_str), &urls[kind], &[]).await;
            assert_eq!(
                got.status,
                want,
                "{kind} by caller #{:?}",
                callers.iter().position(|c| c == caller)
            );
        }
    }
    let list = "query($id: ID!) { application(id: $id) { attachments { kind } } }";
    let kinds = |answer: Value| -> Vec<String> {
        answer["data"]["application"]["attachments"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .iter()
            .map(|a| a["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let staff = kinds(
        app.gql(Some(&desk.clerk), list, json!({ "id": application }))
            .await,
    );
    assert_eq!(
        staff,
        [
            "APPLICATION_FORM",
            "IDENTITY_PROOF",
            "CORRESPONDENCE",
            "REPLY_NOTICE"
        ]
    );
    let masked = kinds(
        app.gql(Some(&oversight), list, json!({ "id": application }))
            .await,
    );
    assert_eq!(
        masked,
        ["APPLICATION_FORM", "CORRESPONDENCE", "REPLY_NOTICE"]
    );
    let events = app
        .gql(
            Some(&desk.clerk),
            "query($id: ID!) { application(id: $id) { events { kind note actor { username } } } }",
            json!({ "id": application }),
        )
        .await;
    let attached: Vec<&Value> = events["data"]["application"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "ATTACHMENT_ADDED")
        .collect();
    assert_eq!(attached.len(), 4, "{events}");
    assert_eq!(attached[0]["actor"]["username"], "nancun.clerk");

    // The applicant: the reply notice only once closed, through a signed link.
    let track =
        "query($n: String!, $c: String!) { trackApplication(trackingNo: $n, queryCode: $c) {
        status replyNotice { kind fileName downloadUrl } } }";
    let open = app
        .gql(None, track, json!({ "n": tracking_no, "c": code }))
        .await;
    assert!(
        open["data"]["trackApplication"]["replyNotice"].is_null(),
        "{open}"
    );
    let closed = app
        .gql(
            Some(&desk.clerk),
            "mutation($id: ID!) { closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2026-11-19\", reply: \"予以公开\" }) { status } }",
            json!({ "id": application }),
        )
        .await;
    assert_eq!(
        closed["data"]["closeApplication"]["status"], "CLOSED",
        "{closed}"
    );
    // Closing issued the generated notice: newer than the one attached before.
    let tracked = app
        .gql(None, track, json!({ "n": tracking_no, "c": code }))
        .await;
    let notice = &tracked["data"]["trackApplication"]["replyNotice"];
    assert_eq!(notice["kind"], "REPLY_NOTICE", "{tracked}");
    assert!(
        notice["fileName"].as_str().unwrap().ends_with(".docx"),
        "{tracked}"
    );
    // The clerk uploads the signed scan: the newest counts.
    let scan = upload(&app, &desk.clerk, "答复告知书（盖章）.pdf", pdf_bytes(400))
        .await
        .id();
    let attached = app
        .gql(
            Some(&desk.clerk),
            ATTACH_TO_APPLICATION,
            json!({ "a": application, "f": scan, "k": "REPLY_NOTICE" }),
        )
        .await;
    assert!(attached["errors"].is_null(), "{attached}");
    let tracked = app
        .gql(None, track, json!({ "n": tracking_no, "c": code }))
        .await;
    let notice = &tracked["data"]["trackApplication"]["replyNotice"];
    assert_eq!(notice["fileName"], "答复告知书（盖章）.pdf", "{tracked}");
    let link = notice["downloadUrl"].as_str().unwrap().to_owned();
    assert!(link.contains("?token="), "{link}");
    assert!(
        !link.contains(&code),
        "the query code never goes into a URL"
    );
    let got = fetch(&app, None, &link, &[]).await;
    assert_eq!(got.status, ok);
    assert_eq!(got.bytes, pdf_bytes(400));
    // The token is bound to that file: with another file's id it opens nothing.
    let token = link.split("?token=").nth(1).unwrap();
    let identity_path = urls["IDENTITY_PROOF"].clone();
    let forged = fetch(&app, None, &format!("{identity_path}?token={token}"), &[]).await;
    assert_eq!(forged.status, no);
    let tampered = fetch(&app, None, &format!("{}x", link), &[]).await;
    assert_eq!(tampered.status, no);
    // And it expires after about 15 minutes.
    app.clock.advance(chrono::TimeDelta::minutes(16));
    assert_eq!(fetch(&app, None, &link, &[]).await.status, no);
}

#[tokio::test]
async fn the_public_attaches_only_its_own_pending_uploads() {
    let app = spawn_app_behind_proxy().await;
    let nancun = app.org_id("PYNC").await;
    let own = upload_as(&app, None, Some("192.0.2.10"), "身份证.jpg", JPEG.to_vec())
        .await
        .id();
    let online = |key: &str, attachments: Value| {
        json!({ "clientRequestId": key, "organizationId": nancun, "applicantType": "NATURAL_PERSON",
                "applicantName": "李四", "idNumber": "11010519491231002X", "phone": "13812345678",
                "description": "请公开村道改造项目预算。", "attachments": attachments })
    };
    let stranger = app
        .gql_from(
            "192.0.2.99",
            SUBMIT,
            json!({ "i": online("web-a", json!([{ "fileId": own, "kind": "IDENTITY_PROOF" }])) }),
        )
        .await;
    assert_error(&stranger, "NOT_FOUND");
    let wrong_kind = app
        .gql_from(
            "192.0.2.10",
            SUBMIT,
            json!({ "i": online("web-b", json!([{ "fileId": own, "kind": "REPLY_NOTICE" }])) }),
        )
        .await;
    assert_error(&wrong_kind, "BAD_USER_INPUT");
    let submitted = app
        .gql_from(
            "192.0.2.10",
            SUBMIT,
            json!({ "i": online("web-c", json!([{ "fileId": own, "kind": "IDENTITY_PROOF" }])) }),
        )
        .await;
    assert!(submitted["errors"].is_null(), "{submitted}");
    let tracking_no = submitted["data"]["submitApplication"]["tracking"]["trackingNo"]
        .as_str()
        .unwrap();
    let clerk = app.login(CLERK).await;
    let found = app
        .gql(
            Some(&clerk),
            "query($n: String) { applications(filter: { trackingNo: $n }) { edges { node { attachments { kind fileName } } } } }",
            json!({ "n": tracking_no }),
        )
        .await;
    assert_eq!(
        found["data"]["applications"]["edges"][0]["node"]["attachments"],
        json!([{ "kind": "IDENTITY_PROOF", "fileName": "身份证.jpg" }]),
        "{found}"
    );
    // Referenced, it is no longer swept.
    app.clock.advance(chrono::TimeDelta::hours(25));
    let (_, swept) = files_cli(&app, "gc").await;
    assert!(swept.starts_with("removed 0 "), "{swept}");
}

#[tokio::test]
async fn removing_and_hiding_attachments() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let remove = "mutation($id: ID!) { removeAttachment(id: $id) }";
    let hide = "mutation($id: ID!, $r: String!) { hideAttachment(id: $id, reason: $r) { id hiddenReason } }";

    let draft = desk.draft(&app, "草稿", "正文").await;
    let file = upload(&app, &desk.clerk, "草稿附件.pdf", pdf_bytes(200))
        .await
        .id();
    let attachment = desk.attach(&app, &draft, &file).await;
    let removed = app
        .gql(Some(&desk.clerk), remove, json!({ "id": attachment["id"] }))
        .await;
    assert_eq!(removed["data"]["removeAttachment"], true, "{removed}");
    let listed = app
        .gql(Some(&desk.clerk), DISCLOSURE_FILES, json!({ "id": draft }))
        .await;
    assert_eq!(listed["data"]["disclosure"]["attachments"], json!([]));

    let (disclosure, _, attachment) = desk.published_with(&app, "名单.pdf", pdf_bytes(600)).await;
    let url = attachment["downloadUrl"].as_str().unwrap();
    let refused = app
        .gql(Some(&desk.clerk), remove, json!({ "id": attachment["id"] }))
        .await;
    assert_error(&refused, "INVALID_TRANSITION");
    let clerk_hides = app
        .gql(
            Some(&desk.clerk),
            hide,
            json!({ "id": attachment["id"], "r": "含个人信息" }),
        )
        .await;
    assert_error(&clerk_hides, "FORBIDDEN");
    let public_hides = app
        .gql(None, hide, json!({ "id": attachment["id"], "r": "x" }))
        .await;
    assert!(error_code(&public_hides).is_some(), "{public_hides}");
    let hidden = app
        .gql(
            Some(&desk.approver),
            hide,
            json!({ "id": attachment["id"], "r": "含个人信息" }),
        )
        .await;
    assert_eq!(
        hidden["data"]["hideAttachment"]["hiddenReason"], "含个人信息",
        "{hidden}"
    );
    assert_eq!(
        fetch(&app, None, url, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let public = app
        .gql(None, DISCLOSURE_FILES, json!({ "id": disclosure }))
        .await;
    assert_eq!(
        public["data"]["disclosure"]["status"], "PUBLISHED",
        "the item stays listed"
    );
    assert_eq!(public["data"]["disclosure"]["attachments"], json!([]));
    let staff = app
        .gql(
            Some(&desk.clerk),
            DISCLOSURE_FILES,
            json!({ "id": disclosure }),
        )
        .await;
    assert_eq!(
        staff["data"]["disclosure"]["attachments"][0]["hiddenReason"], "含个人信息",
        "{staff}"
    );
    assert_eq!(
        fetch(&app, Some(&desk.clerk), url, &[]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn words_inside_attached_documents_find_the_disclosure() {
    use gongkai::domain::extraction::write;
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let search = "query($s: String!) { disclosures(filter: { search: $s }) { totalCount edges { node { id } } } }";
    let found = |answer: Value| -> Vec<String> {
        answer["data"]["disclosures"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let pdf = write::pdf(&["第一页".into(), "本年度共受理垃圾分类督导申请若干".into()]);
    let (with_pdf, _, _) = desk.published_with(&app, "年报.pdf", pdf.clone()).await;
    let docx = write::docx(&["关于兴业大道排水改造工程的公示"]);
    let (with_docx, _, attachment) = desk.published_with(&app, "公示.docx", docx).await;
    assert_eq!(
        found(app.gql(None, search, json!({ "s": "垃圾分类督导" })).await),
        [with_pdf]
    );
    assert_eq!(
        found(app.gql(None, search, json!({ "s": "排水改造" })).await),
        [with_docx]
    );
    // A truncated PDF and garbage after a PDF header are kept, add nothing, fail nothing.
    let draft = desk.draft(&app, "残缺文件", "详见附件").await;
    for (name, bytes) in [
        ("残缺.pdf", pdf[..pdf.len() / 2].to_vec()),
        (
            "乱码.pdf",
            [b"%PDF-1.7\n".as_slice(), &[0xFF; 5000]].concat(),
        ),
    ] {
        let file = upload(&app, &desk.clerk, name, bytes).await.id();
        desk.attach(&app, &draft, &file).await;
    }
    // Hidden, the document's words stop finding the item.
    let hide = "mutation($id: ID!, $r: String!) { hideAttachment(id: $id, reason: $r) { id } }";
    app.gql(
        Some(&desk.approver),
        hide,
        json!({ "id": attachment["id"], "r": "更正" }),
    )
    .await;
    assert!(found(app.gql(None, search, json!({ "s": "排水改造" })).await).is_empty());
}

#[tokio::test]
async fn personal_data_in_a_document_blocks_publishing_until_acknowledged() {
    use gongkai::domain::extraction::write;
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let publish = "mutation($id: ID!, $ack: Boolean) { publishDisclosure(id: $id, acknowledgePersonalData: $ack) { status } }";
    // A notice with one contact mobile and an office e-mail is normal.
    let notice = desk
        .draft(
            &app,
            "通知",
            "联系人：李四，电话13812345678，邮箱 office@nancun.gov.cn",
        )
        .await;
    let ok = app
        .gql(Some(&desk.approver), publish, json!({ "id": notice }))
        .await;
    assert_eq!(
        ok["data"]["publishDisclosure"]["status"], "PUBLISHED",
        "{ok}"
    );

    let draft = desk.draft(&app, "补贴发放结果", "详见附件").await;
    let pdf = write::pdf(&["发放名单：张三 身份证号11010519491231002X".into()]);
    let file = upload(&app, &desk.clerk, "名单.pdf", pdf).await.id();
    desk.attach(&app, &draft, &file).await;
    let refused = app
        .gql(Some(&desk.approver), publish, json!({ "id": draft }))
        .await;
    assert_error(&refused, "BAD_USER_INPUT");
    let extensions = &refused["errors"][0]["extensions"];
    assert_eq!(extensions["field"], "acknowledgePersonalData");
    assert_eq!(
        extensions["findings"],
        json!([{ "file": "名单.pdf", "kind": "RESIDENT_ID", "sample": "110105********002X" }])
    );
    assert!(
        !refused.to_string().contains("11010519491231002X"),
        "masked: {refused}"
    );
    let published = app
        .gql(
            Some(&desk.approver),
            publish,
            json!({ "id": draft, "ack": true }),
        )
        .await;
    assert_eq!(
        published["data"]["publishDisclosure"]["status"], "PUBLISHED",
        "{published}"
    );

    // Attaching such a file to a published item is checked the same way.
    let roster = write::pdf(&["13812345678 13912345678 15012345678".into()]);
    let file = upload(&app, &desk.clerk, "花名册.pdf", roster).await.id();
    let attach = "mutation($d: ID!, $f: ID!, $ack: Boolean) { attachToDisclosure(disclosureId: $d, fileId: $f, acknowledgePersonalData: $ack) { id } }";
    let refused = app
        .gql(Some(&desk.clerk), attach, json!({ "d": notice, "f": file }))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["findings"][0]["kind"], "MOBILE_LIST",
        "{refused}"
    );
    let attached = app
        .gql(
            Some(&desk.clerk),
            attach,
            json!({ "d": notice, "f": file, "ack": true }),
        )
        .await;
    assert!(attached["errors"].is_null(), "{attached}");
}

/// `gongkai ARGS…`, the built binary, on `database_url` and the store in `files`.
fn gongkai_command(
    args: &[&str],
    database_url: &str,
    files: &std::path::Path,
) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"));
    command
        .args(args)
        .arg("--database-url")
        .arg(database_url)
        .arg("--file-store")
        .arg(format!("file://{}", files.display()))
        .env_remove("GONGKAI_FILE_STORE")
        .env_remove("DATABASE_URL");
    command
}

/// The server process killed (SIGKILL) in the middle of a streamed upload:
/// no row was written without its blob, and `gongkai files check` (the
/// binary) exits cleanly; only the unfinished temporary object is left for
/// the sweep.
#[tokio::test]
async fn a_server_killed_in_the_middle_of_an_upload_leaves_no_row_without_its_blob() {
    let (database_url, _database_folder) = fresh_database().await;
    let files = TempFolder::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut server = gongkai_command(&["serve"], &database_url, files.path())
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--jwt-secret")
        .arg(JWT_SECRET)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    while !client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the server did not come up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // One upload that finishes (a public one: no accounts needed) ...
    let finished = client
        .post(format!("{base}/files"))
        .header("x-file-name", encoded("申请表.jpg"))
        .body(JPEG.to_vec())
        .send()
        .await
        .expect("the server answers");
    assert_eq!(finished.status(), StatusCode::CREATED);

    // ... and one killed half way: 4 MiB of a longer PDF sent, then SIGKILL.
    let (chunks, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(1);
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(chunk), receiver))
    });
    let request = tokio::spawn(
        client
            .post(format!("{base}/files"))
            .header("x-file-name", encoded("扫描件.pdf"))
            .body(reqwest::Body::wrap_stream(body))
            .send(),
    );
    chunks.send(pdf_bytes(1024 * 1024)).await.unwrap();
    for _ in 0..3 {
        chunks.send(vec![b'x'; 1024 * 1024]).await.unwrap();
    }
    // Wait until the server is writing the temporary object.
    let temporary = files.path().join("tmp");
    let started = std::time::Instant::now();
    while !std::fs::read_dir(&temporary).is_ok_and(|mut entries| entries.next().is_some()) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no upload in progress"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("the server is gone");
    drop(chunks);
    let answered = request.await.unwrap();
    assert!(
        answered.is_err(),
        "the killed upload got no answer: {answered:?}"
    );

    let check = gongkai_command(&["files", "check"], &database_url, files.path())
        .output()
        .expect("gongkai files check runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        report.starts_with(
            "1 file rows, 1 blobs; 0 problem(s); 0 blob(s) without rows and 1 unfinished upload(s)"
        ),
        "only the killed upload's temporary object is left, for the sweep: {report}"
    );
    // The sweep (the binary's, on the system clock) leaves it until it is 24 h old.
    let swept = gongkai_command(&["files", "gc"], &database_url, files.path())
        .output()
        .expect("gongkai files gc runs");
    assert!(swept.status.success());
    let fresh = String::from_utf8_lossy(&swept.stdout);
    assert!(
        fresh.contains(", 0 unfinished upload(s)"),
        "not before 24 h: {fresh}"
    );
    // A day later it goes.
    use gongkai::clock::SettableClock;
    use gongkai::config::{DatabaseArgs, FileStoreArgs, FilesArgs, FilesCommand};
    let later =
        SettableClock::new(gongkai::clock::SystemClock.now() + chrono::TimeDelta::hours(25));
    let args = FilesArgs {
        database: DatabaseArgs {
            database_url: database_url.clone(),
        },
        files: FileStoreArgs {
            file_store: Some(format!("file://{}", files.path().display())),
            ..FileStoreArgs::default()
        },
    };
    let mut out = Vec::new();
    gongkai::commands::files_command(FilesCommand::Gc(args), &later, &mut out)
        .await
        .expect("the sweep runs");
    let swept = String::from_utf8(out).unwrap();
    assert!(swept.ends_with(", 1 unfinished upload(s)\n"), "{swept}");
    assert!(
        std::fs::read_dir(&temporary).unwrap().next().is_none(),
        "the staging file is gone"
    );
}

/// `serve --demo`: 南村镇's work plan is a PDF whose words the search
/// finds (they are in no title or body), a notice carries its DOCX, and a
/// paper application its scanned form (a JPEG the clerk can open).
#[tokio::test]
async fn the_demo_carries_real_documents() {
    let app = spawn_demo_app().await;
    let search = "query($s: String!) { disclosures(filter: { search: $s }) { edges { node {
        title attachments { fileName contentType downloadUrl } } } } }";
    let found = app
        .gql(None, search, json!({ "s": "依申请公开答复满意度回访" }))
        .await;
    let edges = found["data"]["disclosures"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{found}"));
    assert_eq!(edges.len(), 1, "{found}");
    let plan = &edges[0]["node"];
    assert_eq!(plan["attachments"][0]["contentType"], "application/pdf");
    let url = plan["attachments"][0]["downloadUrl"].as_str().unwrap();
    let pdf = fetch(&app, None, url, &[]).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let notice = app
        .gql(None, search, json!({ "s": "液化石油气钢瓶" }))
        .await;
    assert_eq!(
        notice["data"]["disclosures"]["edges"][0]["node"]["attachments"][0]["fileName"],
        "燃气安全专项检查通知.docx",
        "{notice}"
    );
    let clerk = app.login(CLERK).await;
    let applications = app
        .gql(
            Some(&clerk),
            "{ applications(first: 50) { edges { node { attachments { kind contentType downloadUrl } } } } }",
            json!({}),
        )
        .await;
    let scans: Vec<&Value> = applications["data"]["applications"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{applications}"))
        .iter()
        .flat_map(|e| e["node"]["attachments"].as_array().unwrap())
        .filter(|a| a["kind"] == "APPLICATION_FORM" && a["contentType"] == "image/jpeg")
        .collect();
    assert_eq!(scans.len(), 1, "{applications}");
    let scan = fetch(
        &app,
        Some(&clerk),
        scans[0]["downloadUrl"].as_str().unwrap(),
        &[],
    )
    .await;
    assert_eq!(scan.status, StatusCode::OK);
    assert!(scan.bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && scan.bytes.ends_with(&[0xFF, 0xD9]));
}
