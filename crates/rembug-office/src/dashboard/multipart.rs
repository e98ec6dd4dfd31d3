//! A `multipart/form-data` body read as it arrives, for the one form that
//! sends a file (a bundle brought on a USB stick): its small text fields
//! are read whole, its file is handed on in pieces, never held whole in
//! memory. Only what browsers send is read: no preamble, `CRLF` line ends,
//! a `Content-Disposition` naming each part.

use axum::body::Body;
use axum::http::{HeaderMap, header};
use http_body_util::BodyExt;

/// The largest head of a part, and the largest text field.
const MAX_HEAD_BYTES: usize = 8 * 1024;

/// Why a body could not be read as a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum MultipartError {
    /// Not a form as browsers send it.
    Malformed,
    /// A part's head or a text field is larger than allowed.
    TooLarge,
    /// The body stalled or was cut short.
    Cut,
}

/// The boundary of a `multipart/form-data` request.
pub(super) fn boundary(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, parameters) = value.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (name, value) = parameter.trim().split_once('=')?;
        let value = value.trim_matches('"');
        let valid = (1..=70).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
        (name.eq_ignore_ascii_case("boundary") && valid).then(|| value.to_owned())
    })
}

/// A part's field name and, for a file, the name the browser gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PartHead {
    pub name: String,
    pub file_name: Option<String>,
}

/// Reads the parts of a body one after the other.
pub(super) struct Multipart {
    body: Body,
    buffer: Vec<u8>,
    /// `\r\n--boundary`: what ends a part's content.
    delimiter: Vec<u8>,
    idle: std::time::Duration,
    /// Between parts, not inside one.
    at_part_start: bool,
    finished: bool,
}

impl Multipart {
    pub fn new(body: Body, boundary: &str, idle: std::time::Duration) -> Multipart {
        Multipart {
            body,
            // The first delimiter has no line end before it: one is assumed.
            buffer: b"\r\n".to_vec(),
            delimiter: [&b"\r\n--"[..], boundary.as_bytes()].concat(),
            idle,
            at_part_start: false,
            finished: false,
        }
    }

    /// One more piece of the body into the buffer; `false` at its end.
    async fn fill(&mut self) -> Result<bool, MultipartError> {
        loop {
            let frame = match tokio::time::timeout(self.idle, self.body.frame()).await {
                Err(_) | Ok(Some(Err(_))) => return Err(MultipartError::Cut),
                Ok(None) => return Ok(false),
                Ok(Some(Ok(frame))) => frame,
            };
            if let Ok(data) = frame.into_data() {
                self.buffer.extend_from_slice(&data);
                return Ok(true);
            }
        }
    }

    /// Reads until `needle` is in the buffer (its position), with at most
    /// `max` bytes before it.
    async fn find(&mut self, needle: &[u8], max: usize) -> Result<usize, MultipartError> {
        loop {
            match position(&self.buffer, needle) {
                Some(at) if at > max => return Err(MultipartError::TooLarge),
                Some(at) => return Ok(at),
                None => {}
            }
            if self.buffer.len() > max + needle.len() {
                return Err(MultipartError::TooLarge);
            }
            if !self.fill().await? {
                return Err(MultipartError::Malformed);
            }
        }
    }

    /// The next part's head, or `None` after the last part.
    pub async fn next_part(&mut self) -> Result<Option<PartHead>, MultipartError> {
        if self.finished {
            return Ok(None);
        }
        if !self.at_part_start {
            // Skips to the next delimiter (the rest of a part not read).
            loop {
                if let Some(at) = position(&self.buffer, &self.delimiter) {
                    self.buffer.drain(..at + self.delimiter.len());
                    break;
                }
                let keep = self.delimiter.len().min(self.buffer.len());
                self.buffer.drain(..self.buffer.len() - keep);
                if !self.fill().await? {
                    return Err(MultipartError::Malformed);
                }
            }
        }
        while self.buffer.len() < 2 {
            if !self.fill().await? {
                return Err(MultipartError::Malformed);
            }
        }
        if self.buffer.starts_with(b"--") {
            self.finished = true;
            return Ok(None);
        }
        if !self.buffer.starts_with(b"\r\n") {
            return Err(MultipartError::Malformed);
        }
        self.buffer.drain(..2);
        let end = self.find(b"\r\n\r\n", MAX_HEAD_BYTES).await?;
        let head = String::from_utf8(self.buffer.drain(..end + 4).collect()).map_err(|_| MultipartError::Malformed)?;
        self.at_part_start = false;
        part_head(&head).map(Some).ok_or(MultipartError::Malformed)
    }

