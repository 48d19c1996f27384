//! The file store: blobs named by the SHA-256 of their content, on the
//! local filesystem or in any S3-compatible service, through `object_store`
//! (one trait over both; tests may use its in-memory store). The database
//! holds the metadata (`store::files`); this holds the bytes.
//!
//! An upload is streamed into a temporary object (`tmp/…`) while it is
//! hashed, then renamed to `blobs/ab/abcd…` — or dropped when that blob is
//! already there (the same bytes are kept once). Only then is the row
//! written, so a row never points at a missing blob; a blob (or a
//! temporary object) without a row is what the sweep removes.

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{
    GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart, aws::AmazonS3Builder,
    local::LocalFileSystem, memory::InMemory, prefix::PrefixStore,
};
use rand::Rng;

use crate::error::{AppError, AppResult};

/// Where the blobs live, as `--file-store` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A folder on this machine (created when missing).
    Folder(std::path::PathBuf),
    /// A bucket and a key prefix of an S3-compatible service.
    S3 { bucket: String, prefix: String },
    /// Nothing kept across restarts (tests).
    Memory,
}

impl Location {
    /// Reads `file:///path`, `s3://bucket/prefix` or `memory://`.
    pub fn parse(url: &str) -> Result<Location, String> {
        if let Some(path) = url.strip_prefix("file://") {
            if path.is_empty() {
                return Err("file:// needs a folder, e.g. file:///var/lib/gongkai/files".into());
            }
            return Ok(Location::Folder(path.into()));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err("s3:// needs a bucket, e.g. s3://gongkai/files".into());
            }
            return Ok(Location::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
            });
        }
        if url == "memory://" {
            return Ok(Location::Memory);
        }
        Err("expected file:///FOLDER, s3://BUCKET/PREFIX or memory://".into())
    }
}

/// How to reach an S3-compatible service (the standard `AWS_*` settings).
#[derive(Clone, Debug, Default)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

/// A blob as listed: its hash and when it was last written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub sha256: String,
    pub written_at: DateTime<Utc>,
    pub byte_size: u64,
}

/// A temporary object left by an upload that never finished.
#[derive(Clone, Debug)]
pub struct Leftover {
    at: LeftoverAt,
    pub written_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
enum LeftoverAt {
    Object(Path),
    /// A staging file of the folder store (`tmp/NAME#PART`), written while
    /// an upload is under way and left behind when the server is killed;
    /// `object_store` lists only finished objects, so it is found on disk.
    Staged(std::path::PathBuf),
}

#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    /// The folder of a folder store.
    folder: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobStore({})", self.inner)
    }
}

fn internal(err: object_store::Error) -> AppError {
    AppError::internal(err)
}

fn blob_path(sha256: &str) -> Path {
    Path::from(format!("blobs/{}/{sha256}", &sha256[..2]))
}

const TEMP: &str = "tmp";

impl BlobStore {
    pub fn open(location: &Location, s3: &S3Settings) -> Result<BlobStore, String> {
        let folder = match location {
            Location::Folder(folder) => Some(folder.clone()),
            _ => None,
        };
        let inner: Arc<dyn ObjectStore> = match location {
            Location::Folder(folder) => {
                std::fs::create_dir_all(folder)
                    .map_err(|e| format!("cannot create the file store folder: {e}"))?;
                Arc::new(
                    LocalFileSystem::new_with_prefix(folder)
                        .map_err(|e| format!("cannot open the file store folder: {e}"))?,
                )
            }
            Location::S3 { bucket, prefix } => {
                // reqwest speaks TLS through rustls with ring; installing it
                // twice (a second store in one process) is harmless.
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    // Path-style (http://host/bucket/key), as MinIO-like services want.
                    .with_virtual_hosted_style_request(false)
                    .with_region(s3.region.clone().unwrap_or_else(|| "us-east-1".into()));
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                if let Some(key) = &s3.access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                let store = builder
                    .build()
                    .map_err(|e| format!("cannot configure the S3 file store: {e}"))?;
                if prefix.is_empty() {
                    Arc::new(store)
                } else {
                    Arc::new(PrefixStore::new(store, prefix.as_str()))
                }
            }
            Location::Memory => Arc::new(InMemory::new()),
        };
        Ok(BlobStore { inner, folder })
    }

