// Builds the embedded database launcher with five fixes to FerretDB 1.24.2 (its SQLite backend and
// handlers), applied at build time:
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
// 4. Only `_id` reached SQL; FerretDB decoded each row it got back (up to ~17 KB of user_data, in Go)
//    before it applied the other conditions. So a token lookup `{_id, secret_hash}` with a wrong
//    secret cost ~2 ms more than one with an unknown id (no row, nothing decoded), which told a
//    caller which session ids exist. Next to the `_id` equality, every top-level `field: "string"`
//    equality now goes into the WHERE clause too, as "the stored value is not a JSON string, or is
//    this string" (`json_type` / `->>`, which undo the JSON escapes FerretDB's encoder writes).
//    A row it skips holds another JSON string there (a string or an ObjectId's hex), which can never
//    equal the filter's string (arrays, which may contain it, and missing fields are kept), and FerretDB's in-memory filter
//    still judges every row it does read, so results never depend on this. Skipped, to keep the
//    SQL simple and exact: dotted or unusual field names, keys repeated in the filter, and strings
//    with a NUL or invalid UTF-8 (which the JSON encoder would not store byte for byte).
//
// 5. A findAndModify cut at its maxTimeMS answered InternalError (1) where MongoDB answers
//    MaxTimeMSExpired (50), so callers could not tell a time limit from a fault. It now answers 50,
//    as FerretDB's own find does.
//
// Each replacement must match exactly once: a FerretDB upgrade that moves the code fails the
// build here, loudly, instead of silently building an unpatched database.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withLock } from './build-lock.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
// --out: tests build into a temp folder so they never replace the binary other tests are running.
// --if-missing: for test helpers that need a binary and may race each other to build it.
const { values: cli } = parseArgs({ options: { out: { type: 'string' }, 'if-missing': { type: 'boolean', default: false } } });
const output = resolve(cli.out ?? join(root, 'dist', 'tools', 'embedded-db'));
// A fixed folder next to the output (not a new temp one each time), so Go's build cache recognises the module copy.
const buildDir = `${output}-build`;
const moduleCopy = join(buildDir, 'ferretdb');
const FERRETDB = 'github.com/FerretDB/FerretDB';
// FerretDB 1.24's own go.mod asks for Go 1.24; older Go 1.21+ switches to it through the module proxy.
const GO_MINIMUM = '1.24';

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

