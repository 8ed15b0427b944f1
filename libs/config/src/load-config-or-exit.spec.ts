import { loadConfigOrExit } from './load-config-or-exit';
import { loadSessionServiceConfig } from './session-service-config';

class Exited extends Error {}

describe('loadConfigOrExit', () => {
  let exit: jest.SpyInstance;
  let printed: jest.SpyInstance;
  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Exited();
    });
    printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('returns the parsed configuration', () => {
    const config = loadConfigOrExit(loadSessionServiceConfig, { MONGODB_URI: 'mongodb://127.0.0.1:1', MONGODB_DB: 'x' });
    expect(config.mongo.dbName).toBe('x');
    expect(exit).not.toHaveBeenCalled();
  });

  it('prints the bad variables and exits 1 on a ConfigError', () => {
    expect(() => loadConfigOrExit(loadSessionServiceConfig, { MONGODB_URI: 'postgres://x' })).toThrow(Exited);
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed.mock.calls[0][0]).toMatch(/MONGODB_URI/);
  });

  it('lets any other error through: it is a bug, not bad configuration', () => {
    const bug = new TypeError('boom');
    expect(() =>
      loadConfigOrExit(() => {
        throw bug;
      }, {}),
    ).toThrow(bug);
    expect(exit).not.toHaveBeenCalled();
  });
});
