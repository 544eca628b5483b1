#!/usr/bin/env node
/* The `faultline` bin: parses the command line and sets the exit code. */
import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';
import { createProgram } from './program.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// `faultline run x | head` closes stdout early: stop quietly, as other CLIs do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = createProgram(pkg.version, (code) => {
  process.exitCode = code;
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`faultline: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`faultline: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}
