//! How far sealing has got, for a progress bar. Reported in steps of about
//! 1 MiB, not per chunk read, so a gigabyte of photos sends a UI channel
//! about a thousand messages rather than tens of thousands.

/// Payload bytes sealed so far, out of those known before sealing starts
/// (meeting.json, the personal record and every attachment as stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealProgress {
    pub done_bytes: u64,
    pub total_bytes: u64,
}

/// The least progress worth reporting.
const STEP: u64 = 1 << 20;

/// Counts payload bytes and calls back when a step more is done.
pub(crate) struct Reporter<'a> {
    done: u64,
    total: u64,
    reported: u64,
    callback: &'a mut dyn FnMut(SealProgress),
}

impl<'a> Reporter<'a> {
    pub fn new(total: u64, callback: &'a mut dyn FnMut(SealProgress)) -> Self {
        Reporter { done: 0, total, reported: 0, callback }
    }

    /// Never past the total: `done == total` is kept for [`Reporter::finish`],
    /// once the bundle is on disk under its name.
    pub fn advance(&mut self, bytes: u64) {
        self.done = (self.done + bytes).min(self.total);
        if self.done - self.reported >= STEP && self.done < self.total {
            self.report();
        }
    }

    pub fn finish(mut self) {
        self.done = self.total;
        self.report();
    }

    fn report(&mut self) {
        self.reported = self.done;
        (self.callback)(SealProgress { done_bytes: self.done, total_bytes: self.total });
    }
}
