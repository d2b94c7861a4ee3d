// The font every report is set in. PDF's standard fonts have no Chinese glyphs, so Pulse embeds a
// CJK font shipped through npm (DESIGN: not a system font, so every machine renders the same PDF).
// The file is read once per process and kept: parsing it is most of a PDF's render time.
import fs from 'node:fs';
import { create as createFontkitFont } from 'fontkit';
import path from 'node:path';
import { ReportError } from '../lib/errors.ts';
import { projectRoot } from '../lib/paths.ts';

/** Source Han Sans SC (Adobe, SIL OFL 1.1): ships OTF files pdfkit can embed and subset. */
export const CJK_FONT_PACKAGE = 'node-source-han-sans-sc';
const REGULAR_FILE = 'SourceHanSansSC-Regular.otf';
const BOLD_FILE = 'SourceHanSansSC-Bold.otf';

export interface CjkFont {
  regular: { file: string; postscriptName?: string };
  bold: { file: string; postscriptName?: string };
}

/**
 * Where the report font is: the npm package, or PULSE_CJK_FONT_FILE (`/path/font.otf` or
 * `/path/fonts.ttc:PostScriptName`) to use another OTF/TTF/TTC. The one place that decides.
 * Throws a ReportError naming the package to install when neither is there.
 */
export function resolveCjkFont(env: Record<string, string | undefined> = process.env): CjkFont {
  const override = env.PULSE_CJK_FONT_FILE;
  if (override) {
    const [file, postscriptName] = splitFontSpec(override);
    if (!fs.existsSync(file)) throw new ReportError('font_missing', `PULSE_CJK_FONT_FILE=${override}: no such file`);
    const face = { file, ...(postscriptName ? { postscriptName } : {}) };
    return { regular: face, bold: face };
  }
  const folder = path.join(projectRoot, 'node_modules', CJK_FONT_PACKAGE);
  const regular = path.join(folder, REGULAR_FILE);
  if (!fs.existsSync(regular)) {
    throw new ReportError(
      'font_missing',
      `The Chinese report font is missing: ${regular} not found. Install it with \`npm install ${CJK_FONT_PACKAGE}\` ` +
        '(or set PULSE_CJK_FONT_FILE to an OTF/TTF file). Reports cannot be rendered without it.',
    );
  }
  const bold = path.join(folder, BOLD_FILE);
  return { regular: { file: regular }, bold: { file: fs.existsSync(bold) ? bold : regular } };
}

function splitFontSpec(spec: string): [string, string | undefined] {
  const match = /^(.*\.tt[cf]|.*\.otf):([A-Za-z0-9_-]+)$/i.exec(spec);
  return match ? [match[1]!, match[2]] : [spec, undefined];
}

const fontBytes = new Map<string, Buffer>();

/** The font file's bytes, read once per process. */
export function readFontFile(file: string): Buffer {
  let bytes = fontBytes.get(file);
  if (!bytes) {
    bytes = fs.readFileSync(file);
    fontBytes.set(file, bytes);
  }
  return bytes;
}

const parsedFonts = new Map<string, unknown>();

/**
 * The parsed font (a fontkit font object, which pdfkit accepts in place of a file), made once per
 * process: parsing a CJK font's tables per document cost most of a report's render time (~1 s).
 * Reusing it across documents is safe: each document still embeds its own subset.
 */
export function loadFont(face: { file: string; postscriptName?: string }): unknown {
  const key = `${face.file}:${face.postscriptName ?? ''}`;
  let font = parsedFonts.get(key);
  if (!font) {
    font = createFontkitFont(readFontFile(face.file), face.postscriptName);
    parsedFonts.set(key, font);
  }
  return font;
}
