import type { Db } from 'mongodb';
import type { CallContext } from '../domain/call-context';
import { ServiceUnavailableError } from '../domain/errors';
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
    const error = await repository.findById(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).errorCode).toBe('session_service_unavailable');
    expect(calls).toHaveLength(0);
    expect(observed).toHaveLength(0);
    down = false;
    await expect(repository.findById(ID)).resolves.toBeNull();
    expect(calls).toHaveLength(1);
  });
});

describe("SessionRepository: each operation bounded by the call's deadline", () => {
  it('gives the server the remaining time less the margin', async () => {
    const { repository, calls } = repositoryOver(async () => null, { deadlineMarginMs: 300 });
    await repository.findById(ID, at(Date.now() + 2_000));
    expect(calls[0].maxTimeMS).toBeGreaterThan(1_600);
    expect(calls[0].maxTimeMS).toBeLessThanOrEqual(1_700);
  });

  it('keeps at most a fifth of a short remaining time as margin, and never goes below 1 ms', async () => {
    const { repository, calls } = repositoryOver(async () => null);
    await repository.findById(ID, at(Date.now() + 100));
    expect(calls[0].maxTimeMS).toBeGreaterThan(70);
    expect(calls[0].maxTimeMS).toBeLessThanOrEqual(80);
    await repository.findById(ID, at(Date.now() - 5));
    expect(calls[1].maxTimeMS).toBe(1);
  });

  it('caps the budget at maxTimeMs, which is also the budget without a deadline', async () => {
    const { repository, calls } = repositoryOver(async () => null, { maxTimeMs: 700 });
    await repository.findById(ID, at(Date.now() + 60_000));
    await repository.findById(ID);
    expect(calls.map((c) => c.maxTimeMS)).toEqual([700, 700]);
  });

  it('answers UNAVAILABLE before the deadline when the driver does not answer, and counts the operation', async () => {
    const { repository, observed } = repositoryOver(() => new Promise(() => undefined), { deadlineMarginMs: 150 });
    const started = Date.now();
    const error = await repository.findById(ID, at(started + 600)).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toBe('the session store did not answer in time, retry later');
    expect(took).toBeGreaterThanOrEqual(440); // the budget: 600 ms less the 150 ms margin
    expect(took).toBeLessThan(600);
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
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('passes the driver error through when it fails within the budget', async () => {
    const driverError = new Error('driver said no');
    const { repository } = repositoryOver(async () => {
      throw driverError;
    });
    await expect(repository.findById(ID, at(Date.now() + 2_000))).rejects.toBe(driverError);
  });
});
