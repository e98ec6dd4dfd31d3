//! Full-text search over notulen, usulan and attendees' names (SQLite FTS5).
//!
//! What a person types is never handed to FTS5 as query syntax: it is cut
//! into words and each word is quoted, so quotes, `AND`, `NEAR(`, `*` or `:`
//! are searched for as plain text and can never cause a syntax error. The
//! last word is prefix-matched while it is still being typed.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Store;
use super::meetings::{SUMMARY_COLUMNS, SUMMARY_FROM, summary_from_row};
use crate::error::{CoreError, Result};
use crate::meeting::MeetingSummary;

/// More words than this add nothing to a search box and only cost time.
const MAX_QUERY_WORDS: usize = 16;
const MAX_LIMIT: usize = 200;
/// Scoring a match costs about a microsecond, so a word found in most of ten
/// years of usulan would take tens of milliseconds to rank. Beyond this many
/// matches in one table, only the most recently recorded ones are ranked: a
/// search that broad is answered with recent meetings first.
const RANKED_MATCHES_MAX: usize = 2_000;
/// Words of context around the matched words in a snippet.
const SNIPPET_WORDS: i64 = 16;
/// Private-use characters mark the matched words in FTS5's output; they are
/// then split into segments, so the UI never receives markup to interpret.
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// Where a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// An agenda item of the notulen (title, discussion, decisions).
    Notulen,
    Usulan,
    /// A name in the daftar hadir.
    Attendee,
}

/// A piece of a snippet; `highlighted` pieces are the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SnippetSegment {
    pub text: String,
    pub highlighted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub meeting: MeetingSummary,
    /// The agenda item's or usulan's id; for an attendee, the person's id.
    pub item_id: String,
    /// The agenda item's title, the usulan kegiatan, or the attendee's name.
    pub title: String,
    pub snippet: Vec<SnippetSegment>,
}

/// One searchable table: its FTS5 index and the columns a hit shows.
struct Source {
    kind: SearchKind,
    fts: &'static str,
    table: &'static str,
    item_id: &'static str,
    title: &'static str,
}

const SOURCES: [Source; 3] = [
    Source { kind: SearchKind::Notulen, fts: "agenda_item_fts", table: "agenda_item", item_id: "id", title: "title" },
    Source { kind: SearchKind::Usulan, fts: "usulan_fts", table: "usulan", item_id: "id", title: "kegiatan" },
    Source {
        kind: SearchKind::Attendee,
        fts: "attendance_fts",
        table: "attendance",
        item_id: "person_id",
        title: "name",
    },
];

/// A hit before its snippet is made: snippets are built for the best hits only.
struct Ranked {
    source: &'static Source,
    rowid: i64,
    score: f64,
    starts_at: String,
    item_id: String,
    title: String,
    meeting: MeetingSummary,
}

impl Store {
    /// The best `limit` hits for `text` across notulen, usulan and attendees:
    /// by bm25 relevance, the newest meeting first among equals. Meetings
    /// replaced by a newer revision are left out, as in the meeting list.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.read(|conn| {
            let mut ranked = Vec::new();
            for source in &SOURCES {
                ranked.extend(best_hits(conn, source, &query, limit)?);
            }
            ranked.sort_by(|a, b| {
                a.score
                    .total_cmp(&b.score)
                    .then_with(|| b.starts_at.cmp(&a.starts_at))
                    .then_with(|| b.rowid.cmp(&a.rowid))
            });
            ranked.truncate(limit);
            let mut snippets = HashMap::new();
            for source in &SOURCES {
                let rowids: Vec<i64> =
                    ranked.iter().filter(|hit| std::ptr::eq(hit.source, source)).map(|hit| hit.rowid).collect();
                snippets.extend(
                    marked_snippets(conn, source, &query, &rowids)?
                        .into_iter()
                        .map(|(rowid, text)| ((source.fts, rowid), text)),
                );
            }
            Ok(ranked
                .into_iter()
                .map(|hit| SearchHit {
                    kind: hit.source.kind,
                    snippet: segments(snippets.get(&(hit.source.fts, hit.rowid)).map_or("", String::as_str)),
                    meeting: hit.meeting,
                    item_id: hit.item_id,
                    title: hit.title,
                })
                .collect())
        })
    }
}

