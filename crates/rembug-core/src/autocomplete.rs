//! Finding a returning resident by a few typed letters, fast enough for every
//! keystroke over a city's directory (50,000 people).
//!
//! Names are normalised (lower case, accents and apostrophes dropped) and cut
//! into words. A city's 50,000 names share far fewer distinct words, so each
//! keystroke first matches the query against the dictionary of distinct words
//! (with letter bitmasks rejecting most of them before any comparison), then
//! scans the people, each a handful of word numbers, with table look-ups. The
//! people are kept in name order, so among equally good matches the first
//! found is the one to show and no names are compared while searching.
//!
//! Every query word must match a word of the name. The best match is exact,
//! then a prefix ("rah" → Rahmawati), then a substring ("wati" → Rahmawati),
//! then a word within one typing error of the start of a name word ("Sitti" →
//! Siti, "Rahmawti" → Rahmawati). People of the meeting's kelurahan and RW come
//! first, then the rest of its kelurahan, then everyone else.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// Query words this long or longer may match inside a name word; shorter
/// fragments match inside nearly every name and only add noise.
const SUBSTRING_MIN_LEN: usize = 3;
/// Query words this long or longer tolerate one typing error.
const FUZZY_MIN_LEN: usize = 4;

/// How well one query word matches a name word; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Exact,
    Prefix,
    Substring,
    OneEdit,
}

/// Where the meeting is, so its own residents rank first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    pub kelurahan_code: Option<String>,
    /// `None` for a kelurahan-level meeting: its whole kelurahan is near.
    pub rw: Option<u16>,
}

struct Entry {
    id: Box<str>,
    /// The name's words, as numbers in `PeopleIndex::words`.
    words: Box<[u32]>,
    /// Index into `PeopleIndex::kelurahan_codes`.
    kelurahan: Option<u16>,
    rw: Option<u16>,
}

/// A distinct name word with the letter masks that reject it cheaply.
struct Word {
    text: Box<str>,
    /// `letter_bit`s of all its letters, of its first, of its first two.
    letters: u64,
    first: u64,
    first_two: u64,
}

impl Word {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let first = letter_bit(bytes[0]);
        Word {
            text: text.into(),
            letters: letter_mask(bytes),
            first,
            first_two: first | bytes.get(1).map_or(0, |&b| letter_bit(b)),
        }
    }

    /// How well the query word `query` matches this name word. The masks
    /// answer "no" for most words: a prefix or substring needs every letter
    /// of the query; a typing error leaves one out at most, and the two
    /// words then share a letter among their first two.
    fn match_query(&self, query: &Word) -> Option<Tier> {
        let missing = (query.letters & !self.letters).count_ones();
        let len = query.text.len();
        let may_match = (missing == 0 && (self.first == query.first || len >= SUBSTRING_MIN_LEN))
            || (missing <= 1 && len >= FUZZY_MIN_LEN && self.first_two & query.first_two != 0);
        if may_match { match_word(query.text.as_bytes(), self.text.as_bytes()) } else { None }
    }
}

/// The in-memory directory the store keeps in step with the `person` table.
#[derive(Default)]
pub struct PeopleIndex {
    entries: Vec<Entry>,
    /// Every distinct name word, numbered by position.
    words: Vec<Word>,
    word_numbers: HashMap<Box<str>, u32>,
    /// Interned kelurahan codes: a city has a few dozen, people have 50,000.
    kelurahan_codes: Vec<Box<str>>,
}

/// A match's place in the answer, best first: distance from the meeting's
/// neighbourhood, worst tier, summed tiers, then position in name order.
type Rank = (u8, Tier, u16, usize);

/// What the index needs to know of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedPerson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kelurahan_code: Option<&'a str>,
    pub rw: Option<u16>,
}

