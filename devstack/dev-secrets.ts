import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevSecrets {
  PLATFORM_API_KEY: string;
  MASTER_KEY: string;
}

/**
 * `dev` generates the keys it needs when the environment does not set them, and keeps them beside the
 * data they protect: merchant secrets encrypted under one master key must stay readable on the next start.
 */
export function loadOrCreateDevSecrets(dir: string): { secrets: DevSecrets; created: boolean } {
  const file = path.join(dir, 'secrets.json');
  if (existsSync(file)) return { secrets: JSON.parse(readFileSync(file, 'utf8')) as DevSecrets, created: false };
  const secrets: DevSecrets = {
    PLATFORM_API_KEY: `pk_${randomBytes(32).toString('base64url')}`,
    MASTER_KEY: randomBytes(32).toString('base64'),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return { secrets, created: true };
}
