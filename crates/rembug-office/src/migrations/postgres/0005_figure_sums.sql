-- The summary and the recap sum in SQL (SQLite's 0006; OfficeStore::
-- figure_sums): each bundle's figures carry its planning year, kelurahan
-- and stage, and its usulan count and total cost; each usulan its bundle's
-- stage. Two covering indexes, by the kelurahan code first (a kota's or
-- kecamatan's codes are one byte-ordered range) then the year, answer the
-- sums of a kota with an index-only scan. Rows already held are filled from
-- their bundle here; rows are still never changed after.
ALTER TABLE bundle_figures
    ADD COLUMN planning_year INTEGER,
    ADD COLUMN kelurahan_code TEXT COLLATE "C",
    ADD COLUMN stage TEXT,
    ADD COLUMN usulan INTEGER CHECK (usulan >= 0),
    ADD COLUMN biaya BIGINT;
ALTER TABLE bundle_usulan ADD COLUMN stage TEXT;

ALTER TABLE bundle_figures DISABLE TRIGGER bundle_figures_no_change;
ALTER TABLE bundle_usulan DISABLE TRIGGER bundle_usulan_no_change;
UPDATE bundle_figures f SET planning_year = b.planning_year, kelurahan_code = b.kelurahan_code, stage = b.stage,
    usulan = (SELECT count(*) FROM bundle_usulan u WHERE u.bundle_sha256 = f.bundle_sha256),
    biaya = (SELECT coalesce(sum(u.biaya), 0) FROM bundle_usulan u WHERE u.bundle_sha256 = f.bundle_sha256)
    FROM bundle b WHERE b.sha256 = f.bundle_sha256;
UPDATE bundle_usulan u SET stage = b.stage FROM bundle b WHERE b.sha256 = u.bundle_sha256;
ALTER TABLE bundle_figures ENABLE TRIGGER bundle_figures_no_change;
ALTER TABLE bundle_usulan ENABLE TRIGGER bundle_usulan_no_change;

ALTER TABLE bundle_figures
    ALTER COLUMN planning_year SET NOT NULL,
    ALTER COLUMN kelurahan_code SET NOT NULL,
    ALTER COLUMN stage SET NOT NULL,
    ALTER COLUMN usulan SET NOT NULL,
    ALTER COLUMN biaya SET NOT NULL;
ALTER TABLE bundle_usulan ALTER COLUMN stage SET NOT NULL;

CREATE INDEX bundle_figures_sums ON bundle_figures (kelurahan_code, planning_year)
    INCLUDE (stage, bundle_sha256, kecamatan_code, kecamatan_name, kelurahan_name, attendees, women, youth,
        disability, women_target_percent, women_target_met, usulan, biaya);
CREATE INDEX bundle_usulan_sums ON bundle_usulan (kelurahan_code, planning_year)
    INCLUDE (stage, bundle_sha256, bidang, opd_tujuan, biaya);