    /// Starts writing a temporary object.
    pub async fn begin(&self) -> AppResult<Upload> {
        let name = format!("{:032x}", rand::thread_rng().r#gen::<u128>());
        let path = Path::from(format!("{TEMP}/{name}"));
        let upload = self.inner.put_multipart(&path).await.map_err(internal)?;
        Ok(Upload {
            path,
            writer: Some(WriteMultipart::new(upload)),
        })
    }

    /// Makes a finished temporary object the blob of `sha256`. When that
    /// blob exists already it is replaced by the same bytes: still one
    /// blob, and freshly written, so that a sweep running now does not take
    /// it for an old unreferenced one while its new row is being written.
    pub async fn keep(&self, temp: Written, sha256: &str) -> AppResult<()> {
        self.inner
            .rename(&temp.0, &blob_path(sha256))
            .await
            .map_err(internal)
    }

    /// When the blob was last written; None when it is not there.
    pub async fn written_at(&self, sha256: &str) -> AppResult<Option<DateTime<Utc>>> {
        match self.inner.head(&blob_path(sha256)).await {
            Ok(meta) => Ok(Some(meta.last_modified)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(internal(err)),
        }
    }

    /// Drops a finished temporary object (a refused upload).
    pub async fn discard(&self, temp: Written) -> AppResult<()> {
        self.inner.delete(&temp.0).await.map_err(internal)
    }

    pub async fn exists(&self, sha256: &str) -> AppResult<bool> {
        match self.inner.head(&blob_path(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(err) => Err(internal(err)),
        }
    }

    /// The bytes of a blob (or of `range` of it), as a stream.
    pub async fn get(
        &self,
        sha256: &str,
        range: Option<Range<u64>>,
    ) -> AppResult<BoxStream<'static, std::io::Result<Bytes>>> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let result = self
            .inner
            .get_opts(&blob_path(sha256), options)
            .await
            .map_err(internal)?;
        Ok(result.into_stream().map_err(std::io::Error::other).boxed())
    }

    /// The first `limit` bytes of a blob, in memory (text extraction).
    pub async fn read_prefix(&self, sha256: &str, limit: u64) -> AppResult<Bytes> {
        let size = self
            .inner
            .head(&blob_path(sha256))
            .await
            .map_err(internal)?
            .size;
        if size == 0 {
            return Ok(Bytes::new());
        }
        self.inner
            .get_range(&blob_path(sha256), 0..size.min(limit))
            .await
            .map_err(internal)
    }

    pub async fn delete(&self, sha256: &str) -> AppResult<()> {
        match self.inner.delete(&blob_path(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(internal(err)),
        }
    }

    /// Every blob, in no particular order.
    pub async fn list(&self) -> AppResult<Vec<Listed>> {
        let metas: Vec<_> = self
            .inner
            .list(Some(&Path::from("blobs")))
            .try_collect()
            .await
            .map_err(internal)?;
        Ok(metas
            .into_iter()
            .filter_map(|meta| {
                let name = meta.location.filename()?.to_owned();
                (name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())).then_some(
                    Listed {
                        sha256: name,
                        written_at: meta.last_modified,
                        byte_size: meta.size,
                    },
                )
            })
            .collect())
    }

    /// Temporary objects of uploads that never finished.
    pub async fn leftovers(&self) -> AppResult<Vec<Leftover>> {
        let metas: Vec<_> = self
            .inner
            .list(Some(&Path::from(TEMP)))
            .try_collect()
            .await
            .map_err(internal)?;
        let mut leftovers: Vec<Leftover> = metas
            .into_iter()
            .map(|meta| Leftover {
                at: LeftoverAt::Object(meta.location),
                written_at: meta.last_modified,
            })
            .collect();
        if let Some(folder) = &self.folder {
            leftovers.extend(staged_files(&folder.join(TEMP)).map_err(AppError::internal)?);
        }
        Ok(leftovers)
    }

    /// Removes a leftover; one another instance removed first is no error.
    pub async fn delete_leftover(&self, leftover: &Leftover) -> AppResult<()> {
        match &leftover.at {
            LeftoverAt::Object(path) => match self.inner.delete(path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(err) => Err(internal(err)),
            },
            LeftoverAt::Staged(path) => match std::fs::remove_file(path) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                    Err(AppError::internal(err))
                }
                _ => Ok(()),
            },
        }
    }

