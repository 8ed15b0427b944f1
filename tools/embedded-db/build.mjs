// Builds the embedded database launcher with two fixes to FerretDB 1.24.2's SQLite backend,
// applied at build time:
//
// The fixes go into a copy of the module (3.4 MB) that an alternate go.mod (`-modfile`) replaces
// it with: Go refuses overlays of files under the module cache, and the cache stays untouched.
//
// 1. Its queries look documents up by `_ferretdb_sjson->'$._id'` while its own `_id_` index is on
//    `_ferretdb_sjson->"_id"`. SQLite matches index expressions by their text, so every lookup by
//    _id scanned the whole table (a findOne by _id: 27 ms at 20k documents, 0.6 ms with the fix).
//    The fix writes the lookup the way the index is written (`->'_id'` is the same JSON path).
// 2. Only a filter that is exactly `{_id: <string or ObjectId>}` was pushed down to SQL, so any
//    conditional write (`{_id, version}`) or read with extra conditions scanned the table. FerretDB
//    filters every row again in memory after the SQL query, so narrowing by `_id` whenever the filter
//    has exactly one `_id` equality key is always safe; the other conditions still apply.
//
// 3. Its `update` command deferred closing each statement's query to the end of the whole command,
//    so every statement held a pooled SQLite connection; with the pool's 100 connections, an update
//    of 100 or more statements (a bulkWrite) waited forever and wedged the database for every client.
//    The fix closes each statement's query as soon as that statement is done.
//
// Each replacement must match exactly once: a FerretDB upgrade that moves the code fails the
// build here, loudly, instead of silently building an unpatched database.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const buildDir = join(root, 'dist', 'tools', 'embedded-db-build');
const moduleCopy = join(buildDir, 'ferretdb');
const output = join(root, 'dist', 'tools', 'embedded-db');

const PUSHDOWN_OLD = `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")`;
const PUSHDOWN_NEW = `	if hasOneIDKey(params.Filter) {
		v, _ := params.Filter.Get("_id")`;
// Get panics on a duplicated key (possible in raw BSON), so the key is counted first.
const HAS_ONE_ID_KEY = `
// hasOneIDKey is true when the filter has exactly one _id key.
func hasOneIDKey(filter *types.Document) bool {
	n := 0
	for _, k := range filter.Keys() {
		if k == "_id" {
			n++
		}
	}
	return n == 1
}
`;

const UPDATE_CLOSE_OLD = `		closer := iterator.NewMultiCloser()
		defer closer.Close()

		closer.Add(res.Iter)`;
const UPDATE_CLOSE_NEW = `		closer := iterator.NewMultiCloser()

		closer.Add(res.Iter)`;
const UPDATE_RESULT_OLD = `		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)
`;
const UPDATE_RESULT_NEW = `		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)
		closer.Close()
`;

const patches = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    edits: [{ from: `IDColumn = DefaultColumn + "->'$._id'"`, to: `IDColumn = DefaultColumn + "->'_id'"`, times: 1 }],
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    edits: [{ from: PUSHDOWN_OLD, to: PUSHDOWN_NEW, times: 2 }],
    append: HAS_ONE_ID_KEY,
  },
  {
    file: 'internal/handler/msg_update.go',
    edits: [
      { from: UPDATE_CLOSE_OLD, to: UPDATE_CLOSE_NEW, times: 1 },
      { from: UPDATE_RESULT_OLD, to: UPDATE_RESULT_NEW, times: 1 },
    ],
  },
];

function go(args) {
  return execFileSync('go', args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function patched(source, file, edits) {
  let text = source;
  for (const { from, to, times } of edits) {
    const found = text.split(from).length - 1;
    if (found !== times) {
      throw new Error(`embedded-db build: expected ${times} occurrence(s) of a patched line in ${file}, found ${found}; has the FerretDB version changed?`);
    }
    text = text.split(from).join(to);
  }
  return text;
}

const moduleDir = go(['list', '-m', '-f', '{{.Dir}}', 'github.com/FerretDB/FerretDB']);
rmSync(buildDir, { recursive: true, force: true });
cpSync(moduleDir, moduleCopy, { recursive: true });
for (const { file, edits, append = '' } of patches) {
  const target = join(moduleCopy, file);
  chmodSync(target, 0o644); // module cache files are read-only, and so are their copies
  writeFileSync(target, patched(readFileSync(target, 'utf8'), file, edits) + append);
}
const goMod = join(buildDir, 'go.mod');
writeFileSync(goMod, `${readFileSync(join(here, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${moduleCopy}\n`);
// -modfile=x.mod reads its checksums from x.sum.
cpSync(join(here, 'go.sum'), join(buildDir, 'go.sum'));
execFileSync('go', ['build', '-trimpath', `-modfile=${goMod}`, '-o', output, '.'], { cwd: here, stdio: 'inherit' });
