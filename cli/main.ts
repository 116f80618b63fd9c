// The fiat command line's dispatch (cli/fiat.ts is the executable); importable by tests.
import { WeightsError } from '../src/models/base-weights.ts';
import { BatchError } from '../src/models/batch.ts';
import { ConfigError } from '../src/models/config-error.ts';
import { SafetensorsError } from '../src/models/safetensors.ts';
import { GraphError } from '../src/graph/shape.ts';
import { UsageError } from './args.ts';
import { artifactsCommand, artifactsUsage } from './artifacts-command.ts';
import { benchCommand, benchUsage } from './bench-command.ts';

const usage = `usage:\n${artifactsUsage}\n\n${benchUsage}`;

export async function main(argv: readonly string[], log: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'artifacts') artifactsCommand(rest, log);
    else if (command === 'bench') await benchCommand(rest, log);
    else if (command === undefined || command === '--help' || command === 'help') log(usage);
    else throw new UsageError(`unknown command "${command}" (commands: artifacts, bench)`);
    return 0;
  } catch (error) {
    // Bad flags and bad input files are the user's to fix: one line that names the flag, file or field; no stack.
    const userErrors = [UsageError, ConfigError, WeightsError, SafetensorsError, BatchError, GraphError];
    if (userErrors.some((E) => error instanceof E)) {
      console.error(`fiat ${command ?? ''}: ${(error as Error).message}`);
      if (error instanceof UsageError) console.error('(fiat --help lists the commands and flags)');
      return 2;
    }
    console.error(`fiat ${command ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