// Added to both pushdowns (Query and Explain, so explain shows what a query does) right after the _id condition.
const STRING_PUSHDOWN_OLD = `			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
`;
const STRING_PUSHDOWN_NEW = `			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
			whereClause, args = withStringEqualities(params.Filter, whereClause, args)
`;
const WITH_STRING_EQUALITIES = `
// withStringEqualities adds the filter's top-level string equalities to the SQL WHERE clause, so a row
// that holds another string there is skipped before it is decoded. Rows that may still match (the
// value is an array, missing, or of another type) pass, and the in-memory filter decides them.
func withStringEqualities(filter *types.Document, whereClause string, args []any) (string, []any) {
	keys, values := filter.Keys(), filter.Values()
	seen := make(map[string]int, len(keys))
	for _, k := range keys {
		seen[k]++
	}

	for i, k := range keys {
		s, ok := values[i].(string)
		if !ok || k == "_id" || seen[k] != 1 || !isPlainFieldName(k) {
			continue
		}
		// Go's JSON encoder stores invalid UTF-8 as U+FFFD, and SQLite text stops at NUL:
		// neither compares byte for byte, so such strings are left to the in-memory filter.
		if strings.ToValidUTF8(s, "") != s || strings.ContainsRune(s, 0) {
			continue
		}

		path := "$." + k
		whereClause += fmt.Sprintf(
			\` AND (json_type(%[1]s, ?) IS NOT 'text' OR %[1]s->>? = ?)\`,
			metadata.DefaultColumn,
		)
		args = append(args, path, path, s)
	}

	return whereClause, args
}

// isPlainFieldName is true for names like secret_hash: written into a JSON path as they are,
// they mean that one top-level field (a dot would mean a nested path, "$" an operator).
func isPlainFieldName(name string) bool {
	for i, c := range name {
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}

	return name != ""
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

// findAndModify runs under a context.WithTimeout of its maxTimeMS, and answered whatever error the cut
// left: SQLite's "interrupted (9)" (which wraps no context error) or "context deadline exceeded", both as
// InternalError (1), where MongoDB, and FerretDB's own find, answer MaxTimeMSExpired (50). Named results
// let a deferred check replace the error once the time limit has run out, wherever the cut landed; the
// check asks the context itself, so a client that hung up (a cancelled, not expired, context) or a
// failure with time to spare keeps its own error. update and delete ignore maxTimeMS in FerretDB 1.24,
// so they are never cut and need no such translation.
const FIND_AND_MODIFY_SIGNATURE_OLD = `func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {`;
const FIND_AND_MODIFY_SIGNATURE_NEW = `func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (_ *findAndModifyResult, err error) {`;
const FIND_AND_MODIFY_TIMEOUT_OLD = `		ctx, cancel = context.WithTimeout(ctx, time.Duration(params.MaxTimeMS)*time.Millisecond)
`;
const FIND_AND_MODIFY_TIMEOUT_NEW = `		ctx, cancel = context.WithTimeout(ctx, time.Duration(params.MaxTimeMS)*time.Millisecond)
		defer func(limited context.Context) { err = timeLimitError(limited, err) }(ctx)
`;
const TIME_LIMIT_ERROR = `
// timeLimitError answers MaxTimeMSExpired, as find does, when findAndModify failed after its maxTimeMS ran out.
func timeLimitError(limited context.Context, err error) error {
	if err == nil || !errors.Is(limited.Err(), context.DeadlineExceeded) {
		return err
	}

	return handlererrors.NewCommandErrorMsgWithArgument(
		handlererrors.ErrMaxTimeMSExpired,
		"Executor error during findAndModify command :: caused by :: operation exceeded time limit",
		"findAndModify",
	)
}
`;

const patches = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    edits: [{ from: `IDColumn = DefaultColumn + "->'$._id'"`, to: `IDColumn = DefaultColumn + "->'_id'"`, times: 1 }],
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    edits: [
      { from: PUSHDOWN_OLD, to: PUSHDOWN_NEW, times: 2 },
      { from: STRING_PUSHDOWN_OLD, to: STRING_PUSHDOWN_NEW, times: 2 },
    ],
    append: HAS_ONE_ID_KEY + WITH_STRING_EQUALITIES,
  },
  {
    file: 'internal/handler/msg_update.go',
    edits: [
      { from: UPDATE_CLOSE_OLD, to: UPDATE_CLOSE_NEW, times: 1 },
      { from: UPDATE_RESULT_OLD, to: UPDATE_RESULT_NEW, times: 1 },
    ],
  },
  {
    file: 'internal/handler/msg_findandmodify.go',
    edits: [
      { from: FIND_AND_MODIFY_SIGNATURE_OLD, to: FIND_AND_MODIFY_SIGNATURE_NEW, times: 1 },
      { from: FIND_AND_MODIFY_TIMEOUT_OLD, to: FIND_AND_MODIFY_TIMEOUT_NEW, times: 1 },
    ],
    append: TIME_LIMIT_ERROR,
  },
];

/** A failure the user can act on: printed as one line, without a stack trace. */
class BuildError extends Error {}

function go(args, { capture = true } = {}) {
  const result = spawnSync('go', args, {
    cwd: here,
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
  });
  if (result.error?.code === 'ENOENT') {
    throw new BuildError(`Go is not installed (no "go" on PATH); install Go ${GO_MINIMUM} or newer (https://go.dev/dl/) and retry`);
  }
  if (result.error) throw result.error;
  return result;
}

/** Last meaningful line of Go's error output (its first lines are often "go: downloading ..."). */
function goError(result) {
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((l) => l.trim());
  const errors = lines.filter((l) => l && !l.startsWith('go: downloading') && !l.startsWith('{') && !l.startsWith('}'));
  const jsonError = lines.find((l) => l.startsWith('"Error":'));
  return (jsonError ? JSON.parse(`{${jsonError.replace(/,$/, '')}}`).Error : errors.at(-1)) ?? `exit code ${result.status}`;
}

/** Downloads every module the launcher needs and returns FerretDB's folder in the module cache. */
function downloadModules() {
  const proxy = go(['env', 'GOPROXY']).stdout.trim() || 'unset';
  const unreachable = (result) =>
    new BuildError(
      `cannot download the Go modules (GOPROXY=${proxy}): ${goError(result)}; the Go module proxy must be reachable (check the network, or set GOPROXY to a proxy you can reach)`,
    );
  // Quiet for minutes on a first run otherwise: say what is happening.
  console.log('embedded-db build: downloading the Go modules (the first time about 125 MB)');
  const ferret = go(['mod', 'download', '-json', FERRETDB]);
  if (ferret.status !== 0) throw unreachable(ferret);
  const all = go(['mod', 'download']);
  if (all.status !== 0) throw unreachable(all);
  const dir = JSON.parse(ferret.stdout).Dir;
  if (!dir || !existsSync(dir))
    throw new BuildError(
      `go mod download reported FerretDB's folder as "${dir ?? ''}", which does not exist; check GOMODCACHE (${go(['env', 'GOMODCACHE']).stdout.trim()})`,
    );
  return dir;
}

function patched(source, file, edits) {
  let text = source;
  for (const { from, to, times } of edits) {
    const found = text.split(from).length - 1;
    if (found !== times) {
      throw new BuildError(
        `expected ${times} occurrence(s) of a patched line in ${file}, found ${found}; has the FerretDB version changed?`,
      );
    }
    text = text.split(from).join(to);
  }
  return text;
}

function build() {
  const moduleDir = downloadModules();
  rmSync(buildDir, { recursive: true, force: true });
  cpSync(moduleDir, moduleCopy, { recursive: true });
  for (const { file, edits, append = '' } of patches) {
    const target = join(moduleCopy, file);
    chmodSync(target, 0o644); // module cache files are read-only, and so are their copies
    writeFileSync(target, patched(readFileSync(target, 'utf8'), file, edits) + append);
  }
  const goMod = join(buildDir, 'go.mod');
  writeFileSync(goMod, `${readFileSync(join(here, 'go.mod'), 'utf8')}\nreplace ${FERRETDB} => ${moduleCopy}\n`);
  // -modfile=x.mod reads its checksums from x.sum.
  cpSync(join(here, 'go.sum'), join(buildDir, 'go.sum'));
  // Built under another name and renamed: a process starting the binary never sees half a file.
  const partial = `${output}.partial-${process.pid}`;
  mkdirSync(dirname(output), { recursive: true });
  console.log('embedded-db build: compiling FerretDB (the first time several minutes, later seconds)');
  const compiled = go(['build', '-trimpath', `-modfile=${goMod}`, '-o', partial, '.'], { capture: false });
  if (compiled.status !== 0) {
    rmSync(partial, { force: true });
    throw new BuildError(`"go build" failed (exit code ${compiled.status}, output above)`);
  }
  renameSync(partial, output);
}

try {
  await withLock(`${output}.lock`, () => {
    if (cli['if-missing'] && existsSync(output)) return;
    build();
  });
} catch (err) {
  if (!(err instanceof BuildError)) throw err;
  console.error(`embedded-db build: ${err.message}`);
  process.exit(1);
}
