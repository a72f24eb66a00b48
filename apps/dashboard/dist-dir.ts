import { join } from 'node:path';

/** Where `npm run build -w @social-pulse/dashboard` (scripts/build.ts) writes the page; the API serves it. */
export const DASHBOARD_DIST_DIR = join(__dirname, 'dist');

/** The page's files: the API serves these names and no others. */
export const DASHBOARD_FILES = ['index.html', 'dashboard.js', 'dashboard.css', 'dashboard.js.map', 'dashboard.css.map'];
