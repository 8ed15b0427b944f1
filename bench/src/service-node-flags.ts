import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';

export type FlaggedService = 'gateway' | 'session-service';

/**
 * The V8 heap flags the service runs with everywhere (its Docker image, `npm start`), from
 * deploy/node-flags.json (docs/runtime-memory.md): the bench measures the services as they are run.
 */
export function serviceNodeFlags(service: FlaggedService, root: string = workspaceRoot()): string[] {
  return (JSON.parse(readFileSync(join(root, 'deploy', 'node-flags.json'), 'utf8')) as Record<FlaggedService, string[]>)[service];
}
