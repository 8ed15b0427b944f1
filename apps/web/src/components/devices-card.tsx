import { useCallback, useEffect, useId, useState } from 'react';
import { useSession } from '@session/react-session';
import type { SessionSummaryDto } from '@session/rest-contract';
import { accountErrorFor } from '../account-errors';
import { formatDateTime } from '../format';
import { describeUserAgent } from '../user-agent';

type Load = { kind: 'loading' } | { kind: 'loaded'; devices: SessionSummaryDto[] } | { kind: 'failed'; message: string };

/** The signed-in user's sessions: this device marked, the others each with a sign-out, and "sign out everywhere else". */
export function DevicesCard({ language }: { language: string }) {
  const { status, listDevices, signOutDevice, signOutOtherDevices } = useSession();
  // A session restored from the snapshot is shown at once but may be gone (a browser restart ends a
  // session without "remember me"): the list waits until the server has confirmed it.
  const confirmed = status === 'active';
  const id = useId();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const reload = useCallback(async () => {
    try {
      setLoad({ kind: 'loaded', devices: await listDevices() });
    } catch (error) {
      setLoad({ kind: 'failed', message: accountErrorFor(error).message });
    }
  }, [listDevices]);

  useEffect(() => {
    if (confirmed) void reload();
  }, [reload, confirmed]);

  async function act(action: () => Promise<unknown>, done: (result: unknown) => string) {
    setBusy(true);
    setNotice(null);
    try {
      setNotice({ ok: true, text: done(await action()) });
    } catch (error) {
      setNotice({ ok: false, text: accountErrorFor(error).message });
    } finally {
      setBusy(false);
      await reload();
    }
  }

  const devices = load.kind === 'loaded' ? load.devices : [];
  const others = devices.filter((d) => !d.current);

  return (
    <section className="card devices" aria-labelledby={`${id}-title`} aria-busy={load.kind === 'loading' || busy || undefined}>
      <div className="card-head">
        <h2 id={`${id}-title`}>Your devices</h2>
      </div>
      {load.kind === 'failed' && (
        <p className="inline-error" role="alert">
          Your devices could not be loaded. {load.message}
        </p>
      )}
      {load.kind === 'loading' && <p className="card-text muted">Loading your devices…</p>}
      {load.kind === 'loaded' && (
        <ul className="device-list">
          {devices.map((device) => {
            const name = describeUserAgent(device.device?.user_agent);
            const lastSeen = formatDateTime(device.last_seen_at, language);
            return (
              <li key={device.session_id} className="device" aria-current={device.current ? 'true' : undefined}>
                <div className="device-text">
                  <p className="device-name" title={device.device?.user_agent}>
                    {name} {device.current && <span className="badge badge-device">This device</span>}
                  </p>
                  <p className="muted device-meta">
                    Last active <time dateTime={device.last_seen_at}>{lastSeen}</time>
                    {device.device?.client_address ? ` · ${device.device.client_address}` : ''}
                  </p>
                </div>
                {!device.current && (
                  <button
                    type="button"
                    className="button danger"
                    disabled={busy}
                    aria-label={`Sign out ${name}, last active ${lastSeen}`}
                    onClick={() =>
                      void act(
                        () => signOutDevice(device.session_id),
                        () => `${name} was signed out.`,
                      )
                    }
                  >
                    Sign out
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className={notice?.ok === false ? 'inline-error' : 'save-status'} role="status">
        {notice?.text ?? ''}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button danger"
          disabled={busy || others.length === 0}
          onClick={() =>
            void act(signOutOtherDevices, (count) =>
              count === 1 ? 'One other device was signed out.' : `${String(count)} other devices were signed out.`,
            )
          }
        >
          Sign out everywhere else
        </button>
      </div>
    </section>
  );
}
