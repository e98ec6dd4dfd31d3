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

-- The grid reads one year of one kota, and a device's answers its own
-- bundles: by index, not by reading every bundle.
CREATE INDEX bundle_by_year_kelurahan ON bundle (planning_year, kelurahan_code);
CREATE INDEX bundle_by_device ON bundle (device_id);
