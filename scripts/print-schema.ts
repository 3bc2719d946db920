// Writes schema.graphql from the code (sorted, so that diffs are stable); --check fails on drift.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../server/schema/index.js';

const file = path.resolve(import.meta.dirname, '../schema.graphql');
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;
const current = await readFile(file, 'utf8').catch(() => '');

if (process.argv.includes('--check')) {
  if (current !== printed) {
    console.error('schema.graphql is stale: run `npm run schema` and commit it.');
    process.exitCode = 1;
  } else {
    console.log('schema.graphql is up to date');
  }
} else if (current !== printed) {
  await writeFile(file, printed);
  console.log('wrote schema.graphql');
}
