//! The devices' side of the protocol, one blocking method per request
//! (`docs/sync-protocol.md`), behind the `client` feature. It trusts nothing
//! the office says unless the office's key signed it: a wifi login page that
//! answers `200` with HTML, a proxy or another server is
//! [`ClientError::NotTheOffice`], never a success.
//!
//! TLS is pinned, not trusted from a public CA: [`PinnedTls`] accepts a
//! certificate only when the SHA-256 of the leaf (DER) is the pinned one,
//! whatever its names and dates (an office on a bare IP address with a
//! self-signed certificate works), and still checks that the server holds
//! that certificate's key (the handshake signature). Without a pin (the first
//! contact, before the office is known) any certificate is accepted and its
//! SHA-256 kept ([`OfficeClient::seen_certificate_sha256`]) for the caller to
//! pin once the office's signature and fingerprint are confirmed.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::trust::{Answers, Document, OfficeIdentity, Receipt, Roster, Signed, verify_tagged};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde::Serialize;
use serde::de::DeserializeOwned;
use ureq::Agent;
use ureq::http::{Method, Response};
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, TcpConnector,
    Transport, TransportAdapter,
};

use crate::EnrollmentCode;
use crate::auth::{RequestToSign, new_nonce};
use crate::messages::{
    AnswersReply, CommitAnswer, CreateUpload, ENROLL_TAG, EnrollAnswer, EnrollRequest, ErrorBody, PREFLIGHT_TAG,
    PROTOCOL_VERSION, PreflightAnswer, PreflightRequest, SyncErrorCode, UploadState, headers, paths,
};

/// The most the client reads of any JSON answer (a roster of a few thousand
/// devices fits many times over).
const MAX_ANSWER_BYTES: u64 = 4 * 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Silence on an open connection longer than this is a dead link. Commit
/// answers only after the office verified the whole bundle, which for a
/// bundle of 2 GiB takes a while on a slow disk.
const READ_TIMEOUT: Duration = Duration::from_secs(180);
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a request did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: the address does not resolve, the connection was refused,
    /// cut, or timed out, or TLS failed for a reason other than the pin.
    #[error("network: {0}")]
    Network(String),
    /// Something answered that is not the office: not the protocol's JSON
    /// (a login page), a signature that does not verify, another office's
    /// key, or a TLS certificate other than the pinned one.
    #[error("not the office: {0}")]
    NotTheOffice(String),
    /// The office refused, with its status and code
    /// ([`SyncErrorCode`] or, for a bundle that fails verification, the
    /// verifier's own code).
    #[error("refused ({status} {code}): {message}")]
    Refused { status: u16, code: String, message: String },
    /// A commit answered with a receipt that is not the office's for this
    /// bundle: not delivered.
    #[error("the receipt does not verify for this bundle")]
    ReceiptInvalid,
    /// The request needs the office's key, which this client does not know
    /// yet (enroll first).
    #[error("the office's key is not known yet")]
    OfficeUnknown,
    /// The office address is not an `http://` or `https://` URL.
    #[error("not an office address: {0}")]
    InvalidUrl(String),
}

impl ClientError {
    /// A stable code for logs and the app.
    pub fn code(&self) -> &str {
        match self {
            ClientError::Network(_) => "network",
            ClientError::NotTheOffice(_) => "not_the_office",
            ClientError::Refused { code, .. } => code,
            ClientError::ReceiptInvalid => "receipt_invalid",
            ClientError::OfficeUnknown => "office_unknown",
            ClientError::InvalidUrl(_) => "office_url_invalid",
        }
    }

