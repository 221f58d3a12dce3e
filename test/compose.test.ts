import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../core/config.js';
import { SEARCH_ATTRIBUTE_NAMES, SEARCH_ATTRIBUTE_TYPES } from '../core/search-attributes.js';
import { compiledEntry, nodeArgs } from '../devstack/node-args.js';
import { PAYSTEAD_DATABASE } from '../devstack/cluster.js';
import { chooseTemporalPorts, clusterServerEnv, TEMPORAL_CONFIG_FILE, TEMPORAL_DYNAMIC_CONFIG_FILE, TEMPORAL_PERSISTENCE, TEMPORAL_VISIBILITY } from '../devstack/temporal-cluster.js';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../devstack/temporal-cluster-tools.js';

// Static checks of the deployment files: they catch drift between docker-compose.yml, the Dockerfile,
// the config schema and the search attributes without needing a Docker daemon.

const root = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Env | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  volumes?: (string | { source?: string; target: string })[];
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  'x-paystead-env'?: Env;
}

const compose = parse(readFileSync(root('docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services;

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environmentOf(name: string): Env {
  const env = service(name).environment;
  if (!env) return {};
  if (!Array.isArray(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(
    env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** Compose-style interpolation; a missing `${VAR:?msg}` / `${VAR?msg}` throws like `docker compose` does. */
function interpolate(value: string, vars: Env): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      if (bare !== undefined) return vars[bare] ?? '';
      const key = name as string;
      const value = vars[key];
      const missing = op?.startsWith(':') ? !value : value === undefined;
      if (op === ':?' || op === '?') {
        if (missing) throw new Error(`required variable ${key} is missing: ${arg}`);
        return value as string;
      }
      if (op === ':-' || op === '-') return missing ? (arg ?? '') : (value as string);
      return value ?? '';
    },
  );
}

function interpolatedEnv(name: string, vars: Env): Env {
  return Object.fromEntries(Object.entries(environmentOf(name)).map(([k, v]) => [k, interpolate(v, vars)]));
}

function publishedPorts(name: string): { host: number; container: number }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: Number(port.published), container: Number(port.target) };
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length > 1 ? Number(parts.at(-2)) : Number.NaN, container };
  });
}

function dependsOn(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition ?? 'service_started']));
}

const commandText = (command: string | string[] | undefined) =>
  command === undefined ? '' : Array.isArray(command) ? command.join(' ') : command;

const sampleVars: Env = {
  PLATFORM_API_KEY: 'p'.repeat(40),
  MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  PAYSTEAD_DB_PASSWORD: 'sample-password',
};

