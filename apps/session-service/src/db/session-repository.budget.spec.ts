import { MongoNetworkError, MongoServerError, type Db } from 'mongodb';
import { NO_DEADLINE, type CallContext } from '../domain/call-context';
import { DeadlineExceededError, InternalError, ServiceUnavailableError } from '../domain/errors';
import { SessionRepository, type SessionRepositoryOptions } from './session-repository';

const ID = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a';
const at = (deadline: number): CallContext => ({ requestId: 'budget', deadline });

/** A collection whose findOne answers as the test says, recording the options it was given. */
function fakeDb(answer: () => Promise<unknown>) {
  const calls: { maxTimeMS?: number }[] = [];
  const collection = {
    findOne: (_filter: unknown, options: { maxTimeMS?: number }) => {
      calls.push(options);
      return answer();
    },
  };
  return { db: { collection: () => collection } as unknown as Db, calls };
}

function repositoryOver(answer: () => Promise<unknown>, options: SessionRepositoryOptions = {}) {
  const { db, calls } = fakeDb(answer);
  const observed: string[] = [];
  const repository = new SessionRepository(db, { observer: { observeDbOperation: (op) => void observed.push(op) }, ...options });
  return { repository, calls, observed };
}

describe('SessionRepository: failing fast while the database is known to be down', () => {
  it('rejects with UNAVAILABLE without touching the driver', async () => {
    let down = true;
    const { repository, calls, observed } = repositoryOver(async () => null, { isDatabaseDown: () => down });
    const error = await repository.findById(ID, NO_DEADLINE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).reason).toBe('unavailable');
    expect(calls).toHaveLength(0);
    expect(observed).toHaveLength(0);
    down = false;
    await expect(repository.findById(ID, NO_DEADLINE)).resolves.toBeNull();
    expect(calls).toHaveLength(1);
  });
});

describe("SessionRepository: each operation bounded by the call's deadline", () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives the server the time left until the deadline (the transport has already kept its margin)', async () => {
    const { repository, calls } = repositoryOver(async () => null);
    await repository.findById(ID, at(Date.now() + 2_000));
    expect(calls[0].maxTimeMS).toBeGreaterThan(1_900);
    expect(calls[0].maxTimeMS).toBeLessThanOrEqual(2_000);
  });

  it('refuses an operation from the deadline on, not a millisecond before, without touching the driver', async () => {
    const { repository, calls, observed } = repositoryOver(async () => null);
    jest.spyOn(Date, 'now').mockReturnValue(10_000);
    await expect(repository.findById(ID, at(10_000))).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(repository.markRevoked(ID, new Date(), at(9_999))).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(calls).toHaveLength(0);
    expect(observed).toHaveLength(0);
    await repository.findById(ID, at(10_001));
    expect(calls.map((c) => c.maxTimeMS)).toEqual([1]);
  });

  it('caps the budget at maxTimeMs, which is also the budget without a deadline', async () => {
    const { repository, calls } = repositoryOver(async () => null, { maxTimeMs: 700 });
    await repository.findById(ID, at(Date.now() + 60_000));
    await repository.findById(ID, NO_DEADLINE);
    expect(calls.map((c) => c.maxTimeMS)).toEqual([700, 700]);
  });

  it('answers UNAVAILABLE before the deadline when the driver does not answer, and counts the operation', async () => {
    const { repository, observed } = repositoryOver(() => new Promise(() => undefined));
    const started = Date.now();
    const error = await repository.findById(ID, at(started + 600)).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toBe('the session store did not answer in time, retry later');
    expect(took).toBeGreaterThanOrEqual(595); // the budget: all of the 600 ms left
    expect(took).toBeLessThan(700);
    expect(observed).toEqual(['find_by_id']);
  });

  it('ignores the late failure of an operation it gave up on', async () => {
    let fail!: (err: Error) => void;
    const { repository } = repositoryOver(() => new Promise((_, reject) => (fail = reject)));
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      await expect(repository.findById(ID, at(Date.now() + 20))).rejects.toBeInstanceOf(ServiceUnavailableError);
      fail(new Error('EPIPE, much later'));
      // Node reports an unhandled rejection once the microtasks after it have drained, before the
      // next macrotask: one setImmediate turn is the exact moment it would have been reported.
      await new Promise((r) => setImmediate(r));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it("passes an error that is not the driver's through when it fails within the budget", async () => {
    const bug = new Error('not from the driver');
    const { repository } = repositoryOver(async () => {
      throw bug;
    });
    await expect(repository.findById(ID, at(Date.now() + 2_000))).rejects.toBe(bug);
  });
});

describe('SessionRepository: driver errors become domain errors', () => {
  it.each([
    ['a network failure', new MongoNetworkError('connection closed'), ServiceUnavailableError],
    ['a transient server answer', new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' }), ServiceUnavailableError],
    ['a refusal by the server', new MongoServerError({ code: 2, errmsg: 'BadValue' }), InternalError],
  ])('%s, keeping the driver error as cause', async (_what, driverError, Kind) => {
    const { repository } = repositoryOver(async () => {
      throw driverError;
    });
    const error = await repository.findById(ID, at(Date.now() + 2_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Kind);
    expect((error as Error).cause).toBe(driverError);
    expect((error as Error).message).not.toContain(driverError.message);
  });
});
