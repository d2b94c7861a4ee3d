// The one class-name helper: clsx for conditions, tailwind-merge so a later class wins over an earlier one.
import clsx, { type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

export function cx(...args: ClassValue[]): string {
  return twMerge(clsx(...args));
}
