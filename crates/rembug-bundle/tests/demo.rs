//! Demo data as a laptop in its second year holds it: every locked meeting of
//! the `rw` and `kelurahan` scales seals into a bundle that verifies, sealed
//! from a read-only store, so each record was frozen when it was generated,
//! as a lock freezes it, and not on this first seal.

use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::demo::{self, Scale};
use rembug_core::device::DeviceIdentity;
use rembug_core::meeting::{MeetingStatus, Stage};
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::{DataDir, Store};

#[test]
fn every_locked_demo_meeting_seals_into_a_bundle_that_verifies() {
    for (scale, stages) in
        [(Scale::Rw, &[Stage::RembugWarga][..]), (Scale::Kelurahan, &[Stage::RembugWarga, Stage::MusrenbangKelurahan])]
    {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = DataDir::open(&dir.path().join("data")).unwrap();
        demo::generate_for_year(&data_dir.open_store().unwrap(), scale, 11, 2028).unwrap();
        let device = DeviceIdentity::load_or_create(data_dir.path()).unwrap();
        let store = Store::open_read_only(&data_dir.path().join(DATABASE_FILE)).unwrap();
        let filter =
            MeetingFilter { status: Some(MeetingStatus::Locked), limit: Some(1000), ..MeetingFilter::default() };
        let locked = store.list_meetings(&filter).unwrap().meetings;
        for stage in stages {
            assert!(locked.iter().any(|meeting| meeting.stage == *stage), "{scale:?} has a locked {stage:?}");
        }
        assert!(locked.iter().all(|meeting| stages.contains(&meeting.stage)), "{scale:?}");

        for meeting in &locked {
            let out = dir.path().join(format!("{}.rembug", meeting.id));
            let sealed = rembug_bundle::seal(&store, &device, &meeting.id, None, &out)
                .unwrap_or_else(|error| panic!("{scale:?} {:?} {}: {error}", meeting.stage, meeting.id));
            let verified = rembug_bundle::verify_file(&out).unwrap();
            assert_eq!(verified.sha256, sealed.sha256);
            let manifest = &verified.bundle.manifest;
            assert_eq!((manifest.meeting_id.as_str(), manifest.planning_year), (meeting.id.as_str(), 2027));
            assert_eq!(manifest.content_hash, store.frozen_record(&meeting.id).unwrap().content_hash);
            assert_eq!(Some(&manifest.created_at), store.get_meeting(&meeting.id).unwrap().locked_at.as_ref());
        }
    }
}