    /// Re-reads a blob and answers its SHA-256 (the operator's check).
    pub async fn hash_of(&self, sha256: &str) -> AppResult<String> {
        use sha2::Digest;
        let mut stream = self.get(sha256, None).await?;
        let mut hasher = sha2::Sha256::new();
        while let Some(chunk) = stream.next().await {
            hasher.update(chunk.map_err(AppError::internal)?);
        }
        Ok(hex::encode(hasher.finalize()))
    }
}

/// The staging files (`NAME#PART`) in the folder store's `tmp` folder.
fn staged_files(folder: &std::path::Path) -> std::io::Result<Vec<Leftover>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut staged = Vec::new();
    for entry in entries {
        let entry = entry?;
        if !entry.file_name().to_string_lossy().contains('#') {
            continue;
        }
        // Gone meanwhile (finished or removed by another sweep): not a leftover.
        let Ok(modified) = entry.metadata().and_then(|meta| meta.modified()) else {
            continue;
        };
        staged.push(Leftover {
            at: LeftoverAt::Staged(entry.path()),
            written_at: modified.into(),
        });
    }
    Ok(staged)
}

/// A temporary object being written.
pub struct Upload {
    path: Path,
    writer: Option<WriteMultipart>,
}

/// A temporary object written whole.
pub struct Written(Path);

impl Upload {
    /// Appends bytes, waiting while too many parts are in flight (so that
    /// memory stays bounded whatever the file's size).
    pub async fn write(&mut self, bytes: Bytes) -> AppResult<()> {
        let writer = self.writer.as_mut().expect("not finished");
        writer.wait_for_capacity(2).await.map_err(internal)?;
        writer.put(bytes);
        Ok(())
    }

    pub async fn finish(mut self) -> AppResult<Written> {
        let writer = self.writer.take().expect("not finished");
        writer.finish().await.map_err(internal)?;
        Ok(Written(self.path.clone()))
    }

    /// Gives up: nothing of it is kept.
    pub async fn abort(mut self) {
        if let Some(writer) = self.writer.take()
            && let Err(err) = writer.abort().await
        {
            tracing::warn!(%err, "an aborted upload left a temporary object for the sweep");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("file:///var/lib/gongkai/files"),
            Ok(Location::Folder("/var/lib/gongkai/files".into()))
        );
        assert_eq!(
            Location::parse("s3://gongkai/prod/files/"),
            Ok(Location::S3 {
                bucket: "gongkai".into(),
                prefix: "prod/files".into()
            })
        );
        assert_eq!(
            Location::parse("s3://gongkai"),
            Ok(Location::S3 {
                bucket: "gongkai".into(),
                prefix: String::new()
            })
        );
        assert_eq!(Location::parse("memory://"), Ok(Location::Memory));
        for refused in ["s3://", "file://", "/var/files", "http://x/y"] {
            assert!(Location::parse(refused).is_err(), "{refused}");
        }
    }

    #[tokio::test]
    async fn the_same_bytes_are_one_blob() {
        let store = BlobStore::open(&Location::Memory, &S3Settings::default()).unwrap();
        let sha = "ab".repeat(32);
        for _ in 0..2 {
            let mut upload = store.begin().await.unwrap();
            upload.write(Bytes::from_static(b"hello")).await.unwrap();
            let written = upload.finish().await.unwrap();
            store.keep(written, &sha).await.unwrap();
        }
        assert_eq!(store.list().await.unwrap().len(), 1);
        assert!(store.leftovers().await.unwrap().is_empty());
        let bytes: Vec<_> = store
            .get(&sha, Some(1..3))
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(bytes.concat(), b"el");
    }
}
