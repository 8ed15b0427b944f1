import { createContext, useContext } from 'react';
import type { SessionActions, SessionState } from './session-state';

export type { SessionStatus } from './session-state';

export type SessionContextValue = SessionState & SessionActions;

// No default value: a component outside the provider is a bug, reported by useSession.
export const SessionContext = createContext<SessionContextValue | undefined>(undefined);
SessionContext.displayName = 'SessionContext';

export function useSession(): SessionContextValue {
  const context = useContext(SessionContext);
  if (context === undefined) throw new Error('useSession must be used within a <SessionProvider>');
  return context;
}
