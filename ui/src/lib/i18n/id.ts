// The Indonesian catalogue, in the parts the texts are kept in. Loaded only by
// `loadCatalogue` (translate.ts), so it is its own chunk of the build, fetched
// when Indonesian is used.
import type { CatalogueFiles } from './translate';

export const parts: CatalogueFiles = import.meta.glob('../../i18n/id/*.json', { eager: true, import: 'default' });
