// Cetak: a meeting's documents as PDF (saved through a native dialog, or
// opened in the system's PDF viewer for printing) and its workbook as XLSX.
import { call } from './api';

/** The documents every meeting prints, as the core names them. */
export const DOCUMENTS = ['berita-acara', 'daftar-hadir', 'usulan', 'notulen'] as const;
export type DocumentKind = (typeof DOCUMENTS)[number];

/** Every page as a PNG data URL, to show before printing. */
export const previewDocument = (id: string, kind: DocumentKind) =>
  call<string[]>('preview_document', { id, kind });
/** The path it was saved to, or null when the dialog was closed. */
export const saveDocument = (id: string, kind: DocumentKind, title: string) =>
  call<string | null>('save_document', { id, kind, title });
export const openDocument = (id: string, kind: DocumentKind) => call<void>('open_document', { id, kind });
export const saveMeetingXlsx = (id: string, title: string) => call<string | null>('save_meeting_xlsx', { id, title });
