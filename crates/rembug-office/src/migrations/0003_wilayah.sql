-- The office's wilayah: the kelurahan/desa its grid, scopes and exports
-- know, imported from a wilayah CSV (Kota Cimahi until another is imported;
-- all of Indonesia fits).
CREATE TABLE wilayah (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL,
    kecamatan_name TEXT NOT NULL,
    kota_code TEXT NOT NULL,
    kota_name TEXT NOT NULL
);
CREATE INDEX wilayah_by_kecamatan ON wilayah (kecamatan_code);
