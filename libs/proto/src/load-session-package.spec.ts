import { loadSessionPackage } from './load-session-package';

describe('loadSessionPackage', () => {
  it('serves both services of session.v1 from one definition', () => {
    const { proto, packageDefinition } = loadSessionPackage();
    expect(Object.keys(proto.session.v1.SessionService.service)).toContain('ValidateSession');
    const feed = proto.session.v1.SessionFeedService.service;
    expect(feed.WatchSessionChanges.responseStream).toBe(true);
    expect(feed.WatchSessionChanges.requestStream).toBe(false);
    expect(feed.TouchSessions.responseStream).toBe(false);
    // Reflection is built from the definition: it must name the feed service too.
    expect(Object.keys(packageDefinition)).toEqual(expect.arrayContaining(['session.v1.SessionService', 'session.v1.SessionFeedService']));
  });

  it('decodes a change with the loader options the generated types describe (64-bit as strings, enums as names)', () => {
    const watch = loadSessionPackage().proto.session.v1.SessionFeedService.service.WatchSessionChanges;
    const bytes = watch.responseSerialize({
      stream_id: 's',
      sequence: 7,
      kind: 'SESSION_CHANGE_KIND_UPDATED',
      session_id: 'a',
      version: 3,
    });
    expect(watch.responseDeserialize(bytes)).toMatchObject({
      sequence: '7',
      kind: 'SESSION_CHANGE_KIND_UPDATED',
      version: '3',
      user_id: '',
    });
  });
});
