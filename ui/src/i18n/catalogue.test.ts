import { describe, expect, it } from 'vitest';
import type { Language, MeetingStatus, Stage } from '../lib/bindings';
import { catalogues, LANGUAGES } from '../lib/i18n/translate';
import { STAGES } from '../lib/meetingForm';

const id = catalogues.id;
const en = catalogues.en;

// Every component and module, as text (tests excluded).
const sources = Object.entries(
  import.meta.glob<string>('/src/**/*.{ts,svelte}', { query: '?raw', import: 'default', eager: true }),
).filter(([path]) => !path.endsWith('.test.ts'));

// The core's error codes, read from its source so a new code fails here until
// both catalogues say it (crates/rembug-core/src/error.rs, meeting.rs, text.rs).
const rust = import.meta.glob<string>('../../../crates/rembug-core/src/{error,meeting,text}.rs', {
  query: '?raw',
  import: 'default',
  eager: true,
});

function rustSource(name: string): string {
  const entry = Object.entries(rust).find(([path]) => path.endsWith(`/${name}`));
  if (!entry) throw new Error(`crates/rembug-core/src/${name} not found`);
  // Codes that only the Rust unit tests mention are not sent to the UI.
  return entry[1].split('#[cfg(test)]')[0] ?? '';
}

function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1] ?? '');
}

function placeholders(text: string): string[] {
  return matches(text, /\{(\w+)\}/g).sort();
}

describe('the catalogues', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });

  it('have no empty texts', () => {
    for (const language of LANGUAGES) {
      const empty = Object.entries(catalogues[language]).filter(([, text]) => text.trim() === '');
      expect(empty, language).toEqual([]);
    }
  });

  it('use the same {placeholders} in both languages', () => {
    for (const [key, text] of Object.entries(id)) {
      expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(text));
    }
  });
});

describe('the source', () => {
  it('uses only keys that exist', () => {
    // t('key'), t("key") and t(`key`) without ${...}.
    const used = sources.flatMap(([, text]) =>
      [...text.matchAll(/\bt\(\s*(?:'([^']+)'|"([^"]+)"|`([^`$]+)`)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? ''),
    );
    expect(used.length).toBeGreaterThan(40);
    expect(used.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('builds keys only from prefixes whose every key is checked below', () => {
    const prefixes = new Set(sources.flatMap(([, text]) => matches(text, /\bt\(\s*`([^`$]*)\$\{/g)));
    expect([...prefixes].sort()).toEqual(['language.', 'meeting.heading.', 'stage.', 'status.']);
  });

  it('has a text for every stage, status and language', () => {
    // Records keyed by the generated types: svelte-check fails when the core
    // adds a value these do not list.
    const stages: Record<Stage, true> = { rembug_warga: true, musrenbang_kelurahan: true };
    const statuses: Record<MeetingStatus, true> = { draft: true, locked: true };
    const languages: Record<Language, true> = { id: true, en: true };
    expect([...STAGES].sort()).toEqual(Object.keys(stages).sort());
    expect([...LANGUAGES].sort()).toEqual(Object.keys(languages).sort());
    const keys = [
      ...Object.keys(stages).flatMap((stage) => [`stage.${stage}`, `meeting.heading.${stage}`]),
      ...Object.keys(statuses).map((status) => `status.${status}`),
      ...Object.keys(languages).map((language) => `language.${language}`),
      ...['created', 'updated', 'locked', 'deleted', 'other'].map((action) => `change.${action}`),
      ...Array.from({ length: 7 }, (_, day) => `date.weekday.${day}`),
      ...Array.from({ length: 12 }, (_, month) => `date.month.${month + 1}`),
    ];
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });
});

describe('error messages', () => {
  // Codes the core is known to send: proof that reading its source still works.
  const TOP_LEVEL = ['validation', 'not_found', 'meeting_locked', 'schema_too_new', 'data_dir_in_use', 'wilayah_csv', 'database', 'io', 'corrupt'];
  const FIELD = ['required', 'too_long', 'text_invalid', 'stage_unknown', 'kelurahan_unknown', 'rw_out_of_range', 'number_invalid', 'year_out_of_range', 'year_invalid', 'date_invalid', 'date_out_of_range', 'time_invalid'];

  const coreTopLevel = matches(rustSource('error.rs'), /CoreError::\w+[^=\n]*=> "([a-z_]+)"/g);
  const fieldSources = rustSource('meeting.rs') + rustSource('text.rs');
  const coreField = [
    ...matches(fieldSources, /note\("\w+", "([a-z_]+)"\)/g),
    ...matches(fieldSources, /Err\("([a-z_]+)"\)/g),
    ...matches(fieldSources, /\|_\| "([a-z_]+)"/g),
  ];

  it('are read from the core', () => {
    expect(coreTopLevel).toEqual(expect.arrayContaining(TOP_LEVEL));
    expect(coreField).toEqual(expect.arrayContaining(FIELD));
  });

  it('exist for every code the core sends, and for the unexpected', () => {
    const keys = [
      ...coreTopLevel.map((code) => `error.${code}`),
      ...coreField.map((code) => `error.field.${code}`),
      'error.unexpected',
      'error.field.invalid',
    ];
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });
});
