// Writes the offline demo model, public/models/demo/ (scripts/demo-model.ts says what it is):
//   npx tsx scripts/make-demo-model.ts           # rewrite the files
//   npx tsx scripts/make-demo-model.ts --check   # compare with the shipped files, write nothing
// The tokenizer comes from test/fixtures/tokenizers/bpe/ (scripts/fixtures/make_tokenizer_fixtures.py makes it).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DEMO_MODEL_DIR, demoModelFiles } from './demo-model.ts';

const check = process.argv.includes('--check');
const files = demoModelFiles();
const stale: string[] = [];
mkdirSync(DEMO_MODEL_DIR, { recursive: true });
for (const [name, bytes] of files) {
  const url = new URL(name, DEMO_MODEL_DIR);
  if (!check) {
    writeFileSync(url, bytes);
    continue;
  }
  let shipped: Buffer | null = null;
  try {
    shipped = readFileSync(url);
  } catch {
    // a missing file is stale too
  }
  if (!shipped || !shipped.equals(bytes)) stale.push(name);
}
if (stale.length > 0) {
  console.error(`differs from the generator: ${stale.join(', ')}`);
  process.exit(1);
}
console.log(`${check ? 'checked' : 'wrote'} ${[...files.keys()].join(', ')} in ${DEMO_MODEL_DIR.pathname}`);