impl PeopleIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the index of a whole directory at once.
    pub fn from_people<'a>(people: impl IntoIterator<Item = IndexedPerson<'a>>) -> Self {
        let mut index = PeopleIndex::new();
        let mut entries: Vec<Entry> = people.into_iter().map(|person| index.entry(person)).collect();
        entries.sort_by(|a, b| index.name_order(a, b));
        index.entries = entries;
        index
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a person, or replaces the one with the same id (after an edit),
    /// keeping name order. Edits happen at human speed: a linear look-up and
    /// a shift of the list cost well under a millisecond.
    pub fn upsert(&mut self, person: IndexedPerson<'_>) {
        if let Some(old) = self.entries.iter().position(|existing| &*existing.id == person.id) {
            self.entries.remove(old);
        }
        let entry = self.entry(person);
        let at = self.entries.partition_point(|existing| self.name_order(existing, &entry) == Ordering::Less);
        self.entries.insert(at, entry);
    }

    fn entry(&mut self, person: IndexedPerson<'_>) -> Entry {
        let key = normalise(person.name);
        let words = key.split(' ').filter(|word| !word.is_empty()).map(|word| self.word_number(word)).collect();
        let kelurahan = person.kelurahan_code.map(|code| self.intern_kelurahan(code));
        Entry { id: person.id.into(), words, kelurahan, rw: person.rw }
    }

    /// Names word by word, then ids: the order ties are answered in.
    fn name_order(&self, a: &Entry, b: &Entry) -> Ordering {
        self.name_words(a).cmp(self.name_words(b)).then_with(|| a.id.cmp(&b.id))
    }

    fn name_words<'a>(&'a self, entry: &'a Entry) -> impl Iterator<Item = &'a str> {
        entry.words.iter().map(|&number| &*self.words[number as usize].text)
    }

    fn word_number(&mut self, word: &str) -> u32 {
        if let Some(&number) = self.word_numbers.get(word) {
            return number;
        }
        let number = self.words.len() as u32;
        self.words.push(Word::new(word));
        self.word_numbers.insert(word.into(), number);
        number
    }

    fn intern_kelurahan(&mut self, code: &str) -> u16 {
        match self.kelurahan_codes.iter().position(|known| &**known == code) {
            Some(index) => index as u16,
            None => {
                self.kelurahan_codes.push(code.into());
                (self.kelurahan_codes.len() - 1) as u16
            }
        }
    }

    /// The ids of the best `limit` matches for what was typed, best first.
    pub fn search(&self, query: &str, near: &Neighbourhood, limit: usize) -> Vec<&str> {
        let query = normalise(query);
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        // For each query word, how well it matches each dictionary word.
        let mut tiers: Vec<Vec<Option<Tier>>> = Vec::new();
        for query_word in query.split(' ').map(Word::new) {
            let matches: Vec<Option<Tier>> = self.words.iter().map(|word| word.match_query(&query_word)).collect();
            if matches.iter().all(Option::is_none) {
                return Vec::new();
            }
            tiers.push(matches);
        }
        let near_kelurahan = near
            .kelurahan_code
            .as_deref()
            .and_then(|code| self.kelurahan_codes.iter().position(|known| &**known == code))
            .map(|index| index as u16);

        // The best `limit` so far, the worst of them on top.
        let mut best: BinaryHeap<Rank> = BinaryHeap::with_capacity(limit + 1);
        for (position, entry) in self.entries.iter().enumerate() {
            let Some((worst, total)) = match_entry(&tiers, entry) else {
                continue;
            };
            let distance = match (near_kelurahan, entry.kelurahan) {
                (Some(wanted), Some(found)) if wanted == found => {
                    if near.rw.is_none() || near.rw == entry.rw {
                        0
                    } else {
                        1
                    }
                }
                _ => 2,
            };
            let rank = (distance, worst, total, position);
            if best.len() == limit && best.peek().is_some_and(|last| rank >= *last) {
                continue;
            }
            best.push(rank);
            if best.len() > limit {
                best.pop();
            }
        }
        best.into_sorted_vec().into_iter().map(|(.., position)| &*self.entries[position].id).collect()
    }
}

/// The worst and the summed tier over the query words, or `None` when a query
/// word matches no word of the name.
fn match_entry(tiers: &[Vec<Option<Tier>>], entry: &Entry) -> Option<(Tier, u16)> {
    let mut worst = Tier::Exact;
    let mut total = 0u16;
    for matches in tiers {
        let tier = entry.words.iter().filter_map(|&number| matches[number as usize]).min()?;
        worst = worst.max(tier);
        total += tier as u16;
    }
    Some((worst, total))
}

