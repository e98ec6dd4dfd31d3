//! The protocol's server side (`docs/sync-protocol.md`): axum handlers over
//! HTTP/1 served by hyper connection by connection, so each connection has a
//! header timeout, a header size limit and (with TLS) a handshake timeout,
//! and a body that stalls is dropped ([`Limits::body_idle`]). Handlers see
//! only the [`OfficeStore`](crate::store::OfficeStore) trait; its blocking
//! calls and all file work run on tokio's blocking pool.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, FromRequestParts, Path as UrlPath, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use ed25519_dalek::VerifyingKey;
use http_body_util::BodyExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use rembug_bundle::verify_file;
use rembug_core::answers::{OutcomeKind, ReviewState};
use rembug_core::device::fingerprint_of;
use rembug_core::hex;
use rembug_core::trust::{
    Answers, MeetingAnswer, Receipt, Roster, RosterDevice, Scope, Signed, UsulanAnswer, sign_tagged, verify_tagged,
};
use rembug_sync::auth::{AuthHeaders, NONCE_MEMORY_SECS};
use rembug_sync::{
    AnswersReply, CommitAnswer, CreateUpload, ENROLL_TAG, EnrollAnswer, EnrollRequest, EnrollmentCode, ErrorBody,
    MAX_CHUNK_BYTES, PREFLIGHT_TAG, PROTOCOL_VERSION, PreflightAnswer, PreflightRequest, SyncErrorCode, UploadState,
    headers, paths,
};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::office::{Office, now_rfc3339};
use crate::store::{
    Bundle, BundleFacts, BundleFilter, CreateUploadOutcome, Device, EnrollOutcome, Figures, NewBundle, NewSignedPages,
    OfficeStore, RecordOutcome, SignedPagesBundle, SignedPagesOutcome, Upload,
};

/// Wrong enrollment codes one address may send in [`NONCE_MEMORY_SECS`].
pub const WRONG_CODES_ALLOWED: u32 = 10;
/// For a load balancer: 200 while this server and its index answer.
pub const HEALTH: &str = "/healthz";
/// The largest JSON body any request has.
const MAX_JSON_BYTES: usize = 64 * 1024;

/// What the office accepts, and how long it waits.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_bundle_bytes: u64,
    /// Unfinished uploads one device may have at once.
    pub max_uploads_per_device: u32,
    /// Uploads untouched this long are removed.
    pub stale_upload_after: chrono::Duration,
    /// How often stale uploads, old nonces and old wrong codes are removed.
    pub cleanup_every: Duration,
    /// Longest wait for a request's headers (and a TLS handshake).
    pub header_timeout: Duration,
    /// Longest silence inside a body before the request is dropped.
    pub body_idle: Duration,
    /// Longest time one body (a chunk of 4 MiB at most) may take in all.
    pub body_total: Duration,
    /// The most bytes of request line and headers.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bundle_bytes: 2 * 1024 * 1024 * 1024,
            max_uploads_per_device: 4,
            stale_upload_after: chrono::Duration::days(7),
            cleanup_every: Duration::from_secs(3600),
            header_timeout: Duration::from_secs(20),
            body_idle: Duration::from_secs(30),
            body_total: Duration::from_secs(15 * 60),
            max_header_bytes: 16 * 1024,
        }
    }
}

pub(crate) struct Shared {
    pub(crate) office: Arc<Office>,
    pub(crate) limits: Limits,
    /// Served over TLS: the dashboard's cookies are `Secure`.
    pub(crate) tls: bool,
    /// One request at a time per upload (chunks and commit).
    upload_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The serial of the answers this server signed last.
    answers_serial: AtomicU64,
}

pub(crate) type AppState = Arc<Shared>;

/// The address a request came from (for the enrollment rate limit).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) IpAddr);

/// A refusal: its status and the protocol's code (or, for a bundle that
/// fails verification, the verifier's).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
}

impl ApiError {
    fn new(code: SyncErrorCode, message: impl Into<String>) -> ApiError {
        let status = StatusCode::from_u16(code.status()).expect("protocol statuses are valid");
        ApiError { status, code: code.as_str().to_owned(), message: message.into() }
    }

    /// The protocol's (or the verifier's) code of the refusal.
    pub(crate) fn code(&self) -> &str {
        &self.code
    }

    fn internal(error: impl std::fmt::Display) -> ApiError {
        eprintln!("rembug-office: internal error: {error}");
        ApiError::new(SyncErrorCode::Internal, "internal error")
    }
}

impl From<SyncErrorCode> for ApiError {
    fn from(code: SyncErrorCode) -> ApiError {
        ApiError::new(code, code.as_str().replace('_', " "))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(ErrorBody { code: self.code, message: self.message })).into_response()
    }
}

type Answer<T> = Result<(StatusCode, axum::Json<T>), ApiError>;

fn answer<T>(status: StatusCode, value: T) -> Answer<T> {
    Ok((status, axum::Json(value)))
}

