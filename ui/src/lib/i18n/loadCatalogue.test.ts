import { beforeEach, describe, expect, it, vi } from 'vitest';

// Fresh modules for each test: nothing loaded yet, as when the window starts
// (the test setup loads both catalogues into the shared modules).
async function freshModules() {
  vi.resetModules();
  const translate = await import('./translate');
  const language = await import('./language.svelte');
  return { ...translate, ...language };
}

describe('loading the catalogues', () => {
  beforeEach(() => {
    vi.stubGlobal('document', { documentElement: { lang: 'id' } });
  });

  it('loads only the language asked for', async () => {
    const { catalogues, loadCatalogue, translate } = await freshModules();
    expect(catalogues.id).toEqual({});
    expect(catalogues.en).toEqual({});
    await loadCatalogue('id');
    expect(translate('id', 'common.save')).toBe('Simpan');
    expect(catalogues.en).toEqual({});
    expect(translate('en', 'common.save')).toBe('common.save');
    await loadCatalogue('en');
    expect(translate('en', 'common.save')).toBe('Save');
  });

  it('loads a language once however often it is asked for', async () => {
    const { catalogues, loadCatalogue } = await freshModules();
    const first = loadCatalogue('en');
    expect(loadCatalogue('en')).toBe(first);
    await first;
    const loaded = catalogues.en;
    await loadCatalogue('en');
    expect(catalogues.en).toBe(loaded);
  });

  it('switches the texts and <html lang> only once the catalogue is there', async () => {
    const { applyLanguage, language, t } = await freshModules();
    await applyLanguage('id');
    expect(t('common.save')).toBe('Simpan');
    const switching = applyLanguage('en');
    expect(language()).toBe('id');
    expect(t('common.save')).toBe('Simpan');
    await switching;
    expect(language()).toBe('en');
    expect(t('common.save')).toBe('Save');
    expect(document.documentElement.lang).toBe('en');
  });

  it('keeps the later of two overlapping switches, though the earlier one loads last', async () => {
    const { applyLanguage, language, loadCatalogue, t } = await freshModules();
    await loadCatalogue('en');
    await Promise.all([applyLanguage('id'), applyLanguage('en')]);
    expect(language()).toBe('en');
    expect(t('common.save')).toBe('Save');
    expect(document.documentElement.lang).toBe('en');
  });

  it('reach the window only through the loader, so each stays its own chunk', () => {
    const sources = import.meta.glob<string>('/src/**/*.{ts,svelte}', { query: '?raw', import: 'default', eager: true });
    // A static import of a language module, or another glob of a catalogue's files.
    const reaches = /from\s+['"][^'"]*(?:i18n\/|\.\/)(?:id|en)['"]|i18n\/(?:id|en)\/\*/;
    const offenders = Object.entries(sources)
      .filter(([path]) => !path.endsWith('.test.ts') && !/\/lib\/i18n\/(?:id|en)\.ts$/.test(path))
      .filter(([, text]) => reaches.test(text))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
    expect(reaches.test("import { parts } from './en';")).toBe(true);
    expect(reaches.test("import.meta.glob('../../i18n/id/*.json')")).toBe(true);
  });
});
