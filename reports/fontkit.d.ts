// fontkit (pdfkit's font engine, installed with pdfkit) ships no types; Pulse uses one function.
declare module 'fontkit' {
  /** Parses an OTF/TTF (or one face of a TTC/DFont, by PostScript name). */
  export function create(buffer: Uint8Array, postscriptName?: string): { layout: (...args: never[]) => unknown };
}
