// Cetak: a meeting's documents as PDF (saved through a native dialog, or
// opened in the system's PDF viewer for printing) and its workbook as XLSX.
import { call } from './api';
import type { Meeting } from './bindings';
import type { DocumentKind } from './commands';

export type { DocumentKind };

/** The documents every meeting prints, in the order the Cetak tab shows them. */
export const DOCUMENTS: readonly DocumentKind[] = ['berita-acara', 'daftar-hadir', 'usulan', 'notulen'];

/** The daftar hadir printed before the meeting: empty rows, or the RW's residents then empty rows. */
export const BEFORE_MEETING: readonly DocumentKind[] = ['daftar-hadir-kosong', 'daftar-hadir-warga'];

/**
 * Every document the shell prints: the meeting's papers, the office's tanda
 * terima, and the daftar hadir to print before the meeting.
 */
export const ALL_DOCUMENTS: readonly DocumentKind[] = [...DOCUMENTS, 'tanda-terima', ...BEFORE_MEETING];

/**
 * What a draft offers to print before the meeting, first on the Cetak tab:
 * the empty daftar hadir, and for a meeting of one RW the list of its
 * residents. Nothing once the meeting is locked.
 */
export function beforeMeetingDocuments(meeting: Pick<Meeting, 'status' | 'rw'>): readonly DocumentKind[] {
  if (meeting.status !== 'draft') return [];
  return meeting.rw === null ? ['daftar-hadir-kosong'] : BEFORE_MEETING;
}

/** What the Cetak tab offers: the tanda terima too once the office received the meeting. */
export function documentsFor(delivered: boolean): readonly DocumentKind[] {
  return delivered ? [...DOCUMENTS, 'tanda-terima'] : DOCUMENTS;
}

/** The papers signed in the hall, which a draft prints for signing. */
export const SIGNED_PAPERS: readonly DocumentKind[] = ['berita-acara', 'daftar-hadir', 'usulan'];

/** Every page as a PNG data URL, to show before printing. */
export const previewDocument = (id: string, kind: DocumentKind) =>
  call('preview_document', { id, kind });
/** The path it was saved to, or null when the dialog was closed. */
export const saveDocument = (id: string, kind: DocumentKind, title: string) =>
  call('save_document', { id, kind, title });
export const openDocument = (id: string, kind: DocumentKind) => call('open_document', { id, kind });
export const saveMeetingXlsx = (id: string, title: string) => call('save_meeting_xlsx', { id, title });
/**
 * "Cetak untuk ditandatangani": the draft's paper without the DRAF
 * watermark, opened in the PDF viewer; answers the code in its footer.
 */
export const openForSigning = (id: string, kind: DocumentKind) => call('open_for_signing', { id, kind });
/** Whether the record changed since its papers were printed for signing. */
export const signingCheck = (id: string) => call('signing_check', { id });
