import 'reflect-metadata';
import { ConfigError } from '#docket/platform';
import { CliError, runCli } from './commands.js';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error instanceof CliError ? error.exitCode : 2);
    }
    process.stderr.write(`docket: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
