import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from './config.js';

/** Connection options shared by the client (API) and the native connection (worker). */
export function temporalConnectionOptions(config: TemporalConfig): {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
} {
  const { tls } = config;
  const tlsOptions: TLSConfig | undefined = tls && {
    ...(tls.serverName && { serverNameOverride: tls.serverName }),
    ...(tls.caPath && { serverRootCACertificate: readFileSync(tls.caPath) }),
    ...(tls.certPath &&
      tls.keyPath && { clientCertPair: { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } }),
  };
  return {
    address: config.address,
    ...(tlsOptions && { tls: Object.keys(tlsOptions).length > 0 ? tlsOptions : true }),
    ...(config.apiKey && { apiKey: config.apiKey }),
  };
}
