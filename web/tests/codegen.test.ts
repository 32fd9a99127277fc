import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cliDir = dirname(createRequire(join(root, 'package.json')).resolve('@graphql-codegen/cli/package.json'));
const cli = join(cliDir, (JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['graphql-codegen']);

describe('generated GraphQL types', () => {
	it('are current with schema/schema.graphql and the operations in web/src (npm run codegen)', () => {
		// --check regenerates in memory and fails, listing the files, when the committed ones differ.
		const run = spawnSync(process.execPath, [cli, '--config', 'codegen.yml', '--check'], {
			cwd: root,
			encoding: 'utf8',
			env: { ...process.env, CI: 'true', FORCE_COLOR: '0' }
		});
		expect(run.status, `${run.stdout}\n${run.stderr}\nRun \`npm run codegen\` and commit the result.`).toBe(0);
	});
});
