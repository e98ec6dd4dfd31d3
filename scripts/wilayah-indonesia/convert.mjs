// Writes the wilayah of all of Indonesia in Rembug's wilayah CSV format
// (the columns of crates/rembug-core/data/wilayah-cimahi.csv), from the
// idn-area-data package's official Kemendagri list (ODbL 1.0: keep its
// attribution with any copy of the result).
//
//   npm --prefix scripts/wilayah-indonesia ci
//   node scripts/wilayah-indonesia/convert.mjs OUT.csv
//
// Then: rembug --data-dir DIR import-wilayah OUT.csv (the app), or the
// office's own import.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/wilayah-indonesia/convert.mjs OUT.csv');
  process.exit(2);
}

const packageDir = dirname(createRequire(import.meta.url).resolve('idn-area-data/package.json'));

/** The rows of one of the package's CSV files, quotes undone. */
function readRows(name) {
  const text = readFileSync(join(packageDir, 'data', `${name}.csv`), 'utf8');
  const rows = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line.trim() === '') continue;
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') {
        quoted = !quoted;
      } else if (c === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else {
        cell += c;
      }
    }
    cells.push(cell);
    rows.push(cells.map((value) => value.trim()));
  }
  return rows;
}

const byCode = (rows) => new Map(rows.map(([code, , name]) => [code, name]));
const regencies = byCode(readRows('regencies'));
const districts = byCode(readRows('districts'));

const quote = (value) => (/[",]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const lines = ['kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota'];
for (const [code, districtCode, name] of readRows('villages')) {
  const regencyCode = districtCode.slice(0, 5);
  const district = districts.get(districtCode);
  const regency = regencies.get(regencyCode);
  if (district === undefined || regency === undefined) {
    throw new Error(`${code}: its kecamatan ${districtCode} or kota ${regencyCode} is not listed`);
  }
  lines.push([code, name, districtCode, district, regencyCode, regency].map(quote).join(','));
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length - 1} kelurahan/desa written to ${out}`);