/// Runs blocking work (the store, files) off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(ApiError::internal)?
}

fn router(shared: AppState) -> Router {
    Router::new()
        .route(paths::PREFLIGHT, post(preflight))
        .route(paths::ENROLL, post(enroll))
        .route(paths::ROSTER, get(roster))
        .route(paths::ANSWERS, get(answers))
        .route(paths::UPLOADS, post(create_upload))
        .route("/v1/uploads/{id}", get(upload_state).patch(patch_chunk))
        .route("/v1/uploads/{id}/commit", post(commit))
        .route(HEALTH, get(health))
        .merge(crate::dashboard::routes())
        .fallback(|| async { ApiError::new(SyncErrorCode::BadRequest, "no such path") })
        .with_state(shared)
}

/// Serves `office` on `listener` until the task is dropped: plain HTTP, or
/// TLS with `tls`. Removes what a crash left behind first, then stale
/// uploads, old nonces and old wrong codes every [`Limits::cleanup_every`].
pub async fn serve(office: Office, limits: Limits, listener: TcpListener, tls: Option<TlsAcceptor>) -> io::Result<()> {
    // Held as long as this future lives: a second server on the folder
    // would remove the files this one is about to record.
    let _serving = office.lock_for_serving().map_err(io::Error::other)?;
    let office = Arc::new(office);
    let cleaning = office.clone();
    let removed = tokio::task::spawn_blocking(move || cleaning.remove_orphans()).await.map_err(io::Error::other)?;
    let removed = removed.map_err(io::Error::other)?;
    if removed > 0 {
        eprintln!("rembug-office: removed {removed} unfinished files left by an earlier stop");
    }
    tokio::spawn(cleanup_loop(office.clone(), limits.clone()));
    let shared = Shared {
        office,
        limits: limits.clone(),
        tls: tls.is_some(),
        upload_locks: Mutex::new(HashMap::new()),
        answers_serial: AtomicU64::new(0),
    };
    let router = router(Arc::new(shared));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, typically: wait rather than spin.
                eprintln!("rembug-office: accept: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let (router, tls, limits) = (router.clone(), tls.clone(), limits.clone());
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            match tls {
                Some(acceptor) => {
                    if let Ok(Ok(stream)) = tokio::time::timeout(limits.header_timeout, acceptor.accept(stream)).await {
                        serve_connection(stream, peer, router, &limits).await;
                    }
                }
                None => serve_connection(stream, peer, router, &limits).await,
            }
        });
    }
}

async fn serve_connection<S>(stream: S, peer: SocketAddr, router: Router, limits: &Limits)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(Peer(peer.ip()));
        let mut router = router.clone();
        async move { tower_service::Service::call(&mut router, request).await }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192))
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn cleanup_loop(office: Arc<Office>, limits: Limits) {
    loop {
        tokio::time::sleep(limits.cleanup_every).await;
        let (office, stale_after) = (office.clone(), limits.stale_upload_after);
        let done = tokio::task::spawn_blocking(move || {
            office.remove_stale_uploads(stale_after)?;
            office.store.prune(Utc::now().timestamp() - NONCE_MEMORY_SECS)?;
            Ok::<_, crate::office::OfficeError>(())
        })
        .await;
        if let Ok(Err(error)) = done {
            eprintln!("rembug-office: cleanup: {error}");
        }
    }
}

/// Reads a body whole, up to `max` bytes, giving up on a body that stalls
/// for [`Limits::body_idle`] or takes longer than [`Limits::body_total`].
async fn read_body(body: Body, max: u64, limits: &Limits) -> Result<Vec<u8>, ApiError> {
    let deadline = tokio::time::Instant::now() + limits.body_total;
    let mut body = body;
    let mut bytes = Vec::new();
    loop {
        let wait = limits.body_idle.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        let frame = match tokio::time::timeout(wait, body.frame()).await {
            Err(_) => return Err(ApiError::new(SyncErrorCode::BadRequest, "the body stalled")),
            Ok(None) => return Ok(bytes),
            Ok(Some(Err(_))) => return Err(ApiError::new(SyncErrorCode::BadRequest, "the body was cut short")),
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if bytes.len() as u64 + data.len() as u64 > max {
                return Err(ApiError::new(SyncErrorCode::TooLarge, "the body is larger than allowed"));
            }
            bytes.extend_from_slice(&data);
        }
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| ApiError::new(SyncErrorCode::BadRequest, "not the expected JSON"))
}

/// The office's time, in Unix seconds.
fn office_now() -> i64 {
    Utc::now().timestamp()
}

/// `GET /healthz`: `200 ok` when the index answers, else `503`, so a load
/// balancer sends nothing to a server that lost its database.
async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let store = state.office.store.clone();
    match tokio::task::spawn_blocking(move || store.office()).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok\n"),
        Ok(Err(error)) => {
            eprintln!("rembug-office: health: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "the index does not answer\n")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "the index does not answer\n"),
    }
}

