-- The summary and the recap sum in SQL (OfficeStore::figure_sums): each
-- bundle's figures carry its planning year, kelurahan and stage, and its
-- usulan count and total cost; each usulan its bundle's stage. Two covering
-- indexes, by the kelurahan code first (a kota's or kecamatan's codes are
-- one range) then the year, answer the sums of a kota without reading the
-- tables. Rows already held are filled from their bundle here; rows are
-- still never changed after (the triggers are put back).
ALTER TABLE bundle_figures ADD COLUMN planning_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bundle_figures ADD COLUMN kelurahan_code TEXT NOT NULL DEFAULT '';
ALTER TABLE bundle_figures ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE bundle_figures ADD COLUMN usulan INTEGER NOT NULL DEFAULT 0 CHECK (usulan >= 0);
ALTER TABLE bundle_figures ADD COLUMN biaya INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bundle_usulan ADD COLUMN stage TEXT NOT NULL DEFAULT '';

DROP TRIGGER bundle_figures_no_update;
DROP TRIGGER bundle_usulan_no_update;
UPDATE bundle_figures SET
    planning_year = (SELECT b.planning_year FROM bundle b WHERE b.sha256 = bundle_figures.bundle_sha256),
    kelurahan_code = (SELECT b.kelurahan_code FROM bundle b WHERE b.sha256 = bundle_figures.bundle_sha256),
    stage = (SELECT b.stage FROM bundle b WHERE b.sha256 = bundle_figures.bundle_sha256),
    usulan = (SELECT count(*) FROM bundle_usulan u WHERE u.bundle_sha256 = bundle_figures.bundle_sha256),
    biaya = (SELECT coalesce(sum(u.biaya), 0) FROM bundle_usulan u WHERE u.bundle_sha256 = bundle_figures.bundle_sha256);
UPDATE bundle_usulan SET stage = (SELECT b.stage FROM bundle b WHERE b.sha256 = bundle_usulan.bundle_sha256);
CREATE TRIGGER bundle_figures_no_update BEFORE UPDATE ON bundle_figures
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s figures are kept as derived');
END;
CREATE TRIGGER bundle_usulan_no_update BEFORE UPDATE ON bundle_usulan
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s figures are kept as derived');
END;

CREATE INDEX bundle_figures_sums ON bundle_figures (kelurahan_code, planning_year, stage, bundle_sha256,
    kecamatan_code, kecamatan_name, kelurahan_name, attendees, women, youth, disability, women_target_percent,
    women_target_met, usulan, biaya);
CREATE INDEX bundle_usulan_sums ON bundle_usulan (kelurahan_code, planning_year, stage, bundle_sha256, bidang,
    opd_tujuan, biaya);
