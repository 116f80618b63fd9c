import type { AnswerSynonyms } from '../reasoning/answer-synonyms.ts';
import type { Attribution, MetricName, TaskInfo, TaskSpec } from './task.ts';

/**
 * The three sample tasks shipped in public/samples/ (see its README.md and each SOURCE.md).
 * Files are `<folder>/train.jsonl` and `<folder>/validation.jsonl`, one normalized row a line:
 * `{id, lang, question, passage, answer, label, split, ...}`.
 */
export interface SampleTask extends TaskInfo {
  folder: string;
  /** The FIAT paper's data scenario this task stands in for. */
  scenario: string;
}

export const SAMPLE_SPLIT_FILES = ['train.jsonl', 'validation.jsonl'] as const;

const attributionSpec: TaskSpec = {
  kind: 'classification',
  labels: [
    { value: '1', verbalizer: 'supported' },
    { value: '0', verbalizer: 'not supported' },
  ],
};
const qaSpec: TaskSpec = { kind: 'extractive-qa', noAnswer: 'no answer' };

function sample(
  folder: string,
  name: string,
  description: string,
  scenario: string,
  spec: TaskSpec,
  metrics: MetricName[],
  attribution: Attribution,
): SampleTask {
  return { id: `sample:${folder}`, folder, name, description, scenario, spec, metrics, attribution };
}

export const SAMPLE_TASKS: readonly SampleTask[] = [
  sample(
    'xor_attriqa',
    'XOR-AttriQA (attribution)',
    'Is the answer to the question supported by the passage? Questions in bn, fi, ja, ru, te.',
    'O(100)',
    attributionSpec,
    ['accuracy', 'auc-pr'],
    {
      source: 'XOR-AttriQA, official in-language train/val release (google-research xor_attriqa)',
      licence:
        'No licence stated by the release (host repository Apache-2.0); passages Wikipedia, CC BY-SA 3.0/4.0; questions from XOR-TyDi QA, MIT',
      citation:
        'Muller et al., "Evaluating and Modeling Attribution for Cross-Lingual Question Answering", EMNLP 2023 (arXiv:2305.14332)',
    },
  ),
  sample(
    'xor_tydi_rc',
    'XOR-TyDi QA (cross-lingual QA)',
    'Non-English question, English passage: answer with an English span, or "no answer".',
    'O(1,000)',
    qaSpec,
    ['token-f1'],
    {
      source: 'XOR-TyDi QA reading comprehension, Hugging Face dataset coastalcph/tydi_xor_rc',
      licence: 'MIT (XOR QA); passages English Wikipedia, CC BY-SA',
      citation: 'Asai et al., "XOR QA: Cross-lingual Open-Retrieval Question Answering", NAACL 2021',
    },
  ),
  sample(
    'xquad_xling',
    'XQuAD (cross-lingual QA)',
    'Question in one of 11 languages, English passage and answer span; always answerable.',
    'O(10,000)',
    qaSpec,
    ['token-f1'],
    {
      source: 'XQuAD (github.com/deepmind/xquad), questions re-paired with the English paragraphs',
      licence: 'CC BY-SA 4.0',
      citation:
        'Artetxe et al., "On the Cross-lingual Transferability of Monolingual Representations", ACL 2020',
    },
  ),
];

export const DEFAULT_TASK_ID = 'sample:xor_attriqa';

export function findSampleTask(id: string): SampleTask | undefined {
  return SAMPLE_TASKS.find((t) => t.id === id);
}

export function isSampleTaskId(id: string): boolean {
  return findSampleTask(id) !== undefined;
}

/**
 * Answer synonyms a task starts with (answer-synonyms.ts). XOR-AttriQA's large model is asked whether
 * a passage supports an answer, so it often says yes or no, in English or in the question's language
 * (bn, fi, ja, ru, te). Other tasks, imported ones included, start with none.
 */
const SAMPLE_ANSWER_SYNONYMS: Readonly<Record<string, AnswerSynonyms>> = {
  'sample:xor_attriqa': {
    '1': ['yes', 'হ্যাঁ', 'kyllä', 'はい', 'да', 'అవును'],
    '0': ['no', 'না', 'ei', 'いいえ', 'нет', 'కాదు', 'లేదు'],
  },
};

export function defaultAnswerSynonyms(taskId: string): AnswerSynonyms {
  const synonyms = SAMPLE_ANSWER_SYNONYMS[taskId] ?? {};
  return Object.fromEntries(Object.entries(synonyms).map(([label, words]) => [label, [...words]]));
}
