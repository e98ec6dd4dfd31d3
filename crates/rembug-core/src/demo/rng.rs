//! A small seeded generator (SplitMix64): the same seed gives the same demo
//! data on every machine, with no dependency on a random-number crate.

use uuid::{Builder, Uuid};

pub(super) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`. The modulo bias is far below anything demo
    /// data could show.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// An index into a collection of `len` (> 0) items.
    pub fn index(&mut self, len: usize) -> usize {
        (self.next_u64() % len as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// `count` distinct indices of `0..len`, in random order (a partial
    /// Fisher-Yates shuffle).
    pub fn sample(&mut self, len: usize, count: usize) -> Vec<usize> {
        let mut indices: Vec<usize> = (0..len).collect();
        let count = count.min(len);
        for i in 0..count {
            let j = i + self.index(len - i);
            indices.swap(i, j);
        }
        indices.truncate(count);
        indices
    }

    /// A UUIDv7 for an entity created at `unix_millis`, its random part drawn
    /// from this generator rather than the OS.
    pub fn uuid_v7(&mut self, unix_millis: u64) -> Uuid {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        random[8..].copy_from_slice(&self.next_u64().to_le_bytes()[..2]);
        Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_another_seed_another() {
        let first: Vec<u64> = (0..5)
            .map({
                let mut rng = Rng::new(7);
                move |_| rng.next_u64()
            })
            .collect();
        let again: Vec<u64> = (0..5)
            .map({
                let mut rng = Rng::new(7);
                move |_| rng.next_u64()
            })
            .collect();
        assert_eq!(first, again);
        assert_ne!(first[0], Rng::new(8).next_u64());
    }

    #[test]
    fn ranges_and_samples_stay_in_bounds() {
        let mut rng = Rng::new(1);
        for _ in 0..1000 {
            assert!((3..=5).contains(&rng.between(3, 5)));
        }
        let mut sample = rng.sample(10, 4);
        assert_eq!(sample.len(), 4);
        sample.sort();
        sample.dedup();
        assert_eq!(sample.len(), 4, "indices are distinct");
        assert!(sample.iter().all(|&i| i < 10));
        assert_eq!(rng.sample(3, 10).len(), 3);
    }

    #[test]
    fn ids_are_uuid_v7_carrying_the_given_time() {
        let id = Rng::new(3).uuid_v7(1_764_300_000_000);
        assert_eq!(id.get_version_num(), 7);
        let (seconds, _) = id.get_timestamp().unwrap().to_unix();
        assert_eq!(seconds, 1_764_300_000);
        assert_eq!(id, Rng::new(3).uuid_v7(1_764_300_000_000));
    }
}
