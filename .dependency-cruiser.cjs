// The rows of docs/ARCHITECTURE.md: a file imports only from its own row or a lower one,
// never in a cycle (of files or of folders). A new folder takes its place here before it is used.
const ROWS = [
  ['src/lib/', 'src/config.ts', 'src/errors.ts', 'src/channels/'],
  ['src/db/'],
  ['src/deps.ts'],
  ['src/http/', 'src/queue/', 'src/metrics/', 'src/ops/'],
  ['src/auth/', 'src/members/', 'src/users/', 'src/accounts/', 'src/templates/', 'src/flows/', 'src/settings/', 'src/outbox/', 'src/webhooks/'],
  ['src/events/'],
  ['src/invites/'],
  ['src/delivery/'],
  ['src/link/'],
  ['src/sandbox/', 'src/console/'],
  ['src/app.ts', 'src/job-kinds.ts', 'src/bootstrap.ts'],
  ['src/main.ts', 'src/lifecycle.commands.ts', 'src/keys.commands.ts', 'src/members.commands.ts'],
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (entries) => `^(${entries.map((e) => (e.endsWith('/') ? escape(e) : `${escape(e)}$`)).join('|')})`;
const placed = pattern(ROWS.flat());

module.exports = {
  forbidden: [
    ...ROWS.slice(0, -1).map((row, i) => ({
      name: `row-${i}-imports-only-down`,
      comment: `Row ${i} (${row.join(', ')}) may import only from rows 0-${i}.`,
      severity: 'error',
      from: { path: pattern(row) },
      to: { path: pattern(ROWS.slice(i + 1).flat()) },
    })),
    {
      name: 'placed-in-a-row',
      comment: 'Every file under src/ belongs to a row of the table (.dependency-cruiser.cjs, docs/ARCHITECTURE.md).',
      severity: 'error',
      from: { path: '^src/', pathNot: placed },
      to: {},
    },
    {
      name: 'imports-a-placed-file',
      comment: 'Every file under src/ belongs to a row of the table (.dependency-cruiser.cjs, docs/ARCHITECTURE.md).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: placed },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle between files.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'No import cycle between folders.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
