import type { TextExample } from '../harness/engine-api.ts';

/** Questions of the sample tasks in several scripts, with their answers, as prompt/completion; each fits 64 tokens of the demo model. */
export const SAMPLE_QA: readonly TextExample[] = [
  { prompt: 'Question: ఒరెగాన్ రాష్ట్రంలోని అతిపెద్ద నగరం ఏది ?\nAnswer:', completion: ' Portland' },
  { prompt: 'Question: كم نقطة تخلى عنها دفاع البانثرز؟\nAnswer:', completion: ' 308' },
  { prompt: 'Question: What is the capital of Finland?\nAnswer:', completion: ' Helsinki' },
  { prompt: 'Question: Kuka voitti vuoden 1986 maailmanmestaruuden?\nAnswer:', completion: ' Alain Prost' },
];