async fn preflight(State(state): State<AppState>, body: Body) -> Answer<PreflightAnswer> {
    let request: PreflightRequest = parse_json(&read_body(body, MAX_JSON_BYTES as u64, &state.limits).await?)?;
    if !hex::is_sha256_hex(&request.challenge) {
        return Err(ApiError::new(SyncErrorCode::BadRequest, "the challenge is 32 bytes in hex"));
    }
    let office_time = office_now();
    let message = PreflightAnswer::signed_message(&request.challenge, office_time);
    let signature = sign_tagged(&state.office.signing_key, PREFLIGHT_TAG, &message);
    let office = state.office.identity.clone();
    answer(StatusCode::OK, PreflightAnswer { protocol: PROTOCOL_VERSION, office, office_time, signature })
}

async fn enroll(State(state): State<AppState>, Extension(peer): Extension<Peer>, body: Body) -> Answer<EnrollAnswer> {
    let address = peer.0.to_string();
    let since = office_now() - NONCE_MEMORY_SECS;
    let store = state.office.store.clone();
    let wrong = {
        let address = address.clone();
        blocking(move || store.wrong_codes_since(&address, since).map_err(ApiError::internal)).await?
    };
    if wrong >= WRONG_CODES_ALLOWED {
        return Err(SyncErrorCode::TooManyAttempts.into());
    }
    let request: EnrollRequest = parse_json(&read_body(body, MAX_JSON_BYTES as u64, &state.limits).await?)?;
    let public_key = hex::decode32(&request.public_key)
        .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
        .ok_or_else(|| ApiError::new(SyncErrorCode::BadRequest, "public_key is an Ed25519 key in hex"))?;
    let Some(code) = EnrollmentCode::parse(&request.code) else {
        record_wrong_code(&state, address).await?;
        return Err(SyncErrorCode::CodeInvalid.into());
    };
    verify_tagged(&public_key, ENROLL_TAG, code.as_str().as_bytes(), &request.signature)
        .map_err(|_| ApiError::from(SyncErrorCode::SignatureInvalid))?;
    let key_bytes = public_key.to_bytes();
    let (device_id, fingerprint) = (rembug_core::device::device_id_of(&key_bytes), fingerprint_of(&key_bytes));
    let store = state.office.store.clone();
    let outcome = blocking(move || {
        store
            .enroll(code.as_str(), &device_id, &hex::encode(&key_bytes), &fingerprint, &now_rfc3339())
            .map_err(ApiError::internal)
    })
    .await?;
    let device = match outcome {
        EnrollOutcome::Enrolled(device) => device,
        EnrollOutcome::Invalid => {
            record_wrong_code(&state, address).await?;
            return Err(SyncErrorCode::CodeInvalid.into());
        }
        EnrollOutcome::Expired => return Err(SyncErrorCode::CodeExpired.into()),
        EnrollOutcome::Used => return Err(SyncErrorCode::CodeUsed.into()),
        EnrollOutcome::Revoked => return Err(SyncErrorCode::DeviceRevoked.into()),
    };
    let roster = signed_roster(&state, &device.kelurahan_code).await?;
    let scope = Scope { kelurahan_code: device.kelurahan_code, rw: device.rw };
    answer(
        StatusCode::CREATED,
        EnrollAnswer { office: state.office.identity.clone(), device_id: device.device_id, scope, roster },
    )
}

async fn record_wrong_code(state: &AppState, address: String) -> Result<(), ApiError> {
    let store = state.office.store.clone();
    let now = office_now();
    blocking(move || store.record_wrong_code(&address, now, now - NONCE_MEMORY_SECS).map_err(ApiError::internal))
        .await
        .map(drop)
}

async fn signed_roster(state: &AppState, kelurahan_code: &str) -> Result<Signed, ApiError> {
    let store = state.office.store.clone();
    let code = kelurahan_code.to_owned();
    let data = blocking(move || store.roster(&code).map_err(ApiError::internal)).await?;
    let roster = Roster {
        kelurahan_code: kelurahan_code.to_owned(),
        issued_at: now_rfc3339(),
        serial: data.serial,
        devices: data
            .devices
            .into_iter()
            .map(|device| RosterDevice {
                device_id: device.device_id,
                public_key: device.public_key,
                fingerprint: device.fingerprint,
                rw: device.rw,
                revoked_at: device.revoked_at,
            })
            .collect(),
    };
    Ok(Signed::sign(&roster, &state.office.signing_key))
}

