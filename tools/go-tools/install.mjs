// Builds the pinned outside tools the test suite judges the gRPC contract with (grpcurl,
// grpc-health-probe, buf) from the Go module proxy into dist/tools/go-bin. Nx caches the
// folder (inputs: this script and tools.json), so a version bump rebuilds and nothing else does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(resolve(here, '..', '..'), 'dist', 'tools', 'go-bin');
const tools = JSON.parse(readFileSync(join(here, 'tools.json'), 'utf8'));

try {
  execFileSync('go', ['version'], { stdio: 'ignore' });
} catch {
  console.error('go-tools: the Go toolchain is missing; install Go 1.22 or newer (https://go.dev/dl/ or your package manager) and retry');
  process.exit(1);
}

mkdirSync(bin, { recursive: true });
for (const [name, pkg] of Object.entries(tools)) {
  console.log(`go-tools: ${name} (${pkg})`);
  try {
    execFileSync('go', ['install', pkg], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: bin, GOFLAGS: `${process.env.GOFLAGS ?? ''} -trimpath`.trim() },
    });
  } catch {
    console.error(`go-tools: "go install ${pkg}" failed; the Go module proxy (GOPROXY, default proxy.golang.org) must be reachable`);
    process.exit(1);
  }
}
