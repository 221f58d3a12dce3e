// Writes the workflow bundle to the file named on the command line. The worker runs this in a child
// process so that the bundler's memory (webpack, the TypeScript loader) is freed with the child.
import { writeFileSync } from 'node:fs';
import { bundleWorkflows } from './workflow-bundle.js';

const out = process.argv[2];
if (!out) throw new Error('usage: bundle-cli <output file>');
writeFileSync(out, (await bundleWorkflows()).code);