    /// The protocol's code of a refusal, when it is one.
    pub fn sync_code(&self) -> Option<SyncErrorCode> {
        match self {
            ClientError::Refused { code, .. } => code.parse().ok(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (network trouble, something
    /// that is not the office in the way, the office busy or failing), as
    /// opposed to a refusal that needs the cadre or the office.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Network(_) | ClientError::NotTheOffice(_) => true,
            ClientError::Refused { status, .. } => *status == 429 || *status >= 500,
            ClientError::ReceiptInvalid | ClientError::OfficeUnknown | ClientError::InvalidUrl(_) => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, ClientError>;

/// A document the office signed, checked, with the envelope to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<D> {
    pub document: D,
    pub signed: Signed,
}

/// What a commit answered: the receipt, and whether the office took the
/// bundle now (`201`) or held it already (`200`, the first receipt again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub receipt: Verified<Receipt>,
    /// The bundle id of the revision this correction replaces.
    pub replaces: Option<String>,
    pub new: bool,
}

/// One office, as this device talks to it.
pub struct OfficeClient {
    base_url: String,
    agent: Agent,
    device: Arc<DeviceIdentity>,
    office: Option<OfficeIdentity>,
    /// Office time minus local time, in seconds, from the last preflight.
    clock_offset: i64,
    seen_certificate: Arc<Mutex<Option<String>>>,
}

impl fmt::Debug for OfficeClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OfficeClient")
            .field("base_url", &self.base_url)
            .field("device", &self.device.device_id())
            .field("office", &self.office.as_ref().map(|office| &office.key_id))
            .field("clock_offset", &self.clock_offset)
            .finish()
    }
}

impl OfficeClient {
    /// A client of the office at `base_url` (`https://…` or `http://…`,
    /// without a path), pinning `tls_certificate_sha256` (hex SHA-256 of the
    /// office's certificate, DER) when given, and trusting `office`'s key
    /// when known (from enrollment or an enrollment file).
    pub fn new(
        base_url: &str,
        device: Arc<DeviceIdentity>,
        office: Option<OfficeIdentity>,
        tls_certificate_sha256: Option<&str>,
    ) -> Result<OfficeClient> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let uri: ureq::http::Uri = base_url.parse().map_err(|_| ClientError::InvalidUrl(base_url.clone()))?;
        let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
        if !scheme_ok || uri.host().is_none() || !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(ClientError::InvalidUrl(base_url));
        }
        let pin = match tls_certificate_sha256 {
            Some(pin) if hex::is_sha256_hex(pin) => Some(pin.to_owned()),
            Some(pin) => return Err(ClientError::InvalidUrl(format!("certificate pin {pin}"))),
            None => None,
        };
        let seen_certificate = Arc::new(Mutex::new(None));
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_per_read(Some(READ_TIMEOUT))
            .timeout_per_write(Some(WRITE_TIMEOUT))
            .user_agent(concat!("rembug/", env!("CARGO_PKG_VERSION")))
            .build();
        let connector =
            ().chain(ConnectProxyConnector::default())
                .chain(TcpConnector::default())
                .chain(PinnedTls::new(pin, seen_certificate.clone()));
        let agent = Agent::with_parts(config, connector, DefaultResolver::default());
        Ok(OfficeClient { base_url, agent, device, office, clock_offset: 0, seen_certificate })
    }

    pub fn office(&self) -> Option<&OfficeIdentity> {
        self.office.as_ref()
    }

    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    /// Uses an offset kept from an earlier preflight.
    pub fn set_clock_offset(&mut self, offset: i64) {
        self.clock_offset = offset;
    }

    /// The hex SHA-256 of the certificate the office presented on the last
    /// TLS connection, to pin after enrolling over `https` without a pin.
    pub fn seen_certificate_sha256(&self) -> Option<String> {
        self.seen_certificate.lock().expect("not poisoned").clone()
    }

    /// Proves the office answers: a fresh challenge comes back signed by the
    /// office's key (the known one, once the office is known) with the
    /// office's time, from which the clock offset is set.
    pub fn preflight(&mut self) -> Result<OfficeIdentity> {
        let mut challenge = [0u8; 32];
        getrandom::fill(&mut challenge).expect("the OS random source is available");
        let challenge = hex::encode(&challenge);
        let sent_at = unix_now();
        let response =
            self.send(Method::POST, paths::PREFLIGHT, json(&PreflightRequest { challenge: challenge.clone() }), false)?;
        let answer: PreflightAnswer = expect(response, &[200])?.1;
        if answer.protocol != PROTOCOL_VERSION {
            return Err(not_the_office(format!("protocol {}", answer.protocol)));
        }
        let key = self.trusted_key(&answer.office)?;
        let message = PreflightAnswer::signed_message(&challenge, answer.office_time);
        verify_tagged(&key, PREFLIGHT_TAG, &message, &answer.signature)
            .map_err(|_| not_the_office("preflight signature"))?;
        // The office's clock against the middle of our own request.
        self.clock_offset = answer.office_time - (sent_at + unix_now()) / 2;
        Ok(answer.office)
    }

    /// Registers this device with an enrollment code. The answer counts only
    /// when the roster in it is signed by the office key it names (the known
    /// one, when the office is known from an enrollment file); the client
    /// then trusts that office.
    pub fn enroll(&mut self, code: &EnrollmentCode) -> Result<EnrollAnswer> {
        let request = EnrollRequest {
            code: code.as_str().to_owned(),
            public_key: hex::encode(&self.device.public_key()),
            signature: hex::encode(&self.device.sign_tagged(ENROLL_TAG, code.as_str().as_bytes())),
        };
        let answer: EnrollAnswer =
            expect(self.send(Method::POST, paths::ENROLL, json(&request), false)?, &[200, 201])?.1;
        let key = self.trusted_key(&answer.office)?;
        let roster: Roster = answer.roster.open(&key).map_err(|_| not_the_office("roster signature"))?;
        let me = self.device.device_id();
        if answer.device_id != me
            || roster.device(&me).is_none()
            || roster.kelurahan_code != answer.scope.kelurahan_code
        {
            return Err(not_the_office("the enrollment answer is not about this device"));
        }
        self.office = Some(answer.office.clone());
        Ok(answer)
    }

    /// The signed roster of this device's kelurahan.
    pub fn roster(&self) -> Result<Verified<Roster>> {
        let key = self.known_key()?;
        let signed: Signed = expect(self.send(Method::GET, paths::ROSTER, Vec::new(), true)?, &[200])?.1;
        open_signed(signed, &key).ok_or_else(|| not_the_office("roster signature"))
    }

    /// The office's answers about this device's meetings and its
    /// kelurahan's roster, each signed by the known office key; answers for
    /// another device are not the office's answer to this one.
    pub fn answers(&self) -> Result<(Verified<Answers>, Verified<Roster>)> {
        let key = self.known_key()?;
        let reply: AnswersReply = expect(self.send(Method::GET, paths::ANSWERS, Vec::new(), true)?, &[200])?.1;
        let answers: Verified<Answers> =
            open_signed(reply.answers, &key).ok_or_else(|| not_the_office("answers signature"))?;
        if answers.document.device_id != self.device.device_id() {
            return Err(not_the_office("the answers are for another device"));
        }
        let roster = open_signed(reply.roster, &key).ok_or_else(|| not_the_office("roster signature"))?;
        Ok((answers, roster))
    }

    /// Starts (or finds again) the upload of a bundle file.
    pub fn create_upload(&self, sha256: &str, size: u64) -> Result<UploadState> {
        let body = json(&CreateUpload { sha256: sha256.to_owned(), size });
        Ok(expect(self.send(Method::POST, paths::UPLOADS, body, true)?, &[200, 201])?.1)
    }

    /// How many bytes of an upload the office holds durably.
    pub fn upload_state(&self, upload_id: &str) -> Result<UploadState> {
        Ok(expect(self.send(Method::GET, &paths::upload(upload_id), Vec::new(), true)?, &[200])?.1)
    }

    /// Sends `bytes` (at most [`crate::MAX_CHUNK_BYTES`]) at `offset`; their
    /// checksum is the signed body SHA-256.
    pub fn patch_chunk(&self, upload_id: &str, offset: u64, bytes: &[u8]) -> Result<UploadState> {
        let path = paths::upload(upload_id);
        let response = self.send_with(Method::PATCH, &path, bytes.to_vec(), true, Some(offset))?;
        Ok(expect(response, &[200])?.1)
    }

    /// Asks the office to store the whole upload. Counts as delivered only
    /// with a receipt signed by the known office key for `sha256`.
    pub fn commit(&self, upload_id: &str, sha256: &str) -> Result<Committed> {
        let key = self.known_key()?;
        let office = self.office.as_ref().ok_or(ClientError::OfficeUnknown)?;
        let (status, answer): (u16, CommitAnswer) =
            expect(self.send(Method::POST, &paths::commit(upload_id), Vec::new(), true)?, &[200, 201])?;
        let receipt: Verified<Receipt> = open_signed(answer.receipt, &key).ok_or(ClientError::ReceiptInvalid)?;
        if receipt.document.sha256 != sha256 || receipt.document.office_key_id != office.key_id {
            return Err(ClientError::ReceiptInvalid);
        }
        Ok(Committed { receipt, replaces: answer.replaces, new: status == 201 })
    }

    /// The key an answer naming `office` must be signed with: the known
    /// office's, and `office` must be that office.
    fn trusted_key(&self, office: &OfficeIdentity) -> Result<ed25519_dalek::VerifyingKey> {
        if let Some(known) = &self.office
            && (known.signing_key != office.signing_key || known.encryption_key != office.encryption_key)
        {
            return Err(not_the_office("another office's key"));
        }
        office.verifying_key().map_err(|_| not_the_office("office key"))
    }

    fn known_key(&self) -> Result<ed25519_dalek::VerifyingKey> {
        let office = self.office.as_ref().ok_or(ClientError::OfficeUnknown)?;
        office.verifying_key().map_err(|_| ClientError::OfficeUnknown)
    }

    fn send(&self, method: Method, path: &str, body: Vec<u8>, signed: bool) -> Result<Response<ureq::Body>> {
        self.send_with(method, path, body, signed, None)
    }

    fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        signed: bool,
        upload_offset: Option<u64>,
    ) -> Result<Response<ureq::Body>> {
        let mut request = ureq::http::Request::builder().method(method.clone()).uri(format!("{}{path}", self.base_url));
        if upload_offset.is_some() {
            request = request.header("content-type", "application/offset+octet-stream");
        } else if !body.is_empty() {
            request = request.header("content-type", "application/json");
        }
        if let Some(offset) = upload_offset {
            request = request.header(headers::UPLOAD_OFFSET, offset.to_string());
        }
        if signed {
            let (nonce, body_sha256) = (new_nonce(), hex::sha256_hex(&body));
            let office_time = unix_now() + self.clock_offset;
            let auth =
                RequestToSign { method: method.as_str(), path, office_time, nonce: &nonce, body_sha256: &body_sha256 }
                    .sign(&self.device);
            for (name, value) in auth.pairs() {
                request = request.header(name, value);
            }
        }
        let invalid = |error: ureq::http::Error| ClientError::InvalidUrl(error.to_string());
        // No body at all rather than an empty one: a GET must not carry one.
        let sent = if body.is_empty() {
            self.agent.run(request.body(()).map_err(invalid)?)
        } else {
            self.agent.run(request.body(body).map_err(invalid)?)
        };
        sent.map_err(network_error)
    }
}

