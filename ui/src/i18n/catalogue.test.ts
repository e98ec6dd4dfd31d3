import { describe, expect, it } from 'vitest';
import type { Language, MeetingStatus, RankingMethod, SearchKind, Stage } from '../lib/bindings';
import type { Bidang, PageKind } from '../lib/bindings';
import type { AgeGroup, DelegateWarning, Gender, OutcomeKind, OutcomeSource, Role, Signer } from '../lib/bindings';
import { BUNDLE_ERROR_CODES, DOCUMENT_ERROR_CODES, ERROR_CODES, FIELD_CODES } from '../lib/bindings';
import { ALL_DOCUMENTS } from '../lib/api-documents';
import { PAGE_KINDS } from '../lib/api-bundles';
import { AGE_GROUPS, DELEGATE_WARNINGS, ROLES } from '../lib/attendance';
import { parts as enParts } from '../lib/i18n/en';
import { parts as idParts } from '../lib/i18n/id';
import { catalogues, LANGUAGES } from '../lib/i18n/translate';
import { STAGES } from '../lib/meetingForm';
import { SIGNERS } from '../lib/signatories';
import { BIDANG } from '../lib/usulan';
import { TABS } from '../screens/meeting/tabs';

const id = catalogues.id;
const catalogueParts: Record<Language, Record<string, object>> = { id: idParts, en: enParts };
const en = catalogues.en;

// Every component and module, as text (tests excluded).
const sources = Object.entries(
  import.meta.glob<string>('/src/**/*.{ts,svelte}', { query: '?raw', import: 'default', eager: true }),
).filter(([path]) => !path.endsWith('.test.ts'));

// Every code the window can be sent, as generated from the Rust enums: one
// list per crate. Another crate's list is one more line here.
const ERROR_CODE_LISTS: Record<string, readonly string[]> = {
  core: ERROR_CODES,
  bundle: BUNDLE_ERROR_CODES,
  documents: DOCUMENT_ERROR_CODES,
};
const FIELD_CODE_LISTS: Record<string, readonly string[]> = {
  core: FIELD_CODES,
};

// The catalogue keys, in either language, that have no text.
function missingMessages(
  errorCodes: Record<string, readonly string[]>,
  fieldCodes: Record<string, readonly string[]>,
): string[] {
  const keys = [
    ...Object.values(errorCodes).flatMap((codes) => codes.map((code) => `error.${code}`)),
    ...Object.values(fieldCodes).flatMap((codes) => codes.map((code) => `error.field.${code}`)),
    'error.unexpected',
    'error.field.invalid',
  ];
  return LANGUAGES.flatMap((language) =>
    keys.filter((key) => !Object.hasOwn(catalogues[language], key)).map((key) => `${language}: ${key}`),
  );
}

function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1] ?? '');
}

function placeholders(text: string): string[] {
  return matches(text, /\{(\w+)\}/g).sort();
}

