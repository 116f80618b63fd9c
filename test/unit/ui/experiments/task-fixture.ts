// A classification task as the results views' tests need it (labels as fixtures.ts's evaluations write them).
import type { Example, Task } from '../../../../src/fiat/task/task.ts';

export function supportTask(examples: readonly Example[] = []): Task {
  return {
    id: 'sample:t',
    name: 't',
    description: '',
    spec: { kind: 'classification', labels: [{ value: '0', verbalizer: 'not supported' }, { value: '1', verbalizer: 'supported' }] },
    metrics: ['accuracy'],
    attribution: { source: 's', licence: 'l' },
    examples: [...examples],
  };
}
