// Sending to the city office: enrolling this laptop (Settings → Kantor), the
// "Kirim ke kantor" screen and its "Kirim sekarang", and which meetings the
// office holds. The sending itself runs in the shell, in the background; the
// screen asks how far it is while it is open.
import { call } from './api';
import type { Language, OutboxRow, OutboxView, SendState } from './bindings';
import { catalogues } from './i18n/translate';

export const officeSummary = () => call('office_summary');

/** `confirmKey`: the new office key's fingerprint, once the cadre confirmed the change. */
export const enrollOffice = (officeUrl: string, code: string, confirmKey: string | null = null) =>
  call('enroll_office', { officeUrl, code, confirmKey });

/** Null when the dialog was closed. With `confirmKey`, the file picked before is used again. */
export const enrollOfficeFile = (title: string, filterLabel: string, confirmKey: string | null = null) =>
  call('enroll_office_file', { title, filterLabel, confirmKey });

/**
 * Opens a receipt file the office saved for a bundle (or the photos of a
 * meeting's signed pages) brought on a USB stick: null when the dialog was
 * closed, else whether it was kept already and, for photos, how many.
 */
export const openReceiptFile = (title: string, filterLabel: string) =>
  call('open_receipt_file', { title, filterLabel });

export const outbox = () => call('outbox');
export const sendNow = () => call('send_now');

/** The ids of the meetings the office holds, with its receipt kept. */
export async function deliveredMeetings(): Promise<Set<string>> {
  return new Set(await call('delivered_meetings'));
}

/** Every state in the order a cadre meets them; each has its words (`sync.state.*`). */
export const SEND_STATES: readonly SendState[] = ['not_sent', 'waiting', 'sending', 'delivered', 'refused'];

/**
 * Every code a try or an enrollment can end with that is the sync's own (the
 * device's and the office's, docs/sync-protocol.md), each with a sentence
 * (`sync.error.*`). A bundle or core code (a meeting that could not be
 * sealed) keeps its own `error.*` text.
 */
export const SYNC_ERROR_CODES = [
  'not_enrolled',
  'office_change_not_confirmed',
  'office_changed',
  'code_invalid',
  'code_expired',
  'code_used',
  'too_many_attempts',
  'enrollment_file_invalid',
  'receipt_file_invalid',
  'receipt_other_office',
  'receipt_signature_invalid',
  'receipt_not_ours',
  'network',
  'not_the_office',
  'receipt_invalid',
  'office_unknown',
  'office_url_invalid',
  'bad_request',
  'unauthenticated',
  'signature_invalid',
  'clock_skew',
  'replayed',
  'device_unknown',
  'device_revoked',
  'out_of_scope',
  'not_own_bundle',
  'upload_not_found',
  'offset_mismatch',
  'checksum_mismatch',
  'too_large',
  'size_mismatch',
  'incomplete',
  'too_many_uploads',
  'revision_conflict',
  'correction_invalid',
  'revision_unknown',
  'internal',
] as const;

/** The catalogue key saying what `code` means: the sync's own, else the general error's. */
export function syncErrorKey(language: Language, code: string): string {
  const own = `sync.error.${code}`;
  if (Object.hasOwn(catalogues[language], own)) return own;
  const general = `error.${code}`;
  return Object.hasOwn(catalogues[language], general) ? general : 'error.unexpected';
}

/** The catalogue key saying what to do about a refused bundle. */
export function refusalAdviceKey(language: Language, code: string | null): string {
  const own = `sync.todo.${code}`;
  return code !== null && Object.hasOwn(catalogues[language], own) ? own : 'sync.todo.other';
}

/** Whole percent of the bundle the office holds; 0 before it is sealed. */
export function percentSent(row: OutboxRow): number {
  if (row.total_bytes === 0) return 0;
  return Math.min(100, Math.floor((row.sent_bytes * 100) / row.total_bytes));
}

/** How often the open screen asks again: often while a bundle moves, else now and then. */
export function pollDelay(view: OutboxView): number {
  return view.rows.some((row) => row.state === 'sending') ? 1000 : 5000;
}

/**
 * The files of signed-page photos (one per meeting that has photos) by
 * where they stand: delivered, refused, or waiting (not sent yet, or
 * waiting for their next try).
 */
export function photoFiles(view: OutboxView): { waiting: number; delivered: number; refused: number } {
  const files = view.rows.filter((row) => row.signed_pages.page_count > 0).map((row) => row.signed_pages.state);
  const delivered = files.filter((state) => state === 'delivered').length;
  const refused = files.filter((state) => state === 'refused').length;
  return { waiting: files.length - delivered - refused, delivered, refused };
}

/** How many locked meetings still wait to be delivered. */
export function undelivered(view: OutboxView): number {
  return view.rows.filter((row) => row.state !== 'delivered').length;
}

/** "850 KB", "12,5 MB" (id) or "12.5 MB" (en): a bundle's size as people read it. */
export function formatBytes(bytes: number, language: Language): string {
  const locale = language === 'id' ? 'id-ID' : 'en-GB';
  const number = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)))} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${number(bytes / (1024 * 1024))} MB`;
  return `${number(bytes / (1024 * 1024 * 1024))} GB`;
}