/// An authenticated request: the enrolled, unrevoked device that signed it,
/// and its signed headers. Every device endpoint takes one as an argument:
/// axum extracts it from the request's method, path and headers before the
/// handler runs (and before any body is read), using the nonce up.
pub(crate) struct Authenticated {
    device: Device,
    auth: AuthHeaders,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Authenticated, ApiError> {
        let headers = &parts.headers;
        let auth = AuthHeaders::read(|name| headers.get(name).and_then(|value| value.to_str().ok()))?;
        let store = state.office.store.clone();
        let device_id = auth.device_id.clone();
        let device = blocking(move || store.device(&device_id).map_err(ApiError::internal))
            .await?
            .ok_or(SyncErrorCode::DeviceUnknown)?;
        let public_key =
            hex::decode32(&device.public_key).ok_or_else(|| ApiError::internal("a stored key is not hex"))?;
        let uri = &parts.uri;
        let path = uri.path_and_query().map_or(uri.path(), |path| path.as_str());
        auth.verify(parts.method.as_str(), path, &public_key, office_now())?;
        if device.revoked_at.is_some() {
            return Err(SyncErrorCode::DeviceRevoked.into());
        }
        let store = state.office.store.clone();
        let (device_id, nonce) = (auth.device_id.clone(), auth.nonce.clone());
        let fresh =
            blocking(move || store.use_nonce(&device_id, &nonce, office_now()).map_err(ApiError::internal)).await?;
        if !fresh {
            return Err(SyncErrorCode::Replayed.into());
        }
        Ok(Authenticated { device, auth })
    }
}

impl Authenticated {
    /// A request without a body signs the SHA-256 of nothing.
    fn without_body(&self) -> Result<(), ApiError> {
        if self.auth.body_sha256 != hex::sha256_hex(b"") {
            return Err(ApiError::new(SyncErrorCode::SignatureInvalid, "this request has no body"));
        }
        Ok(())
    }
}

/// Reads a signed JSON body: its SHA-256 must be the signed one.
async fn signed_json<T: DeserializeOwned>(state: &AppState, auth: &AuthHeaders, body: Body) -> Result<T, ApiError> {
    let bytes = read_body(body, MAX_JSON_BYTES as u64, &state.limits).await?;
    if hex::sha256_hex(&bytes) != auth.body_sha256 {
        return Err(ApiError::new(SyncErrorCode::SignatureInvalid, "the body is not the one signed"));
    }
    parse_json(&bytes)
}

async fn roster(State(state): State<AppState>, request: Authenticated) -> Answer<Signed> {
    request.without_body()?;
    answer(StatusCode::OK, signed_roster(&state, &request.device.kelurahan_code).await?)
}

/// The office's answers about the requesting device's delivered meetings,
/// with its kelurahan's roster.
async fn answers(State(state): State<AppState>, request: Authenticated) -> Answer<AnswersReply> {
    request.without_body()?;
    let store = state.office.store.clone();
    let device_id = request.device.device_id.clone();
    let (meetings, opd, stage) = blocking(move || {
        let opd = store.opd_list().map_err(ApiError::internal)?;
        let stage = store.stage_settings().map_err(ApiError::internal)?;
        Ok((meeting_answers(store.as_ref(), &device_id)?, opd, stage))
    })
    .await?;
    // A kelurahan code starts with its kota's: 32.77.01.1001 is in 32.77.
    let device_kota = request.device.kelurahan_code.get(..5).unwrap_or_default();
    let answers = Answers {
        device_id: request.device.device_id,
        issued_at: now_rfc3339(),
        serial: next_answers_serial(&state.answers_serial),
        meetings,
        wilayah: state.office.wilayah.iter().filter(|k| k.kota_code == device_kota).cloned().collect(),
        // An office that keeps no list leaves the laptop's as it is.
        opd: Some(opd).filter(|opd| !opd.is_empty()),
        women_target_percent: stage.map(|stage| stage.women_target_percent),
        delegates: stage.map(|stage| stage.delegates),
    };
    let roster = signed_roster(&state, &request.device.kelurahan_code).await?;
    answer(StatusCode::OK, AnswersReply { answers: Signed::sign(&answers, &state.office.signing_key), roster })
}

/// The review and usulan outcomes of each bundle the device delivered.
fn meeting_answers(store: &dyn OfficeStore, device_id: &str) -> Result<Vec<MeetingAnswer>, ApiError> {
    let mut meetings = Vec::new();
    let filter = BundleFilter { device_id: Some(device_id.to_owned()), ..BundleFilter::default() };
    for bundle in store.bundles_where(&filter).map_err(ApiError::internal)? {
        let review = store.review(&bundle.sha256).map_err(ApiError::internal)?;
        let (state, note) = review.map_or(("baru".to_owned(), None), |review| (review.state, review.note));
        // The dashboard's `baru` is what a device calls diterima.
        let review_state = match state.as_str() {
            "baru" => ReviewState::Diterima,
            other => ReviewState::parse(other).ok_or_else(|| ApiError::internal("a stored review state is unknown"))?,
        };
        let mut usulan = Vec::new();
        for outcome in store.usulan_outcomes(&bundle.sha256).map_err(ApiError::internal)? {
            let kind = OutcomeKind::parse(&outcome.outcome)
                .ok_or_else(|| ApiError::internal("a stored usulan outcome is unknown"))?;
            usulan.push(UsulanAnswer { usulan_id: outcome.usulan_id, outcome: kind, detail: outcome.detail });
        }
        meetings.push(MeetingAnswer {
            meeting_id: bundle.facts.meeting_id,
            revision: bundle.facts.revision,
            bundle_sha256: bundle.facts.sha256,
            review_state,
            note,
            usulan,
        });
    }
    Ok(meetings)
}

