// Writes the offline demo model, public/models/demo/ (scripts/demo-model.ts says what it is):
//   npx tsx scripts/make-demo-model.ts           # rewrite the files
//   npx tsx scripts/make-demo-model.ts --check   # compare with the shipped files, write nothing
// The tokenizer comes from test/fixtures/tokenizers/bpe/ (scripts/fixtures/make_tokenizer_fixtures.py makes it).
import { mkdirSync } from 'node:fs';
import { DEMO_MODEL_DIR, demoModelFiles } from './demo-model.ts';
import { writeOrCheck } from './write-or-check.ts';

const check = process.argv.includes('--check');
const files = demoModelFiles();
mkdirSync(DEMO_MODEL_DIR, { recursive: true });
const stale = writeOrCheck(
  [...files].map(([name, bytes]) => [name, new URL(name, DEMO_MODEL_DIR), bytes] as const),
  check,
);
if (stale.length > 0) {
  console.error(`differs from the generator: ${stale.join(', ')}`);
  process.exit(1);
}
console.log(`${check ? 'checked' : 'wrote'} ${[...files.keys()].join(', ')} in ${DEMO_MODEL_DIR.pathname}`);
