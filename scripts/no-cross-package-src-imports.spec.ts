import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Packages meet through their package names (and the `exports` of their package.json), never
 * through a relative path into another package's directory. test/ and bench/ are roots of their
 * own: they reach packages by name and only their own files by relative path.
 */
const repoRoot = resolve(__dirname, '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'target', '.git', '.pulse']);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** The workspace directories named by the root package.json, plus test/ and bench/. */
function packageRoots(root: string): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  const roots = workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => statSync(dir).isDirectory());
  });
  return [...roots, join(root, 'test'), join(root, 'bench')].filter((dir) => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(join(dir, entry.name));
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [join(dir, entry.name)] : [];
  });
}

/** Every module specifier in a file: import/export … from, bare import, require, import(), vi.mock and kin. */
const SPECIFIERS = [
  /\bfrom\s*(['"])([^'"\n]+)\1/g,
  /^\s*import\s*(['"])([^'"\n]+)\1/gm,
  /(?<![\w$.])(?:require(?:\.resolve)?|import|vi\.(?:mock|doMock|unmock|doUnmock|importActual|importMock))\s*\(\s*(['"`])([^'"`\n]+)\1/g,
];

function specifiers(text: string): { line: number; specifier: string }[] {
  const found = new Map<number, { line: number; specifier: string }>();
  for (const pattern of SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const at = match.index + match[0].lastIndexOf(match[2]);
      found.set(at, { line: text.slice(0, at).split('\n').length, specifier: match[2] });
    }
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
}

const within = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);

/** The imports of one file that leave its package root, or reach into a package's src/ by name. */
function violations(file: string, text: string, roots: string[]): string[] {
  const own = roots.filter((root) => within(root, file)).sort((a, b) => b.length - a.length)[0];
  if (!own) return [];
  return specifiers(text).flatMap(({ line, specifier }) => {
    const where = `${relative(repoRoot, file)}:${line}`;
    if (/^@social-pulse\/[^/]+\/src(\/|$)/.test(specifier))
      return [`${where} imports '${specifier}': use what the package exports, not its src/`];
    if (specifier.startsWith('/')) return [`${where} imports the absolute path '${specifier}'`];
    if (!specifier.startsWith('.')) return [];
    const target = resolve(dirname(file), specifier);
    if (within(own, target)) return [];
    const owner = roots.find((root) => within(root, target));
    const into = owner ? `into ${relative(repoRoot, owner)}/` : 'out of its package';
    return [
      `${where} imports '${specifier}' ${into}: import the package by name (${relative(repoRoot, own)}/ may only reach its own files by path)`,
    ];
  });
}

describe('imports between packages', () => {
  it('should find the specifiers of every kind of import, with their lines', () => {
    const text = [
      "import { a } from './a';",
      'import {',
      '  b,',
      "} from '../b';",
      "import './side-effect';",
      "export * from '../../c';",
      "const d = require('../d');",
      "const e = await import('../e');",
      "vi.mock('../f', () => ({}));",
      "const g = require.resolve('@social-pulse/g');",
    ].join('\n');
    expect(specifiers(text)).toEqual([
      { line: 1, specifier: './a' },
      { line: 4, specifier: '../b' },
      { line: 5, specifier: './side-effect' },
      { line: 6, specifier: '../../c' },
      { line: 7, specifier: '../d' },
      { line: 8, specifier: '../e' },
      { line: 9, specifier: '../f' },
      { line: 10, specifier: '@social-pulse/g' },
    ]);
  });

  it('should flag a relative path out of the package and a by-name reach into src/, and nothing else', () => {
    const roots = [join(repoRoot, 'packages', 'a'), join(repoRoot, 'packages', 'b'), join(repoRoot, 'test')];
    const file = join(repoRoot, 'packages', 'a', 'src', 'x.ts');
    const text = [
      "import { ok } from './ok';",
      "import { alsoOk } from '../nest';",
      "import { bad } from '../../b/src/bad';",
      "import { deep } from '@social-pulse/b/src/deep';",
      "import { fine } from '@social-pulse/b';",
    ].join('\n');
    expect(violations(file, text, roots)).toEqual([
      expect.stringMatching(/^packages\/a\/src\/x\.ts:3 imports '\.\.\/\.\.\/b\/src\/bad' into packages\/b\//),
      expect.stringMatching(/^packages\/a\/src\/x\.ts:4 imports '@social-pulse\/b\/src\/deep'/),
    ]);
    // Joined, so that this fixture line is not itself taken for an import by line-based scanners.
    const fromTest = ['import { p } from', "'../../tools/x/src/p';"].join(' ');
    expect(violations(join(repoRoot, 'test', 'integration', 't.ts'), fromTest, roots)).toEqual([
      expect.stringMatching(/^test\/integration\/t\.ts:1 imports '\.\.\/\.\.\/tools\/x\/src\/p' out of/),
    ]);
  });

  it('should find no import leaving its package in the workspaces, test/ or bench/', () => {
    const roots = packageRoots(repoRoot);
    expect(roots.map((root) => relative(repoRoot, root))).toEqual(expect.arrayContaining(['test', 'bench', 'sdk']));
    const found = roots.flatMap(sourceFiles).flatMap((file) => violations(file, readFileSync(file, 'utf8'), roots));
    expect(found, found.join('\n')).toEqual([]);
  });
});
