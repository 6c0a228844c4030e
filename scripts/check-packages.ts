import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type PackedPackage, packPackages, ROOT } from './packages.js';

/**
 * publint (strict: warnings fail too) and @arethetypeswrong/cli on the tarball of every published
 * package, the files a user installs. The packages are ESM only, so attw checks its `esm-only`
 * profile (no CommonJS `require`, no `node10` resolution).
 */

const run = promisify(execFile);
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

export interface CheckResult {
  name: string;
  tool: 'publint' | 'attw';
  ok: boolean;
  output: string;
}

async function tool(name: CheckResult['tool'], pkg: PackedPackage, args: string[]): Promise<CheckResult> {
  try {
    const { stdout, stderr } = await run(bin(name), args, { env: { ...process.env, NO_COLOR: '1' } });
    return { name: pkg.name, tool: name, ok: true, output: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { name: pkg.name, tool: name, ok: false, output: `${stdout}${stderr}`.trim() || String(error) };
  }
}

export async function checkPackages(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const pkg of await packPackages()) {
    results.push(await tool('publint', pkg, ['run', pkg.tarball, '--strict']));
    results.push(
      await tool('attw', pkg, [
        pkg.tarball,
        '--profile',
        'esm-only',
        '--format',
        'table-flipped',
        '--no-emoji',
        '--no-color',
      ]),
    );
  }
  return results;
}

if (import.meta.filename === process.argv[1]) {
  const results = await checkPackages();
  for (const r of results)
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} ${r.tool}\n${r.output.replace(/^/gm, '    ')}`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