fn best_hits(conn: &Connection, source: &'static Source, query: &str, limit: usize) -> Result<Vec<Ranked>> {
    let Source { fts, table, item_id, title, .. } = source;
    let mut statement = conn.prepare_cached(&format!(
        "WITH scored AS MATERIALIZED (
                SELECT rowid AS seq, bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH ?1
                ORDER BY rowid DESC LIMIT {RANKED_MATCHES_MAX}
              ),
              cut AS (SELECT score FROM scored ORDER BY score LIMIT 1 OFFSET ?2 - 1)
         SELECT scored.seq, scored.score, {table}.{item_id} AS item_id, {table}.{title} AS title, {SUMMARY_COLUMNS}
         FROM scored JOIN {table} ON {table}.seq = scored.seq JOIN {SUMMARY_FROM}
         WHERE meeting.id = {table}.meeting_id
           AND ((SELECT score FROM cut) IS NULL OR scored.score <= (SELECT score FROM cut))
           AND NOT EXISTS (SELECT 1 FROM meeting AS newer WHERE newer.supersedes_id = meeting.id)
         ORDER BY 2, meeting.starts_at DESC, scored.seq DESC
         LIMIT ?2"
    ))?;
    let rows = statement.query_map(params![query, limit as i64], |row| {
        Ok(Ranked {
            source,
            rowid: row.get("seq")?,
            score: row.get("score")?,
            item_id: row.get("item_id")?,
            title: row.get("title")?,
            starts_at: row.get("summary_starts_at")?,
            meeting: summary_from_row(row)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The snippets of the given rows of one source, with the matched words
/// marked. One pass over the matches: running the query once per row would
/// expand a prefix like `"rus"*` into its many words again for every row.
fn marked_snippets(conn: &Connection, source: &Source, query: &str, rowids: &[i64]) -> Result<HashMap<i64, String>> {
    let Some(&lowest) = rowids.iter().min() else {
        return Ok(HashMap::new());
    };
    let fts = source.fts;
    let mut statement = conn.prepare_cached(&format!(
        "SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?2)) THEN snippet({fts}, -1, ?4, ?5, '…', ?6) END
         FROM {fts} WHERE {fts} MATCH ?1 AND rowid >= ?3"
    ))?;
    let wanted = serde_json::to_string(rowids).map_err(|error| CoreError::Corrupt(error.to_string()))?;
    let rows = statement.query_map(
        params![query, wanted, lowest, MARK_OPEN.to_string(), MARK_CLOSE.to_string(), SNIPPET_WORDS],
        |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Option<String>>(1)?)),
    )?;
    let mut snippets = HashMap::new();
    for row in rows {
        if let (rowid, Some(text)) = row? {
            snippets.insert(rowid, text);
        }
    }
    Ok(snippets)
}

/// The FTS5 query for what a person typed: each word quoted, the last one
/// prefix-matched unless the text ends between words. `None` when the text
/// has no word to search for.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    // Only letters and digits make words, as for FTS5's unicode61 tokenizer;
    // so a quoted word never contains a quote.
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).take(MAX_QUERY_WORDS).collect();
    let last = words.len().checked_sub(1)?;
    let still_typing = text.chars().last().is_some_and(char::is_alphanumeric);
    let quoted: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let prefix = if index == last && still_typing { "*" } else { "" };
            format!("\"{word}\"{prefix}")
        })
        .collect();
    Some(quoted.join(" "))
}

/// Splits FTS5 output marked with `MARK_OPEN`/`MARK_CLOSE` into segments.
fn segments(marked: &str) -> Vec<SnippetSegment> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut highlighted = false;
    for c in marked.chars() {
        let toggles_to = match c {
            MARK_OPEN => true,
            MARK_CLOSE => false,
            _ => {
                current.push(c);
                continue;
            }
        };
        if !current.is_empty() {
            segments.push(SnippetSegment { text: std::mem::take(&mut current), highlighted });
        }
        highlighted = toggles_to;
    }
    if !current.is_empty() {
        segments.push(SnippetSegment { text: current, highlighted });
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_quoted_and_the_last_one_is_a_prefix_while_typing() {
        assert_eq!(fts_query("jalan rusa").as_deref(), Some("\"jalan\" \"rusa\"*"));
        assert_eq!(fts_query("jalan rusa ").as_deref(), Some("\"jalan\" \"rusa\""));
        assert_eq!(fts_query("  Posyandu").as_deref(), Some("\"Posyandu\"*"));
    }

    #[test]
    fn operators_and_punctuation_are_plain_words_or_separators() {
        assert_eq!(
            fts_query("\"drainase\" OR NOT(rt:05)").as_deref(),
            Some("\"drainase\" \"OR\" \"NOT\" \"rt\" \"05\"")
        );
        assert_eq!(fts_query("NEAR(a b)*").as_deref(), Some("\"NEAR\" \"a\" \"b\""));
        assert_eq!(fts_query("Rp12.500.000").as_deref(), Some("\"Rp12\" \"500\" \"000\"*"));
        assert_eq!(fts_query(" -*\"():^ "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn a_long_text_is_cut_to_a_bounded_number_of_words() {
        let query = fts_query(&"kata ".repeat(100)).unwrap();
        assert_eq!(query.matches("\"kata\"").count(), MAX_QUERY_WORDS);
    }

    #[test]
    fn marked_text_splits_into_segments() {
        let marked = format!("…rusak di {MARK_OPEN}Jalan{MARK_CLOSE} {MARK_OPEN}Rusa{MARK_CLOSE} RT 03…");
        let split = segments(&marked);
        let pieces: Vec<(&str, bool)> = split.iter().map(|s| (s.text.as_str(), s.highlighted)).collect();
        assert_eq!(pieces, [("…rusak di ", false), ("Jalan", true), (" ", false), ("Rusa", true), (" RT 03…", false)]);
        assert_eq!(segments("tanpa sorotan"), [SnippetSegment { text: "tanpa sorotan".into(), highlighted: false }]);
    }
}
