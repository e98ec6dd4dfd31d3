// Unit tests read texts in both languages: both catalogues are loaded before
// every test file, as the window would load them on demand. (The loader itself
// is tested in loadCatalogue.test.ts, on fresh modules.)
import { LANGUAGES, loadCatalogue } from './translate';

await Promise.all(LANGUAGES.map(loadCatalogue));