/// Reads an answer: one of the `expected` statuses with the protocol's JSON,
/// a refusal with its code, or else not the office.
fn expect<T: DeserializeOwned>(mut response: Response<ureq::Body>, expected: &[u16]) -> Result<(u16, T)> {
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    let bytes =
        response.body_mut().with_config().limit(MAX_ANSWER_BYTES).read_to_vec().map_err(|error| match error {
            ureq::Error::BodyExceedsLimit(_) => not_the_office("an answer too large"),
            other => network_error(other),
        })?;
    if !is_json {
        return Err(not_the_office(format!("{status} without JSON")));
    }
    if expected.contains(&status) {
        let answer = serde_json::from_slice(&bytes).map_err(|_| not_the_office(format!("{status} with other JSON")))?;
        return Ok((status, answer));
    }
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(ErrorBody { code, message }) if (400..600).contains(&status) => {
            Err(ClientError::Refused { status, code, message })
        }
        _ => Err(not_the_office(format!("unexpected status {status}"))),
    }
}

fn open_signed<D: Document>(signed: Signed, key: &ed25519_dalek::VerifyingKey) -> Option<Verified<D>> {
    let document = signed.open(key).ok()?;
    Some(Verified { document, signed })
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("protocol messages serialize")
}

fn not_the_office(why: impl Into<String>) -> ClientError {
    ClientError::NotTheOffice(why.into())
}