fn match_word(query: &[u8], name: &[u8]) -> Option<Tier> {
    if has_prefix(name, query) {
        Some(if name.len() == query.len() { Tier::Exact } else { Tier::Prefix })
    } else if query.len() >= SUBSTRING_MIN_LEN && name.windows(query.len()).any(|window| has_prefix(window, query)) {
        Some(Tier::Substring)
    } else if query.len() >= FUZZY_MIN_LEN && one_edit_from_a_prefix(query, name) {
        Some(Tier::OneEdit)
    } else {
        None
    }
}

/// True when one insertion, deletion, substitution or transposition of
/// adjacent letters turns `query` into a prefix of `name` (or all of it).
/// The edit can only be at the first difference, so it is found in one pass.
/// Works on bytes: a non-ASCII letter left after normalisation counts as
/// several bytes, which only makes such rare names less tolerant.
fn one_edit_from_a_prefix(query: &[u8], name: &[u8]) -> bool {
    let same = query.iter().zip(name).take_while(|(a, b)| a == b).count();
    if same == query.len() {
        return true;
    }
    let (query, name) = (&query[same..], &name[same..]);
    let substituted = !name.is_empty() && has_prefix(&name[1..], &query[1..]);
    let extra_letter_typed = has_prefix(name, &query[1..]);
    let letter_left_out = name.get(1..).is_some_and(|rest| has_prefix(rest, query));
    let swapped = query.len() >= 2
        && name.len() >= 2
        && query[0] == name[1]
        && query[1] == name[0]
        && has_prefix(&name[2..], &query[2..]);
    substituted || extra_letter_typed || letter_left_out || swapped
}

/// `text.starts_with(prefix)` as a loop that stops at the first difference:
/// on words this short it beats a call to `memcmp`.
#[inline]
fn has_prefix(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && text.iter().zip(prefix).all(|(a, b)| a == b)
}

/// Lower case, accents folded ("É" → "e"), apostrophes dropped ("Ma'ruf" →
/// "maruf"), anything else that is not a letter or digit separates words.
/// Answers the words joined by single spaces.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        // Apostrophes join a word; combining accents (decomposed text, or the
        // dot of a lower-cased "İ") belong to the letter before them.
        if matches!(c, '\'' | '\u{2019}' | '`' | '\u{300}'..='\u{36f}') {
            continue;
        }
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// The base letter of an accented Latin letter (lower case), as people type
/// names without accents on a laptop keyboard.
fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

fn letter_mask(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |mask, &b| mask | letter_bit(b))
}

