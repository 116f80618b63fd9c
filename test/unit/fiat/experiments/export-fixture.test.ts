import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_FIXTURE_DIR, experimentExportCases } from '../../../../scripts/fixtures/experiment-export-cases.ts';
import { loraConfig } from '../../../../src/fiat/experiments/export/lora-config.ts';
import { sftConfig } from '../../../../src/fiat/experiments/export/sft-config.ts';

// What scripts/fixtures/check_experiment_export.py recorded of the committed exports (Python datasets, peft, trl):
// the exports regenerated now must be those bytes, and what Python read must be what the TypeScript side wrote.
interface CaseFacts {
  files: Record<string, string>;
  dataset: { rows: number; columns: string[]; conversational: boolean };
  lora?: Record<string, unknown> & { target_modules: string[]; adapted_modules: string[]; adapted_count: number };
  sft: Record<string, unknown>;
  train: { global_step: number; finite_loss: boolean; saved: string[] };
  tokens: { over_max_length: number; without_completion: number };
}
const facts = JSON.parse(readFileSync(new URL('python-facts.json', EXPERIMENT_FIXTURE_DIR), 'utf8')) as { cases: Record<string, CaseFacts> };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('run exports against what Python saw', () => {
  const cases = experimentExportCases();

  it('covers every committed case', () => {
    expect(Object.keys(facts.cases).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  for (const c of cases) {
    describe(c.name, () => {
      const seen = facts.cases[c.name]!;

      it('regenerates the committed files byte for byte, the ones Python checked', () => {
        const dir = new URL(`${c.name}/`, EXPERIMENT_FIXTURE_DIR);
        expect(readdirSync(dir).sort()).toEqual(c.files.map((f) => f.name).sort());
        for (const file of c.files) {
          const bytes = Buffer.from(file.text, 'utf8');
          expect(bytes.equals(readFileSync(new URL(file.name, dir))), `${c.name}/${file.name} differs: run npx tsx scripts/fixtures/make-experiment-export.ts, then the Python check`).toBe(true);
          expect(seen.files[file.name]).toBe(sha256(bytes));
        }
      });

      it('datasets read one row per training pair, in the format meant', () => {
        expect(seen.dataset).toEqual({ rows: c.rows, columns: ['prompt', 'completion'], conversational: c.conversational });
      });

      it("peft's LoraConfig has the studio's settings and wraps exactly the target modules of every layer", () => {
        if (!c.lora) {
          expect(seen.lora).toBeUndefined();
          return;
        }
        const { adapted_modules, adapted_count, target_modules, ...fields } = seen.lora!;
        const expected = loraConfig(c.run.setup.lora);
        const targets = [...(expected.target_modules as string[])].sort();
        expect({ ...fields, target_modules: [...target_modules].sort() }).toEqual({ ...expected, target_modules: targets });
        expect(adapted_modules).toEqual(targets);
        expect(adapted_count).toBe(2 * targets.length); // the tiny Llama has 2 layers
      });

      it("trl's SFTConfig holds the run's steps, schedule, batch, length, seed and optimizer", () => {
        const expected = sftConfig(c.run);
        expect(Object.keys(seen.sft).length).toBeGreaterThan(10);
        for (const [key, value] of Object.entries(seen.sft)) expect([key, value]).toEqual([key, expected[key]]);
      });

      it('train.py trained one step with a finite loss and saved what the method trains; no example lost its completion', () => {
        expect(seen.train).toEqual({
          global_step: 1,
          finite_loss: true,
          saved: c.lora ? ['adapter_config.json', 'adapter_model.safetensors'] : ['config.json', 'model.safetensors'],
        });
        expect(seen.tokens).toEqual({ over_max_length: 0, without_completion: 0 });
      });
    });
  }
});
