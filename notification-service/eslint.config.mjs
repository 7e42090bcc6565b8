// ESLint for the page's modules (src/main/resources/META-INF/resources/*.js), run by the e2e
// profile with npx. Self-contained on purpose: npx brings only eslint, so no shared configs.
const browser = Object.fromEntries(
  [
    'window',
    'document',
    'location',
    'history',
    'navigator',
    'console',
    'fetch',
    'WebSocket',
    'EventSource',
    'URL',
    'URLSearchParams',
    'sessionStorage',
    'localStorage',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'AbortController',
    'TextDecoderStream',
    'Intl',
    'crypto',
  ].map((name) => [name, 'readonly']),
);

export default [
  {
    files: ['src/main/resources/META-INF/resources/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: browser },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Mistakes: what breaks at run time or hides a bug.
      'no-undef': 'error',
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
      'no-redeclare': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      'no-fallthrough': 'error',
      'no-self-assign': 'error',
      'no-const-assign': 'error',
      'no-import-assign': 'error',
      'no-shadow-restricted-names': 'error',
      'no-unsafe-finally': 'error',
      'no-unsafe-negation': 'error',
      'no-async-promise-executor': 'error',
      'require-atomic-updates': 'off',
      'use-isnan': 'error',
      'valid-typeof': 'error',
      // Habits the page keeps.
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
    },
  },
];