describe('the catalogues', () => {
  it('are split into the same parts in both languages, none defining a key twice', () => {
    const names = (language: Language) =>
      Object.keys(catalogueParts[language]).map((path) => path.split('/').pop()).sort();
    expect(names('en')).toEqual(names('id'));
    for (const language of LANGUAGES) {
      const seen = new Map<string, string>();
      for (const [path, part] of Object.entries(catalogueParts[language])) {
        for (const key of Object.keys(part)) {
          expect(seen.get(key), `${language}: ${key} in ${path}`).toBeUndefined();
          seen.set(key, path);
        }
      }
    }
  });

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
    expect([...prefixes].sort()).toEqual([
      'answers.kind.',
      'answers.outcome.',
      'answers.source.',
      'attendance.age_group.',
      'attendance.gender.',
      'attendance.role.',
      'delegates.warning.',
      'language.',
      'meeting.heading.',
      'meeting.tab.',
      'print.document.',
      'print.explain.',
      'ranking.method.',
      'search.kind.',
      'signatories.signer.',
      'signed_pages.kind.',
      'stage.',
      'status.',
      'sync.state.',
      'usulan.bidang.',
    ]);
  });

  it('has a text for every role, age group, gender and delegate warning', () => {
    // Keyed by the generated types: svelte-check fails when the core adds a value.
    const roles: Record<Role, true> = { peserta: true, narasumber: true, fasilitator: true, notulis: true, pimpinan_rapat: true };
    const ageGroups: Record<AgeGroup, true> = { anak: true, pemuda: true, dewasa: true, lansia: true };
    const genders: Record<Gender, true> = { L: true, P: true };
    const warnings: Record<DelegateWarning, true> = { no_woman_delegate: true, delegate_count_outside_range: true };
    expect([...ROLES].sort()).toEqual(Object.keys(roles).sort());
    expect([...AGE_GROUPS].sort()).toEqual(Object.keys(ageGroups).sort());
    expect([...DELEGATE_WARNINGS].sort()).toEqual(Object.keys(warnings).sort());
    const keys = [
      ...Object.keys(roles).map((role) => `attendance.role.${role}`),
      ...Object.keys(ageGroups).map((group) => `attendance.age_group.${group}`),
      ...Object.keys(genders).map((gender) => `attendance.gender.${gender}`),
      ...Object.keys(warnings).map((warning) => `delegates.warning.${warning}`),
    ];
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('has a text for every signatory', () => {
    const signers: Record<Signer, true> = {
      pimpinan_rapat: true,
      notulis: true,
      wakil_peserta: true,
      mengetahui_lurah: true,
      mengetahui_ketua_lpm: true,
    };
    expect([...SIGNERS].sort()).toEqual(Object.keys(signers).sort());
    expect(SIGNERS.map((signer) => `signatories.signer.${signer}`).filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('has a text for every paper whose signed pages are photographed', () => {
    const kinds: Record<PageKind, true> = { berita_acara: true, daftar_hadir: true, daftar_usulan: true };
    expect([...PAGE_KINDS].sort()).toEqual(Object.keys(kinds).sort());
    expect(PAGE_KINDS.map((kind) => `signed_pages.kind.${kind}`).filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('has a title and an explanation for every printed document', () => {
    const keys = ALL_DOCUMENTS.flatMap((kind) => [`print.document.${kind}`, `print.explain.${kind}`]);
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('has a text for every bidang', () => {
    const bidang: Record<Bidang, true> = { infrastruktur: true, ekonomi: true, sosial_budaya: true, pemerintahan: true };
    expect([...BIDANG].sort()).toEqual(Object.keys(bidang).sort());
    expect(BIDANG.map((value) => `usulan.bidang.${value}`).filter((key) => !Object.hasOwn(id, key))).toEqual([]);
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
      ...TABS.map((tab) => `meeting.tab.${tab.key}`),
      ...['created', 'updated', 'locked', 'deleted', 'other'].map((action) => `change.${action}`),
    ];
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('has a text for every usulan outcome and who gave it', () => {
    const kinds: Record<OutcomeKind, true> = { diakomodir: true, tidak_diakomodir: true, dialihkan: true };
    const sources: Record<OutcomeSource, true> = { office: true, hand: true };
    const keys = [
      ...Object.keys(kinds).flatMap((kind) => [`answers.kind.${kind}`, `answers.outcome.${kind}`]),
      ...Object.keys(sources).map((source) => `answers.source.${source}`),
    ];
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });

  it('has a text for every ranking method and search hit kind', () => {
    const methods: Record<RankingMethod, true> = { scores: true, hands: true };
    const kinds: Record<SearchKind, true> = { notulen: true, usulan: true, attendee: true };
    const keys = [
      ...Object.keys(methods).map((method) => `ranking.method.${method}`),
      ...Object.keys(kinds).map((kind) => `search.kind.${kind}`),
    ];
    expect(keys.filter((key) => !Object.hasOwn(id, key))).toEqual([]);
  });
});

describe('error messages', () => {
  it('come from the codes generated from every crate', () => {
    expect(ERROR_CODES).toEqual(expect.arrayContaining(['validation', 'not_found', 'meeting_locked']));
    expect(BUNDLE_ERROR_CODES).toEqual(expect.arrayContaining(['not_a_zip', 'signature_invalid', 'hash_mismatch']));
    expect(DOCUMENT_ERROR_CODES).toEqual(expect.arrayContaining(['document_layout_failed']));
    expect(FIELD_CODES).toEqual(expect.arrayContaining(['required', 'bidang_unknown', 'photo_invalid', 'rank_invalid']));
  });

  it('exist in both languages for every code sent, and for the unexpected', () => {
    expect(missingMessages(ERROR_CODE_LISTS, FIELD_CODE_LISTS)).toEqual([]);
  });

  it('are found missing when a new code has no text', () => {
    const added = { ...ERROR_CODE_LISTS, shell: ['code_nobody_translated'] };
    const addedField = { ...FIELD_CODE_LISTS, shell: ['field_code_nobody_translated'] };
    expect(missingMessages(added, addedField).sort()).toEqual([
      'en: error.code_nobody_translated',
      'en: error.field.field_code_nobody_translated',
      'id: error.code_nobody_translated',
      'id: error.field.field_code_nobody_translated',
    ]);
  });
});
