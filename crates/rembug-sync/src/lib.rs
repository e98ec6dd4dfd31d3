//! The sync protocol between Rembug devices and the city office, version 1
//! (`docs/sync-protocol.md`): the paths and headers, the JSON of each request
//! and answer, how a device signs a request, and enrollment codes. Shared by
//! the office server (`rembug-office`) and the devices' client, so both
//! sides speak from one declaration. Nothing here touches a database; only
//! the `client` feature's [`client`] module (the devices' blocking HTTP
//! client) touches the network, and its device side (`outbox`: sealing and
//! sending every locked meeting, `retry`: the policy after a failure,
//! `enroll`, `runner`: sending in the background, `receipt_file`: a receipt
//! brought on a USB stick) the device's store.

pub mod auth;
#[cfg(feature = "client")]
pub mod client;
pub mod code;
#[cfg(feature = "client")]
pub mod enroll;
pub mod messages;
#[cfg(feature = "client")]
pub mod outbox;
#[cfg(feature = "client")]
pub mod receipt_file;
#[cfg(feature = "client")]
pub mod retry;
#[cfg(feature = "client")]
pub mod runner;

pub use auth::{AuthHeaders, RequestToSign};
pub use code::EnrollmentCode;
pub use messages::*;