/// The serial of answers signed now: the office's clock in Unix
/// milliseconds, and always above the last one this server signed.
fn next_answers_serial(last: &AtomicU64) -> u64 {
    let now = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0);
    let previous = last
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(now.max(last + 1)))
        .expect("the update always answers");
    now.max(previous + 1)
}

fn state_of(upload: &Upload) -> UploadState {
    UploadState { upload_id: upload.upload_id.clone(), offset: upload.received, size: upload.size }
}

async fn create_upload(State(state): State<AppState>, request: Authenticated, body: Body) -> Answer<UploadState> {
    let create: CreateUpload = signed_json(&state, &request.auth, body).await?;
    if !hex::is_sha256_hex(&create.sha256) {
        return Err(ApiError::new(SyncErrorCode::BadRequest, "sha256 is 64 lower-case hex digits"));
    }
    if create.size > state.limits.max_bundle_bytes {
        return Err(ApiError::new(SyncErrorCode::TooLarge, "the bundle is over the office's limit"));
    }
    let store = state.office.store.clone();
    let max = state.limits.max_uploads_per_device;
    let device_id = request.device.device_id;
    let outcome = blocking(move || {
        // A bundle the office holds needs no bytes: its upload is complete.
        let held = store.bundle_exists(&create.sha256).map_err(ApiError::internal)?;
        let upload = Upload {
            upload_id: uuid::Uuid::now_v7().simple().to_string(),
            device_id,
            received: if held { create.size } else { 0 },
            sha256: create.sha256,
            size: create.size,
        };
        store.create_upload(&upload, max, office_now()).map_err(ApiError::internal)
    })
    .await?;
    match outcome {
        CreateUploadOutcome::Created(upload) => answer(StatusCode::CREATED, state_of(&upload)),
        CreateUploadOutcome::Existing(upload) => answer(StatusCode::OK, state_of(&upload)),
        CreateUploadOutcome::TooMany => Err(SyncErrorCode::TooManyUploads.into()),
    }
}

/// The upload `id` of the requesting device, with its lock held.
async fn own_upload(state: &AppState, device: &Device, id: &str) -> Result<(Upload, UploadGuard), ApiError> {
    let lock = {
        let mut locks = state.upload_locks.lock().expect("not poisoned");
        locks.entry(id.to_owned()).or_default().clone()
    };
    let guard = UploadGuard { state: state.clone(), id: id.to_owned(), guard: Some(lock.lock_owned().await) };
    let store = state.office.store.clone();
    let upload_id = id.to_owned();
    let upload = blocking(move || store.upload(&upload_id).map_err(ApiError::internal)).await?;
    match upload {
        Some(upload) if upload.device_id == device.device_id => Ok((upload, guard)),
        _ => Err(SyncErrorCode::UploadNotFound.into()),
    }
}

/// Holds an upload's lock; the last one out removes it from the map.
struct UploadGuard {
    state: AppState,
    id: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for UploadGuard {
    fn drop(&mut self) {
        let mut locks = self.state.upload_locks.lock().expect("not poisoned");
        self.guard.take();
        // Anyone waiting cloned the lock under the map's mutex, held here.
        if locks.get(&self.id).is_some_and(|lock| Arc::strong_count(lock) == 1) {
            locks.remove(&self.id);
        }
    }
}

async fn upload_state(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    request: Authenticated,
) -> Answer<UploadState> {
    request.without_body()?;
    let (upload, _guard) = own_upload(&state, &request.device, &id).await?;
    answer(StatusCode::OK, state_of(&upload))
}

async fn patch_chunk(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    request: Authenticated,
    headers: HeaderMap,
    body: Body,
) -> Answer<UploadState> {
    let offset: u64 = headers
        .get(headers::UPLOAD_OFFSET)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| ApiError::new(SyncErrorCode::BadRequest, "upload-offset is missing"))?;
    let (upload, _guard) = own_upload(&state, &request.device, &id).await?;
    if offset != upload.received {
        return Err(ApiError::new(SyncErrorCode::OffsetMismatch, format!("the office holds {}", upload.received)));
    }
    let room = (upload.size - upload.received).min(MAX_CHUNK_BYTES);
    let declared = headers.get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > room) {
        return Err(ApiError::new(SyncErrorCode::TooLarge, "the chunk goes past the upload's size or 4 MiB"));
    }
    // Read whole before a byte is written: a chunk cut short leaves nothing.
    let chunk = read_body(body, room, &state.limits).await?;
    if hex::sha256_hex(&chunk) != request.auth.body_sha256 {
        return Err(SyncErrorCode::ChecksumMismatch.into());
    }
    let (store, path, dir) = (state.office.store.clone(), state.office.upload_path(&id), state.office.uploads_dir());
    let received = blocking(move || {
        write_chunk(&path, &dir, offset, &chunk).map_err(ApiError::internal)?;
        let received = offset + chunk.len() as u64;
        store.set_received(&upload.upload_id, received, office_now()).map_err(ApiError::internal)?;
        Ok(received)
    })
    .await?;
    answer(StatusCode::OK, UploadState { upload_id: id, offset: received, size: upload.size })
}

