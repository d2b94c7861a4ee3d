// The one class-name helper: clsx for conditions, tailwind-merge so a later class wins over an earlier one.
import clsx, { type ClassValue } from 'clsx';
import { extendTailwindMerge } from 'tailwind-merge';

// Tremor's font sizes (tailwind.config.ts) are custom `text-*` classes: unless tailwind-merge knows
// they are sizes, it takes them for colours and drops them whenever a colour class follows.
const twMerge = extendTailwindMerge({
  extend: { classGroups: { 'font-size': [{ text: ['tremor-label', 'tremor-default', 'tremor-title', 'tremor-metric'] }] } },
});

export function cx(...args: ClassValue[]): string {
  return twMerge(clsx(...args));
}
