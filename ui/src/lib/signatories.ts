import type { Signer } from './bindings';

/** Every signature block the settings can place, in the settings screen's order. */
export const SIGNERS: readonly Signer[] = [
  'pimpinan_rapat',
  'notulis',
  'wakil_peserta',
  'mengetahui_lurah',
  'mengetahui_ketua_lpm',
];
