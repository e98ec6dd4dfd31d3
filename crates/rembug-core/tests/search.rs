//! Full-text search over notulen, usulan and attendees, against a real
//! SQLite file.

mod common;

use common::{meeting_form, open};
use rembug_core::Store;
use rembug_core::attendance::Role;
use rembug_core::demo::{self, Scale};
use rembug_core::meeting::MeetingForm;
use rembug_core::notulen::AgendaItemForm;
use rembug_core::people::PersonForm;
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::store::search::{SearchHit, SearchKind};
use rembug_core::usulan::UsulanForm;

fn meeting_on(store: &Store, date: &str) -> String {
    let form = MeetingForm {
        kelurahan_code: "32.77.01.1001".into(),
        rw: "5".into(),
        date: date.into(),
        place: "Balai RW 05".into(),
        ..meeting_form()
    };
    store.create_meeting(&form).unwrap().id
}

fn agenda_item(store: &Store, meeting_id: &str, title: &str, discussion: &str) -> String {
    let item = store.add_agenda_item(meeting_id, title).unwrap();
    let form = AgendaItemForm { title: title.into(), discussion: discussion.into(), decisions: String::new() };
    store.save_agenda_item(&item.id, &form).unwrap();
    item.id
}

fn highlighted(hit: &SearchHit) -> Vec<String> {
    hit.snippet.iter().filter(|s| s.highlighted).map(|s| s.text.to_lowercase()).collect()
}

fn plain(hit: &SearchHit) -> String {
    hit.snippet.iter().map(|s| s.text.as_str()).collect()
}

#[test]
fn a_word_from_the_notulen_finds_its_meeting_with_the_word_marked() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = meeting_on(&store, "2026-11-28");
    let item =
        agenda_item(&store, &id, "Penggalian masalah", "Warga RT 03 melaporkan Jalan Rusa berlubang dan tergenang.");

    let hits = store.search("berlubang", 10).unwrap();
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(
        (hit.kind, hit.item_id.as_str(), hit.meeting.id.as_str()),
        (SearchKind::Notulen, item.as_str(), id.as_str())
    );
    assert_eq!(hit.title, "Penggalian masalah");
    assert_eq!(hit.meeting.kelurahan_name, "Melong");
    assert_eq!(highlighted(hit), ["berlubang"]);
    assert!(plain(hit).contains("Jalan Rusa berlubang dan tergenang"), "{}", plain(hit));
    assert!(!plain(hit).contains(['\u{E000}', '\u{E001}']), "markers never reach the UI");
}

#[test]
fn the_last_word_matches_as_a_prefix_while_it_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = meeting_on(&store, "2026-11-28");
    agenda_item(&store, &id, "Usulan", "Saluran di Jalan Rusa tersumbat.");

    let hits = store.search("jalan rus", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(highlighted(&hits[0]), ["jalan", "rusa"]);
    // A finished word (followed by a space) is no longer a prefix.
    assert!(store.search("jalan rus ", 10).unwrap().is_empty());
    // Case and diacritics do not matter.
    assert_eq!(store.search("SALURAN", 10).unwrap().len(), 1);
}

#[test]
fn operators_and_punctuation_typed_by_a_user_never_break_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = meeting_on(&store, "2026-11-28");
    agenda_item(&store, &id, "Drainase", "Drainase OR jalan: near rumah Pak RT.");

    for text in [
        "\"",
        "\"drainase",
        "drainase OR",
        "AND",
        "NOT drainase",
        "NEAR(drainase jalan)",
        "*",
        "drain*",
        "jalan:",
        "^drainase",
        "(",
        "{col}: x",
        "''",
        "-",
        "\u{E000}",
        "drainase -jalan",
        "🙂",
    ] {
        let result = store.search(text, 10);
        assert!(result.is_ok(), "{text:?} gave {:?}", result.err());
    }
    // Operators are searched as the plain words they are.
    assert_eq!(store.search("near rumah", 10).unwrap().len(), 1);
    assert_eq!(store.search("NOT drainase", 10).unwrap().len(), 0, "both words must match; 'not' is not in the text");
    assert_eq!(store.search("drainase OR", 10).unwrap().len(), 1);
    assert!(store.search("  -*()  ", 10).unwrap().is_empty());
}