fn network_error(error: ureq::Error) -> ClientError {
    let rustls_error = match &error {
        ureq::Error::Rustls(error) => Some(error),
        // The handshake's refusal arrives wrapped in an I/O error.
        ureq::Error::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(_)) => not_the_office("another TLS certificate"),
        _ => ClientError::Network(error.to_string()),
    }
}

fn unix_now() -> i64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(now.as_secs()).unwrap_or(i64::MAX)
}

/// TLS that accepts exactly the pinned certificate (see the module's doc).
#[derive(Debug)]
struct PinnedTls {
    config: Arc<ClientConfig>,
}

impl PinnedTls {
    fn new(pin: Option<String>, seen: Arc<Mutex<Option<String>>>) -> PinnedTls {
        // ring, not aws-lc-rs (which needs cmake and a C toolchain to build);
        // rustls deprecates ring's provider only for lacking post-quantum key
        // exchange, which a pinned certificate does not need.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = PinVerifier { pin, seen, algorithms: provider.signature_verification_algorithms };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        PinnedTls { config: Arc::new(config) }
    }
}

impl<In: Transport> Connector<In> for PinnedTls {
    type Out = Either<In, PinnedTlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = details.uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_owned()).map_err(|_| ureq::Error::Tls("not a TLS server name"))?;
        let mut connection = ClientConnection::new(self.config.clone(), name)?;
        let mut socket = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        socket.set_timeout(details.timeout);
        connection.complete_io(&mut socket)?;
        let buffers = LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        Ok(Some(Either::B(PinnedTlsTransport { buffers, stream: StreamOwned { conn: connection, sock: socket } })))
    }
}

