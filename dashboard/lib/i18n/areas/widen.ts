/** The shape of a dictionary with its string literals widened to string: what another language must fill. */
export type Widen<T> = T extends string ? string : T extends Record<string, unknown> ? { [K in keyof T]: Widen<T[K]> } : T;
