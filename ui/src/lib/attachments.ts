// Stored attachments (photos, signatures) are shown by their SHA-256 through
// the shell's `rembug-attachment` URI scheme (src-tauri/src/attachments.rs):
// the UI never sees a file path.
import { convertFileSrc } from '@tauri-apps/api/core';

export const ATTACHMENT_SCHEME = 'rembug-attachment';

/** `rembug-attachment://localhost/<sha256>` (`http://rembug-attachment.localhost/<sha256>` on Windows). */
export function attachmentUrl(sha256: string): string {
  return convertFileSrc(sha256, ATTACHMENT_SCHEME);
}
