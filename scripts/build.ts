/**
 * `npm run build` (scripts/build.ts): the gateway's server entry (src/main.ts) as plain JavaScript in dist/, for
 * `npm start`. Loading the TypeScript sources through tsx costs each process some 90 MB more
 * memory (its transforms and their source maps) and a slower start; a cluster pays it once per
 * process. The CLIs, the tests and `npm run dev` keep running the sources through tsx.
 *
 * One bundle of our own modules (npm packages stay imports from node_modules), split where
 * main.ts imports the gateway lazily, so the cluster primary loads only what it needs. Takes
 * well under a second; dist/ is not committed.
 */
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Builds into `outdir` (relative to the repository), replacing what was there. */
export async function buildGateway(outdir = 'dist'): Promise<void> {
  await rm(resolve(root, outdir), { recursive: true, force: true })
  await build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await buildGateway()