#[test]
fn usulan_and_attendee_names_are_found_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = meeting_on(&store, "2026-11-28");
    let person = PersonForm {
        name: "Euis Komalasari".into(),
        gender: "P".into(),
        unsur: "PKK".into(),
        rt: "3".into(),
        ..PersonForm::default()
    };
    let attendee = store.check_in_new(&id, &person, Role::Peserta).unwrap();
    let usulan = UsulanForm {
        permasalahan: "Saluran air di Gg. Mawar meluap saat hujan".into(),
        kegiatan: "Pembangunan drainase".into(),
        alamat: "Gg. Mawar RT 03/RW 05".into(),
        rt_list: "3".into(),
        volume: "120".into(),
        satuan: "meter".into(),
        biaya: "Rp 60.000.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    };
    let added = store.add_usulan(&id, &usulan).unwrap();

    let hits = store.search("komalasari", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].kind, hits[0].item_id.as_str(), hits[0].title.as_str()),
        (SearchKind::Attendee, attendee.person_id.as_str(), "Euis Komalasari")
    );

    let hits = store.search("mawar", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].kind, hits[0].item_id.as_str(), hits[0].title.as_str()),
        (SearchKind::Usulan, added.id.as_str(), "Pembangunan drainase")
    );
    assert_eq!(highlighted(&hits[0]), ["mawar"]);

    // A word only in the keterangan finds the usulan too, after an edit.
    assert!(store.search("swakelola", 10).unwrap().is_empty());
    let noted = UsulanForm { keterangan: "Dikerjakan swakelola oleh warga".into(), ..usulan };
    store.update_usulan(&added.id, &noted).unwrap();
    let hits = store.search("swakelola", 10).unwrap();
    assert_eq!(
        hits.iter().map(|hit| (hit.kind, hit.item_id.as_str())).collect::<Vec<_>>(),
        [(SearchKind::Usulan, added.id.as_str())]
    );
    assert_eq!(highlighted(&hits[0]), ["swakelola"]);
}

#[test]
fn better_matches_come_first_and_equal_ones_newest_meeting_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let older = meeting_on(&store, "2024-11-20");
    let newer = meeting_on(&store, "2026-11-20");
    let middle = meeting_on(&store, "2025-11-20");
    for id in [&older, &newer, &middle] {
        agenda_item(&store, id, "Lain-lain", "Warga membahas posyandu dan kerja bakti bulanan di lingkungan.");
    }
    // Short and all about it: the most relevant.
    let best = agenda_item(&store, &older, "Posyandu", "Posyandu posyandu.");

    let hits = store.search("posyandu", 10).unwrap();
    let order: Vec<(&str, &str)> = hits.iter().map(|h| (h.meeting.id.as_str(), h.item_id.as_str())).collect();
    assert_eq!(order.len(), 4);
    assert_eq!(order[0], (older.as_str(), best.as_str()));
    let tied: Vec<&str> = order[1..].iter().map(|(meeting, _)| *meeting).collect();
    assert_eq!(tied, [newer.as_str(), middle.as_str(), older.as_str()]);

    // The limit cuts through the tie: the newest of the tied meetings stays.
    let two: Vec<String> = store.search("posyandu", 2).unwrap().into_iter().map(|h| h.meeting.id).collect();
    assert_eq!(two, [older.clone(), newer.clone()]);
    assert!(store.search("posyandu", 0).unwrap().is_empty());
    assert!(store.search("", 10).unwrap().is_empty());
}

#[test]
fn demo_notulen_is_searchable_right_after_generation() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    demo::generate_for_year(&store, Scale::Rw, 5, 2027).unwrap();
    // The current year's draft; last year's meeting is the other.
    let meetings = store.list_meetings(&MeetingFilter::default()).unwrap().meetings;
    let meeting = &meetings[0];

    let hits = store.search("pimpinan rapat", 10).unwrap();
    assert_eq!(hits.len(), 2, "each year's notulen names its chair");
    assert!(hits.iter().all(|hit| hit.kind == SearchKind::Notulen));
    let hit = hits.iter().find(|hit| hit.meeting.id == meeting.id).expect("the draft's notulen");
    assert_eq!(highlighted(hit), ["pimpinan", "rapat"]);
    // 8 usulan, each with its kegiatan in the index.
    let usulan = store.usulan_list(&meeting.id).unwrap();
    let kegiatan = usulan[0].kegiatan.clone();
    assert!(
        store.search(&kegiatan, 50).unwrap().iter().any(|h| h.kind == SearchKind::Usulan && h.item_id == usulan[0].id)
    );
}
