import { ACCOUNTS_SERVICE_NAME, loadAccountsPackage } from './load-accounts-package';

describe('loadAccountsPackage', () => {
  it('serves accounts.v1.AccountsService with its three unary RPCs', () => {
    const { proto, packageDefinition } = loadAccountsPackage();
    const service = proto.accounts.v1.AccountsService.service;
    expect(Object.keys(service).sort()).toEqual(['ChangePassword', 'SignIn', 'SignUp']);
    expect(Object.values(service).some((m) => m.requestStream || m.responseStream)).toBe(false);
    expect(Object.keys(packageDefinition)).toContain(ACCOUNTS_SERVICE_NAME);
  });

  it('decodes 64-bit counts as strings and the imported session.v1 Session, as the generated types say', () => {
    const change = loadAccountsPackage().proto.accounts.v1.AccountsService.service.ChangePassword;
    expect(change.responseDeserialize(change.responseSerialize({ revoked_count: 3 }))).toEqual({ revoked_count: '3' });
    const signIn = loadAccountsPackage().proto.accounts.v1.AccountsService.service.SignIn;
    const decoded = signIn.responseDeserialize(
      signIn.responseSerialize({ token: 't', account_id: 'a', session: { session_id: 's', remember_me: true } }),
    );
    expect(decoded).toMatchObject({ token: 't', account_id: 'a', session: { session_id: 's', remember_me: true, user_id: '' } });
  });
});
