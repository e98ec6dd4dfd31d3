-- Whom a kelurahan laptop trusts among the devices whose bundles it imports
-- (docs/sync-protocol.md, "Roster").

-- The office's signed roster of enrolled devices, one per kelurahan: the
-- highest serial seen, kept as the signed envelope (the body's exact JSON and
-- the office's signature) so it can be checked again. Stored only once its
-- signature verified with the office key named here.
CREATE TABLE roster (
    kelurahan_code TEXT PRIMARY KEY,
    serial         INTEGER NOT NULL CHECK (serial >= 0),
    issued_at      TEXT NOT NULL,
    office_key_id  TEXT NOT NULL CHECK (length(office_key_id) = 64),
    body           TEXT NOT NULL,
    signature      TEXT NOT NULL CHECK (length(signature) = 128),
    stored_at      TEXT NOT NULL
) STRICT;

-- A roster is replaced only by one with a higher serial.
CREATE TRIGGER roster_serial_grows BEFORE UPDATE ON roster WHEN NEW.serial <= OLD.serial
BEGIN SELECT RAISE(ABORT, 'a roster is replaced only by a higher serial'); END;

-- The cadre's decision to count an imported bundle whose device the roster
-- does not vouch for. It holds for the device's state when it was made: a
-- bundle confirmed while its device was unknown must be confirmed again once
-- the roster says the device is revoked. imported_bundle itself is
-- immutable (0006), hence a table of its own, append-only as well.
CREATE TABLE imported_confirmation (
    bundle_sha256 TEXT NOT NULL REFERENCES imported_bundle (bundle_sha256),
    device_trust  TEXT NOT NULL CHECK (device_trust IN ('unknown', 'other_rw', 'revoked')),
    confirmed_at  TEXT NOT NULL,
    PRIMARY KEY (bundle_sha256, device_trust)
) STRICT;

CREATE TRIGGER imported_confirmation_is_immutable_update BEFORE UPDATE ON imported_confirmation
BEGIN SELECT RAISE(ABORT, 'imported_confirmation is immutable'); END;

CREATE TRIGGER imported_confirmation_is_immutable_delete BEFORE DELETE ON imported_confirmation
BEGIN SELECT RAISE(ABORT, 'imported_confirmation is immutable'); END;
