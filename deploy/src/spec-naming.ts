/**
 * The one spec-naming rule (docs/testing.md), as a function over a path:
 * null when the spec is named by the rule, else the reason it is not.
 */

/** The whole-system suites: their specs name a behaviour, since no one source file is under test. */
export const BEHAVIOUR_SUITES = ['apps/system-tests/', 'apps/web-e2e/', 'tools/newcomer/', 'protos/', 'deploy/', 'bench/'];
/** Where specs are named after the source file they test. */
export const SOURCE_SUITES = ['apps/', 'libs/'];

const WORD = '[a-z0-9]+(?:-[a-z0-9]+)*';
const SPEC_FILE = /\.[a-z-]*spec\.tsx?$/;
// <source>.spec.ts(x) | <source>.integration-spec.ts, optionally <source>.<aspect>.<kind>
const SOURCE_SPEC = new RegExp(`^(?<source>${WORD})(?:\\.(?<aspect>${WORD}))?\\.(?:spec\\.tsx?|integration-spec\\.ts)$`);
// <behaviour>.<kind>-spec.ts | <behaviour>.spec.ts (tools/newcomer runs real processes: integration)
const BEHAVIOUR_SPEC = new RegExp(`^${WORD}\\.(?:(?:fault|property|contract|e2e|integration)-)?spec\\.tsx?$`);

export const isSpecFile = (path: string): boolean => SPEC_FILE.test(path);

export function specNamingProblem(path: string, exists: (path: string) => boolean): string | null {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  if (BEHAVIOUR_SUITES.some((suite) => path.startsWith(suite))) {
    return BEHAVIOUR_SPEC.test(name)
      ? null
      : 'a whole-system spec is named <behaviour>.<fault|property|contract|e2e|integration>-spec.ts or <behaviour>.spec.ts';
  }
  if (!SOURCE_SUITES.some((suite) => path.startsWith(suite))) return 'specs live in apps/*, libs/* or one of the whole-system suites';
  const source = SOURCE_SPEC.exec(name)?.groups?.source;
  if (source === undefined) return 'an app or lib spec is named <source>[.<aspect>].spec.ts(x) or <source>[.<aspect>].integration-spec.ts';
  if (!exists(`${dir}${source}.ts`) && !exists(`${dir}${source}.tsx`))
    return `no source file ${dir}${source}.ts(x) next to it: a spec is named after the file it tests`;
  return null;
}
