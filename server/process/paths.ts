// The project's folder, found the same way from the sources (server/) and from the build
// (dist/server/), which sit at different depths.
import { existsSync } from 'node:fs';
import path from 'node:path';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

export const PROJECT_ROOT = projectRoot(import.meta.dirname);
