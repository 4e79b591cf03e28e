import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project's own files (migrations, the sample catalogue, console assets, contract samples)
 * by their path in the repository. The gateway runs from its TypeScript sources (tsx: tests,
 * CLIs) or from one bundled file in dist/ (`npm start`), so a path relative to the calling
 * module would differ between the two; the repository's root is the same for both.
 */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)))

export const projectFile = (...parts: string[]) => join(PROJECT_ROOT, ...parts)

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'kytb-gateway') return dir
    if (dirname(dir) === dir) throw new Error(`no kytb-gateway package.json above ${from}`)
  }
}
