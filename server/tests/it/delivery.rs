//! How bytes reach a phone on paid data: the smallest encoding the browser
//! takes, for built files and for pages alike.

use crate::common::{Store, TestApp};
use app::state::Settings;
use app::surveys::model::SurveyStatus;
use std::path::PathBuf;

/// A site folder with one built file in three encodings whose contents tell
/// them apart, removed on drop.
struct Site(PathBuf);

impl Site {
    fn new() -> Site {
        let root = std::env::temp_dir().join(format!("heard-site-{}", std::process::id()));
        let pkg = root.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("heard.wasm"), b"\0asm raw").unwrap();
        std::fs::write(pkg.join("heard.wasm.gz"), b"gzip copy").unwrap();
        std::fs::write(pkg.join("heard.wasm.br"), b"brotli copy").unwrap();
        Site(root)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn fetch(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut req = app.client().get(app.url(path));
    if let Some(enc) = accept_encoding {
        req = req.header("accept-encoding", enc);
    }
    req.send().await.expect("GET")
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_files_come_precompressed_in_the_smallest_encoding_the_browser_takes() {
    let site = Site::new();
    let app =
        TestApp::spawn_serving(Store::Sqlite, Settings::default(), site.0.to_str().unwrap()).await;

    for (accepts, encoding, body) in [
        (Some("gzip, deflate, br"), "br", "brotli copy"),
        (Some("gzip"), "gzip", "gzip copy"),
        (None, "", "\0asm raw"),
    ] {
        let res = fetch(&app, "/pkg/heard.wasm", accepts).await;
        assert_eq!(res.status(), 200, "{accepts:?}");
        assert_eq!(header(&res, "content-encoding"), encoding, "{accepts:?}");
        assert_eq!(header(&res, "content-type"), "application/wasm");
        assert_eq!(header(&res, "cache-control"), "no-cache");
        assert!(
            header(&res, "vary")
                .to_lowercase()
                .contains("accept-encoding"),
            "caches must keep the encodings apart"
        );
        assert_eq!(res.text().await.unwrap(), body, "{accepts:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_as_they_are_sent() {
    let app = TestApp::spawn(Store::Sqlite).await;
    let org = app.organisation("Org", None).await;
    let (_, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let page = format!("/s/{slug}");
    let raw = fetch(&app, &page, None).await;
    assert_eq!(header(&raw, "content-encoding"), "");
    let raw_len = raw.bytes().await.unwrap().len();

    for (accepts, encoding) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
        let res = fetch(&app, &page, Some(accepts)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "content-encoding"), encoding);
        let sent = res.bytes().await.unwrap().len();
        assert!(
            sent * 3 < raw_len,
            "{encoding}: {sent} bytes sent for a {raw_len}-byte page"
        );
    }
}