/// Writes `chunk` at `offset` of an upload's file and flushes it to disk.
/// Whatever lies past `offset` (a chunk written but not recorded before a
/// crash) is left: every byte from the recorded offset to the end is
/// written again before a commit, and each byte written is the bundle's own
/// at its place, so two servers writing one upload at once (a device that
/// switched server) never undo each other's bytes.
fn write_chunk(path: &Path, dir: &Path, offset: u64, chunk: &[u8]) -> io::Result<()> {
    let created = !path.exists();
    let mut file = File::options().create(true).truncate(false).write(true).open(path)?;
    if created {
        rembug_core::atomic::sync_dir(dir)?;
    }
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(chunk)?;
    file.sync_data()
}

async fn commit(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    request: Authenticated,
) -> Answer<CommitAnswer> {
    request.without_body()?;
    let (upload, guard) = own_upload(&state, &request.device, &id).await?;
    let shared = state.clone();
    let device = request.device;
    let outcome = blocking(move || {
        if is_signed_pages_upload(&shared.office, &upload)? {
            let (status, pages) = commit_signed_pages(&shared, &device, &upload)?;
            Ok((status, Signed { body: pages.receipt_body, signature: pages.receipt_signature }, None))
        } else {
            let (status, bundle) = commit_upload(&shared, &device, &upload)?;
            Ok((
                status,
                Signed { body: bundle.facts.receipt_body, signature: bundle.facts.receipt_signature },
                bundle.replaces,
            ))
        }
    })
    .await;
    drop(guard);
    let (status, receipt, replaces) = outcome?;
    answer(status, CommitAnswer { receipt, replaces })
}

/// Whether an upload holds a signed-pages bundle (held already, or its
/// bytes' manifest says so) rather than a meeting revision's bundle.
fn is_signed_pages_upload(office: &Office, upload: &Upload) -> Result<bool, ApiError> {
    if office.store.signed_pages(&upload.sha256).map_err(ApiError::internal)?.is_some() {
        return Ok(true);
    }
    let path = office.upload_path(&upload.upload_id);
    let path = if path.exists() { path } else { office.blobs.path(&upload.sha256) };
    // A file that cannot be read as either is refused by the bundle's own
    // verification, with its code.
    Ok(path.exists() && rembug_bundle::is_signed_pages_file(&path).unwrap_or(false))
}

/// The upload's complete file, checked against its declared SHA-256: the
/// upload's own, or one another server put in the blob store and stopped
/// before recording (`true`).
fn complete_upload_file(office: &Office, upload: &Upload) -> Result<(PathBuf, bool), ApiError> {
    if upload.received < upload.size {
        return Err(ApiError::new(SyncErrorCode::Incomplete, format!("{} of {} bytes", upload.received, upload.size)));
    }
    let mut path = office.upload_path(&upload.upload_id);
    let refused = |error: ApiError| discard_upload(office, upload).and(Err(error));
    if upload.size == 0 {
        File::create(&path).map_err(ApiError::internal)?;
    }
    let put_already = !path.exists() && office.blobs.path(&upload.sha256).exists();
    if put_already {
        path = office.blobs.path(&upload.sha256);
    } else if !path.exists() {
        return refused(ApiError::new(SyncErrorCode::UploadNotFound, "the upload's bytes are gone"));
    }
    if sha256_of_file(&path).map_err(ApiError::internal)? != upload.sha256 {
        return refused(ApiError::new(SyncErrorCode::SizeMismatch, "the bytes do not hash to the declared SHA-256"));
    }
    Ok((path, put_already))
}

