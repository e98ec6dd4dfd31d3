-- The berita acara's signatories and number (issue 11): the pimpinan rapat
-- and the office printed under the name, and the "Nomor:" line. Part of the
-- locked record; a revision copies them. (Numbered 0011: 0010 belongs to a
-- branch merged beside this one.)
ALTER TABLE meeting ADD COLUMN pimpinan TEXT;
ALTER TABLE meeting ADD COLUMN pimpinan_jabatan TEXT;
ALTER TABLE meeting ADD COLUMN nomor TEXT;
