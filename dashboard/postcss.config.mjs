// Tailwind 3 (not 4: Tailwind 4 ignores Tremor's colour safelist, STACK.md) + autoprefixer.
export default {
  plugins: {
    tailwindcss: {},
    autoprefixer: {},
  },
};