    /// The current part's content as text, at most [`MAX_HEAD_BYTES`].
    pub async fn text(&mut self) -> Result<String, MultipartError> {
        let delimiter = self.delimiter.clone();
        let end = self.find(&delimiter, MAX_HEAD_BYTES).await?;
        let text = String::from_utf8(self.buffer.drain(..end).collect()).map_err(|_| MultipartError::Malformed)?;
        self.buffer.drain(..self.delimiter.len());
        self.at_part_start = true;
        Ok(text)
    }

    /// The next piece of the current part's content, as it arrives (never
    /// the whole of a large file at once); `None` once the part is read.
    pub async fn chunk(&mut self) -> Result<Option<Vec<u8>>, MultipartError> {
        if self.at_part_start {
            return Ok(None);
        }
        loop {
            if let Some(at) = position(&self.buffer, &self.delimiter) {
                let piece: Vec<u8> = self.buffer.drain(..at).collect();
                self.buffer.drain(..self.delimiter.len());
                self.at_part_start = true;
                return Ok(Some(piece));
            }
            // What could be the start of the delimiter waits for more.
            let safe = self.buffer.len().saturating_sub(self.delimiter.len());
            if safe > 0 {
                return Ok(Some(self.buffer.drain(..safe).collect()));
            }
            if !self.fill().await? {
                return Err(MultipartError::Malformed);
            }
        }
    }
}

fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// The field name and file name of a part's `Content-Disposition`.
fn part_head(head: &str) -> Option<PartHead> {
    let disposition = head
        .split("\r\n")
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("content-disposition")))?
        .1;
    let parameter = |wanted: &str| {
        disposition.split(';').find_map(|parameter| {
            let (name, value) = parameter.trim().split_once('=')?;
            (name.trim() == wanted).then(|| value.trim().trim_matches('"').to_owned())
        })
    };
    Some(PartHead { name: parameter("name")?, file_name: parameter("filename") })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body arriving in these frames, as a browser's does.
    struct Pieces(std::collections::VecDeque<&'static [u8]>);

    impl hyper::body::Body for Pieces {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
            let next =
                self.0.pop_front().map(|piece| Ok(hyper::body::Frame::data(axum::body::Bytes::from_static(piece))));
            std::task::Poll::Ready(next)
        }
    }

    fn body(pieces: Vec<&'static [u8]>) -> Body {
        Body::new(Pieces(pieces.into()))
    }

    fn run<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(future)
    }

    const FORM: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok3n\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"rapat.rembug\"\r\n\
Content-Type: application/octet-stream\r\n\r\nPK\x03\x04 bytes\r\n--X with a false start\r\n--XyZ--\r\n";

    async fn read_all(pieces: Vec<&'static [u8]>) -> Result<(String, PartHead, Vec<u8>), MultipartError> {
        let mut form = Multipart::new(body(pieces), "XyZ", std::time::Duration::from_secs(5));
        let first = form.next_part().await?.unwrap();
        assert_eq!(first, PartHead { name: "csrf".into(), file_name: None });
        let token = form.text().await?;
        let file = form.next_part().await?.unwrap();
        let mut bytes = Vec::new();
        while let Some(piece) = form.chunk().await? {
            bytes.extend_from_slice(&piece);
        }
        assert_eq!(form.next_part().await?, None);
        Ok((token, file, bytes))
    }

    #[test]
    fn fields_and_a_file_read_alike_however_the_body_is_cut_into_frames() {
        let whole = run(read_all(vec![FORM])).unwrap();
        assert_eq!(whole.0, "tok3n");
        assert_eq!(whole.1.file_name.as_deref(), Some("rapat.rembug"));
        assert_eq!(whole.2, b"PK\x03\x04 bytes\r\n--X with a false start");
        for cut in 1..FORM.len() {
            let (a, b) = FORM.split_at(cut);
            assert_eq!(run(read_all(vec![a, b])).unwrap(), whole, "cut at {cut}");
        }
        let bytes: Vec<&'static [u8]> = FORM.chunks(1).collect();
        assert_eq!(run(read_all(bytes)).unwrap(), whole, "one byte a frame");
    }

    #[test]
    fn a_body_cut_short_or_a_head_too_large_is_refused() {
        assert_eq!(run(read_all(vec![&FORM[..FORM.len() - 12]])).unwrap_err(), MultipartError::Malformed);
        let huge: &'static [u8] = Box::leak(
            [&b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n"[..], &[b'x'; 9000], b"\r\n\r\n"]
                .concat()
                .into(),
        );
        let refused = run(async {
            let mut form = Multipart::new(body(vec![huge]), "XyZ", std::time::Duration::from_secs(5));
            form.next_part().await
        });
        assert_eq!(refused.unwrap_err(), MultipartError::TooLarge);
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=----abc".parse().unwrap());
        assert_eq!(boundary(&headers).as_deref(), Some("----abc"));
        headers.insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded".parse().unwrap());
        assert_eq!(boundary(&headers), None);
    }
}
