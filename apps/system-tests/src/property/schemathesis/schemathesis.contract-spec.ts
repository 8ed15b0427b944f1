import { spawn } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'run-schemathesis.sh');
// Per operation and run; with the two runs (with and without a token) about two minutes on two cores.
const MAX_EXAMPLES = '25';
// A first run also installs Schemathesis from PyPI into its cached venv.
const LIMIT_MS = 10 * 60_000;

/** Runs the script to its end and hands back its exit code and everything it printed. */
function runSchemathesis(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, MAX_EXAMPLES], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The failures block of Schemathesis' output (each finding with its curl), or the tail when it did not get that far. */
const findings = (output: string) => {
  const start = output.search(/={3,} FAILURES ={3,}/);
  return start === -1 ? output.slice(-4000) : output.slice(start);
};

describe('/openapi.json against the running gateway, judged by Schemathesis (every check, with and without a token)', () => {
  it(
    'finds nothing',
    async () => {
      const { code, output } = await runSchemathesis();
      if (code !== 0) console.log(findings(output));
      expect({ code, summary: output.split('\n').filter((line) => /exit codes:|^=+ .* in [\d.]+s =+$/.test(line)) }).toMatchObject({
        code: 0,
      });
    },
    LIMIT_MS,
  );
});