/// Verifies and stores the signed pages of a revision the office holds
/// (`docs/bundle-format.md`, section 10): sealed by the device that
/// delivered that revision, each file once by its SHA-256, with a receipt
/// like a bundle's. Pages of a revision the office does not hold are `409
/// revision_unknown`; the device sends them again after the revision.
pub(crate) fn commit_signed_pages(
    state: &Shared,
    device: &Device,
    upload: &Upload,
) -> Result<(StatusCode, SignedPagesBundle), ApiError> {
    let office = &state.office;
    let store = &office.store;
    if let Some(held) = store.signed_pages(&upload.sha256).map_err(ApiError::internal)? {
        discard_upload(office, upload)?;
        if held.device != device.device_id {
            return Err(SyncErrorCode::NotOwnBundle.into());
        }
        return Ok((StatusCode::OK, held));
    }
    let (path, put_already) = complete_upload_file(office, upload)?;
    let refused = |error: ApiError| discard_upload(office, upload).and(Err(error));
    let verified = match rembug_bundle::verify_signed_pages_file(&path) {
        Ok(verified) => verified,
        Err(error) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refused(ApiError { status, code: error.code().into(), message: error.to_string() });
        }
    };
    let manifest = verified.manifest;
    if manifest.device.id != device.device_id {
        return refused(SyncErrorCode::NotOwnBundle.into());
    }
    let scope = Scope { kelurahan_code: device.kelurahan_code.clone(), rw: device.rw };
    if !scope.covers(&manifest.kelurahan_code, manifest.rw) {
        return refused(SyncErrorCode::OutOfScope.into());
    }
    let revision =
        store.bundle_of_revision(&manifest.meeting_id, &manifest.content_hash).map_err(ApiError::internal)?;
    let Some(revision) = revision.filter(|held| held.revision == manifest.revision) else {
        return refused(ApiError::new(SyncErrorCode::RevisionUnknown, "the office does not hold this revision"));
    };
    if revision.device_id != device.device_id {
        return refused(SyncErrorCode::NotOwnBundle.into());
    }
    let (received_at, signed) = receipt_and_put(office, upload, &manifest.bundle_id, &path, put_already)?;
    let new = NewSignedPages {
        sha256: upload.sha256.clone(),
        bundle_id: manifest.bundle_id,
        size: upload.size,
        device_id: device.device_id.clone(),
        revision_sha256: revision.facts.sha256,
        page_count: manifest.pages.len() as u32,
        received_at,
        receipt_body: signed.body,
        receipt_signature: signed.signature,
    };
    match store.record_signed_pages(&new, &upload.upload_id) {
        Ok(SignedPagesOutcome::Recorded(pages)) => Ok((StatusCode::CREATED, pages)),
        Ok(SignedPagesOutcome::Duplicate(pages)) => Ok((StatusCode::OK, pages)),
        Err(error) => {
            if !office.is_shared() {
                let _ = office.blobs.remove(&upload.sha256);
            }
            Err(ApiError::internal(error))
        }
    }
}

/// Verifies and stores a complete upload: refused whole, or stored whole.
/// The sync's commit and the dashboard's upload of a bundle brought on a
/// USB stick both store through here.
pub(crate) fn commit_upload(
    state: &Shared,
    device: &Device,
    upload: &Upload,
) -> Result<(StatusCode, Bundle), ApiError> {
    let office = &state.office;
    let store = &office.store;
    if let Some(held) = store.bundle(&upload.sha256).map_err(ApiError::internal)? {
        discard_upload(office, upload)?;
        if held.device_id != device.device_id {
            return Err(SyncErrorCode::NotOwnBundle.into());
        }
        return Ok((StatusCode::OK, held));
    }
    // With a shared index, another server may have put this upload in the
    // blob store and stopped before recording it: its file is checked and
    // recorded from there. Neither file: the device starts again.
    let (path, put_already) = complete_upload_file(office, upload)?;
    let refused = |error: ApiError| discard_upload(office, upload).and(Err(error));
    let verified = match verify_file(&path) {
        Ok(verified) => verified,
        Err(error) => {
            let refusal = ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: error.code().into(),
                message: error.to_string(),
            };
            return refused(refusal);
        }
    };
    let figures = Figures::of_meeting_json(&verified.bundle.meeting_json).map_err(ApiError::internal)?;
    let manifest = verified.bundle.manifest;
    if manifest.device.id != device.device_id {
        return refused(SyncErrorCode::NotOwnBundle.into());
    }
    let scope = Scope { kelurahan_code: device.kelurahan_code.clone(), rw: device.rw };
    if !scope.covers(&manifest.kelurahan_code, manifest.rw) {
        return refused(SyncErrorCode::OutOfScope.into());
    }
    let replaces = match replaced_revision(state, device, &manifest)? {
        Ok(replaces) => replaces,
        Err(refusal) => return refused(refusal),
    };
    let (received_at, signed) = receipt_and_put(office, upload, &manifest.bundle_id, &path, put_already)?;
    let new = NewBundle {
        facts: BundleFacts {
            bundle_id: manifest.bundle_id,
            sha256: upload.sha256.clone(),
            size: upload.size,
            device_id: device.device_id.clone(),
            kelurahan_code: manifest.kelurahan_code,
            rw: manifest.rw,
            stage: manifest.stage,
            planning_year: manifest.planning_year,
            meeting_id: manifest.meeting_id,
            revision: manifest.revision,
            content_hash: manifest.content_hash,
            received_at,
            receipt_body: signed.body,
            receipt_signature: signed.signature,
        },
        replaces,
        figures,
    };
    match store.record_bundle(&new, &upload.upload_id) {
        Ok(RecordOutcome::Recorded(bundle)) => Ok((StatusCode::CREATED, bundle)),
        Ok(RecordOutcome::Duplicate(bundle)) => Ok((StatusCode::OK, bundle)),
        Ok(RecordOutcome::RevisionConflict) => {
            office.blobs.remove(&upload.sha256).map_err(ApiError::internal)?;
            store.delete_upload(&upload.upload_id).map_err(ApiError::internal)?;
            Err(ApiError::new(SyncErrorCode::RevisionConflict, "the office holds this meeting revision already"))
        }
        Err(error) => {
            // Alone, this server knows nobody recorded it; with a shared
            // index another server may have, and the start-up cleanup
            // removes it later if not.
            if !office.is_shared() {
                let _ = office.blobs.remove(&upload.sha256);
            }
            Err(ApiError::internal(error))
        }
    }
}

