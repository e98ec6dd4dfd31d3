-- The usulan's keterangan (migration 0013) is searched too: a word only in
-- the note finds its usulan. FTS5 cannot add a column, so the index is made
-- again with four and filled from the usulan already recorded.
DROP TRIGGER usulan_fts_insert;
DROP TRIGGER usulan_fts_delete;
DROP TRIGGER usulan_fts_update;
DROP TABLE usulan_fts;

CREATE VIRTUAL TABLE usulan_fts USING fts5 (
    kegiatan, permasalahan, alamat, keterangan,
    content = 'usulan', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER usulan_fts_insert AFTER INSERT ON usulan BEGIN
    INSERT INTO usulan_fts (rowid, kegiatan, permasalahan, alamat, keterangan)
    VALUES (new.seq, new.kegiatan, new.permasalahan, new.alamat, new.keterangan);
END;
CREATE TRIGGER usulan_fts_delete AFTER DELETE ON usulan BEGIN
    INSERT INTO usulan_fts (usulan_fts, rowid, kegiatan, permasalahan, alamat, keterangan)
    VALUES ('delete', old.seq, old.kegiatan, old.permasalahan, old.alamat, old.keterangan);
END;
CREATE TRIGGER usulan_fts_update AFTER UPDATE OF kegiatan, permasalahan, alamat, keterangan ON usulan BEGIN
    INSERT INTO usulan_fts (usulan_fts, rowid, kegiatan, permasalahan, alamat, keterangan)
    VALUES ('delete', old.seq, old.kegiatan, old.permasalahan, old.alamat, old.keterangan);
    INSERT INTO usulan_fts (rowid, kegiatan, permasalahan, alamat, keterangan)
    VALUES (new.seq, new.kegiatan, new.permasalahan, new.alamat, new.keterangan);
END;

INSERT INTO usulan_fts (usulan_fts) VALUES ('rebuild');
