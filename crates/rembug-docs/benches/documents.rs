//! The four documents of a 150-attendee meeting, each laid out and written
//! as PDF (`cargo bench -p rembug-docs`); the target is well under a second
//! for all four together.

#[path = "../tests/common/mod.rs"]
mod common;

use rembug_docs::{DocumentKind, render_pdf};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn four_documents_of_150_attendees(bencher: divan::Bencher) {
    let fixture = common::crowded_meeting(150, 30);
    bencher.bench_local(|| {
        for kind in DocumentKind::MEETING_PAPERS {
            divan::black_box(render_pdf(&fixture.store, &fixture.meeting_id, kind).unwrap());
        }
    });
}

#[divan::bench(args = DocumentKind::MEETING_PAPERS, sample_count = 10)]
fn one_document_of_150_attendees(bencher: divan::Bencher, kind: DocumentKind) {
    let fixture = common::crowded_meeting(150, 30);
    bencher.bench_local(|| divan::black_box(render_pdf(&fixture.store, &fixture.meeting_id, kind).unwrap()));
}