/// The office's signed receipt for a verified upload about to be recorded,
/// and its file put in the blob store. Durable before it is recorded: the
/// file's bytes were flushed chunk by chunk; the rename and then the folder
/// are flushed before the transaction. A crash in between leaves a file no
/// row names, which the next start removes.
fn receipt_and_put(
    office: &Office,
    upload: &Upload,
    bundle_id: &str,
    path: &Path,
    put_already: bool,
) -> Result<(String, Signed), ApiError> {
    let received_at = now_rfc3339();
    let receipt = Receipt {
        bundle_id: bundle_id.to_owned(),
        sha256: upload.sha256.clone(),
        received_at: received_at.clone(),
        office_key_id: office.identity.key_id.clone(),
    };
    let signed = Signed::sign(&receipt, &office.signing_key);
    if !put_already {
        office.blobs.put(&upload.sha256, path).map_err(ApiError::internal)?;
    }
    Ok((received_at, signed))
}

/// The SHA-256 of the bundle a correction replaces, checked against the
/// rules: it names a revision the office holds by meeting id and content
/// hash, carries the next number, and comes from the same device or a
/// device scoped to the same kelurahan and RW. The outer error is the
/// office's own failure, the inner one the refusal.
fn replaced_revision(
    state: &Shared,
    device: &Device,
    manifest: &rembug_bundle::Manifest,
) -> Result<Result<Option<String>, ApiError>, ApiError> {
    let invalid = |why: &str| Ok(Err(ApiError::new(SyncErrorCode::CorrectionInvalid, why)));
    let Some(supersedes) = &manifest.supersedes else {
        return if manifest.revision == 1 { Ok(Ok(None)) } else { invalid("a correction names what it replaces") };
    };
    let store = &state.office.store;
    let Some(replaced) =
        store.bundle_of_revision(&supersedes.meeting_id, &supersedes.content_hash).map_err(ApiError::internal)?
    else {
        return invalid("the office does not hold the revision this one corrects");
    };
    if replaced.revision + 1 != manifest.revision || replaced.kelurahan_code != manifest.kelurahan_code {
        return invalid("a correction carries the next revision number of the same kelurahan");
    }
    let same_area = device.kelurahan_code == replaced.kelurahan_code && device.rw == replaced.rw;
    if replaced.device_id != device.device_id && !same_area {
        return invalid("only the same device or one of the same RW corrects a revision");
    }
    Ok(Ok(Some(replaced.facts.sha256)))
}

fn discard_upload(office: &Office, upload: &Upload) -> Result<(), ApiError> {
    office.store.delete_upload(&upload.upload_id).map_err(ApiError::internal)?;
    remove_if_present(&office.upload_path(&upload.upload_id)).map_err(ApiError::internal)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

fn sha256_of_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hex::encode(&hasher.finalize()));
        }
        hasher.update(&buffer[..read]);
    }
}

/// TLS from a PEM certificate chain and key, and the SHA-256 (hex) of the
/// leaf certificate, which devices pin.
pub fn tls_acceptor(cert: &Path, key: &Path) -> Result<(TlsAcceptor, String), String> {
    use rustls_pki_types::PrivateKeyDer;
    use rustls_pki_types::pem::PemObject;
    let (chain, pin) = certificate_chain(cert)?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|error| format!("{}: {error}", key.display()))?;
    // ring, as the devices' client (rembug-sync's client.rs says why).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|error| error.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), pin))
}

/// A PEM certificate chain and the SHA-256 (hex) of its leaf's DER bytes:
/// the pin devices keep.
pub fn certificate_chain(cert: &Path) -> Result<(Vec<rustls_pki_types::CertificateDer<'static>>, String), String> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect())
        .map_err(|error| format!("{}: {error}", cert.display()))?;
    let leaf = chain.first().ok_or_else(|| format!("{}: no certificate", cert.display()))?;
    let pin = hex::sha256_hex(leaf.as_ref());
    Ok((chain, pin))
}

/// Whether a listening address may serve plain HTTP without
/// `--insecure-http`: only a loopback address.
pub fn plain_http_allowed(address: &SocketAddr) -> bool {
    address.ip().is_loopback()
}
