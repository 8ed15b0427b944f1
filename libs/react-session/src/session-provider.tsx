import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { SessionContext, type SessionContextValue } from './session-context';
import { createSessionController, type SessionController, type SessionControllerOptions } from './session-controller';

export interface SessionProviderProps extends SessionControllerOptions {
  children: ReactNode;
  /**
   * A controller made elsewhere (to share the session with code outside React);
   * the other props, which configure one made here, are then ignored. Like
   * them, read once at mount.
   */
  controller?: SessionController;
}

/** Puts a session controller's state and actions into context; the controller does the work. */
export function SessionProvider({ children, controller: given, ...options }: SessionProviderProps) {
  const [controller] = useState(() => given ?? createSessionController(options));
  useEffect(() => controller.start(), [controller]);
  const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
  const value = useMemo<SessionContextValue>(
    () => ({
      ...state,
      updateData: controller.updateData,
      replaceData: controller.replaceData,
      endSession: controller.endSession,
      refresh: controller.refresh,
      touch: controller.touch,
      signUp: controller.signUp,
      signIn: controller.signIn,
      signOut: controller.signOut,
      changePassword: controller.changePassword,
      listDevices: controller.listDevices,
      signOutDevice: controller.signOutDevice,
      signOutOtherDevices: controller.signOutOtherDevices,
    }),
    [state, controller],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
