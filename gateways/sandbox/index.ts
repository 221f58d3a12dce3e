// The built-in sandbox gateway: the adapter (registered like any gateway) and the server it talks to
// (mounted by the API at `/sandbox`).
export { createSandboxAdapter, type SandboxAdapterDeps } from './adapter.js';
export { createSandboxRoutes, type SandboxRoutesDeps } from './server.js';
export { SANDBOX_SIGNATURE_HEADER, sandboxSecret } from './signature.js';
