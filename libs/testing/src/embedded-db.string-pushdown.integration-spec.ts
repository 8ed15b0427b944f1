import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId, type Collection, type Filter } from 'mongodb';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from './embedded-db';

// The launcher's build puts top-level `field: "string"` equalities next to the _id equality into
// FerretDB's SQL query, so a token lookup `{_id, secret_hash}` with a wrong secret skips the row in
// SQLite instead of decoding it: a wrong secret then costs what an unknown id costs
// (tools/embedded-db/build.mjs, fix 4). FerretDB's in-memory filter still judges every row read, so
// these specs check that results are exactly those of a filter that is not pushed down (`$eq`), and
// the SQL FerretDB logs shows the pushdown (an unpatched build sends only the _id condition).
type Doc = { _id: string; secret_hash?: unknown; version?: number; tag?: string };

const sha256Hex = () => randomBytes(32).toString('hex');

/** Stored secret_hash values that JSON, SQLite or Go could mangle, each under its own _id. */
const awkwardStrings: Record<string, string> = {
  hex: sha256Hex(),
  quotes: `he said "hi" and 'bye'`,
  backslashes: 'C:\\path\\to\\"file"\\',
  'html-escaped by Go': '</script><b>&amp;</b>',
  'json-looking': '{"secret_hash": "x", "$s": 1}',
  'control characters': 'tab\there\nnew line\r\u0001\u001f',
  unicode: 'é ü 中文 😀 \u2028\u2029 \u{10FFFF}',
  'sql-looking': "x' OR '1'='1",
  empty: '',
  'with NUL (left to the in-memory filter)': 'a\u0000b',
};

describe('embedded database: string equalities next to _id reach SQL', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  let collection: Collection<Doc>;
  const name = uniqueDbName('string_pushdown');

  beforeAll(async () => {
    db = await startEmbeddedDb({ logLevel: 'debug' });
    client = await MongoClient.connect(db.uri);
    collection = client.db(name).collection<Doc>('c');
    await collection.insertMany(Object.entries(awkwardStrings).map(([label, value]) => ({ _id: label, secret_hash: value })));
  });
  afterAll(async () => {
    await client.db(name).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
  });

  /** findOne with the plain equality (pushed down) and with `$eq` (never pushed down): both must agree. */
  const findBoth = async (filter: Filter<Doc> & { secret_hash: unknown }) => {
    const pushed = await collection.findOne(filter);
    const inMemory = await collection.findOne({ ...filter, secret_hash: { $eq: filter.secret_hash } });
    expect(pushed).toEqual(inMemory);
    return pushed;
  };

  it.each(Object.entries(awkwardStrings))('finds %s by the right string and not by a wrong one', async (label, value) => {
    expect(await findBoth({ _id: label, secret_hash: value })).toEqual({ _id: label, secret_hash: value });
    expect(await findBoth({ _id: label, secret_hash: `${value}x` })).toBeNull();
    expect(await findBoth({ _id: label, secret_hash: value.slice(0, -1) || 'x' })).toBeNull();
    expect(await findBoth({ _id: label, secret_hash: sha256Hex() })).toBeNull();
  });

  it('keeps Mongo semantics where the field is missing or not a string', async () => {
    const id = new ObjectId();
    await collection.insertMany([
      { _id: 'array', secret_hash: ['other', 'wanted'] },
      { _id: 'number', secret_hash: 5 },
      { _id: 'object id', secret_hash: id },
      { _id: 'document', secret_hash: { wanted: 'wanted' } },
      { _id: 'null', secret_hash: null },
      { _id: 'missing', tag: 'wanted' },
    ]);
    // An array holding the string matches: the SQL condition must keep rows whose value is not a JSON string.
    expect(await findBoth({ _id: 'array', secret_hash: 'wanted' })).toEqual({ _id: 'array', secret_hash: ['other', 'wanted'] });
    expect(await findBoth({ _id: 'array', secret_hash: 'neither' })).toBeNull();
    expect(await findBoth({ _id: 'number', secret_hash: '5' })).toBeNull();
    // FerretDB stores an ObjectId as its hex JSON string; a string equal to that hex still must not match.
    expect(await findBoth({ _id: 'object id', secret_hash: id.toHexString() })).toBeNull();
    expect(await findBoth({ _id: 'object id', secret_hash: id })).toEqual({ _id: 'object id', secret_hash: id });
    expect(await findBoth({ _id: 'document', secret_hash: 'wanted' })).toBeNull();
    expect(await findBoth({ _id: 'null', secret_hash: 'null' })).toBeNull();
    expect(await findBoth({ _id: 'missing', secret_hash: 'wanted' })).toBeNull();
    expect(await findBoth({ _id: 'missing', secret_hash: null })).toEqual({ _id: 'missing', tag: 'wanted' });
  });

  it('applies the pushed-down condition to conditional writes as their filter says', async () => {
    const hash = sha256Hex();
    await collection.insertOne({ _id: 'writable', secret_hash: hash, version: 1 });
    const wrong = await collection.updateOne({ _id: 'writable', secret_hash: sha256Hex(), version: 1 }, { $set: { tag: 'wrong' } });
    expect(wrong.matchedCount).toBe(0);
    const right = await collection.findOneAndUpdate(
      { _id: 'writable', secret_hash: hash, version: 1 },
      { $set: { tag: 'right' } },
      { returnDocument: 'after' },
    );
    expect(right).toEqual({ _id: 'writable', secret_hash: hash, version: 1, tag: 'right' });
    expect((await collection.deleteOne({ _id: 'writable', secret_hash: `${hash} ` })).deletedCount).toBe(0);
    expect((await collection.deleteOne({ _id: 'writable', secret_hash: hash })).deletedCount).toBe(1);
  });

  /** The WHERE clause FerretDB logged for the find tagged with `comment`, with its arguments. */
  const loggedQuery = async (comment: string, filter: Filter<Doc>): Promise<string> => {
    await collection.findOne(filter, { comment });
    const [line] = await db.process.waitForLine(new RegExp(`>>> SELECT /\\* ${comment} \\*/.*`), 10_000);
    return line;
  };

  it('sends the string equality to SQLite (FerretDB logs the query)', async () => {
    const hash = awkwardStrings.hex;
    const line = await loggedQuery('pushdown_secret_hash', { _id: 'hex', secret_hash: hash });
    expect(line).toContain(`WHERE _ferretdb_sjson->'_id' = ? AND (json_type(_ferretdb_sjson, ?) IS NOT 'text' OR _ferretdb_sjson->>? = ?)`);
    expect(line).toContain(`$.secret_hash $.secret_hash ${hash}`);
  });

  it('leaves other conditions to the in-memory filter only', async () => {
    const conditions = [' AND ', 'json_type'];
    for (const [comment, filter] of [
      ['no_id', { secret_hash: awkwardStrings.hex }],
      ['number', { _id: 'hex', version: 1 }],
      ['operator', { _id: 'hex', secret_hash: { $eq: awkwardStrings.hex } }],
      ['dotted', { _id: 'hex', 'secret_hash.x': 'y' }],
      ['nul', { _id: 'hex', secret_hash: 'a\u0000b' }],
    ] as const) {
      const line = await loggedQuery(`not_pushed_${comment}`, filter as Filter<Doc>);
      for (const condition of conditions) expect(line).not.toContain(condition);
    }
  });
});
