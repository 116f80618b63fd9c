// The fiat command line's dispatch (cli/fiat.ts is the executable); importable by tests.
import { EngineError } from '../src/engine/errors.ts';
import { GraphError } from '../src/graph/shape.ts';
import { WeightsError } from '../src/models/base-weights.ts';
import { BatchError } from '../src/models/batch.ts';
import { ConfigError } from '../src/models/config-error.ts';
import { SafetensorsError } from '../src/models/safetensors.ts';
import { UsageError } from './args.ts';
import { artifactsCommand, artifactsUsage } from './artifacts-command.ts';
import { benchCommand, benchUsage } from './bench-command.ts';
import { nodeEngine } from '../src/engine/node/engine-node.ts';
import { generateCommand, generateUsage } from './generate-command.ts';
import { scoreCommand, scoreUsage } from './score-command.ts';
import { tokenizeCommand, tokenizeUsage } from './tokenize-command.ts';
import { trainCommand, trainUsage } from './train-command.ts';

const usage = `usage:\n${tokenizeUsage}\n\n${trainUsage}\n\n${generateUsage}\n\n${scoreUsage}\n\n${artifactsUsage}\n\n${benchUsage}`;
const commands = ['tokenize', 'train', 'generate', 'score', 'artifacts', 'bench'];

/** The engine the commands that take --threads run on. */
const engineFor = (threads?: number) => nodeEngine(threads === undefined ? {} : { threads });

export async function main(argv: readonly string[], log: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'artifacts') artifactsCommand(rest, log);
    else if (command === 'bench') await benchCommand(rest, log);
    else if (command === 'tokenize') await tokenizeCommand(rest, log, nodeEngine());
    else if (command === 'train') await trainCommand(rest, log, engineFor);
    else if (command === 'generate') await generateCommand(rest, log, engineFor);
    else if (command === 'score') await scoreCommand(rest, log, engineFor);
    else if (command === undefined || command === '--help' || command === 'help') log(usage);
    else throw new UsageError(`unknown command "${command}" (commands: ${commands.join(', ')})`);
    return 0;
  } catch (error) {
    // Bad flags and bad input files are the user's to fix: one line that names the flag, file or field; no stack.
    const userErrors = [UsageError, ConfigError, WeightsError, SafetensorsError, BatchError, GraphError];
    const engineUserError = error instanceof EngineError && error.kind !== 'internal';
    if (engineUserError || userErrors.some((E) => error instanceof E)) {
      console.error(`fiat ${command ?? ''}: ${(error as Error).message}`);
      if (error instanceof UsageError) console.error('(fiat --help lists the commands and flags)');
      return 2;
    }
    console.error(`fiat ${command ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
