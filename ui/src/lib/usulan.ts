// What the usulan screens show and start from. The core checks every field
// (crates/rembug-core/src/usulan.rs) and gives the blank form; here are only
// the meeting's RW filled in and how stored numbers read on screen.
import { EMPTY_USULAN_FORM, type Bidang, type Meeting, type UsulanForm, type UsulanPhoto } from './bindings';
import { areaNumber } from './wilayah';

export const BIDANG: readonly Bidang[] = ['infrastruktur', 'ekonomi', 'sosial_budaya', 'pemerintahan'];

/** A new usulan: blank, with the meeting's RW filled in. */
export function newUsulanForm(meeting: Meeting): UsulanForm {
  return { ...EMPTY_USULAN_FORM, rw: meeting.rw === null ? '' : String(meeting.rw) };
}

/** The photos marked for SIPD; a photo sent before marks existed reads as unmarked. */
export function sipdPhotoCount(photos: readonly UsulanPhoto[]): number {
  return photos.filter((photo) => photo.untuk_sipd === true).length;
}

/** The stored RT list "1,3" as people read it: "01, 03". */
export function rtListText(rtList: string): string {
  return rtList
    .split(',')
    .filter(Boolean)
    .map((rt) => (/^\d+$/.test(rt) ? areaNumber(Number(rt)) : rt))
    .join(', ');
}
