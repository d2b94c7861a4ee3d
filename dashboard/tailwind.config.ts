// Tailwind 3 set up for Tremor 3 (Tremor's v3 installation guide): content includes Tremor's own
// files (node_modules is at the repo root), the tremor colour/shadow/radius/font-size tokens, and the
// colour safelist — chart colours are built from strings at run time, so without the safelist bars
// and lines render black.
import type { Config } from 'tailwindcss';
import colors from 'tailwindcss/colors';
import plugin from 'tailwindcss/plugin';

const palette = 'slate|gray|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose';
const shades = '50|100|200|300|400|500|600|700|800|900|950';
const colourPattern = (prefix: string) => new RegExp(`^(${prefix}-(?:${palette})-(?:${shades}))$`);

const config: Config = {
  // Paths are relative to this file, not to the cwd (the build runs from the repo root).
  content: {
    relative: true,
    files: ['./app/**/*.{js,ts,jsx,tsx}', './components/**/*.{js,ts,jsx,tsx}', './lib/**/*.{js,ts,jsx,tsx}', '../node_modules/@tremor/**/*.{js,ts,jsx,tsx}'],
  },
  theme: {
    transparent: 'transparent',
    current: 'currentColor',
    extend: {
      colors: {
        tremor: {
          brand: { faint: colors.blue[50], muted: colors.blue[200], subtle: colors.blue[400], DEFAULT: colors.blue[500], emphasis: colors.blue[700], inverted: colors.white },
          background: { muted: colors.gray[50], subtle: colors.gray[100], DEFAULT: colors.white, emphasis: colors.gray[700] },
          border: { DEFAULT: colors.gray[200] },
          ring: { DEFAULT: colors.gray[200] },
          content: { subtle: colors.gray[400], DEFAULT: colors.gray[500], emphasis: colors.gray[700], strong: colors.gray[900], inverted: colors.white },
        },
        'dark-tremor': {
          brand: { faint: '#0B1229', muted: colors.blue[950], subtle: colors.blue[800], DEFAULT: colors.blue[500], emphasis: colors.blue[400], inverted: colors.blue[950] },
          background: { muted: '#131A2B', subtle: colors.gray[800], DEFAULT: colors.gray[900], emphasis: colors.gray[300] },
          border: { DEFAULT: colors.gray[800] },
          ring: { DEFAULT: colors.gray[800] },
          content: { subtle: colors.gray[600], DEFAULT: colors.gray[500], emphasis: colors.gray[200], strong: colors.gray[50], inverted: colors.gray[950] },
        },
      },
      boxShadow: {
        'tremor-input': '0 1px 2px 0 rgb(0 0 0 / 0.05)',
        'tremor-card': '0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
        'tremor-dropdown': '0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)',
        'dark-tremor-input': '0 1px 2px 0 rgb(0 0 0 / 0.05)',
        'dark-tremor-card': '0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
        'dark-tremor-dropdown': '0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)',
      },
      borderRadius: { 'tremor-small': '0.375rem', 'tremor-default': '0.5rem', 'tremor-full': '9999px' },
      fontSize: {
        'tremor-label': ['0.75rem', { lineHeight: '1rem' }],
        'tremor-default': ['0.875rem', { lineHeight: '1.25rem' }],
        'tremor-title': ['1.125rem', { lineHeight: '1.75rem' }],
        'tremor-metric': ['1.875rem', { lineHeight: '2.25rem' }],
      },
    },
  },
  safelist: [
    { pattern: colourPattern('bg'), variants: ['hover', 'ui-selected'] },
    { pattern: colourPattern('text'), variants: ['hover', 'ui-selected'] },
    { pattern: colourPattern('border'), variants: ['hover', 'ui-selected'] },
    { pattern: colourPattern('ring') },
    { pattern: colourPattern('stroke') },
    { pattern: colourPattern('fill') },
  ],
  plugins: [
    // The `ui-selected` variant Tremor's tabs use, as @headlessui/tailwindcss defines it (that plugin
    // is not installed; this is its one rule we need).
    plugin(({ addVariant }) => {
      addVariant('ui-selected', ['&[data-headlessui-state~="selected"]', ':where([data-headlessui-state~="selected"]) &']);
    }),
  ],
};

export default config;
