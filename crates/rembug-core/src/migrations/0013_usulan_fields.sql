-- The rest of the usulan's fields (issue 11): the daftar usulan's
-- "keterangan", which photos go to SIPD (at most three per usulan, as SIPD
-- takes), and the list of OPD the usulan form offers for its OPD tujuan.

ALTER TABLE usulan ADD COLUMN keterangan TEXT;

-- 1 for a photo the cadre marked for SIPD. The lock triggers of migration
-- 0006 already refuse any change to a locked meeting's photos.
ALTER TABLE usulan_photo ADD COLUMN untuk_sipd INTEGER NOT NULL DEFAULT 0 CHECK (untuk_sipd IN (0, 1));

-- A second line of defence behind the store's check: never a fourth mark.
CREATE TRIGGER usulan_photo_sipd_insert BEFORE INSERT ON usulan_photo
WHEN NEW.untuk_sipd = 1
  AND (SELECT count(*) FROM usulan_photo WHERE usulan_id = NEW.usulan_id AND untuk_sipd = 1) >= 3
BEGIN SELECT RAISE(ABORT, 'at most three photos go to SIPD'); END;

CREATE TRIGGER usulan_photo_sipd_update BEFORE UPDATE OF untuk_sipd ON usulan_photo
WHEN NEW.untuk_sipd = 1 AND OLD.untuk_sipd = 0
  AND (SELECT count(*) FROM usulan_photo WHERE usulan_id = NEW.usulan_id AND untuk_sipd = 1) >= 3
BEGIN SELECT RAISE(ABORT, 'at most three photos go to SIPD'); END;

-- The OPD (perangkat daerah) an usulan may be addressed to, kept in
-- Settings; the usulan form offers them and still takes any other name.
-- A setting of the device, about no meeting: no lock triggers.
CREATE TABLE opd (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200)
) STRICT;

-- Kota Cimahi's perangkat daerah, as the default (to be checked by the city).
INSERT INTO opd (name) VALUES
    ('Sekretariat Daerah'),
    ('Sekretariat DPRD'),
    ('Inspektorat Daerah'),
    ('Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah (Bappelitbangda)'),
    ('Badan Keuangan dan Aset Daerah'),
    ('Badan Pendapatan Daerah'),
    ('Badan Kepegawaian dan Pengembangan Sumber Daya Manusia'),
    ('Badan Kesatuan Bangsa dan Politik'),
    ('Badan Penanggulangan Bencana Daerah'),
    ('Dinas Pendidikan'),
    ('Dinas Kesehatan'),
    ('Dinas Pekerjaan Umum dan Penataan Ruang'),
    ('Dinas Perumahan dan Kawasan Permukiman'),
    ('Dinas Sosial'),
    ('Dinas Tenaga Kerja'),
    ('Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana'),
    ('Dinas Ketahanan Pangan dan Pertanian'),
    ('Dinas Lingkungan Hidup'),
    ('Dinas Kependudukan dan Pencatatan Sipil'),
    ('Dinas Perhubungan'),
    ('Dinas Komunikasi, Informatika, Kearsipan dan Perpustakaan'),
    ('Dinas Koperasi, Usaha Mikro, Kecil dan Menengah, Perindustrian dan Perdagangan'),
    ('Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu'),
    ('Dinas Kebudayaan, Pariwisata, Kepemudaan dan Olahraga'),
    ('Satuan Polisi Pamong Praja'),
    ('Kecamatan Cimahi Utara'),
    ('Kecamatan Cimahi Tengah'),
    ('Kecamatan Cimahi Selatan');
