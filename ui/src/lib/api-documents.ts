// Cetak: a meeting's documents as PDF (saved through a native dialog, or
// opened in the system's PDF viewer for printing) and its workbook as XLSX.
import { call } from './api';
import type { DocumentKind } from './commands';

export type { DocumentKind };

/** The documents every meeting prints, in the order the Cetak tab shows them. */
export const DOCUMENTS: readonly DocumentKind[] = ['berita-acara', 'daftar-hadir', 'usulan', 'notulen'];

/** Every document the shell prints: the meeting's papers and the office's tanda terima. */
export const ALL_DOCUMENTS: readonly DocumentKind[] = [...DOCUMENTS, 'tanda-terima'];

/** What the Cetak tab offers: the tanda terima too once the office received the meeting. */
export function documentsFor(delivered: boolean): readonly DocumentKind[] {
  return delivered ? ALL_DOCUMENTS : DOCUMENTS;
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
