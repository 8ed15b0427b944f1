import { appBundle, startAppBundle, type AppProcess, type AppProcessOptions } from './app-bundle';

export interface GatewayProcessOptions extends AppProcessOptions {
  /** `host:port` of a running session service. */
  sessionServiceUrl: string;
}

export interface GatewayProcess extends AppProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The operations listener's `http://host:port/metrics`. */
  readonly metricsUrl: string;
}

/** Path of the built gateway bundle. */
export function gatewayBundle(): string {
  return appBundle('gateway');
}

/**
 * Spawns the built gateway on free loopback ports (public and metrics) and waits for its
 * "gateway listening" line, from which it reads the port.
 */
export async function startGateway(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const env = {
    SESSION_SERVICE_URL: options.sessionServiceUrl,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    GATEWAY_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const { ready, ...app } = await startAppBundle<{ port: number; url: string; metricsUrl: string }>(
    'gateway',
    'gateway listening',
    env,
    options.timeoutMs,
  );
  return { ...app, url: ready.url, port: ready.port, metricsUrl: ready.metricsUrl };
}