/// One bit per letter a to z and digit 0 to 9, one for any other byte.
fn letter_bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 1 << 36,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MELONG: &str = "32.77.01.1001";
    const CIBEUREUM: &str = "32.77.01.1003";

    fn index_of(people: &[(&str, &str, &str, u16)]) -> PeopleIndex {
        let mut index = PeopleIndex::new();
        for &(id, name, kelurahan, rw) in people {
            index.upsert(IndexedPerson { id, name, kelurahan_code: Some(kelurahan), rw: Some(rw) });
        }
        index
    }

    fn near(kelurahan: &str, rw: u16) -> Neighbourhood {
        Neighbourhood { kelurahan_code: Some(kelurahan.into()), rw: Some(rw) }
    }

    #[test]
    fn normalising_folds_case_accents_and_punctuation() {
        assert_eq!(normalise("  H. Ahmad  Ma'ruf, S.Pd "), "h ahmad maruf s pd");
        assert_eq!(normalise("ÉNDANG Süryani İndah"), "endang suryani indah");
        assert_eq!(normalise("Jose\u{301}"), "jose", "decomposed accents are dropped too");
        assert_eq!(normalise("--"), "");
    }

    #[test]
    fn one_typing_error_is_tolerated_at_the_start_of_a_word() {
        let within = [
            ("sitti", "siti"),          // letter typed twice
            ("rahmawti", "rahmawati"),  // letter left out
            ("rahmewati", "rahmawati"), // wrong letter
            ("rahamwati", "rahmawati"), // two letters swapped
            ("rahmw", "rahmawati"),     // typo while still typing
            ("siti", "siti"),
        ];
        for (query, name) in within {
            assert!(one_edit_from_a_prefix(query.as_bytes(), name.as_bytes()), "{query} ~ {name}");
        }
        let beyond = [("sittti", "siti"), ("rhamwti", "rahmawati"), ("xyzw", "siti"), ("dewi", "andi")];
        for (query, name) in beyond {
            assert!(!one_edit_from_a_prefix(query.as_bytes(), name.as_bytes()), "{query} !~ {name}");
        }
    }

    #[test]
    fn misspelled_names_are_found_but_short_words_must_be_exact() {
        let index = index_of(&[
            ("siti", "Siti Aminah", MELONG, 1),
            ("rahma", "Rahmawati", MELONG, 1),
            ("dedi", "Dedi Kurniawan", MELONG, 1),
        ]);
        let here = near(MELONG, 1);
        assert_eq!(index.search("Sitti", &here, 10), ["siti"]);
        assert_eq!(index.search("rahmawti", &here, 10), ["rahma"]);
        // Even the first letter may be mistyped or swapped.
        assert_eq!(index.search("xiti", &here, 10), ["siti"]);
        assert_eq!(index.search("isti", &here, 10), ["siti"]);
        assert_eq!(index.search("SÌTI  amin", &here, 10), ["siti"], "accents and case do not matter");
        // Three letters leave no room for a typing error: "sto" finds nobody.
        assert!(index.search("sto", &here, 10).is_empty());
        // Every word typed must match.
        assert!(index.search("siti kurniawan", &here, 10).is_empty());
    }

    #[test]
    fn the_meetings_rw_comes_first_then_its_kelurahan() {
        let index = index_of(&[
            ("far", "Asep Saepudin", CIBEUREUM, 5),
            ("same-kelurahan", "Asep Sunandar", MELONG, 2),
            ("same-rw", "Asep Zulkarnaen", MELONG, 5),
        ]);
        assert_eq!(index.search("asep", &near(MELONG, 5), 10), ["same-rw", "same-kelurahan", "far"]);
        // A kelurahan meeting has no RW: its whole kelurahan is near.
        let kelurahan = Neighbourhood { kelurahan_code: Some(MELONG.into()), rw: None };
        assert_eq!(index.search("asep", &kelurahan, 10), ["same-kelurahan", "same-rw", "far"]);
    }

    #[test]
    fn prefixes_rank_before_substrings_before_typing_errors() {
        let index = index_of(&[
            ("typo", "Wato Santoso", MELONG, 1),
            ("inside", "Rahmawati", MELONG, 1),
            ("prefix-second-word", "Nur Watiah", MELONG, 1),
            ("exact", "Wati", MELONG, 1),
            ("prefix", "Watini", MELONG, 1),
        ]);
        assert_eq!(
            index.search("wati", &near(MELONG, 1), 10),
            ["exact", "prefix-second-word", "prefix", "inside", "typo"]
        );
        // Nearness outranks the quality of the match.
        let index = index_of(&[("far-exact", "Wati", CIBEUREUM, 1), ("near-substring", "Rahmawati", MELONG, 1)]);
        assert_eq!(index.search("wati", &near(MELONG, 1), 10), ["near-substring", "far-exact"]);
    }

    #[test]
    fn only_the_best_few_are_answered_and_edits_replace() {
        let mut index = index_of(&[
            ("a", "Ujang Suparman", MELONG, 1),
            ("b", "Ujang Sobari", MELONG, 1),
            ("c", "Ujang Rohman", MELONG, 1),
        ]);
        assert_eq!(index.search("ujang", &near(MELONG, 1), 2), ["c", "b"], "ties are broken by name");
        index.upsert(IndexedPerson { id: "c", name: "Ucup Rohman", kelurahan_code: Some(MELONG), rw: Some(1) });
        assert_eq!(index.len(), 3);
        assert_eq!(index.search("ujang", &near(MELONG, 1), 10), ["b", "a"]);
        assert!(index.search("  ", &near(MELONG, 1), 10).is_empty());
    }
}