struct PinnedTlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for PinnedTlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinnedTlsTransport").finish()
    }
}

impl Transport for PinnedTlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> std::result::Result<(), ureq::Error> {
        use std::io::Write;
        self.stream.get_mut().set_timeout(timeout);
        self.stream.write_all(&self.buffers.output()[..amount])?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        use std::io::Read;
        self.stream.get_mut().set_timeout(timeout);
        let amount = self.stream.read(self.buffers.input_append_buf())?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

#[derive(Debug)]
struct PinVerifier {
    pin: Option<String>,
    seen: Arc<Mutex<Option<String>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let sha256 = hex::sha256_hex(end_entity.as_ref());
        let accepted = self.pin.as_ref().is_none_or(|pin| *pin == sha256);
        *self.seen.lock().expect("not poisoned") = Some(sha256);
        if accepted {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::thread;

    use super::*;

    /// A server that answers every connection with `answer`, as a captive
    /// portal or a stray web server would.
    fn canned(answer: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        thread::spawn(move || {
            for stream in listener.incoming().take(4) {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap() > 2 {
                    line.clear();
                }
                stream.write_all(answer.as_bytes()).unwrap();
            }
        });
        format!("http://{address}")
    }

    fn client(url: &str) -> (tempfile::TempDir, OfficeClient) {
        let dir = tempfile::tempdir().unwrap();
        let device = Arc::new(DeviceIdentity::load_or_create(dir.path()).unwrap());
        (dir, OfficeClient::new(url, device, None, None).unwrap())
    }

    #[test]
    fn a_login_page_answering_200_is_not_the_office() {
        let url =
            canned("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 20\r\n\r\n<html>login</html>\r\n");
        let (_dir, mut client) = client(&url);
        let error = client.preflight().unwrap_err();
        assert_eq!(error.code(), "not_the_office", "{error}");
        assert!(error.is_transient());
    }

    #[test]
    fn a_redirect_or_foreign_json_is_not_the_office() {
        let redirect = canned("HTTP/1.1 302 Found\r\nlocation: http://portal/\r\ncontent-length: 0\r\n\r\n");
        assert_eq!(client(&redirect).1.preflight().unwrap_err().code(), "not_the_office");
        let json = canned("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}");
        assert_eq!(client(&json).1.preflight().unwrap_err().code(), "not_the_office");
    }

    #[test]
    fn a_refusal_keeps_its_status_and_code() {
        let body = r#"{"code":"code_expired","message":"expired"}"#;
        let answer = format!(
            "HTTP/1.1 410 Gone\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let (_dir, mut client) = client(&canned(answer.leak()));
        let error = client.enroll(&EnrollmentCode::generate()).unwrap_err();
        assert!(matches!(&error, ClientError::Refused { status: 410, code, .. } if code == "code_expired"), "{error}");
        assert_eq!(error.sync_code(), Some(SyncErrorCode::CodeExpired));
        assert!(!error.is_transient());
    }

    #[test]
    fn no_server_is_a_network_error_and_requests_needing_the_office_wait_for_it() {
        let unused = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let (_dir, mut client) = client(&format!("http://{unused}"));
        assert_eq!(client.preflight().unwrap_err().code(), "network");
        assert_eq!(client.roster().unwrap_err().code(), "office_unknown");
    }

    #[test]
    fn only_http_and_https_addresses_are_offices() {
        let dir = tempfile::tempdir().unwrap();
        let device = Arc::new(DeviceIdentity::load_or_create(dir.path()).unwrap());
        for url in ["ftp://office", "office.example", "https://office/v1", "https://office/?x=1"] {
            let error = OfficeClient::new(url, device.clone(), None, None).unwrap_err();
            assert_eq!(error.code(), "office_url_invalid", "{url}");
        }
        assert!(OfficeClient::new("https://10.0.0.5:8443/", device.clone(), None, None).is_ok());
        assert!(OfficeClient::new("https://10.0.0.5", device, None, Some("not hex")).is_err());
    }
}