describe('docker-compose.yml', () => {
  it('defines every service of the deployment', () => {
    for (const name of ['postgres', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'api', 'worker', 'prometheus']) {
      expect(services, name).toHaveProperty([name]);
    }
    expect(service('postgres').image).toMatch(/^postgres:16(\b|$)/);
    expect(service('temporal').image).toMatch(/^temporalio\/server:/);
    expect(service('temporal-schema').image).toMatch(/^temporalio\/admin-tools:/);
    expect(service('temporal-setup').image).toMatch(/^temporalio\/admin-tools:/);
    // The UI version `npm run cluster` builds its UI server at.
    expect(service('temporal-ui').image).toBe(`temporalio/ui:${TEMPORAL_UI_VERSION}`);
  });

  it('publishes the api, Temporal and Temporal UI ports', () => {
    expect(publishedPorts('api')).toContainEqual({ host: 3000, container: 3000 });
    expect(publishedPorts('temporal')).toContainEqual({ host: 7233, container: 7233 });
    expect(publishedPorts('temporal-ui')).toContainEqual({ host: 8080, container: 8080 });
  });

  it('keeps the data on a persistent volume, each database with its own user, Temporal on the same server', () => {
    const pg = environmentOf('postgres');
    const volume = (service('postgres').volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target]))
      .find(([, target]) => target === '/var/lib/postgresql/data');
    expect(volume?.[0], 'postgres data volume').toBeTruthy();
    expect(compose.volumes ?? {}).toHaveProperty([volume?.[0] ?? '<none>']);

    const temporal = environmentOf('temporal');
    expect(temporal.POSTGRES_SEEDS).toBe('postgres');
    expect(temporal.DB_PORT).toBe('5432');
    // The users and databases npm run cluster makes, made here by the init script on a new volume.
    const init = (service('postgres').volumes ?? []).find((v) => typeof v === 'string' && v.endsWith(':/docker-entrypoint-initdb.d/init-users.sh:ro'));
    expect(init).toBe('./deploy/postgres/init-users.sh:/docker-entrypoint-initdb.d/init-users.sh:ro');
    const script = readFileSync(root('deploy/postgres/init-users.sh'), 'utf8');
    for (const account of [PAYSTEAD_DATABASE, TEMPORAL_PERSISTENCE, TEMPORAL_VISIBILITY]) {
      expect(script).toContain(`CREATE ROLE ${account.user} LOGIN PASSWORD`);
      expect(script).toContain(`CREATE DATABASE ${account.database} OWNER ${account.user};`);
    }
    expect(script).not.toContain('SUPERUSER');
    expect(pg.POSTGRES_USER).toBe('postgres');
    expect(pg.PAYSTEAD_DB_PASSWORD).toBe('${PAYSTEAD_DB_PASSWORD:?set PAYSTEAD_DB_PASSWORD}');
    expect(temporal.POSTGRES_USER).toBe(TEMPORAL_PERSISTENCE.user);
    expect(temporal.VISIBILITY_POSTGRES_USER).toBe(TEMPORAL_VISIBILITY.user);
    expect(temporal.POSTGRES_PWD).toBe(pg.TEMPORAL_DB_PASSWORD);
    const schema = environmentOf('temporal-schema');
    expect(schema).toMatchObject({ SQL_PLUGIN: 'postgres12', SQL_HOST: 'postgres', SQL_PORT: '5432', SQL_PASSWORD: pg.TEMPORAL_DB_PASSWORD });
    expect(commandText(service('temporal-schema').command)).toContain('--db "$$db" --user "$$db"');
    expect(environmentOf('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('starts api and worker only after postgres and temporal are healthy and temporal-setup has finished', () => {
    for (const name of ['api', 'worker']) {
      expect(dependsOn(name), name).toMatchObject({
        postgres: 'service_healthy',
        temporal: 'service_healthy',
        'temporal-setup': 'service_completed_successfully',
      });
    }
    expect(dependsOn('temporal-schema')).toMatchObject({ postgres: 'service_healthy' });
    expect(dependsOn('temporal')).toMatchObject({ postgres: 'service_healthy', 'temporal-schema': 'service_completed_successfully' });
    expect(dependsOn('temporal-setup')).toMatchObject({ temporal: 'service_healthy' });
  });

  it('gives a healthcheck to every service that others wait on to be healthy', () => {
    const awaited = new Set<string>();
    for (const name of Object.keys(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        expect(services, `${name} depends on unknown service ${dep}`).toHaveProperty([dep]);
        if (condition === 'service_healthy') awaited.add(dep);
      }
    }
    expect([...awaited].sort()).toEqual(expect.arrayContaining(['postgres', 'temporal']));
    for (const name of awaited) {
      const check = service(name).healthcheck;
      expect(check?.disable, name).not.toBe(true);
      expect(commandText(check?.test), `${name} healthcheck`).not.toBe('');
    }
    expect(commandText(service('postgres').healthcheck?.test)).toContain('pg_isready');
    expect(commandText(service('temporal').healthcheck?.test)).toContain(':7243/api/v1/cluster-info');
  });

  it('checks api readiness on /readyz without curl', () => {
    const test = commandText(service('api').healthcheck?.test);
    expect(test).toContain('http://localhost:3000/readyz');
    expect(test).toMatch(/\bnode\b.*fetch\(/);
  });

  it("checks the worker's readiness on its own port's /readyz and gives it time to drain", () => {
    const test = commandText(service('worker').healthcheck?.test);
    expect(test).toContain(`http://localhost:${envSchema.shape.WORKER_PORT.parse(undefined)}/readyz`);
    expect(test).toMatch(/\bnode\b.*fetch\(/);
    const grace = /^(\d+)s$/.exec(service('worker').stop_grace_period ?? '');
    expect(Number(grace?.[1])).toBeGreaterThanOrEqual(10);
  });

  it("has Prometheus scrape every API's and worker's /metrics", () => {
    const mount = (service('prometheus').volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`)).find((v) => v.includes('prometheus.yml'));
    expect(mount).toMatch(/^\.\/deploy\/prometheus\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml/);
    const config = parse(readFileSync(root('deploy/prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[] };
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets.map((t) => `${t}${job.metrics_path ?? '/metrics'}`)));
    expect(targets.sort()).toEqual([`api:${environmentOf('api').PORT}/metrics`, `worker:${envSchema.shape.WORKER_PORT.parse(undefined)}/metrics`]);
    expect(environmentOf('worker').WORKER_PORT).toBeUndefined();
  });

  it('runs temporal-setup once and registers every search attribute with its type', () => {
    const setup = service('temporal-setup');
    expect(['always', 'unless-stopped', 'on-failure']).not.toContain(setup.restart ?? 'no');
    const script = `${commandText(setup.entrypoint)} ${commandText(setup.command)}`;
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toContain('--namespace default');
    expect(script).toContain('--type "$$type"');
    expect(script).toMatch(/already exists/i);
    expect(SEARCH_ATTRIBUTE_NAMES.length).toBeGreaterThan(0);
    for (const name of SEARCH_ATTRIBUTE_NAMES) expect(script, name).toMatch(new RegExp(`\\b${name}:${SEARCH_ATTRIBUTE_TYPES[name]}\\b`));
    expect(environmentOf('temporal-setup').TEMPORAL_ADDRESS).toBe('temporal:7233');
    // The attributes live in the namespace the app uses.
    expect(environmentOf('api').TEMPORAL_NAMESPACE).toBe('default');
  });

  it('shares one environment block between api and worker', () => {
    expect(compose['x-paystead-env']).toBeTypeOf('object');
    expect(environmentOf('api')).toEqual(compose['x-paystead-env']);
    expect(environmentOf('worker')).toEqual(environmentOf('api'));
  });

  it('takes the secrets from the host environment and refuses to start without them', () => {
    const env = environmentOf('api');
    expect(env.PLATFORM_API_KEY).toMatch(/^\$\{PLATFORM_API_KEY:\?[^}]+\}$/);
    expect(env.MASTER_KEY).toMatch(/^\$\{MASTER_KEY:\?[^}]+\}$/);
    for (const secret of Object.keys(sampleVars)) {
      const { [secret]: _omitted, ...withoutSecret } = sampleVars;
      expect(() => interpolatedEnv('api', withoutSecret), secret).toThrow(secret);
    }
  });

  for (const name of ['api', 'worker']) {
    it(`gives the ${name} a complete, valid configuration`, () => {
      const env = interpolatedEnv(name, sampleVars);
      const schemaKeys = Object.keys(envSchema.shape);
      for (const key of Object.keys(env)) expect(schemaKeys, `unknown variable ${key}`).toContain(key);
      for (const key of [
        'TEMPORAL_ADDRESS',
        'TEMPORAL_NAMESPACE',
        'TEMPORAL_TASK_QUEUE',
        'DATABASE_URL',
        'PORT',
        'PUBLIC_BASE_URL',
        'PLATFORM_API_KEY',
        'MASTER_KEY',
        'LOG_LEVEL',
      ]) {
        expect(env[key], key).toBeTruthy();
      }

      const config = loadConfig(env);
      const db = new URL(config.database.url);
      expect(db.hostname).toBe('postgres');
      expect(db.port).toBe('5432');
      expect(db.pathname).toBe(`/${PAYSTEAD_DATABASE.database}`);
      expect(db.username).toBe(PAYSTEAD_DATABASE.user);
      expect(decodeURIComponent(db.password)).toBe(interpolate(environmentOf('postgres').PAYSTEAD_DB_PASSWORD ?? '', sampleVars));
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.http.port).toBe(3000);
      expect(config.platformApiKey).toBe(sampleVars.PLATFORM_API_KEY);
      expect(config.masterKey.equals(Buffer.alloc(32, 7))).toBe(true);
    });
  }

  it('runs the worker from the api image with the worker entry point', () => {
    const api = service('api');
    const worker = service('worker');
    expect(api.build ?? api.image).toBeTruthy();
    expect(worker.build).toEqual(api.build);
    expect(worker.image).toEqual(api.image);
    expect(commandText(worker.command)).toBe(['node', ...nodeArgs('worker/main.ts', 'compiled')].join(' '));
    expect(commandText(worker.command)).not.toBe(commandText(api.command));
    // `npm run start:*` start the processes the same way.
    const scripts = (JSON.parse(readFileSync(root('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:worker']).toBe(['node', ...nodeArgs('worker/main.ts', 'compiled')].join(' '));
    expect(scripts['start:api']).toBe(['node', ...nodeArgs('api/main.ts', 'compiled')].join(' '));
    // The api either keeps the Dockerfile's CMD or names its own entry point explicitly.
    if (api.command !== undefined) expect(commandText(api.command)).toContain(compiledEntry('api/main.ts'));
  });
});

/** The variables a Temporal config template reads with `env "NAME"`. */
const templateVariables = (text: string) => new Set([...text.matchAll(/env "([A-Z0-9_]+)"/g)].map((match) => match[1]));

describe('Temporal configuration shared by docker-compose.yml and npm run cluster', () => {
  const config = readFileSync(TEMPORAL_CONFIG_FILE, 'utf8');
  /** The temporal service's bind mounts: container path -> absolute path in the repository. */
  const mounts = () =>
    Object.fromEntries(
      (service('temporal').volumes ?? []).map((volume) => {
        const [source = '', target = ''] = typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target];
        return [target, source.startsWith('./') ? root(source.slice(2)) : source];
      }),
    );

  it('runs the server version the cluster builds, with admin tools of that version', () => {
    expect(service('temporal').image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    for (const name of ['temporal-schema', 'temporal-setup']) {
      expect(service(name).image?.startsWith(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`), name).toBe(true);
    }
  });

  it("starts the server from the cluster's config file, 4 history shards on Postgres", () => {
    const started = /temporal-server --root (\S+) --config (\S+) --env (\S+) start/.exec(commandText(service('temporal').command));
    expect(started, 'temporal-server command').not.toBeNull();
    const [, rootDir = '', configDir = '', env = ''] = started ?? [];
    expect(mounts()[`${rootDir}/${configDir}/${env}.yaml`]).toBe(TEMPORAL_CONFIG_FILE);
    // The server renders it as a template itself, whatever the image's entrypoint does.
    expect(config.split('\n')[0]).toBe('# enable-template');
    expect(config).toMatch(/^ {4}numHistoryShards: 4$/m);
    expect(config.match(/pluginName: postgres12$/gm)).toHaveLength(2);
  });

  it("gives the server the cluster's dynamic config", () => {
    const target = environmentOf('temporal').DYNAMIC_CONFIG_FILE_PATH ?? '';
    expect(mounts()[target]).toBe(TEMPORAL_DYNAMIC_CONFIG_FILE);
    const dynamic = parse(readFileSync(TEMPORAL_DYNAMIC_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(dynamic)).toContain('system.forceSearchAttributesCacheRefreshOnRead');
    for (const [key, values] of Object.entries(dynamic)) {
      expect(key).toMatch(/^[a-z]+\.[A-Za-z]+$/);
      expect(values, key).toEqual([{ value: expect.anything() }]);
    }
  });

  it('sets only variables the config reads, in compose and in the cluster', async () => {
    const read = templateVariables(config);
    // The server reads TEMPORAL_ALLOW_NO_AUTH itself; compose's command sets BIND_ON_IP.
    const composeKeys = Object.keys(environmentOf('temporal')).filter((key) => key !== 'TEMPORAL_ALLOW_NO_AUTH');
    expect(commandText(service('temporal').command)).toContain('export BIND_ON_IP');
    const clusterKeys = Object.keys(clusterServerEnv({ postgresPort: 5432, ports: await chooseTemporalPorts() }));
    for (const key of [...composeKeys, ...clusterKeys, 'BIND_ON_IP']) expect(read, key).toContain(key);
    for (const key of ['POSTGRES_SEEDS', 'DB_PORT', 'POSTGRES_USER', 'DYNAMIC_CONFIG_FILE_PATH']) {
      expect(composeKeys, key).toContain(key);
      expect(clusterKeys, key).toContain(key);
    }
  });

  it("sets up both of Temporal's databases from the schema tool's versioned steps", () => {
    const script = commandText(service('temporal-schema').command);
    expect(script).toContain('for pair in temporal:temporal temporal_visibility:visibility;');
    expect(script).toContain('setup-schema -v 0.0');
    expect(script).toContain('update-schema -d "/etc/temporal/schema/postgresql/v12/$$schema/versioned"');
  });
});

describe('Dockerfile', () => {
  const path = root('Dockerfile');

  it('exists and builds a production image that runs the API by default', () => {
    expect(existsSync(path)).toBe(true);
    const dockerfile = readFileSync(path, 'utf8');
    const lines = dockerfile.split('\n').map((line) => line.trim());
    // Every stage on Node 24, the active LTS, which package.json's engines allow.
    const bases = lines.filter((line) => /^FROM\s/i.test(line));
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^FROM\s+node:24-bookworm-slim\b/i);
    const engines = (JSON.parse(readFileSync(root('package.json'), 'utf8')) as { engines: { node: string } }).engines;
    expect(engines.node.split('||').map((range) => range.trim())).toContain('^24.0.0');
    expect(dockerfile).toMatch(/npm ci\b[^\n]*--omit=dev/);

    const cmd = lines.filter((line) => /^CMD\s/i.test(line)).at(-1);
    expect(cmd).toBeDefined();
    // The compiled JavaScript, built in an earlier stage with the dev dependencies.
    expect(cmd).toBe(`CMD ${JSON.stringify(['node', ...nodeArgs('api/main.ts', 'compiled')]).replaceAll(',', ', ')}`);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);

    const user = lines.filter((line) => /^USER\s/i.test(line)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    // The user switch must come after the install steps, or npm ci would run unprivileged.
    expect(lines.indexOf(user as string)).toBeGreaterThan(lines.findIndex((line) => /npm ci/.test(line)));
  });

  it('keeps local state out of the build context', () => {
    const ignored = readFileSync(root('.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', '.git', '.data', '.cache', 'artifacts', 'dist']) expect(ignored).toContain(entry);
  });
});
