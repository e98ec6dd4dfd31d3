-- The office's wilayah (SQLite's 0003): the kelurahan/desa its grid, scopes
-- and exports know, imported from a wilayah CSV.
CREATE TABLE wilayah (
    code TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    kecamatan_code TEXT COLLATE "C" NOT NULL,
    kecamatan_name TEXT NOT NULL,
    kota_code TEXT COLLATE "C" NOT NULL,
    kota_name TEXT NOT NULL
);
CREATE INDEX wilayah_by_kecamatan ON wilayah (kecamatan_code);
