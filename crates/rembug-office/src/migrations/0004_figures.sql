-- What the grid, the summary, the exports and the recap read of each
-- bundle, kept at ingest in the bundle's own transaction (store::Figures,
-- derived once from the verified public record), so those pages query the
-- index instead of opening every bundle file. Bundles recorded before this
-- migration get theirs when the office next opens (Office::open reads each
-- file once). Like the bundle, a bundle's figures never change.
CREATE TABLE bundle_figures (
    bundle_sha256 TEXT PRIMARY KEY REFERENCES bundle (sha256),
    kelurahan_name TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL,
    kecamatan_name TEXT NOT NULL,
    attendees INTEGER NOT NULL CHECK (attendees >= 0),
    women INTEGER NOT NULL CHECK (women >= 0),
    youth INTEGER NOT NULL CHECK (youth >= 0),
    disability INTEGER NOT NULL CHECK (disability >= 0),
    women_target_percent INTEGER NOT NULL CHECK (women_target_percent BETWEEN 0 AND 100),
    women_target_met INTEGER NOT NULL CHECK (women_target_met IN (0, 1))
) WITHOUT ROWID;

-- One row per usulan with SIPD's export columns, found through its bundle
-- (the bundle's index on (planning_year, kelurahan_code), then this primary
-- key); the year and kelurahan are repeated for reports straight off it.
CREATE TABLE bundle_usulan (
    bundle_sha256 TEXT NOT NULL REFERENCES bundle (sha256),
    -- Its place in the record (the order of entry), from 0.
    position INTEGER NOT NULL CHECK (position >= 0),
    planning_year INTEGER NOT NULL,
    kelurahan_code TEXT NOT NULL,
    usulan_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    rw INTEGER,
    rt_list TEXT NOT NULL,
    alamat TEXT NOT NULL,
    permasalahan TEXT NOT NULL,
    kegiatan TEXT NOT NULL,
    volume REAL NOT NULL,
    satuan TEXT NOT NULL,
    biaya INTEGER NOT NULL,
    bidang TEXT NOT NULL,
    -- Empty when none is named.
    opd_tujuan TEXT NOT NULL,
    -- A count of people; NULL when not known.
    penerima_manfaat INTEGER CHECK (penerima_manfaat >= 0),
    -- Empty when none is written.
    keterangan TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    photos INTEGER NOT NULL CHECK (photos >= 0),
    PRIMARY KEY (bundle_sha256, position)
) WITHOUT ROWID;

CREATE TRIGGER bundle_figures_no_update BEFORE UPDATE ON bundle_figures
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s figures are kept as derived');
END;
CREATE TRIGGER bundle_figures_no_delete BEFORE DELETE ON bundle_figures
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s figures are kept as derived');
END;
CREATE TRIGGER bundle_usulan_no_update BEFORE UPDATE ON bundle_usulan
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s figures are kept as derived');
END;
CREATE TRIGGER bundle_usulan_no_delete BEFORE DELETE ON bundle_usulan
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s figures are kept as derived');
END;
