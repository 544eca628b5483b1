import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Trace } from '../../trace/trace.js';
import { checkInvariants } from '../check-invariants.js';
import { CliError } from '../cli-error.js';
import { print, writeFiles } from '../output.js';

export interface ReportOptions {
  output?: string;
  chromeTrace?: string;
  title?: string;
}

/** `faultline report <trace.jsonl> -o report.html`: the HTML report (and Chrome trace) of a saved trace. */
export async function reportCommand(file: string, options: ReportOptions): Promise<number> {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (error) {
    throw new CliError(`cannot read trace ${file}: ${(error as Error).message}`);
  }
  let trace: Trace;
  try {
    trace = Trace.fromJSONL(text);
  } catch (error) {
    throw new CliError(`${file} is not a faultline JSONL trace: ${(error as Error).message}`);
  }
  const output = options.output ?? file.replace(/\.jsonl(\.gz)?$|$/, '.html');
  const title = options.title ?? file;
  const invariants = checkInvariants(trace);
  for (const line of writeFiles(
    trace,
    { report: output, chromeTrace: options.chromeTrace },
    title,
    invariants,
  ))
    print(line);
  return 0;
}
