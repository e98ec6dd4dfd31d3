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

-- The grid reads one year of one kota, and a device's answers its own
-- bundles: by index, not by reading every bundle. Kelurahan codes compare
-- byte by byte, so a kota's codes are one range ("32.77." to "32.77/").
ALTER TABLE bundle ALTER COLUMN kelurahan_code TYPE TEXT COLLATE "C";
CREATE INDEX bundle_by_year_kelurahan ON bundle (planning_year, kelurahan_code);
CREATE INDEX bundle_by_device ON bundle (device_id);
