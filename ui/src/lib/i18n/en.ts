// The English catalogue, in the parts the texts are kept in. Loaded only by
// `loadCatalogue` (translate.ts), so it is its own chunk of the build, fetched
// when English is used.
import type { CatalogueFiles } from './translate';

export const parts: CatalogueFiles = import.meta.glob('../../i18n/en/*.json', { eager: true, import: 'default' });
