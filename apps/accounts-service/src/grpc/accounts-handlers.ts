import type { AccountsServiceHandlers, SignInRequest__Output, SignInResponse } from '@session/proto';
import type { AccountsService } from '../domain/accounts-service';
import type { createRpcWrapper } from './rpc-wrapper';

/** accounts.v1 messages to use-case inputs and back; nothing here decides anything. */
export function createAccountsHandlers(service: AccountsService, wrap: ReturnType<typeof createRpcWrapper>): AccountsServiceHandlers {
  return {
    SignUp: wrap('SignUp', async (req, ctx) => signedIn(await service.signUp(credentialsOf(req), ctx))),
    SignIn: wrap('SignIn', async (req, ctx) => signedIn(await service.signIn(credentialsOf(req), ctx))),
    ChangePassword: wrap('ChangePassword', async (req, ctx) => {
      const revoked = await service.changePassword(
        {
          sessionToken: req.session_token,
          currentPassword: req.current_password,
          newPassword: req.new_password,
          device: req.device ?? undefined,
        },
        ctx,
      );
      return { revoked_count: String(revoked) };
    }),
  };
}

/** SignUp and SignIn carry the same fields. */
function credentialsOf(req: SignInRequest__Output) {
  return {
    sessionToken: req.session_token,
    email: req.email,
    password: req.password,
    rememberMe: req.remember_me,
    device: req.device ?? undefined,
  };
}

function signedIn(out: { token: string; session: SignInResponse['session']; accountId: string }) {
  return { token: out.token, session: out.session, account_id: out.accountId };
}
